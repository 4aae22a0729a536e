#include "api/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <thread>

#include "util/hash.h"

namespace strata::api {
namespace {

constexpr char kSignedHeaders[] =
    "Content-Type: application/x-amz-json-1.0\r\n"
    "X-Amz-Target: DynamoDB_20120810.ListTables\r\n"
    "X-Amz-Date: 20240101T000000Z\r\n"
    "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=host, Signature=abc\r\n";

std::string Post(const std::string& body, const std::string& extra_headers = "") {
  return "POST / HTTP/1.1\r\nHost: localhost\r\n" + std::string(kSignedHeaders) + extra_headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// A blocking test client on a raw socket.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~Client() { close(fd_); }

  bool connected() const { return connected_; }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  struct Response {
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
  };

  // Reads one response (Content-Length or an empty chunked body). False on EOF/timeout.
  // head_only: the reply to HEAD, which has no body whatever its Content-Length says.
  bool Read(Response* out, int timeout_ms = 5000, bool head_only = false) {
    size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill(timeout_ms)) return false;
    }
    std::string head = buffer_.substr(0, header_end);
    buffer_.erase(0, header_end + 4);
    out->status = std::stoi(head.substr(9, 3));
    out->headers.clear();
    size_t pos = head.find("\r\n");
    while (pos != std::string::npos) {
      size_t next = head.find("\r\n", pos + 2);
      std::string line = head.substr(pos + 2, next == std::string::npos ? next : next - pos - 2);
      size_t colon = line.find(':');
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(tolower(c));
      out->headers[name] = line.substr(colon + 2);
      pos = next;
    }
    if (out->headers.count("transfer-encoding")) {
      while (buffer_.find("0\r\n\r\n") == std::string::npos) {
        if (!Fill(timeout_ms)) return false;
      }
      buffer_.erase(0, buffer_.find("0\r\n\r\n") + 5);
      out->body.clear();
      return true;
    }
    auto cl = out->headers.find("content-length");
    size_t length = cl == out->headers.end() || head_only ? 0 : std::stoul(cl->second);
    while (buffer_.size() < length) {
      if (!Fill(timeout_ms)) return false;
    }
    out->body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return true;
  }

  // True when the server closed the connection (EOF or reset) within the timeout.
  bool Closed(int timeout_ms = 5000) {
    while (true) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, timeout_ms) <= 0) return false;
      char c[4096];
      ssize_t n = recv(fd_, c, sizeof(c), 0);
      if (n <= 0) return true;
    }
  }

 private:
  bool Fill(int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return false;
    char chunk[65536];
    ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_;
  bool connected_ = false;
  std::string buffer_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  HttpServerTest() : dispatcher_(&router_, DispatcherOptions{}) {
    router_.Register("DynamoDB_20120810.ListTables",
                     [this](const RequestContext&, simdjson::dom::object request,
                            std::string* response) -> Status {
                       int64_t delay = 0;
                       if (request["DelayMs"].get(delay) == simdjson::SUCCESS) {
                         in_handler_ = true;
                         std::this_thread::sleep_for(std::chrono::milliseconds(delay));
                       }
                       response->append(R"({"TableNames":["a"]})");
                       return Status::OK();
                     });
  }

  void StartServer(int threads = 2) {
    server_ =
        std::make_unique<HttpServer>(&dispatcher_, HttpServerOptions{"127.0.0.1", 0, threads});
    ASSERT_TRUE(server_->Start().ok());
    ASSERT_NE(server_->port(), 0);
  }

  Router router_;
  Dispatcher dispatcher_;
  std::unique_ptr<HttpServer> server_;
  std::atomic<bool> in_handler_{false};
};

TEST_F(HttpServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  std::string first_id;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(client.Send(Post("{}")));
    Client::Response res;
    ASSERT_TRUE(client.Read(&res));
    EXPECT_EQ(res.status, 200);
    EXPECT_EQ(res.body, R"({"TableNames":["a"]})");
    EXPECT_EQ(res.headers["content-type"], "application/x-amz-json-1.0");
    EXPECT_EQ(res.headers["x-amz-crc32"], std::to_string(Crc32(res.body)));
    EXPECT_EQ(res.headers["x-amzn-requestid"].size(), 52u);
    EXPECT_NE(res.headers["x-amzn-requestid"], first_id);
    first_id = res.headers["x-amzn-requestid"];
    EXPECT_EQ(res.headers.count("connection"), 0u);
  }
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Post("{}") + "GET / HTTP/1.1\r\nHost: x\r\n\r\n" + Post("nope")));
  Client::Response a, b, c;
  ASSERT_TRUE(client.Read(&a));
  ASSERT_TRUE(client.Read(&b));
  ASSERT_TRUE(client.Read(&c));
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(b.status, 200);
  EXPECT_EQ(b.body, "healthy: dynamodb.us-east-1.amazonaws.com ");
  EXPECT_EQ(c.status, 400);
  EXPECT_EQ(c.body, R"({"__type":"com.amazon.coral.service#SerializationException"})");
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Post("{}", "Connection: close\r\n")));
  Client::Response res;
  ASSERT_TRUE(client.Read(&res));
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.headers["connection"], "close");
  EXPECT_TRUE(client.Closed());
}

TEST_F(HttpServerTest, Http10KeepAlive) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  Client::Response res;
  ASSERT_TRUE(client.Read(&res));
  EXPECT_EQ(res.headers["connection"], "keep-alive");
  ASSERT_TRUE(client.Send("GET / HTTP/1.0\r\n\r\n"));
  ASSERT_TRUE(client.Read(&res));
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.headers["connection"], "close");
  EXPECT_TRUE(client.Closed());
}

