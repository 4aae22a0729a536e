#include "api/http_server.h"

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <simdjson.h>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <optional>
#include <unordered_set>

namespace strata::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr size_t kHeaderLimit = 64 * 1024;
// How long Stop() waits for connections that are still writing a reply.
constexpr auto kDrainTimeout = std::chrono::seconds(5);
// How long a connection refused with 413 is drained before it is closed (so that the client
// reads the 413 rather than a reset).
constexpr auto kLingerTimeout = std::chrono::seconds(2);

std::string_view View(beast::string_view s) { return {s.data(), s.size()}; }

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "200 OK";
    case 400:
      return "400 Bad Request";
    case 404:
      return "404 Not Found";
    case 413:
      return "413 Request Entity Too Large";
    case 500:
      return "500 Internal Server Error";
    case 503:
      return "503 Service Unavailable";
    default:
      break;
  }
  return {};
}

void AppendUint(std::string* out, uint64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, end);
}

class Session;

// One thread's io_context and the connections it owns. `sessions` and `stopping` are touched
// only by that thread (or after it has been joined).
struct Worker {
  std::unordered_set<Session*> sessions;  // declared before ctx: outlives ctx's handlers
  asio::io_context ctx{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard{
      asio::make_work_guard(ctx)};
  std::optional<asio::steady_timer> drain_timer{std::in_place, ctx};
  bool stopping = false;
  // Set by Stop() before it posts the shutdown, so that a reply being computed right now
  // already says "Connection: close".
  std::atomic<bool> stop_requested{false};
};

// One keep-alive connection. Lives on its worker's thread; owned by the shared_ptrs in its
// pending completion handlers.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Worker* worker, const Dispatcher* dispatcher, tcp::socket socket)
      : worker_(worker), dispatcher_(dispatcher), socket_(std::move(socket)) {}

  ~Session() {
    worker_->sessions.erase(this);
    if (worker_->stopping && worker_->sessions.empty() && worker_->drain_timer) {
      worker_->drain_timer->cancel();
    }
  }

  void Start() {
    worker_->sessions.insert(this);
    ReadHeader();
  }

  // Stop(): a connection waiting for a request is closed; one handling or writing a reply
  // closes itself after the write.
  void CloseIfIdle() {
    if (reading_) Close();
  }

 private:
  void ReadHeader() {
    if (worker_->stopping) return Close();
    // Reuse the previous request's body capacity.
    body_.clear();
    http::request<http::string_body> message;
    message.body() = std::move(body_);
    parser_.emplace(std::move(message));
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(Dispatcher::kMaxBodyBytes);
    reading_ = true;
    http::async_read_header(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec == http::error::body_limit) return SendTooLarge();
    if (ec) return Close();
    auto& request = parser_->get();
    if (auto length = parser_->content_length()) {
      // Room for simdjson's padding, so the dispatcher parses the body in place.
      request.body().reserve(static_cast<size_t>(*length) + simdjson::SIMDJSON_PADDING);
    }
    if (beast::iequals(request[http::field::expect], "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      asio::async_write(socket_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = shared_from_this()](beast::error_code ec, size_t) {
                          if (ec) return self->Close();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnBody(ec); });
  }

  void OnBody(beast::error_code ec) {
    reading_ = false;
    if (ec == http::error::body_limit) return SendTooLarge();
    if (ec) return Close();
    auto& request = parser_->get();
    HttpRequestView view;
    view.method = View(request.method_string());
    view.target = View(request.target());
    view.content_type = View(request[http::field::content_type]);
    view.amz_target = View(request["X-Amz-Target"]);
    view.authorization = View(request[http::field::authorization]);
    view.amz_date = View(request["X-Amz-Date"]);
    view.date = View(request[http::field::date]);
    view.origin = View(request[http::field::origin]);
    if (!view.origin.empty()) {
      view.access_control_request_headers =
          View(request[http::field::access_control_request_headers]);
      view.access_control_request_method =
          View(request[http::field::access_control_request_method]);
    }
    view.body = &request.body();
    dispatcher_->Dispatch(view, &reply_);
    head_only_ = request.method() == http::verb::head;
    keep_alive_ = request.keep_alive() && !worker_->stop_requested.load(std::memory_order_relaxed);
    WriteReply(request.version(), /*too_large=*/false);
  }

