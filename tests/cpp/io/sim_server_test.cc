#include "judgeopt/io/sim_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "fakes/cache_fake_client.h"
#include "judgeopt/io/curl_transport.h"
#include "judgeopt/llm/http_transport.h"

namespace judgeopt::io {
namespace {

using nlohmann::json;
using testing_util::CountingClient;

json ChatBody(const std::string& text) {
  return {{"model", "judge-model"},
          {"messages",
           {{{"role", "system"}, {"content", "Score it."}}, {{"role", "user"}, {"content", text}}}},
          {"temperature", 0.25},
          {"max_tokens", 32},
          {"seed", 11}};
}

httplib::Result Post(int port, const json& body) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(10, 0);
  return client.Post("/v1/chat/completions", body.dump(), "application/json");
}

TEST(SimServerTest, ServesACompletionWithTheInnerUsage) {
  CountingClient inner;
  SimServer server(&inner, SimServerOptions{});
  ASSERT_TRUE(server.Start().ok());
  ASSERT_GT(server.port(), 0);
  EXPECT_EQ(server.base_url(), "http://127.0.0.1:" + std::to_string(server.port()) + "/v1");

  httplib::Result res = Post(server.port(), ChatBody("a fine summary"));
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  ASSERT_EQ(res->status, 200) << res->body;
  json reply = json::parse(res->body);
  EXPECT_EQ(reply["object"], "chat.completion");
  EXPECT_EQ(reply["choices"][0]["message"]["role"], "assistant");
  EXPECT_EQ(reply["choices"][0]["message"]["content"], "echo:a fine summary#0");
  EXPECT_EQ(reply["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(reply["model"], "judgeopt-sim/judge-model");  // marked, whatever was asked for
  EXPECT_EQ(res->get_header_value("X-Judgeopt-Simulated"), "true");
  EXPECT_EQ(reply["usage"]["prompt_tokens"], 10);
  EXPECT_EQ(reply["usage"]["completion_tokens"], 5);
  EXPECT_EQ(reply["usage"]["total_tokens"], 15);

  ASSERT_EQ(inner.calls(), 1);
  const llm::ChatRequest seen = inner.requests()[0];
  EXPECT_EQ(seen.model, "judge-model");
  ASSERT_EQ(seen.messages.size(), 2u);
  EXPECT_EQ(seen.messages[0].role, "system");
  EXPECT_EQ(seen.messages[1].content, "a fine summary");
  EXPECT_DOUBLE_EQ(seen.temperature, 0.25);
  EXPECT_EQ(seen.max_tokens, 32);
  EXPECT_EQ(seen.seed, 11);
  server.Stop();
  EXPECT_EQ(server.Stats().completions, 1);
}

TEST(SimServerTest, EstimatesUsageWhenTheInnerClientReportsNone) {
  CountingClient inner([](const llm::ChatRequest& r) -> Result<llm::ChatResponse> {
    llm::ChatResponse resp = CountingClient::DefaultReply(r);
    resp.usage = {};
    return resp;
  });
  SimServer server(&inner, SimServerOptions{});
  ASSERT_TRUE(server.Start().ok());
  httplib::Result res = Post(server.port(), ChatBody("some text to count"));
  ASSERT_TRUE(res);
  json reply = json::parse(res->body);
  llm::ChatRequest same;
  same.messages = {{"system", "Score it."}, {"user", "some text to count"}};
  EXPECT_EQ(reply["usage"]["prompt_tokens"], llm::ApproxPromptTokens(same));
  EXPECT_EQ(reply["usage"]["completion_tokens"], llm::ApproxTokens("echo:some text to count#0"));
}

TEST(SimServerTest, ListsModels) {
  CountingClient inner;
  SimServerOptions options;
  options.models = {"sim-a", "judgeopt-sim-b"};
  SimServer server(&inner, options);
  ASSERT_TRUE(server.Start().ok());
  httplib::Client client("127.0.0.1", server.port());
  httplib::Result res = client.Get("/v1/models");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  json list = json::parse(res->body);
  EXPECT_EQ(list["object"], "list");
  ASSERT_EQ(list["data"].size(), 2u);
  EXPECT_EQ(list["data"][0]["id"], "judgeopt-sim/sim-a");
  EXPECT_EQ(list["data"][1]["id"], "judgeopt-sim-b");
  EXPECT_EQ(inner.calls(), 0);
}

TEST(SimServerTest, SimulatedModelIdMarksAnyName) {
  EXPECT_EQ(SimulatedModelId(""), "judgeopt-sim");
  EXPECT_EQ(SimulatedModelId("judgeopt-sim"), "judgeopt-sim");
  EXPECT_EQ(SimulatedModelId("gpt-4o-mini"), "judgeopt-sim/gpt-4o-mini");
  EXPECT_EQ(SimulatedModelId("org/model"), "judgeopt-sim/org/model");
}

TEST(SimServerTest, BadBodiesAndInnerErrorsBecomeHttpErrors) {
  CountingClient inner([](const llm::ChatRequest& r) -> Result<llm::ChatResponse> {
    if (r.messages.back().content == "refuse") return Error(ErrorCode::kBadRequest, "no thanks");
    return CountingClient::DefaultReply(r);
  });
  SimServer server(&inner, SimServerOptions{});
  ASSERT_TRUE(server.Start().ok());
  httplib::Client client("127.0.0.1", server.port());
  httplib::Result bad = client.Post("/v1/chat/completions", R"({"model":"m"})", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(json::parse(bad->body)["error"]["message"].get<std::string>().find("messages"),
            std::string::npos);

  httplib::Result refused = Post(server.port(), ChatBody("refuse"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(json::parse(refused->body)["error"]["message"], "no thanks");
  EXPECT_EQ(server.Stats().inner_errors, 2);
}

// The clients are judgeopt's own HTTP transport (what talks to a sim-server in a run), one shared
// by all threads. cpp-httplib's client keeps a function-local static std::regex for the status
// line, built and then read by its uninstrumented library code, which ThreadSanitizer reports as a
// race between client threads (`make test TSAN=1`; docs/testing.md).
TEST(SimServerTest, ConcurrentClientsAreAllAnswered) {
  CountingClient inner;
  SimServerOptions options;
  options.threads = 8;
  SimServer server(&inner, options);
  ASSERT_TRUE(server.Start().ok());
  CurlTransport transport;
  constexpr int kThreads = 8, kEach = 10;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        std::string text = "t" + std::to_string(t) + "i" + std::to_string(i);
        llm::HttpRequest request;
        request.url = server.base_url() + "/chat/completions";
        request.headers = {{"Content-Type", "application/json"}};
        request.body = ChatBody(text).dump();
        request.total_timeout_s = 10.0;
        auto res = transport.Post(request);
        if (res.ok() && res->status == 200 &&
            json::parse(res->body)["choices"][0]["message"]["content"] == "echo:" + text + "#0") {
          ok.fetch_add(1);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), kThreads * kEach);
  EXPECT_EQ(inner.calls(), kThreads * kEach);
  EXPECT_EQ(server.Stats().chat_requests, kThreads * kEach);
}

TEST(SimServerTest, LatencyDelaysTheReply) {
  CountingClient inner;
  SimServerOptions options;
  options.latency_ms = 40;
  SimServer server(&inner, options);
  ASSERT_TRUE(server.Start().ok());
  auto start = std::chrono::steady_clock::now();
  httplib::Result res = Post(server.port(), ChatBody("slow"));
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_GE(elapsed, std::chrono::milliseconds(40));
}

TEST(SimServerTest, StartFailsOnBadOptionsAndBusyPorts) {
  CountingClient inner;
  SimServerOptions bad;
  bad.fail_rate = 1.5;
  Status st = SimServer(&inner, bad).Start();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("--fail-rate"), std::string::npos);

  SimServer first(&inner, SimServerOptions{});
  ASSERT_TRUE(first.Start().ok());
  SimServerOptions same_port;
  same_port.port = first.port();
  SimServer second(&inner, same_port);
  Status busy = second.Start();
  ASSERT_FALSE(busy.ok());
  EXPECT_NE(busy.error().message.find(std::to_string(first.port())), std::string::npos);
  first.Stop();
  first.Stop();  // idempotent
}

TEST(SimServerTest, RunReturnsWhenStoppedFromAnotherThread) {
  CountingClient inner;
  SimServer server(&inner, SimServerOptions{});
  std::thread runner([&] { EXPECT_TRUE(server.Run().ok()); });
  // Run() has started serving once a request is answered.
  while (server.port() == 0 || !Post(server.port(), ChatBody("up?"))) std::this_thread::yield();
  server.Stop();
  runner.join();
  EXPECT_GE(inner.calls(), 1);
}

}  // namespace
}  // namespace judgeopt::io
