#ifndef JUDGEOPT_ADAPTERS_ALLOWED
#error "adapter header included from a core module"
#endif
#pragma once
// The loopback OpenAI-compatible server (`judgeopt sim-server`): POST /v1/chat/completions and
// GET /v1/models on 127.0.0.1, answered by any LlmClient (the simulator in production), with
// latency and injected faults so the real HTTP client path (retries, timeouts, rate limits) can
// be exercised end to end.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/io/provider_profiles.h"
#include "judgeopt/llm/client.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace judgeopt::io {

/// What the server does to one chat request instead of (or before) answering it normally.
enum class Fault {
  kNone,
  kRateLimit,    // 429 with Retry-After
  kServerError,  // 500
  kUnavailable,  // 503
  kStall,        // waits stall_ms (past the client's timeout), then answers normally
  kDrop,         // sends headers, then closes the connection before the body
  kMalformed,    // 200 with a truncated JSON body
};
std::string_view FaultName(Fault fault);

/// The model id every reply of the server names, and its /v1/models listing shows: `requested`
/// when it already starts with "judgeopt-sim", else "judgeopt-sim/<requested>" ("judgeopt-sim"
/// for an empty name). Requests may name any model; this only marks the reply as simulated.
std::string SimulatedModelId(std::string_view requested);

/// Mirrors `judgeopt sim-server --port P --dataset NAME [--latency-ms L] [--jitter-ms J]
/// [--fail-rate R] [--malformed-rate M] [--seed S]`; the rest are settings for tests.
struct SimServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0 = an ephemeral port, reported by SimServer::port()
  /// The dataset the simulator behind the server knows (the CLI builds the inner client from it).
  std::string dataset;
  /// Listed by GET /v1/models (each through SimulatedModelId).
  std::vector<std::string> models = {"judgeopt-sim"};
  double latency_ms = 0.0;
  /// Extra delay, uniform in [0, jitter_ms], added to latency_ms per request.
  double jitter_ms = 0.0;
  /// Share of chat requests that get a fault drawn (uniformly) from fail_kinds.
  double fail_rate = 0.0;
  /// Share of the remaining chat requests answered with a malformed JSON body.
  double malformed_rate = 0.0;
  uint64_t seed = 0;
  std::vector<Fault> fail_kinds = {Fault::kRateLimit, Fault::kServerError, Fault::kUnavailable,
                                   Fault::kStall, Fault::kDrop};
  double retry_after_s = 1.0;
  double stall_ms = 120000.0;
  /// Worker threads, i.e. requests served at once (a profile with slots serves that many).
  int threads = 64;
  /// The provider the server behaves as at the HTTP edge (io/provider_profiles.h): its base
  /// path, authentication, refusals and reply quirks. kNone: a plain OpenAI-compatible server.
  ProfileOptions profile;
};

/// The fate of one request and the delay before it.
struct FaultDecision {
  Fault fault = Fault::kNone;
  double delay_ms = 0.0;
};

/// Pure and deterministic: what the server does with the `occurrence`-th (0-based) arrival of a
/// request with this exact body, from a SHA-256 of (seed, occurrence, body). Retries of one request
/// are later occurrences, so each gets a fresh draw; the same seed always gives the same sequence.
FaultDecision DecideFault(const SimServerOptions& options, std::string_view body,
                          int64_t occurrence);

struct SimServerStats {
  int64_t chat_requests = 0;
  int64_t completions = 0;  // answered normally with a 200
  int64_t inner_errors = 0;
  std::map<Fault, int64_t> faults;
};

/// The loopback server. Owns its HTTP server and threads; does not own `inner`, which must
/// outlive it and be thread-safe. Start/Stop/Wait may be called from any thread; Stop is
/// idempotent, interrupts stalls and latency waits, and joins every server thread. Usage counts
/// in replies come from the inner response, or are bytes/4 estimates when it has none.
class SimServer {
 public:
  SimServer(llm::LlmClient* inner, SimServerOptions options);
  ~SimServer();
  SimServer(const SimServer&) = delete;
  SimServer& operator=(const SimServer&) = delete;

  /// Checks the options, binds and serves on a background thread. Fails (naming the option or the
  /// address) on bad options or when the port cannot be bound.
  Status Start();
  /// Blocks until Stop() is called (from another thread).
  void Wait();
  void Stop();
  /// Start() then Wait().
  Status Run();

  /// The bound port (0 before Start()).
  int port() const { return port_.load(); }
  /// "http://127.0.0.1:<port>" followed by the profile's base path ("/v1" by default).
  std::string base_url() const;
  SimServerStats Stats() const;

 private:
  void HandleChat(const httplib::Request& req, httplib::Response& res);
  void HandleModels(httplib::Response& res) const;
  void Answer(const httplib::Request& req, int64_t arrival, const std::string& id,
              httplib::Response& res);
  /// What the profile sees of `req` (body already parsed into `request`).
  WireCall MakeWireCall(const httplib::Request& req, const llm::ChatRequest& request,
                        int64_t arrival) const;
  std::string ReplyBody(const WireCall& call, const llm::ChatResponse& out,
                        const llm::ChatRequest& request, const std::string& id) const;
  void InjectFault(Fault fault, httplib::Response& res) const;
  /// Waits `ms` unless the server is stopping; false when it stopped.
  bool WaitUnlessStopping(double ms);
  /// The request's occurrence (arrivals of the same body before it) and sets `arrival` (arrivals
  /// of any request before it).
  int64_t NextOccurrence(const std::string& body_hash, int64_t& arrival);
  void Count(Fault fault, bool inner_error);

  llm::LlmClient* inner_;
  const SimServerOptions options_;
  const std::unique_ptr<ProviderRules> rules_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::atomic<int> port_{0};

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool started_ = false;
  bool stopping_ = false;
  bool stopped_ = false;
  std::unordered_map<std::string, int64_t> occurrences_;
  SimServerStats stats_;
};

}  // namespace judgeopt::io
