// The HTTP client stack (retry + OpenAiClient + CurlTransport) against a loopback chat-completions
// server on 127.0.0.1. Backoff waits go to a fake clock, so only the HTTP round trips take time.

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "fakes/fake_clock.h"
#include "judgeopt/io/curl_transport.h"
#include "judgeopt/llm/openai_client.h"

namespace judgeopt::io {
namespace {

/// Serves /v1/chat/completions: the first `failures` requests get a 503, later ones a reply
/// without usage whose content echoes the Authorization header's presence. /bad/... answers 401.
class ChatServer {
 public:
  explicit ChatServer(int failures) : failures_(failures) {
    server_.set_keep_alive_timeout(1);
    server_.set_tcp_nodelay(true);  // else Nagle + delayed ACK add ~40 ms per reply
    server_.Post("/v1/chat/completions", [this](const httplib::Request& req,
                                                httplib::Response& res) {
      if (calls_++ < failures_) {
        res.status = 503;
        res.set_header("Retry-After", "1");
        res.set_content(R"({"error":{"message":"warming up"}})", "application/json");
        return;
      }
      std::string auth = req.has_header("Authorization") ? "with-key" : "no-key";
      res.set_content(R"({"model":"loop","choices":[{"message":{"role":"assistant","content":")" +
                          auth + R"("},"finish_reason":"stop"}]})",
                      "application/json");
    });
    server_.Post("/bad/v1/chat/completions",
                 [](const httplib::Request& req, httplib::Response& res) {
                   res.status = 401;
                   res.set_content(R"({"error":{"message":"Incorrect API key provided: )" +
                                       req.get_header_value("Authorization").substr(7) + R"("}})",
                                   "application/json");
                 });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 2000 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~ChatServer() {
    server_.stop();
    thread_.join();
  }
  std::string Base(const std::string& prefix = "") const {
    return "http://127.0.0.1:" + std::to_string(port_) + prefix;
  }
  int calls() const { return calls_.load(); }

  static constexpr const char* kKeyVar = "JUDGEOPT_LOOPBACK_TEST_KEY";

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  int failures_;
  std::atomic<int> calls_{0};
};

llm::RoleConfig RoleFor(const std::string& base_url) {
  llm::RoleConfig rc;
  rc.backend = llm::Backend::kOpenAi;
  rc.model = "loop";
  rc.timeout_s = 5;
  rc.retry = {4, 0.5, 2.0};
  llm::EndpointConfig ep;
  ep.base_url = base_url;
  ep.api_key_env = ChatServer::kKeyVar;
  rc.endpoints = {ep};
  return rc;
}

llm::ChatRequest Hello() {
  llm::ChatRequest r;
  r.model = "loop";
  r.messages = {{"user", "hello there"}};
  return r;
}

TEST(CurlOpenAiClientTest, RetriesA503AndEstimatesMissingUsage) {
  ChatServer server(/*failures=*/2);
  fakes::FakeClock clock;
  llm::EndpointPool pool(&clock);
  CurlTransport transport;
  auto client =
      llm::MakeHttpRoleClient(RoleFor(server.Base("/v1/")), llm::Role::kJudge, &pool, &transport,
                              &clock, 5, [](const std::string&) { return std::nullopt; });
  ASSERT_TRUE(client.ok()) << client.error().ToString();
  auto reply = (*client)->Complete(Hello());
  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  EXPECT_EQ(reply->content, "no-key");
  EXPECT_EQ(reply->attempts, 3);
  EXPECT_TRUE(reply->usage.estimated);
  EXPECT_EQ(server.calls(), 3);
  ASSERT_EQ(clock.sleeps().size(), 2u);
  for (double s : clock.sleeps()) EXPECT_GE(s, 1.0);  // Retry-After: 1
}

TEST(CurlOpenAiClientTest, Unauthorized401NeverShowsTheKey) {
  const std::string key = "sk-loopback-SHOULD-NOT-APPEAR-42";
  ASSERT_EQ(setenv(ChatServer::kKeyVar, key.c_str(), 1), 0);
  ChatServer server(0);
  fakes::FakeClock clock;
  llm::EndpointPool pool(&clock);
  CurlTransport transport;
  auto client = llm::MakeHttpRoleClient(RoleFor(server.Base("/bad/v1")), llm::Role::kJudge, &pool,
                                        &transport, &clock, 5);
  ASSERT_TRUE(client.ok()) << client.error().ToString();
  auto reply = (*client)->Complete(Hello());
  unsetenv(ChatServer::kKeyVar);
  ASSERT_FALSE(reply.ok());
  std::string text = reply.error().ToString();
  EXPECT_EQ(reply.error().code, ErrorCode::kAuth);
  EXPECT_NE(text.find(server.Base("/bad/v1")), std::string::npos) << text;
  EXPECT_NE(text.find(ChatServer::kKeyVar), std::string::npos) << text;
  EXPECT_EQ(text.find("SHOULD-NOT-APPEAR"), std::string::npos) << text;
  EXPECT_TRUE(clock.sleeps().empty());  // not retried
}

}  // namespace
}  // namespace judgeopt::io
