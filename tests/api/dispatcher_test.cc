#include "api/dispatcher.h"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>

#include "item/api_error.h"
#include "util/hash.h"

namespace strata::api {
namespace {

constexpr char kTarget[] = "DynamoDB_20120810.ListTables";
constexpr char kAuth[] =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/eu-west-1/dynamodb/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=abc";

struct Request {
  std::string method = "POST";
  std::string target = "/";
  std::string content_type;
  std::string amz_target;
  std::string authorization;
  std::string amz_date;
  std::string date;
  std::string origin;
  std::string acr_headers;
  std::string acr_method;
  std::string body;
};

// A signed DynamoDB request, as an SDK sends it.
Request Signed(std::string body = "{}", std::string target = kTarget) {
  Request r;
  r.content_type = "application/x-amz-json-1.0";
  r.amz_target = std::move(target);
  r.authorization = kAuth;
  r.amz_date = "20240101T000000Z";
  r.body = std::move(body);
  return r;
}

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest() : dispatcher_(&router_, DispatcherOptions{"us-east-1", "000000000000"}) {
    router_.Register(kTarget,
                     [this](const RequestContext& ctx, simdjson::dom::object request,
                            std::string* response) -> Status {
                       ++calls_;
                       last_ctx_ = ctx;
                       last_size_ = request.size();
                       response->append(R"({"TableNames":[]})");
                       return Status::OK();
                     });
  }

  HttpResponse Run(Request r) {
    HttpRequestView view;
    view.method = r.method;
    view.target = r.target;
    view.content_type = r.content_type;
    view.amz_target = r.amz_target;
    view.authorization = r.authorization;
    view.amz_date = r.amz_date;
    view.date = r.date;
    view.origin = r.origin;
    view.access_control_request_headers = r.acr_headers;
    view.access_control_request_method = r.acr_method;
    view.body = &r.body;
    HttpResponse response;
    dispatcher_.Dispatch(view, &response);
    // Invariants of every reply.
    EXPECT_EQ(response.crc32, Crc32(response.body));
    for (char c : response.request_id_view()) {
      EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) << response.request_id_view();
    }
    return response;
  }

  void ExpectNotFound(Request r) {
    HttpResponse res = Run(std::move(r));
    EXPECT_EQ(res.status, 404);
    EXPECT_EQ(res.body, "<UnknownOperationException/>\n");
    EXPECT_EQ(res.crc32, 3552371480u);  // AWS's value for this body
    EXPECT_EQ(res.body.size(), 29u);
  }

  Router router_;
  Dispatcher dispatcher_;
  int calls_ = 0;
  RequestContext last_ctx_;
  size_t last_size_ = 0;
};

TEST_F(DispatcherTest, GetAnswersHealthyWithTheRegion) {
  Request r;
  r.method = "GET";
  HttpResponse res = Run(r);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "healthy: dynamodb.us-east-1.amazonaws.com ");
  EXPECT_EQ(res.crc32, 3128867991u);  // AWS's value for this body
  r.target = "/any/path?x=1";
  EXPECT_EQ(Run(r).body, "healthy: dynamodb.us-east-1.amazonaws.com ");

  Router router;
  Dispatcher eu(&router, DispatcherOptions{"eu-central-1", "000000000000"});
  HttpResponse eu_res;
  std::string body;
  HttpRequestView view;
  view.method = "GET";
  view.target = "/";
  view.body = &body;
  eu.Dispatch(view, &eu_res);
  EXPECT_EQ(eu_res.body, "healthy: dynamodb.eu-central-1.amazonaws.com ");
}

TEST_F(DispatcherTest, StrataHealthEndpoint) {
  Request r;
  r.method = "GET";
  r.target = "/_strata/health";
  HttpResponse res = Run(r);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, R"({"status":"ok"})");
  EXPECT_EQ(res.content_type, "application/json");
}

