#pragma once
// Shared by the end-to-end tests of the model-calling path: the shared data directory, a scratch
// directory, and the simulator of a dataset behind an in-process loopback sim-server (so tests
// can count its requests and inject faults).

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "cpp/skip_policy.h"
#include "judgeopt/data/catalog.h"
#include "judgeopt/io/openai_server_wire.h"
#include "judgeopt/io/sim_server.h"
#include "judgeopt/sim/sim_client.h"

namespace judgeopt::testing {

inline const std::string kDataDir = std::string(JUDGEOPT_SOURCE_DIR) + "/../shared/data";

inline bool HaveSharedData() {
  return std::filesystem::exists(kDataDir + "/summeval/summeval.jsonl");
}

#define REQUIRE_DATA() \
  if (!::judgeopt::testing::HaveSharedData()) JO_SKIP_OR_FAIL() << "../shared/data is absent"

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// A fresh temporary directory, removed at the end.
struct Scratch {
  Scratch() {
    path = std::filesystem::temp_directory_path() /
           ("jo_llm_cli_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~Scratch() { std::filesystem::remove_all(path); }
  std::string str() const { return path.string(); }
  std::filesystem::path path;
  static inline int counter = 0;
};

/// The simulator of `dataset` (seed 0, as `eval --backend sim`).
inline std::unique_ptr<sim::SimClient> MakeSim(const std::string& dataset = "summeval") {
  auto ds = data::LoadDataset(dataset, data::DataLocator::FromProcess(kDataDir), {});
  EXPECT_TRUE(ds.ok()) << ds.error().ToString();
  auto sim = sim::SimClient::Create(std::make_shared<const data::Dataset>(std::move(ds).value()));
  EXPECT_TRUE(sim.ok());
  return std::move(sim).value();
}

/// Answers a chat-completions request with `sim`'s reply as a plain server would: no simulated
/// mark (unlike `judgeopt sim-server`); a body it cannot use gets a bare 400.
inline void AnswerUnmarked(sim::SimClient& sim, const httplib::Request& req,
                           httplib::Response& res) {
  auto request = io::ParseChatRequestBody(req.body);
  auto reply = request.ok() ? sim.Complete(*request) : Result<llm::ChatResponse>(request.error());
  if (!reply.ok()) {
    res.status = 400;
    return;
  }
  res.set_content(io::BuildChatReplyBody(*reply, request->model, "chatcmpl-plain"),
                  "application/json");
}

/// A loopback HTTP server on 127.0.0.1 (any free port) whose POST `path` (a cpp-httplib pattern,
/// /v1/chat/completions by default) runs `handler`, for tests that need a server other than the
/// sim-server (one that refuses, quotes keys back, or does not mark its replies). Serves from
/// construction to destruction.
class LoopbackHttp {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;
  explicit LoopbackHttp(Handler handler, const std::string& path = "/v1/chat/completions") {
    server_.Post(path, std::move(handler));
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~LoopbackHttp() {
    server_.stop();
    thread_.join();
  }
  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string base_url() const { return origin() + "/v1"; }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

/// The simulator of `dataset` (seed 0, as `eval --backend sim`) behind a loopback server, started
/// at construction and stopped at destruction.
class LoopbackSim {
 public:
  explicit LoopbackSim(io::SimServerOptions options, const std::string& dataset = "summeval")
      : sim_(MakeSim(dataset)) {
    server_ = std::make_unique<io::SimServer>(sim_.get(), std::move(options));
    EXPECT_TRUE(server_->Start().ok());
  }
  ~LoopbackSim() { server_->Stop(); }
  std::string base_url() const { return server_->base_url(); }
  int64_t requests() const { return server_->Stats().chat_requests; }

 private:
  std::unique_ptr<sim::SimClient> sim_;
  std::unique_ptr<io::SimServer> server_;
};

}  // namespace judgeopt::testing
