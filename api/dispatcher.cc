#include "api/dispatcher.h"

#include <simdjson.h>

#include <cstring>
#include <exception>
#include <optional>
#include <random>
#include <thread>

#include "api/request_context.h"
#include "api/sigv4.h"
#include "item/api_error.h"
#include "item/json.h"
#include "util/hash.h"

namespace strata::api {
namespace {

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kAmzJson10 = "application/x-amz-json-1.0";
constexpr std::string_view kAmzJson11 = "application/x-amz-json-1.1";
// What AWS answers to a request it cannot route (29 bytes, CRC-32 3552371480).
constexpr std::string_view kNotFoundBody = "<UnknownOperationException/>\n";
constexpr std::string_view kHealthPath = "/_strata/health";
constexpr std::string_view kCompactPath = "/_strata/compact";

// Parsers that grew past this for one huge request give the memory back afterwards.
constexpr size_t kParserKeepCapacity = 1 << 20;

bool IsJsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsJsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsJsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// The media type: "application/json; charset=utf-8" -> "application/json".
std::string_view MediaType(std::string_view content_type) {
  return Trim(content_type.substr(0, content_type.find(';')));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding of one query component.
std::string UrlDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// The query-string parameters of a request-target (decoded). Small: only used for presigned
// (query-string) authentication.
class QueryParams {
 public:
  explicit QueryParams(std::string_view target) {
    size_t q = target.find('?');
    if (q == std::string_view::npos) return;
    std::string_view query = target.substr(q + 1);
    query = query.substr(0, query.find('#'));
    while (!query.empty()) {
      size_t amp = query.find('&');
      std::string_view pair = query.substr(0, amp);
      query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
      if (pair.empty()) continue;
      size_t eq = pair.find('=');
      std::string key = UrlDecode(pair.substr(0, eq));
      std::string value = eq == std::string_view::npos ? "" : UrlDecode(pair.substr(eq + 1));
      for (auto& [k, v] : params_) {
        if (k == key) {
          v = std::move(value);
          key.clear();
          break;
        }
      }
      if (!key.empty()) params_.emplace_back(std::move(key), std::move(value));
    }
  }

  bool Has(std::string_view key) const { return Find(key) != nullptr; }
  // Empty when absent.
  std::string_view Get(std::string_view key) const {
    const std::string* v = Find(key);
    return v ? std::string_view(*v) : std::string_view();
  }

 private:
  const std::string* Find(std::string_view key) const {
    for (const auto& [k, v] : params_) {
      if (k == key) return &v;
    }
    return nullptr;
  }

  std::vector<std::pair<std::string, std::string>> params_;
};

// The one place an error reply is written: AWS's status and namespaced `__type` for `error`
// (item::InfoOf), and the message under `message_key` when one is given.
void WriteError(HttpResponse* response, item::ApiError error, std::string_view message_key = {},
                std::string_view message = {}) {
  const item::ApiErrorInfo& info = item::InfoOf(error);
  response->status = info.http_status;
  response->body.clear();
  item::JsonWriter w(&response->body);
  w.StartObject();
  w.Key("__type");
  w.String(info.type);
  if (!message_key.empty()) {
    w.Key(message_key);
    w.String(message);
  }
  w.EndObject();
}

void WriteInternalError(HttpResponse* response, std::string_view message) {
  WriteError(response, item::ApiError::kInternalServerError, "message", message);
}

// Per-thread parsing state: simdjson DOM parsers are not thread-safe, and reusing one keeps
// its buffers warm.
struct ThreadState {
  simdjson::dom::parser parser;
  simdjson::dom::parser empty_parser;  // holds "{}" for a `null` request body
  std::optional<simdjson::dom::object> empty_object;
  RequestContext context;
};

ThreadState& State() {
  thread_local ThreadState state;
  return state;
}

simdjson::dom::object EmptyObject(ThreadState& state) {
  if (!state.empty_object) {
    simdjson::padded_string empty("{}", 2);
    simdjson::dom::object obj;
    // Parsing a constant: cannot fail.
    simdjson::error_code error = state.empty_parser.parse(empty).get_object().get(obj);
    (void)error;
    state.empty_object = obj;
  }
  return *state.empty_object;
}

// splitmix64: a cheap, well-mixed sequence from a counter.
uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

void NewRequestId(char out[52]) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  thread_local uint64_t state = [] {
    std::random_device rd;
    uint64_t seed = (uint64_t{rd()} << 32) ^ rd();
    return seed ^ std::hash<std::thread::id>()(std::this_thread::get_id());
  }();
  for (int chunk = 0; chunk < 4; ++chunk) {
    uint64_t v = SplitMix64(&state);
    for (int i = 0; i < 13; ++i) {
      out[chunk * 13 + i] = kAlphabet[v % 36];
      v /= 36;
    }
  }
}

Dispatcher::Dispatcher(const Router* router, DispatcherOptions options)
    : router_(router), options_(std::move(options)) {
  healthy_body_ = "healthy: dynamodb." + options_.region + ".amazonaws.com ";
}

void Dispatcher::Dispatch(const HttpRequestView& request, HttpResponse* response) const {
  response->status = 200;
  response->content_type = {};
  response->body.clear();
  response->extra_headers.clear();
  NewRequestId(response->request_id);
  if (!request.origin.empty()) {
    response->extra_headers.emplace_back("Access-Control-Allow-Origin", "*");
  }
  try {
    DispatchUnchecked(request, response);
  } catch (const std::exception& e) {
    // Third-party code (simdjson's exception API, allocation) throws; nothing else does.
    if (response->content_type.empty()) response->content_type = kJson;
    WriteInternalError(response, e.what());
  } catch (...) {
    if (response->content_type.empty()) response->content_type = kJson;
    WriteInternalError(response, "Internal server error");
  }
  response->crc32 = Crc32(response->body);
}

void Dispatcher::TooLarge(HttpResponse* response) const {
  response->status = 413;
  response->content_type = {};
  response->body.clear();
  response->extra_headers.clear();
  NewRequestId(response->request_id);
  response->crc32 = Crc32(response->body);
}

void Dispatcher::DispatchUnchecked(const HttpRequestView& request, HttpResponse* response) const {
  // CORS preflight.
  if (!request.origin.empty() && request.method == "OPTIONS") {
    if (!request.access_control_request_headers.empty()) {
      response->extra_headers.emplace_back("Access-Control-Allow-Headers",
                                           std::string(request.access_control_request_headers));
    }
    if (!request.access_control_request_method.empty()) {
      response->extra_headers.emplace_back("Access-Control-Allow-Methods",
                                           std::string(request.access_control_request_method));
    }
    response->extra_headers.emplace_back("Access-Control-Max-Age", "172800");
    return;
  }

  if (request.method == "GET") {
    std::string_view path = request.target.substr(0, request.target.find('?'));
    if (path == kHealthPath) {
      response->content_type = kJson;
      response->body = R"({"status":"ok"})";
    } else {
      response->body = healthy_body_;
    }
    return;
  }

  if (request.method == "POST" && compact_ &&
      request.target.substr(0, request.target.find('?')) == kCompactPath) {
    const Status s = compact_();
    response->content_type = kJson;
    if (s.ok()) {
      response->body = R"({"status":"ok"})";
    } else {
      response->status = s.IsNotSupported() ? 400 : 500;
      item::JsonWriter w(&response->body);
      w.StartObject();
      w.Key("status");
      w.String("error");
      w.Key("message");
      w.String(s.message());
      w.EndObject();
    }
    return;
  }

  const std::string& body = *request.body;
  std::string_view media_type = MediaType(request.content_type);
  // strata takes both AWS JSON protocol versions for every service (the product accepts JSON
  // 1.0 and 1.1 clients alike; AWS itself answers 404 to 1.1 for DynamoDB).
  bool json_media = media_type == kJson || media_type == kAmzJson10 || media_type == kAmzJson11;
  if (request.method != "POST" || (!body.empty() && !json_media)) {
    response->status = 404;
    response->body = kNotFoundBody;
    return;
  }
  response->content_type = media_type == kAmzJson10   ? kAmzJson10
                           : media_type == kAmzJson11 ? kAmzJson11
                                                      : kJson;

  // The JSON must parse before anything else is looked at.
  ThreadState& state = State();
  simdjson::dom::element root;
  if (!body.empty()) {
    if (request.body->capacity() - body.size() < simdjson::SIMDJSON_PADDING) {
      request.body->reserve(body.size() + simdjson::SIMDJSON_PADDING);
    }
    auto parsed = state.parser.parse(body.data(), body.size(), /*realloc_if_needed=*/false);
    if (parsed.error() != simdjson::SUCCESS) {
      if (parsed.error() == simdjson::MEMALLOC) throw std::bad_alloc();
      WriteError(response, item::ApiError::kSerialization);
      return;
    }
    root = parsed.value_unsafe();
  }

  const OperationHandler* handler = router_->Find(request.amz_target);
  if (handler == nullptr) {
    WriteError(response, item::ApiError::kUnknownOperation);
    return;
  }

  // Authentication: presence checks only, in AWS's order.
  QueryParams query(request.target);
  bool auth_query = query.Has("X-Amz-Algorithm");
  std::string_view auth = request.authorization;
  if (!auth.empty() && auth_query) {
    WriteError(response, item::ApiError::kInvalidSignature, "message",
               "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as "
               "HTTP header.");
    return;
  }
  if ((auth.empty() && !auth_query) || (!auth.empty() && !Trim(auth).starts_with("AWS4-"))) {
    WriteError(response, item::ApiError::kMissingAuthenticationToken, "message",
               "Request is missing Authentication Token");
    return;
  }
  std::string_view credential;
  std::string incomplete;
  if (!auth.empty()) {
    SigV4Authorization parsed = ParseAuthorization(auth);
    if (parsed.credential.empty())
      incomplete += "Authorization header requires 'Credential' parameter. ";
    if (parsed.signature.empty())
      incomplete += "Authorization header requires 'Signature' parameter. ";
    if (parsed.signed_headers.empty()) {
      incomplete += "Authorization header requires 'SignedHeaders' parameter. ";
    }
    if (request.amz_date.empty() && request.date.empty()) {
      incomplete +=
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
    }
    if (!incomplete.empty()) {
      incomplete += "Authorization=";
      incomplete += auth;
    }
    credential = parsed.credential;
  } else {
    for (std::string_view param : {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature",
                                   "X-Amz-SignedHeaders", "X-Amz-Date"}) {
      if (query.Get(param).empty()) {
        incomplete += "AWS query-string parameters must include '";
        incomplete += param;
        incomplete += "'. ";
      }
    }
    if (!incomplete.empty()) incomplete += "Re-examine the query-string parameters.";
    credential = query.Get("X-Amz-Credential");
  }
  if (!incomplete.empty()) {
    WriteError(response, item::ApiError::kIncompleteSignature, "message", incomplete);
    return;
  }

  if (body.empty()) {
    WriteError(response, item::ApiError::kSerialization);
    return;
  }
  simdjson::dom::object request_object;
  switch (root.type()) {
    case simdjson::dom::element_type::OBJECT:
      request_object = root.get_object().value_unsafe();
      break;
    case simdjson::dom::element_type::NULL_VALUE:
      request_object = EmptyObject(state);
      break;
    case simdjson::dom::element_type::ARRAY:
      WriteError(response, item::ApiError::kSerialization, "Message",
                 "Start of list found where not expected");
      return;
    default:
      WriteError(response, item::ApiError::kSerialization, "Message", "Expected null");
      return;
  }

  RequestContext& ctx = state.context;
  std::optional<CredentialScope> scope = ParseCredentialScope(credential);
  if (scope && IsAccountId(scope->access_key_id)) {
    ctx.account_id.assign(scope->access_key_id);
  } else {
    ctx.account_id.assign(options_.account_id);
  }
  if (scope && !scope->region.empty()) {
    ctx.region.assign(scope->region);
  } else {
    ctx.region.assign(options_.region);
  }
  ctx.request_id.assign(response->request_id, sizeof(response->request_id));

  Status status = (*handler)(ctx, request_object, &response->body);
  if (state.parser.capacity() > kParserKeepCapacity) {
    state.parser = simdjson::dom::parser();  // give a huge request's memory back
  }
  if (status.ok()) {
    response->status = 200;
    if (response->body.empty()) response->body = "{}";
    return;
  }
  item::ApiError error = item::ApiErrorOf(status);
  const item::ApiErrorInfo& info = item::InfoOf(error);
  const std::string& written = response->body;
  bool verbatim = (error == item::ApiError::kTransactionCanceled ||
                   error == item::ApiError::kConditionalCheckFailed) &&
                  written.size() >= 2 && written.front() == '{' && written.back() == '}';
  if (verbatim) {
    response->status = info.http_status;
    return;
  }
  if (status.message().empty()) {
    WriteError(response, error);
  } else {
    WriteError(response, error, "message", status.message());
  }
}

}  // namespace strata::api
