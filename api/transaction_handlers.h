#pragma once

#include "api/router.h"
#include "tables/table_service.h"

namespace strata::api {

// Registers TransactWriteItems and TransactGetItems under "DynamoDB_20120810.<Op>". Each
// handler decodes the request (JSON types only; SerializationException on a wrong type), calls
// `service`, and encodes the response. A TransactionCanceledException is written in full
// (capital `Message`, `CancellationReasons` in request order), which the dispatcher sends
// verbatim (DESIGN 6.3).
//
// Thread-safety: call before the server starts. Lifecycle: `service` must outlive the router.
void RegisterTransactionHandlers(Router* router, tables::TableService* service);

}  // namespace strata::api