TEST_F(DispatcherTest, CompactEndpointRunsTheHandlerAndReportsItsOutcome) {
  Request r;
  r.target = "/_strata/compact";
  // Without a handler the path is an ordinary (unsigned, targetless) POST.
  EXPECT_NE(Run(r).body, R"({"status":"ok"})");

  Status outcome;
  int compactions = 0;
  dispatcher_.SetCompactHandler([&] {
    compactions++;
    return outcome;
  });
  HttpResponse ok = Run(r);
  EXPECT_EQ(compactions, 1);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, R"({"status":"ok"})");
  EXPECT_EQ(ok.content_type, "application/json");

  outcome = Status::NotSupported("compaction needs SSTables");
  HttpResponse unsupported = Run(r);
  EXPECT_EQ(unsupported.status, 400);
  EXPECT_EQ(unsupported.body, R"({"status":"error","message":"compaction needs SSTables"})");

  outcome = Status::IOError("disk on fire");
  HttpResponse failed = Run(r);
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(failed.body, R"({"status":"error","message":"disk on fire"})");
  EXPECT_EQ(compactions, 3);

  r.method = "GET";  // GET is the health answer, never a compaction
  Run(r);
  EXPECT_EQ(compactions, 3);
  EXPECT_EQ(calls_, 0);
}

TEST_F(DispatcherTest, NonPostMethodsAreNotFound) {
  for (const char* method : {"PUT", "DELETE", "HEAD", "PATCH", "OPTIONS"}) {
    Request r = Signed();
    r.method = method;
    ExpectNotFound(r);
  }
  EXPECT_EQ(calls_, 0);
}

TEST_F(DispatcherTest, BodyWithWrongContentTypeIsNotFound) {
  for (const char* type : {"", "whatever", "application/x-amz-json-1.2", "application/jsonasdf",
                           "text/plain", "APPLICATION/JSON"}) {
    Request r = Signed("hi");
    r.content_type = type;
    ExpectNotFound(r);
  }
  EXPECT_EQ(calls_, 0);
}

TEST_F(DispatcherTest, InvalidJsonIsSerializationException) {
  Request r;
  r.body = "hi";
  r.content_type = "application/json";
  HttpResponse res = Run(r);
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.body, R"({"__type":"com.amazon.coral.service#SerializationException"})");
  EXPECT_EQ(res.crc32, 3948637019u);
  EXPECT_EQ(res.content_type, "application/json");

  r.content_type = "application/x-amz-json-1.0";
  EXPECT_EQ(Run(r).content_type, "application/x-amz-json-1.0");
  r.content_type = "application/x-amz-json-1.0;blahblah";
  EXPECT_EQ(Run(r).content_type, "application/x-amz-json-1.0");
  for (const char* type :
       {"application/json;", "  application/json  ;   asfd", "application/json;blahblah"}) {
    r.content_type = type;
    HttpResponse res2 = Run(r);
    EXPECT_EQ(res2.status, 400) << type;
    EXPECT_EQ(res2.content_type, "application/json") << type;
  }
  // JSON is checked before the target and the signature.
  Request signed_bad = Signed("{\"a\":");
  EXPECT_EQ(Run(signed_bad).body,
            R"({"__type":"com.amazon.coral.service#SerializationException"})");
}

TEST_F(DispatcherTest, MissingOrUnknownTargetIsUnknownOperation) {
  Request r;  // POST, no body, no headers
  HttpResponse res = Run(r);
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.body, R"({"__type":"com.amazon.coral.service#UnknownOperationException"})");
  EXPECT_EQ(res.crc32, 1368724161u);
  EXPECT_EQ(res.content_type, "application/json");

  for (const char* target :
       {"whatever", "DynamoDB_20120810.ListTable", "DynamoDB_20120810.", "ListTables"}) {
    Request t = Signed();
    t.amz_target = target;
    HttpResponse tr = Run(t);
    EXPECT_EQ(tr.status, 400) << target;
    EXPECT_EQ(tr.body, R"({"__type":"com.amazon.coral.service#UnknownOperationException"})");
    EXPECT_EQ(tr.content_type, "application/x-amz-json-1.0");
  }
  EXPECT_EQ(calls_, 0);
}

TEST_F(DispatcherTest, MissingAuthorization) {
  for (const char* auth : {"", "AWS4", "X", "Bearer abc"}) {
    Request r;
    r.amz_target = kTarget;
    r.authorization = auth;
    HttpResponse res = Run(r);
    EXPECT_EQ(res.status, 400);
    EXPECT_EQ(res.body,
              R"({"__type":"com.amazon.coral.service#MissingAuthenticationTokenException",)"
              R"("message":"Request is missing Authentication Token"})");
    EXPECT_EQ(res.crc32, 2088342776u);
  }
  // A query string without X-Amz-Algorithm is not query authentication.
  Request q;
  q.amz_target = kTarget;
  q.target = "/?X-Amz-Credential=a&X-Amz-Signature=b&X-Amz-SignedHeaders=c&X-Amz-Date=d";
  EXPECT_EQ(Run(q).crc32, 2088342776u);
  q.target = "/?X-Amz-Algorith";
  q.authorization = "X";
  EXPECT_EQ(Run(q).crc32, 2088342776u);
  EXPECT_EQ(calls_, 0);
}

TEST_F(DispatcherTest, BothHeaderAndQueryAuthIsInvalidSignature) {
  Request r;
  r.amz_target = kTarget;
  r.target = "/?X-Amz-Algorithm";
  r.authorization = "X";
  HttpResponse res = Run(r);
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.body,
            R"({"__type":"com.amazon.coral.service#InvalidSignatureException","message":)"
            R"("Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as )"
            R"(HTTP header."})");
  EXPECT_EQ(res.crc32, 2139606068u);
}

