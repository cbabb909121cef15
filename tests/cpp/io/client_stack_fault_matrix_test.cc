// The loopback fault matrix: the full production stack (io::OpenClientStack: budget -> SQLite
// cache -> retry -> OpenAiClient -> CurlTransport) against a scripted server on 127.0.0.1 whose
// first reply is one fault and whose later replies are good. Each row states the expected
// outcome: recovered on the second attempt, or failed at once without a retry.

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "cpp/data/temp_dir.h"
#include "judgeopt/io/client_stack_factory.h"

namespace judgeopt::io {
namespace {

enum class Kind {
  kRateLimit, kServerError, kUnavailable, kStall, kDrop, kMalformed, kSlowBody,
  kEmptyContent, kMissingUsage, kUnauthorized
};

constexpr char kGood[] =
    R"({"model":"loop","choices":[{"message":{"role":"assistant","content":"4"},)"
    R"("finish_reason":"stop"}],"usage":{"prompt_tokens":11,"completion_tokens":1}})";

/// Answers the first request with `kind`, every later one with kGood (kMissingUsage: always a
/// reply without usage; kUnauthorized: always 401).
class FaultServer {
 public:
  explicit FaultServer(Kind kind) : kind_(kind) {
    server_.set_keep_alive_timeout(1);
    server_.set_tcp_nodelay(true);
    server_.Post("/v1/chat/completions",
                 [this](const httplib::Request&, httplib::Response& res) { Handle(res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 2000 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~FaultServer() {
    stopping_ = true;
    server_.stop();
    thread_.join();
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  int calls() const { return calls_.load(); }

 private:
  void Handle(httplib::Response& res) {
    const bool first = calls_++ == 0;
    if (kind_ == Kind::kUnauthorized) {
      res.status = 401;
      res.set_content(R"({"error":{"message":"bad key"}})", "application/json");
      return;
    }
    if (kind_ == Kind::kMissingUsage) {
      res.set_content(R"({"choices":[{"message":{"content":"4"},"finish_reason":"stop"}]})",
                      "application/json");
      return;
    }
    if (!first) {
      res.set_content(kGood, "application/json");
      return;
    }
    switch (kind_) {
      case Kind::kRateLimit:
        res.status = 429;
        res.set_header("Retry-After", "0.05");
        res.set_content(R"({"error":{"message":"slow down"}})", "application/json");
        return;
      case Kind::kServerError:
        res.status = 500;
        return;
      case Kind::kUnavailable:
        res.status = 503;
        return;
      case Kind::kStall:  // past the client's 0.5 s timeout
        for (int i = 0; i < 150 && !stopping_; ++i) {
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        res.set_content(kGood, "application/json");
        return;
      case Kind::kDrop:
        res.set_content_provider(256, "application/json",
                                 [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
        return;
      case Kind::kMalformed:
        res.set_content(R"({"choices":[{"message":{"content":"4")", "application/json");
        return;
      case Kind::kSlowBody:  // headers at once, the body trickles past the timeout
        res.set_chunked_content_provider("application/json",
                                         [this](std::size_t, httplib::DataSink& sink) {
                                           for (int i = 0; i < 150 && !stopping_; ++i) {
                                             std::this_thread::sleep_for(
                                                 std::chrono::milliseconds(10));
                                           }
                                           sink.write("{", 1);
                                           sink.done();
                                           return true;
                                         });
        return;
      case Kind::kEmptyContent:
        res.set_content(R"({"choices":[{"message":{"content":""},"finish_reason":"stop"}]})",
                        "application/json");
        return;
      default:
        return;
    }
  }

  Kind kind_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> calls_{0};
  std::atomic<bool> stopping_{false};
};

struct Row {
  Kind kind;
  const char* name;
  bool recovers;        // success after exactly two requests; else an error after one
  ErrorCode error_code;  // when it does not recover
  bool estimated_usage = false;
  bool delivered = false;  // the first reply reaches the caller as it is, after one request
};

// An empty reply is the model's answer: delivered after one request (no resend) and kept in the
// cache as it was, so asking again replays the same empty reply without a second request.
void ExpectDeliveredOnce(const Row& row, llm::ClientStack& stack, const llm::ChatRequest& req,
                         const FaultServer& server) {
  auto r = stack.For(llm::Role::kJudge).Complete(req);
  ASSERT_TRUE(r.ok()) << row.name << ": " << r.error().ToString();
  EXPECT_EQ(r->content, "");
  EXPECT_EQ(r->finish_reason, "stop");
  EXPECT_EQ(r->attempts, 1);
  EXPECT_EQ(server.calls(), 1);
  auto again = stack.For(llm::Role::kJudge).Complete(req);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->cache_hit);
  EXPECT_EQ(again->content, "");
  EXPECT_EQ(server.calls(), 1);
}

class FaultMatrixTest : public ::testing::TestWithParam<Row> {};

TEST_P(FaultMatrixTest, ExpectedOutcome) {
  const Row row = GetParam();
  FaultServer server(row.kind);
  data::testing::TempDir dir;
  llm::LlmConfig config = llm::DefaultLlmConfig(
      [](const std::string&) { return std::optional<std::string>(); });
  llm::RoleConfig& judge = config.role(llm::Role::kJudge);
  judge.backend = llm::Backend::kOpenAi;
  judge.model = "loop";
  judge.timeout_s = 0.5;
  judge.retry = {4, 0.01, 0.02};
  judge.endpoints = {llm::EndpointConfig{server.base(), "JUDGEOPT_FAULT_MATRIX_NO_KEY", 4}};
  ClientStackOpenOptions options;
  options.workspace = dir.path();
  options.roles = {llm::Role::kJudge};
  auto opened = OpenClientStack(config, options);
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  llm::ChatRequest req = opened->stack->NewRequest(llm::Role::kJudge);
  req.messages = {{"user", "score this"}};
  if (row.delivered) {
    ExpectDeliveredOnce(row, *opened->stack, req, server);
    return;
  }
  auto r = opened->stack->For(llm::Role::kJudge).Complete(req);
  if (row.recovers) {
    ASSERT_TRUE(r.ok()) << row.name << ": " << r.error().ToString();
    EXPECT_EQ(r->content, "4");
    EXPECT_EQ(r->attempts, row.kind == Kind::kMissingUsage ? 1 : 2) << row.name;
    EXPECT_EQ(server.calls(), r->attempts) << row.name;
    EXPECT_EQ(r->usage.estimated, row.estimated_usage) << row.name;
    EXPECT_GT(r->latency_ms, 0.0);
    // Stored: the same request again makes no request.
    auto again = opened->stack->For(llm::Role::kJudge).Complete(req);
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->cache_hit);
    EXPECT_EQ(server.calls(), r->attempts);
  } else {
    ASSERT_FALSE(r.ok()) << row.name;
    EXPECT_EQ(r.error().code, row.error_code) << row.name << ": " << r.error().ToString();
    EXPECT_EQ(server.calls(), 1) << row.name;
    // Errors are never cached: asking again asks the server again.
    EXPECT_FALSE(opened->stack->For(llm::Role::kJudge).Complete(req).ok());
    EXPECT_EQ(server.calls(), 2) << row.name;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Loopback, FaultMatrixTest,
    ::testing::Values(Row{Kind::kRateLimit, "429 with Retry-After", true, ErrorCode::kInternal},
                      Row{Kind::kServerError, "500", true, ErrorCode::kInternal},
                      Row{Kind::kUnavailable, "503", true, ErrorCode::kInternal},
                      Row{Kind::kStall, "stall past the timeout", true, ErrorCode::kInternal},
                      Row{Kind::kDrop, "connection dropped", true, ErrorCode::kInternal},
                      Row{Kind::kMalformed, "malformed JSON", true, ErrorCode::kInternal},
                      Row{Kind::kSlowBody, "slow body", true, ErrorCode::kInternal},
                      Row{Kind::kEmptyContent, "empty content", false, ErrorCode::kInternal,
                          /*estimated_usage=*/false, /*delivered=*/true},
                      Row{Kind::kMissingUsage, "missing usage", true, ErrorCode::kInternal,
                          /*estimated_usage=*/true},
                      Row{Kind::kUnauthorized, "401", false, ErrorCode::kAuth}),
    [](const ::testing::TestParamInfo<Row>& info) {
      std::string name;
      for (const char* c = info.param.name; *c; ++c) {
        if (std::isalnum(static_cast<unsigned char>(*c))) name += *c;
      }
      return name;
    });

}  // namespace
}  // namespace judgeopt::io
