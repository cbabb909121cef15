// Loopback tests of the libcurl transport against a cpp-httplib server on 127.0.0.1 with an
// ephemeral port. These run in real time; each case is kept short (the slow body is 200 ms).

#include "judgeopt/io/curl_transport.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace judgeopt::io {
namespace {

using llm::HttpRequest;

/// A cpp-httplib server on 127.0.0.1 (ephemeral port) with the routes the tests need.
class LoopbackServer {
 public:
  LoopbackServer() {
    server_.set_keep_alive_max_count(1000);
    server_.set_keep_alive_timeout(1);
    server_.set_tcp_nodelay(true);  // else Nagle + delayed ACK add ~40 ms per reply
    server_.Post("/ok", [this](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        remote_ports_.insert(req.remote_port);
        last_auth_ = req.get_header_value("Authorization");
      }
      res.set_header("X-RateLimit-Remaining-Requests", "7");
      res.set_content("echo:" + req.body, "application/json");
    });
    server_.Post("/429", [](const httplib::Request&, httplib::Response& res) {
      res.status = 429;
      res.set_header("Retry-After", "2");
      res.set_content(R"({"error":{"message":"slow down"}})", "application/json");
    });
    server_.Post("/500", [](const httplib::Request&, httplib::Response& res) {
      res.status = 500;
      res.set_content("internal", "text/plain");
    });
    server_.Post("/slow", [this](const httplib::Request&, httplib::Response& res) {
      std::unique_lock<std::mutex> lock(mu_);
      stall_cv_.wait_for(lock, std::chrono::seconds(3), [this] { return stopping_; });
      res.set_content("too late", "text/plain");
    });
    // Sends the headers and the start of a body, then nothing until the server stops.
    server_.Post("/stall", [this](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider(
          "application/json", [this](std::size_t offset, httplib::DataSink& sink) {
            if (offset == 0) return sink.write("{\"choices\": [", 13);
            std::unique_lock<std::mutex> lock(mu_);
            stall_cv_.wait_for(lock, std::chrono::seconds(40), [this] { return stopping_; });
            return false;
          });
    });
    // Silent for 1.5 s (a model generating a non-streaming reply), then the whole reply at once.
    server_.Post("/think", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      res.set_content("thought", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 2000 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  ~LoopbackServer() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    stall_cv_.notify_all();
    server_.stop();
    thread_.join();
  }

  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int port() const { return port_; }
  std::set<int> remote_ports() {
    std::lock_guard<std::mutex> lock(mu_);
    return remote_ports_;
  }
  std::string last_auth() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_auth_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::condition_variable stall_cv_;
  bool stopping_ = false;
  std::set<int> remote_ports_;
  std::string last_auth_;
};

HttpRequest Post(const std::string& url, std::string body = "{}") {
  HttpRequest r;
  r.url = url;
  r.body = std::move(body);
  r.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer test-token"}};
  r.connect_timeout_s = 2.0;
  r.total_timeout_s = 5.0;
  return r;
}

// `request` with a low-speed limit of 1 byte/s over a 1 s window.
HttpRequest WithLowSpeedLimit(HttpRequest request) {
  request.low_speed_bytes_per_s = 1.0;
  request.low_speed_window_s = 1.0;
  return request;
}

TEST(CurlTransportTest, OkReplyWithLowerCasedHeaders) {
  LoopbackServer server;
  CurlTransport transport;
  auto reply = transport.Post(Post(server.Url("/ok"), R"({"x":1})"));
  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, R"(echo:{"x":1})");
  EXPECT_EQ(llm::FindHeader(reply->headers, "x-ratelimit-remaining-requests"), "7");
  EXPECT_EQ(llm::FindHeader(reply->headers, "content-type"), "application/json");
  EXPECT_EQ(server.last_auth(), "Bearer test-token");
}

TEST(CurlTransportTest, ErrorStatusesAreRepliesNotTransportErrors) {
  LoopbackServer server;
  CurlTransport transport;
  auto limited = transport.Post(Post(server.Url("/429")));
  ASSERT_TRUE(limited.ok()) << limited.error().ToString();
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(llm::FindHeader(limited->headers, "retry-after"), "2");
  EXPECT_EQ(llm::RetryAfterSeconds(limited->headers), 2.0);
  auto failed = transport.Post(Post(server.Url("/500")));
  ASSERT_TRUE(failed.ok()) << failed.error().ToString();
  EXPECT_EQ(failed->status, 500);
  EXPECT_EQ(failed->body, "internal");
}

TEST(CurlTransportTest, BodySlowerThanTheTotalTimeoutIsATimeout) {
  LoopbackServer server;
  CurlTransport transport;
  HttpRequest req = Post(server.Url("/slow"));
  req.total_timeout_s = 0.2;
  auto reply = transport.Post(req);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code, ErrorCode::kTimeout) << reply.error().ToString();
  EXPECT_TRUE(reply.error().retryable());
  EXPECT_FALSE(reply.error().not_connected) << "connected, then timed out: not a cannot-connect";
  EXPECT_NE(reply.error().message.find(server.Url("/slow")), std::string::npos);
  EXPECT_EQ(reply.error().message.find("test-token"), std::string::npos);
  // The handle stays usable after a timeout.
  auto after = transport.Post(Post(server.Url("/ok")));
  EXPECT_TRUE(after.ok()) << after.error().ToString();
}