TEST_F(DispatcherTest, IncompleteSignatureMessagesMatchAws) {
  struct Case {
    const char* auth;
    const char* date;
    uint32_t crc;
  };
  // CRCs of AWS's replies, as recorded by dynalite's tests.
  for (const Case& c :
       {Case{"AWS4-", "", 1828866742u}, Case{"AWS4- Signature=b Credential=a", "a", 15336762u},
        Case{"AWS4- Signature=b,Credential=a", "a", 1159703774u},
        Case{"AWS4- Signature=b, Credential=a", "a", 164353342u}}) {
    Request r;
    r.amz_target = kTarget;
    r.authorization = c.auth;
    r.date = c.date;
    HttpResponse res = Run(r);
    EXPECT_EQ(res.status, 400) << c.auth;
    EXPECT_NE(res.body.find("IncompleteSignatureException"), std::string::npos) << res.body;
    EXPECT_EQ(res.crc32, c.crc) << res.body;
  }
  Request r;
  r.amz_target = kTarget;
  r.authorization = "AWS4-";
  EXPECT_EQ(Run(r).body,
            R"({"__type":"com.amazon.coral.service#IncompleteSignatureException","message":)"
            R"("Authorization header requires 'Credential' parameter. Authorization header )"
            R"(requires 'Signature' parameter. Authorization header requires 'SignedHeaders' )"
            R"(parameter. Authorization header requires existence of either a 'X-Amz-Date' or )"
            R"(a 'Date' header. Authorization=AWS4-"})");
}

TEST_F(DispatcherTest, IncompleteQueryStringSignature) {
  Request r;
  r.amz_target = kTarget;
  r.target = "/?X-Amz-Algorithm";
  EXPECT_EQ(Run(r).crc32, 2900502663u);
  r.target = "/?X-Amz-Algorithm=a&X-Amz-Credential=b&X-Amz-Signature=c&X-Amz-Date=d";
  HttpResponse res = Run(r);
  EXPECT_EQ(res.body,
            R"({"__type":"com.amazon.coral.service#IncompleteSignatureException","message":)"
            R"("AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the )"
            R"(query-string parameters."})");
  EXPECT_EQ(res.crc32, 3712057481u);
}