  void SendTooLarge() {
    reading_ = false;
    head_only_ = false;
    dispatcher_->TooLarge(&reply_);
    keep_alive_ = false;
    WriteReply(parser_->get().version(), /*too_large=*/true);
  }

  void WriteReply(unsigned version, bool too_large) {
    head_.clear();
    head_ += "HTTP/1.1 ";
    std::string_view reason = ReasonPhrase(reply_.status);
    if (reason.empty()) {
      AppendUint(&head_, static_cast<uint64_t>(reply_.status));
      head_ += " Unknown";
    } else {
      head_ += reason;
    }
    head_ += "\r\nx-amzn-RequestId: ";
    head_ += reply_.request_id_view();
    head_ += "\r\nx-amz-crc32: ";
    AppendUint(&head_, reply_.crc32);
    if (!reply_.content_type.empty()) {
      head_ += "\r\nContent-Type: ";
      head_ += reply_.content_type;
    }
    for (const auto& [name, value] : reply_.extra_headers) {
      head_ += "\r\n";
      head_ += name;
      head_ += ": ";
      head_ += value;
    }
    if (too_large) {
      // AWS answers 413 with an empty chunked body.
      head_ += "\r\nTransfer-Encoding: chunked";
    } else {
      head_ += "\r\nContent-Length: ";
      AppendUint(&head_, reply_.body.size());
    }
    if (!keep_alive_) {
      head_ += "\r\nConnection: close";
    } else if (version < 11) {
      head_ += "\r\nConnection: keep-alive";
    }
    head_ += "\r\n\r\n";
    if (too_large) head_ += "0\r\n\r\n";
    // A reply to HEAD has the headers of the reply to GET and no body.
    std::array<asio::const_buffer, 2> buffers = {
        asio::buffer(head_), asio::buffer(reply_.body.data(), head_only_ ? 0 : reply_.body.size())};
    asio::async_write(socket_, buffers,
                      [self = shared_from_this(), too_large](beast::error_code ec, size_t) {
                        self->OnWrite(ec, too_large);
                      });
  }

  void OnWrite(beast::error_code ec, bool too_large) {
    if (ec) return Close();
    if (too_large) return Linger();
    if (!keep_alive_) {
      socket_.shutdown(tcp::socket::shutdown_send, ec);
      return Close();
    }
    body_ = std::move(parser_->get().body());
    ReadHeader();
  }

  // After a 413 the client may still be sending its body: stop writing, read and drop what
  // arrives until it closes or kLingerTimeout passes, then close.
  void Linger() {
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    linger_timer_.emplace(socket_.get_executor());
    linger_timer_->expires_after(kLingerTimeout);
    linger_timer_->async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->Close();
    });
    reading_ = true;  // Stop() may close it at once
    Discard();
  }

  void Discard() {
    if (scratch_.empty()) scratch_.resize(64 * 1024);
    socket_.async_read_some(asio::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) {
                                if (self->linger_timer_) self->linger_timer_->cancel();
                                return self->Close();
                              }
                              self->Discard();
                            });
  }

  void Close() {
    reading_ = false;
    beast::error_code ec;
    socket_.close(ec);
  }

  Worker* worker_;
  const Dispatcher* dispatcher_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string body_;  // a spare body string, recycled between requests
  HttpResponse reply_;
  std::string head_;
  bool reading_ = false;  // waiting for (part of) a request: closed by Stop()
  bool keep_alive_ = true;
  bool head_only_ = false;  // the request was HEAD: send no body
  std::optional<asio::steady_timer> linger_timer_;
  std::string scratch_;
};

}  // namespace

struct HttpServer::Impl {
  std::vector<std::unique_ptr<Worker>> workers;
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::steady_timer> retry_timer;  // backs off when accept() fails (EMFILE)
  size_t next_worker = 0;
  const Dispatcher* dispatcher = nullptr;