// A body that stops arriving once the reply has begun fails within about two low-speed windows,
// as a (retryable) timeout that says it stalled, not after the 30 s total timeout.
TEST(CurlTransportTest, ABodyThatStallsAfterItBeganFailsLongBeforeTheTotalTimeout) {
  LoopbackServer server;
  CurlTransport transport;
  HttpRequest request = WithLowSpeedLimit(Post(server.Url("/stall")));
  request.total_timeout_s = 30.0;
  const auto start = std::chrono::steady_clock::now();
  auto reply = transport.Post(request);
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code, ErrorCode::kTimeout);
  EXPECT_TRUE(reply.error().retryable());
  EXPECT_NE(reply.error().message.find("stalled: fewer than 1 bytes/s for 1 s after the reply "
                                       "began"),
            std::string::npos)
      << reply.error().message;
  EXPECT_EQ(reply.error().message.find("timed out"), std::string::npos) << reply.error().message;
  EXPECT_LT(elapsed, 20.0) << "the total timeout, not the low-speed limit, ended it";
}

// Before the first response byte there is no low-speed limit: a server that says nothing while
// the model generates (longer than the window) is not cut off.
TEST(CurlTransportTest, SilenceBeforeTheReplyBeginsIsNotAStall) {
  LoopbackServer server;
  CurlTransport transport;
  auto reply = transport.Post(WithLowSpeedLimit(Post(server.Url("/think"))));
  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  EXPECT_EQ(reply->body, "thought");
}

TEST(CurlTransportTest, ConnectionRefusedIsUnavailable) {
  // A socket bound but not listening: connecting to its port is refused.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const int port = ntohs(addr.sin_port);

  CurlTransport transport;
  auto reply = transport.Post(Post("http://127.0.0.1:" + std::to_string(port) + "/v1"));
  ::close(fd);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code, ErrorCode::kUnavailable) << reply.error().ToString();
  EXPECT_TRUE(reply.error().retryable());
}

// A listening socket that never accepts, its backlog already full: the kernel drops further
// SYNs, so a connect to it times out as to a black-holed address.
TEST(CurlTransportTest, ConnectTimeoutCountsAsNotConnected) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(::listen(fd, 0), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  std::vector<int> fillers;  // take every place in the accept queue
  for (int i = 0; i < 4; ++i) {
    const int c = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    (void)::connect(c, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    fillers.push_back(c);
  }
  CurlTransport transport;
  HttpRequest req = Post("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/v1");
  req.connect_timeout_s = 0.3;
  auto reply = transport.Post(req);
  for (int c : fillers) ::close(c);
  ::close(fd);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code, ErrorCode::kTimeout) << reply.error().ToString();
  EXPECT_TRUE(reply.error().not_connected) << reply.error().ToString();
  EXPECT_NE(reply.error().message.find("connect timeout"), std::string::npos);
}

TEST(CurlTransportTest, MalformedUrlIsInvalidArgument) {
  CurlTransport transport;
  auto reply = transport.Post(Post("gopher://127.0.0.1:1/x"));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code, ErrorCode::kInvalidArgument) << reply.error().ToString();
}

TEST(CurlTransportTest, SequentialRequestsReuseOneHandleAndConnection) {
  LoopbackServer server;
  CurlTransport transport;
  for (int i = 0; i < 30; ++i) {
    auto reply = transport.Post(Post(server.Url("/ok"), std::to_string(i)));
    ASSERT_TRUE(reply.ok()) << i << ": " << reply.error().ToString();
    ASSERT_EQ(reply->body, "echo:" + std::to_string(i));
  }
  EXPECT_EQ(transport.handles_created(), 1);
  EXPECT_EQ(server.remote_ports().size(), 1u);  // one TCP connection, kept alive
}

TEST(CurlTransportTest, ConcurrentRequestsUseSeparateHandles) {
  LoopbackServer server;
  CurlTransport transport;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        std::string body = std::to_string(t * 100 + i);
        auto reply = transport.Post(Post(server.Url("/ok"), body));
        if (reply.ok() && reply->body == "echo:" + body) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 60);
  EXPECT_GE(transport.handles_created(), 1);
  EXPECT_LE(transport.handles_created(), 6);
}

}  // namespace
}  // namespace judgeopt::io