TEST_F(DispatcherTest, QueryStringAuthenticationReachesTheHandler) {
  Request r;
  r.amz_target = kTarget;
  r.content_type = "application/json";
  r.body = "{}";
  r.target =
      "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=123456789012%2F20240101%2Fsa-east-1"
      "%2Fdynamodb%2Faws4_request&X-Amz-Signature=c&X-Amz-SignedHeaders=host&X-Amz-Date=d";
  HttpResponse res = Run(r);
  EXPECT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(last_ctx_.region, "sa-east-1");
  EXPECT_EQ(last_ctx_.account_id, "123456789012");
}

TEST_F(DispatcherTest, EmptyBodyIsSerializationExceptionAfterAuth) {
  HttpResponse res = Run(Signed(""));
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.body, R"({"__type":"com.amazon.coral.service#SerializationException"})");
  EXPECT_EQ(calls_, 0);
}

TEST_F(DispatcherTest, NonObjectJsonIsSerializationException) {
  HttpResponse list = Run(Signed("[1,2]"));
  EXPECT_EQ(list.status, 400);
  EXPECT_EQ(list.body, R"({"__type":"com.amazon.coral.service#SerializationException",)"
                       R"("Message":"Start of list found where not expected"})");
  for (const char* scalar : {"5", "\"x\"", "true"}) {
    HttpResponse res = Run(Signed(scalar));
    EXPECT_EQ(res.status, 400) << scalar;
    EXPECT_EQ(res.body, R"({"__type":"com.amazon.coral.service#SerializationException",)"
                        R"("Message":"Expected null"})");
  }
  EXPECT_EQ(calls_, 0);
  // JSON null is an empty request, as AWS treats it.
  HttpResponse null_res = Run(Signed("null"));
  EXPECT_EQ(null_res.status, 200);
  EXPECT_EQ(calls_, 1);
  EXPECT_EQ(last_size_, 0u);
}

TEST_F(DispatcherTest, HandlerSuccess) {
  HttpResponse res = Run(Signed(R"({"Limit":5,"ExclusiveStartTableName":"t"})"));
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, R"({"TableNames":[]})");
  EXPECT_EQ(res.content_type, "application/x-amz-json-1.0");
  EXPECT_EQ(calls_, 1);
  EXPECT_EQ(last_size_, 2u);
  EXPECT_EQ(last_ctx_.region, "eu-west-1");
  EXPECT_EQ(last_ctx_.account_id, "000000000000");  // AKIDEXAMPLE is not an account id
  EXPECT_EQ(last_ctx_.request_id, res.request_id_view());

  Request json = Signed();
  json.content_type = "application/json; charset=utf-8";
  EXPECT_EQ(Run(json).content_type, "application/json");
}

TEST_F(DispatcherTest, AccountFromTwelveDigitAccessKeyAndDefaultRegion) {
  Request r = Signed();
  r.authorization =
      "AWS4-HMAC-SHA256 Credential=123456789012/20240101/us-west-2/dynamodb/aws4_request, "
      "SignedHeaders=host, Signature=abc";
  ASSERT_EQ(Run(r).status, 200);
  EXPECT_EQ(last_ctx_.account_id, "123456789012");
  EXPECT_EQ(last_ctx_.region, "us-west-2");

  // A malformed credential scope: the configured defaults.
  r.authorization = "AWS4-HMAC-SHA256 Credential=123456789012/x, SignedHeaders=host, Signature=a";
  ASSERT_EQ(Run(r).status, 200);
  EXPECT_EQ(last_ctx_.account_id, "000000000000");
  EXPECT_EQ(last_ctx_.region, "us-east-1");
}

TEST_F(DispatcherTest, EmptyHandlerOutputIsAnEmptyObject) {
  router_.Register("DynamoDB_20120810.PutItem", [](const RequestContext&, simdjson::dom::object,
                                                   std::string*) { return Status::OK(); });
  HttpResponse res = Run(Signed("{}", "DynamoDB_20120810.PutItem"));
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "{}");
}

