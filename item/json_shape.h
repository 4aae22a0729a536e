#pragma once

#include <string_view>

#include <simdjson.h>

#include "util/status.h"

namespace strata::item {

// AWS's SerializationException wording for a JSON value of the wrong type, shared by the
// AttributeValue decoder and the request-field readers so the two never drift apart. The
// wording is what dynalite's test/helpers.js assertType records from live AWS.

inline constexpr std::string_view kStartOfStructure =
    "Start of structure or map found where not expected";
inline constexpr std::string_view kStartOfList = "Start of list found where not expected";

// The coral token name of a scalar: TRUE_VALUE, FALSE_VALUE, NUMBER_VALUE, DECIMAL_VALUE,
// STRING_VALUE (or NULL_VALUE).
std::string_view CoralTokenName(simdjson::dom::element e);

// "<TOKEN> cannot be converted to <java_type>" for a scalar; the structure / list messages for
// an object / array (`array_message` overrides the list message when not empty).
Status WrongJsonType(simdjson::dom::element e, std::string_view java_type,
                     std::string_view array_message = {});

}  // namespace strata::item
