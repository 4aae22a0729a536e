#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "api/dispatcher.h"
#include "util/status.h"

namespace strata::api {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 4566;  // 0: any free port (see HttpServer::port())
  int threads = 0;       // 0: one per core (std::thread::hardware_concurrency(), at least 1)
};

// HttpServer is strata's HTTP/1.1 front door (Boost.Beast on Asio): keep-alive connections,
// one io_context and one thread per core. One acceptor hands connections round-robin to the
// threads; each connection then lives on one thread for good, so no request is ever touched by
// two threads and nothing is locked. Requests are answered synchronously by the Dispatcher on
// the connection's thread. Per connection the read buffer, body string, reply and header text
// are reused from request to request; the response is written with one gathered write.
//
// Bodies larger than Dispatcher::kMaxBodyBytes are refused with 413 as soon as the
// Content-Length (or the chunked data so far) exceeds it, and the connection is closed:
// nothing unbounded is ever buffered.
//
// Thread-safety: Start() and Stop() from one controlling thread. Lifecycle: construct, Start(),
// Stop() (the destructor calls it). Stop() stops accepting, lets requests being handled or
// written finish, closes idle keep-alive connections (and waits at most a few seconds for slow
// writers), then joins the threads. The Dispatcher must outlive the server.
class HttpServer {
 public:
  HttpServer(const Dispatcher* dispatcher, HttpServerOptions options);
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the threads. A bind error, e.g.
  // "cannot listen on 127.0.0.1:4566: Address already in use", is an IOError.
  Status Start();

  // The bound port (useful with options.port == 0). REQUIRES: Start() succeeded.
  uint16_t port() const { return bound_port_; }

  // Idempotent.
  void Stop();

  // "host:port" as used in messages ("[::1]:4566" for IPv6 hosts).
  static std::string Endpoint(const std::string& host, uint16_t port);

 private:
  struct Impl;
  const Dispatcher* dispatcher_;
  HttpServerOptions options_;
  uint16_t bound_port_ = 0;
  std::unique_ptr<Impl> impl_;
  std::vector<std::thread> threads_;
};

}  // namespace strata::api