TEST_F(DispatcherTest, HandlerErrorsUseTheApiErrorShape) {
  router_.Register("DynamoDB_20120810.PutItem",
                   [](const RequestContext&, simdjson::dom::object, std::string* response) {
                     response->append("{\"partial\":");  // discarded
                     return item::ValidationError("One or more \"values\" were invalid");
                   });
  HttpResponse res = Run(Signed("{}", "DynamoDB_20120810.PutItem"));
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.body, R"({"__type":"com.amazon.coral.validate#ValidationException",)"
                      R"("message":"One or more \"values\" were invalid"})");
  EXPECT_EQ(res.content_type, "application/x-amz-json-1.0");

  router_.Register("DynamoDB_20120810.GetItem", [](const RequestContext&, simdjson::dom::object,
                                                   std::string*) {
    return item::MakeApiError(item::ApiError::kResourceNotFound, "Requested resource not found");
  });
  res = Run(Signed("{}", "DynamoDB_20120810.GetItem"));
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.body, R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",)"
                      R"("message":"Requested resource not found"})");
}

TEST_F(DispatcherTest, InternalErrorsAre500) {
  router_.Register("DynamoDB_20120810.Scan",
                   [](const RequestContext&, simdjson::dom::object, std::string*) {
                     return Status::IOError("disk on fire");
                   });
  HttpResponse res = Run(Signed("{}", "DynamoDB_20120810.Scan"));
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.body, R"({"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError",)"
                      R"("message":"disk on fire"})");
}

TEST_F(DispatcherTest, ExceptionsBecomeInternalServerError) {
  router_.Register("DynamoDB_20120810.Query",
                   [](const RequestContext&, simdjson::dom::object request, std::string*) {
                     // simdjson's exception API throws on a missing field.
                     std::string_view name = request["TableName"];
                     (void)name;
                     return Status::OK();
                   });
  HttpResponse res = Run(Signed("{}", "DynamoDB_20120810.Query"));
  EXPECT_EQ(res.status, 500);
  EXPECT_NE(res.body.find("com.amazonaws.dynamodb.v20120810#InternalServerError"),
            std::string::npos);
  EXPECT_EQ(res.content_type, "application/x-amz-json-1.0");

  router_.Register(
      "DynamoDB_20120810.Scan",
      [](const RequestContext&, simdjson::dom::object, std::string*) -> Status { throw 42; });
  EXPECT_EQ(Run(Signed("{}", "DynamoDB_20120810.Scan")).status, 500);
}

TEST_F(DispatcherTest, TransactionCanceledBodyIsSentVerbatim) {
  constexpr char kBody[] =
      R"({"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",)"
      R"("Message":"Transaction cancelled, please refer cancellation reasons for specific )"
      R"(reasons [None]","CancellationReasons":[{"Code":"None"}]})";
  router_.Register("DynamoDB_20120810.TransactWriteItems",
                   [&](const RequestContext&, simdjson::dom::object, std::string* response) {
                     response->append(kBody);
                     return item::MakeApiError(item::ApiError::kTransactionCanceled, "x");
                   });
  HttpResponse res = Run(Signed("{}", "DynamoDB_20120810.TransactWriteItems"));
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.body, kBody);
}

TEST_F(DispatcherTest, ErrorWithoutMessageOmitsIt) {
  router_.Register("DynamoDB_20120810.Scan",
                   [](const RequestContext&, simdjson::dom::object, std::string*) {
                     return item::MakeApiError(item::ApiError::kConditionalCheckFailed, "");
                   });
  EXPECT_EQ(Run(Signed("{}", "DynamoDB_20120810.Scan")).body,
            R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException"})");
}

TEST_F(DispatcherTest, ParsesBodiesWithoutPaddingCapacity) {
  std::string body = R"({"TableName":"abc","Limit":1})";
  body.shrink_to_fit();
  Request r = Signed(body);
  HttpResponse res = Run(r);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(last_size_, 2u);
}

