#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/router.h"

namespace strata::api {

// The parts of an HTTP request the dispatcher looks at. Views into the transport's buffers; an
// absent header is empty (AWS treats an empty header like a missing one).
struct HttpRequestView {
  std::string_view method;  // "GET", "POST", ...
  std::string_view target;  // the request-target: "/", "/?X-Amz-Algorithm=...", ...
  std::string_view content_type;
  std::string_view amz_target;  // X-Amz-Target
  std::string_view authorization;
  std::string_view amz_date;  // X-Amz-Date
  std::string_view date;
  std::string_view origin;  // CORS
  std::string_view access_control_request_headers;
  std::string_view access_control_request_method;
  // The body. The dispatcher may grow its capacity (never its contents) so that simdjson can
  // read past the end; transports avoid a copy by reserving size + SIMDJSON_PADDING up front.
  std::string* body = nullptr;
};

// A reply, ready to serialise. Reused across requests on one connection (Dispatch overwrites
// every field) so that the body's capacity is recycled.
struct HttpResponse {
  int status = 200;
  std::string_view content_type;  // empty: no Content-Type header
  std::string body;
  char request_id[52] = {};  // x-amzn-RequestId: 52 characters of [0-9A-Z]
  uint32_t crc32 = 0;        // x-amz-crc32: CRC-32 of body
  // CORS headers, only when the request had an Origin.
  std::vector<std::pair<std::string_view, std::string>> extra_headers;

  std::string_view request_id_view() const { return {request_id, sizeof(request_id)}; }
};

struct DispatcherOptions {
  std::string region = "us-east-1";         // when the request names none
  std::string account_id = "000000000000";  // when the access key id is not an account id
};

// Dispatcher is the request pipeline between HTTP and the operation handlers, with no socket
// code, so that every AWS front-door rule is unit-testable. The rules follow AWS as captured by
// dynalite's tests (which were validated against live DynamoDB), in this order:
//   1. Every reply gets x-amzn-RequestId and x-amz-crc32; a request with Origin gets
//      Access-Control-Allow-Origin: * (OPTIONS with Origin: the CORS preflight, 200).
//   2. GET /_strata/health -> 200 {"status":"ok"}; any other GET -> 200
//      "healthy: dynamodb.<region>.amazonaws.com " (trailing space). POST /_strata/compact
//      (admin: compacts all SSTables, answers when done) -> 200 {"status":"ok"}, 400
//      {"status":"error","message":...} when the storage mode has no SSTables, 500 on a
//      storage error.
//   3. Not POST, or a non-empty body whose media type is not application/json or
//      application/x-amz-json-1.0 (1.1 too for Kinesis targets) -> 404
//      "<UnknownOperationException/>\n".
//   4. JSON replies echo application/x-amz-json-1.0 (or 1.1), else application/json.
//   5. A non-empty body that is not JSON -> 400 SerializationException (no message).
//   6. X-Amz-Target not registered in the Router -> 400 UnknownOperationException.
//   7. Authentication presence checks (MissingAuthenticationToken, InvalidSignature,
//      IncompleteSignature); signatures are not verified.
//   8. An empty body -> SerializationException; a JSON array or scalar -> SerializationException
//      with AWS's type-error wording.
//   9. The handler runs with the (account, region) from the SigV4 credential scope. OK -> 200
//      and its JSON; an error Status -> item::InfoOf(item::ApiErrorOf(status)) with body
//      {"__type":...,"message":...}. Any exception -> 500 InternalServerError.
// Error types that carry extra fields (TransactionCanceledException's CancellationReasons,
// ConditionalCheckFailedException's Item) are sent verbatim when the handler wrote a complete
// JSON object to *response before returning the error; for every other error the response text
// is discarded.
//
// Thread-safety: Dispatch() may run concurrently on any number of threads (each thread keeps
// its own simdjson parser). Lifecycle: the Router must outlive the Dispatcher and must not be
// modified once dispatching starts.
class Dispatcher {
 public:
  // The largest request body AWS accepts; larger ones get 413 (see TooLarge()).
  static constexpr size_t kMaxBodyBytes = 16 * 1024 * 1024;

  Dispatcher(const Router* router, DispatcherOptions options);

  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Answers one request. REQUIRES: request.body != nullptr.
  void Dispatch(const HttpRequestView& request, HttpResponse* response) const;

  // The reply to a request whose body exceeds kMaxBodyBytes: 413 with an empty body (the
  // transport sends it chunked and closes the connection, as AWS does).
  void TooLarge(HttpResponse* response) const;

  const DispatcherOptions& options() const { return options_; }
  // POST /_strata/compact runs `compact` (engine::Db::CompactRange over everything); without
  // one the path is not served. Call before dispatching starts.
  void SetCompactHandler(std::function<Status()> compact) { compact_ = std::move(compact); }

 private:
  void DispatchUnchecked(const HttpRequestView& request, HttpResponse* response) const;

  const Router* router_;
  DispatcherOptions options_;
  std::function<Status()> compact_;
  std::string healthy_body_;  // "healthy: dynamodb.<region>.amazonaws.com "
};

// Fills `out` with a fresh 52-character request id ([0-9A-Z], like AWS). Cheap: a per-thread
// random seed and counter; unique, not cryptographically random.
void NewRequestId(char out[52]);

}  // namespace strata::api
