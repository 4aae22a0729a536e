#include "item/json_shape.h"

#include <string>

#include "item/api_error.h"

namespace strata::item {

using simdjson::dom::element_type;

std::string_view CoralTokenName(simdjson::dom::element e) {
  switch (e.type()) {
    case element_type::BOOL: {
      bool b = false;
      if (e.get_bool().get(b) != simdjson::SUCCESS) b = false;
      return b ? "TRUE_VALUE" : "FALSE_VALUE";
    }
    case element_type::DOUBLE:
      return "DECIMAL_VALUE";
    case element_type::STRING:
      return "STRING_VALUE";
    case element_type::NULL_VALUE:
      return "NULL_VALUE";
    default:
      return "NUMBER_VALUE";
  }
}

Status WrongJsonType(simdjson::dom::element e, std::string_view java_type,
                     std::string_view array_message) {
  switch (e.type()) {
    case element_type::OBJECT:
      return SerializationError(kStartOfStructure);
    case element_type::ARRAY:
      return SerializationError(array_message.empty() ? kStartOfList : array_message);
    default: {
      std::string msg(CoralTokenName(e));
      msg += " cannot be converted to ";
      msg += java_type;
      return SerializationError(msg);
    }
  }
}

}  // namespace strata::item