TEST_F(DispatcherTest, LargeBodyParses) {
  std::string body = R"({"Items":[)";
  for (int i = 0; i < 200000; ++i) body += (i ? ",\"" : "\"") + std::to_string(i) + "\"";
  body += "],\"X\":1}";
  ASSERT_EQ(Run(Signed(body)).status, 200);
  EXPECT_EQ(last_size_, 2u);
  // The thread's parser keeps working after shrinking.
  ASSERT_EQ(Run(Signed(R"({"A":1})")).status, 200);
  EXPECT_EQ(last_size_, 1u);
}

TEST_F(DispatcherTest, Json11IsAcceptedOnlyForJson11Services) {
  router_.Register("Kinesis_20131202.ListStreams",
                   [](const RequestContext&, simdjson::dom::object, std::string* response) {
                     response->append(R"({"StreamNames":[]})");
                     return Status::OK();
                   });
  Request r = Signed("{}", "Kinesis_20131202.ListStreams");
  r.content_type = "application/x-amz-json-1.1";
  HttpResponse res = Run(r);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.content_type, "application/x-amz-json-1.1");
  Request ddb = Signed();
  ddb.content_type = "application/x-amz-json-1.1";
  EXPECT_EQ(Run(ddb).status, 200);
  EXPECT_EQ(Run(ddb).content_type, "application/x-amz-json-1.1");
}

TEST_F(DispatcherTest, CorsPreflightAndHeaders) {
  Request pre;
  pre.method = "OPTIONS";
  pre.origin = "http://localhost:3000";
  pre.acr_headers = "a, b, c";
  pre.acr_method = "POST";
  HttpResponse res = Run(pre);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "");
  ASSERT_EQ(res.extra_headers.size(), 4u);
  EXPECT_EQ(res.extra_headers[0].first, "Access-Control-Allow-Origin");
  EXPECT_EQ(res.extra_headers[0].second, "*");
  EXPECT_EQ(res.extra_headers[1].second, "a, b, c");
  EXPECT_EQ(res.extra_headers[2].second, "POST");
  EXPECT_EQ(res.extra_headers[3].first, "Access-Control-Max-Age");
  EXPECT_EQ(res.extra_headers[3].second, "172800");

  Request unknown;  // no target, with Origin
  unknown.origin = "whatever";
  HttpResponse u = Run(unknown);
  EXPECT_EQ(u.status, 400);
  ASSERT_EQ(u.extra_headers.size(), 1u);
  EXPECT_EQ(u.extra_headers[0].first, "Access-Control-Allow-Origin");

  EXPECT_TRUE(Run(Signed()).extra_headers.empty());
}

TEST_F(DispatcherTest, TooLarge) {
  HttpResponse res;
  res.body = "stale";
  dispatcher_.TooLarge(&res);
  EXPECT_EQ(res.status, 413);
  EXPECT_EQ(res.body, "");
  EXPECT_EQ(res.crc32, 0u);
}

TEST_F(DispatcherTest, ResponseObjectIsReusable) {
  HttpResponse res;
  std::string body = "hi";
  std::string ct = "application/json";
  HttpRequestView view;
  view.method = "POST";
  view.content_type = ct;
  view.body = &body;
  view.origin = "o";
  dispatcher_.Dispatch(view, &res);
  EXPECT_EQ(res.status, 400);
  view.method = "GET";
  view.origin = {};
  dispatcher_.Dispatch(view, &res);
  EXPECT_EQ(res.status, 200);
  EXPECT_TRUE(res.content_type.empty());
  EXPECT_TRUE(res.extra_headers.empty());
  EXPECT_EQ(res.crc32, Crc32(res.body));
}

TEST(RequestIdTest, FiftyTwoUppercaseAlphanumericsAndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    char id[52];
    NewRequestId(id);
    std::string s(id, sizeof(id));
    for (char c : s) ASSERT_TRUE((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) << s;
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 10000u);
}

}  // namespace
}  // namespace strata::api
