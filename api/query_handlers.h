#pragma once

#include "api/router.h"
#include "tables/table_service.h"

namespace strata::api {

// Registers Query and Scan under "DynamoDB_20120810.<Op>": each handler decodes the request
// (JSON types only; SerializationException on a wrong type), calls `service`, and encodes the
// page (Items, Count, ScannedCount, LastEvaluatedKey, ConsumedCapacity).
//
// Thread-safety: call before the server starts. Lifecycle: `service` must outlive the router.
void RegisterQueryHandlers(Router* router, tables::TableService* service);

}  // namespace strata::api
