#pragma once

#include "api/router.h"
#include "tables/table_service.h"

namespace strata::api {

// Registers the DynamoDB operations implemented so far under "DynamoDB_20120810.<Op>":
// CreateTable, DescribeTable, ListTables, DeleteTable, UpdateTable, PutItem, GetItem,
// UpdateItem, DeleteItem, BatchWriteItem, BatchGetItem, Query and Scan (query_handlers.h),
// TransactWriteItems and TransactGetItems (transaction_handlers.h), DescribeEndpoints,
// DescribeLimits. Each handler decodes
// the request (JSON types only; SerializationException on a wrong type), calls `service`, and
// encodes the response.
//
// Thread-safety: call before the server starts. Lifecycle: `service` must outlive the router.
void RegisterDynamoDbHandlers(Router* router, tables::TableService* service);

}  // namespace strata::api
