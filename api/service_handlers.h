#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "api/request_context.h"
#include "api/router.h"
#include "item/json.h"
#include "tables/requests.h"
#include "tables/table_service.h"
#include "util/status.h"

namespace strata::api {

// What the DynamoDB handler files (dynamodb_handlers.cc, query_handlers.cc,
// transaction_handlers.cc) share: registration of TableService operations and the response
// pieces every data operation writes. Stateless functions; thread-safe.

inline constexpr std::string_view kDynamoDbTargetPrefix = "DynamoDB_20120810.";

// The (account, region) a request is for.
inline tables::Scope ScopeOf(const RequestContext& ctx) {
  return tables::Scope{ctx.account_id, ctx.region};
}

using ServiceHandler = Status (*)(tables::TableService*, const RequestContext&,
                                  simdjson::dom::object, std::string*);

// Routes X-Amz-Target "DynamoDB_20120810.<op>" to `handler` with `service`.
void RegisterServiceOp(Router* router, tables::TableService* service, std::string_view op,
                       ServiceHandler handler);

// Capacity units (half units) as 1.0, 0.5, 2.5, ...
void WriteUnits(item::JsonWriter* w, int64_t half_units);

// One ConsumedCapacity object: {TableName, CapacityUnits[, Table{CapacityUnits}]}.
void WriteConsumedCapacity(item::JsonWriter* w, tables::CapacityDetail detail,
                           const tables::ConsumedCapacity& consumed);

// "ConsumedCapacity": [...] of the multi-table operations, when asked for.
void WriteConsumedCapacityList(item::JsonWriter* w, tables::CapacityDetail detail,
                               const std::vector<tables::ConsumedCapacity>& consumed);

}  // namespace strata::api
