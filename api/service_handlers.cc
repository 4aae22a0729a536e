#include "api/service_handlers.h"

#include <cinttypes>
#include <cstdio>

namespace strata::api {

void RegisterServiceOp(Router* router, tables::TableService* service, std::string_view op,
                       ServiceHandler handler) {
  router->Register(std::string(kDynamoDbTargetPrefix) + std::string(op),
                   [service, handler](const RequestContext& ctx, simdjson::dom::object request,
                                      std::string* response) {
                     return handler(service, ctx, request, response);
                   });
}

void WriteUnits(item::JsonWriter* w, int64_t half_units) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%" PRId64 ".%d", half_units / 2, half_units % 2 ? 5 : 0);
  w->Raw(buf);
}

void WriteConsumedCapacity(item::JsonWriter* w, tables::CapacityDetail detail,
                           const tables::ConsumedCapacity& consumed) {
  w->StartObject();
  w->Key("TableName");
  w->String(consumed.table_name);
  w->Key("CapacityUnits");
  WriteUnits(w, consumed.TotalHalfUnits());
  if (detail == tables::CapacityDetail::kIndexes) {
    w->Key("Table");
    w->StartObject();
    w->Key("CapacityUnits");
    WriteUnits(w, consumed.half_units);
    w->EndObject();
    for (const bool global : {false, true}) {
      bool any = false;
      for (const tables::ConsumedCapacity::IndexUnits& u : consumed.indexes) {
        if (u.global != global) continue;
        if (!any) {
          w->Key(global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
          w->StartObject();
          any = true;
        }
        w->Key(u.name);
        w->StartObject();
        w->Key("CapacityUnits");
        WriteUnits(w, u.half_units);
        w->EndObject();
      }
      if (any) w->EndObject();
    }
  }
  w->EndObject();
}

void WriteConsumedCapacityList(item::JsonWriter* w, tables::CapacityDetail detail,
                               const std::vector<tables::ConsumedCapacity>& consumed) {
  if (detail == tables::CapacityDetail::kNone) return;
  w->Key("ConsumedCapacity");
  w->StartArray();
  for (const tables::ConsumedCapacity& c : consumed) WriteConsumedCapacity(w, detail, c);
  w->EndArray();
}

}  // namespace strata::api