TEST_F(HttpServerTest, HeadGetsHeadersOnly) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  Client::Response head, get;
  ASSERT_TRUE(client.Read(&head, 5000, /*head_only=*/true));
  EXPECT_EQ(head.status, 404);
  EXPECT_EQ(head.headers["content-length"], "29");
  ASSERT_TRUE(client.Read(&get));
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.body, "healthy: dynamodb.us-east-1.amazonaws.com ");
}

TEST_F(HttpServerTest, ExpectContinue) {
  StartServer();
  Client client(server_->port());
  std::string body = "{}";
  ASSERT_TRUE(client.Send("POST / HTTP/1.1\r\nHost: x\r\n" + std::string(kSignedHeaders) +
                          "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n"));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(client.Send(body));
  Client::Response res;
  ASSERT_TRUE(client.Read(&res));  // the 100 (no length header -> empty body)
  EXPECT_EQ(res.status, 100);
  ASSERT_TRUE(client.Read(&res));
  EXPECT_EQ(res.status, 200);
}

TEST_F(HttpServerTest, BodyOverSixteenMiBIs413AndNothingIsBuffered) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(
      client.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  "Content-Length: 16777217\r\n\r\n"));
  Client::Response res;
  ASSERT_TRUE(client.Read(&res));
  EXPECT_EQ(res.status, 413);
  EXPECT_EQ(res.headers["transfer-encoding"], "chunked");
  EXPECT_EQ(res.headers["connection"], "close");
  EXPECT_TRUE(client.Closed());
}

TEST_F(HttpServerTest, ChunkedBodyOverTheLimitIs413) {
  StartServer(1);
  Client client(server_->port());
  ASSERT_TRUE(client.Send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
  std::string chunk(1 << 20, 'a');
  char size_line[32];
  snprintf(size_line, sizeof(size_line), "%zx\r\n", chunk.size());
  bool refused = false;
  for (int i = 0; i < 20 && !refused; ++i) {
    refused = !client.Send(std::string(size_line) + chunk + "\r\n");
  }
  Client::Response res;
  ASSERT_TRUE(client.Read(&res));
  EXPECT_EQ(res.status, 413);
}

TEST_F(HttpServerTest, ExactlySixteenMiBIsAccepted) {
  StartServer();
  Client client(server_->port());
  std::string body(16 * 1024 * 1024, 'a');
  std::thread sender([&] {
    client.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: whatever\r\nContent-Length: " +
                std::to_string(body.size()) + "\r\n\r\n" + body);
  });
  Client::Response res;
  bool ok = client.Read(&res, 20000);
  sender.join();
  ASSERT_TRUE(ok);
  EXPECT_EQ(res.status, 404);  // routed, not refused
  EXPECT_EQ(res.body, "<UnknownOperationException/>\n");
}

TEST_F(HttpServerTest, PortInUseIsAClearError) {
  StartServer();
  HttpServer second(&dispatcher_, HttpServerOptions{"127.0.0.1", server_->port(), 1});
  Status s = second.Start();
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.IsIOError());
  EXPECT_EQ(s.message(), "cannot listen on 127.0.0.1:" + std::to_string(server_->port()) +
                             ": Address already in use");
}

TEST_F(HttpServerTest, BadHostIsAnError) {
  HttpServer server(&dispatcher_, HttpServerOptions{"no.such.host.invalid", 0, 1});
  Status s = server.Start();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("cannot listen on no.such.host.invalid:0: "), std::string::npos)
      << s.ToString();
}

TEST_F(HttpServerTest, StopClosesIdleConnectionsPromptly) {
  StartServer();
  Client idle(server_->port());
  ASSERT_TRUE(idle.Send(Post("{}")));
  Client::Response res;
  ASSERT_TRUE(idle.Read(&res));
  Client never_sent(server_->port());
  ASSERT_TRUE(never_sent.connected());
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto start = std::chrono::steady_clock::now();
  server_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_TRUE(idle.Closed());
  EXPECT_TRUE(never_sent.Closed());
  // No longer accepting.
  Client late(server_->port());
  EXPECT_FALSE(late.connected() && late.Send(Post("{}")) && late.Read(&res, 500));
}

TEST_F(HttpServerTest, StopLetsInFlightRequestsFinish) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Post(R"({"DelayMs":300})")));
  while (!in_handler_) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::thread stopper([&] { server_->Stop(); });
  Client::Response res;
  ASSERT_TRUE(client.Read(&res));
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, R"({"TableNames":["a"]})");
  EXPECT_EQ(res.headers["connection"], "close");
  EXPECT_TRUE(client.Closed());
  stopper.join();
}

TEST_F(HttpServerTest, StopIsIdempotentAndWorksWithoutStart) {
  HttpServer never_started(&dispatcher_, HttpServerOptions{});
  never_started.Stop();
  StartServer(1);
  server_->Stop();
  server_->Stop();
}

TEST_F(HttpServerTest, ManyConcurrentClients) {
  StartServer(2);
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&] {
      Client client(server_->port());
      for (int i = 0; i < 50; ++i) {
        Client::Response res;
        if (!client.Send(Post("{}")) || !client.Read(&res) || res.status != 200) return;
        ++ok;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok, 400);
}

TEST(HttpServerEndpointTest, FormatsIpv6WithBrackets) {
  EXPECT_EQ(HttpServer::Endpoint("127.0.0.1", 4566), "127.0.0.1:4566");
  EXPECT_EQ(HttpServer::Endpoint("::1", 8000), "[::1]:8000");
}

}  // namespace
}  // namespace strata::api