  void Accept() {
    Worker* target = workers[next_worker].get();
    next_worker = (next_worker + 1) % workers.size();
    acceptor->async_accept(target->ctx, [this, target](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
      if (ec) {
        retry_timer->expires_after(std::chrono::milliseconds(50));
        retry_timer->async_wait([this](beast::error_code ec) {
          if (!ec && acceptor->is_open()) Accept();
        });
        return;
      }
      socket.set_option(tcp::no_delay(true), ec);
      asio::post(target->ctx, [this, target, socket = std::move(socket)]() mutable {
        if (target->stopping) return;
        std::make_shared<Session>(target, dispatcher, std::move(socket))->Start();
      });
      Accept();
    });
  }
};

HttpServer::HttpServer(const Dispatcher* dispatcher, HttpServerOptions options)
    : dispatcher_(dispatcher), options_(std::move(options)) {}

HttpServer::~HttpServer() { Stop(); }

std::string HttpServer::Endpoint(const std::string& host, uint16_t port) {
  std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  out += ':';
  out += std::to_string(port);
  return out;
}

Status HttpServer::Start() {
  if (impl_) return Status::InvalidArgument("server already started");
  int threads = options_.threads;
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  auto impl = std::make_unique<Impl>();
  impl->dispatcher = dispatcher_;
  for (int i = 0; i < threads; ++i) impl->workers.push_back(std::make_unique<Worker>());

  auto fail = [&](const beast::error_code& ec) {
    return Status::IOError("cannot listen on " + Endpoint(options_.host, options_.port) + ": " +
                           ec.message());
  };
  beast::error_code ec;
  tcp::resolver resolver(impl->workers[0]->ctx);
  auto results = resolver.resolve(options_.host, std::to_string(options_.port),
                                  tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec) return fail(ec);
  if (results.empty()) return fail(asio::error::host_not_found);
  tcp::endpoint endpoint = results.begin()->endpoint();

  impl->acceptor.emplace(impl->workers[0]->ctx);
  impl->retry_timer.emplace(impl->workers[0]->ctx);
  tcp::acceptor& acceptor = *impl->acceptor;
  // SO_REUSEADDR only (rebinding over TIME_WAIT); never SO_REUSEPORT, so that a second server
  // on the same port fails instead of silently sharing it.
  if (acceptor.open(endpoint.protocol(), ec)) return fail(ec);
  if (acceptor.set_option(asio::socket_base::reuse_address(true), ec)) return fail(ec);
  if (acceptor.bind(endpoint, ec)) return fail(ec);
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec)) return fail(ec);
  bound_port_ = acceptor.local_endpoint(ec).port();
  if (ec) return fail(ec);

  impl_ = std::move(impl);
  impl_->Accept();
  for (auto& worker : impl_->workers) {
    Worker* w = worker.get();
    threads_.emplace_back([w] {
      while (true) {
        try {
          w->ctx.run();
          return;
        } catch (const std::exception& e) {
          // Our code throws nothing; this is third-party code failing (e.g. allocation).
          std::fprintf(stderr, "strata: error in server thread: %s\n", e.what());
        }
      }
    });
  }
  return Status::OK();
}

void HttpServer::Stop() {
  if (!impl_) return;
  Impl* impl = impl_.get();
  asio::post(impl->workers[0]->ctx, [impl] {
    beast::error_code ec;
    impl->acceptor->close(ec);
    impl->retry_timer->cancel();
  });
  for (auto& worker : impl->workers) worker->stop_requested = true;
  for (auto& worker : impl->workers) {
    Worker* w = worker.get();
    asio::post(w->ctx, [w] {
      w->stopping = true;
      w->guard.reset();
      // Closing cancels reads; the sessions go away as their handlers complete.
      std::vector<Session*> sessions(w->sessions.begin(), w->sessions.end());
      for (Session* s : sessions) s->CloseIfIdle();
      if (!w->sessions.empty()) {
        w->drain_timer->expires_after(kDrainTimeout);
        w->drain_timer->async_wait([w](beast::error_code ec) {
          if (!ec) w->ctx.stop();
        });
      }
    });
  }
  for (auto& t : threads_) t.join();
  threads_.clear();
  // Handlers left behind by a timed-out drain are destroyed with the io_contexts; sessions
  // must not touch the timers then.
  for (auto& worker : impl->workers) worker->drain_timer.reset();
  impl->retry_timer.reset();
  impl->acceptor.reset();
  impl_.reset();
}

}  // namespace strata::api
