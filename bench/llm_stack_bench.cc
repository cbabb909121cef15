// Benchmarks of the LLM client stack (issue #3). A plain main; figures go to stdout.
//   (a) calls/s and client CPU time per call against a zero-latency sim-server (no cache);
//   (b) 2000 calls at --latency-ms 50 with concurrency 32: wall / (2000 x 50 ms / 32);
//   (c) cache-hit latency through the whole stack (SQLite cache);
//   (d) peak resident memory of this (client) process.
// The servers run in forked child processes so the CPU and memory figures are the client's.
// Usage: llm_stack_bench [calls_a=5000] [calls_b=2000] [hits_c=20000]

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "judgeopt/base/work_pool.h"
#include "judgeopt/io/client_stack_factory.h"
#include "judgeopt/io/sim_server.h"
#include "judgeopt/llm/client_stack.h"

namespace judgeopt {
namespace {

/// The cheapest possible model: replies "4" with fixed usage.
class FixedReply final : public llm::LlmClient {
 public:
  Result<llm::ChatResponse> Complete(const llm::ChatRequest& request) override {
    llm::ChatResponse r;
    r.content = "{\"score\": 4}";
    r.finish_reason = "stop";
    r.model = request.model;
    r.usage = {120, 6, false};
    return r;
  }
};

/// A SimServer over FixedReply in a child process; the parent learns its port from a pipe, and
/// the child stops when the parent closes the control pipe.
struct ServerProcess {
  pid_t pid = -1;
  int port = 0;
  int control = -1;

  explicit ServerProcess(io::SimServerOptions options) {
    int port_pipe[2], ctl_pipe[2];
    if (pipe(port_pipe) != 0 || pipe(ctl_pipe) != 0) std::abort();
    pid = fork();
    if (pid == 0) {
      close(port_pipe[0]);
      close(ctl_pipe[1]);
      FixedReply inner;
      options.threads = 128;
      io::SimServer server(&inner, options);
      if (!server.Start().ok()) _exit(2);
      int p = server.port();
      if (write(port_pipe[1], &p, sizeof(p)) != sizeof(p)) _exit(3);
      char c;
      while (read(ctl_pipe[0], &c, 1) > 0) {
      }
      server.Stop();
      _exit(0);
    }
    close(port_pipe[1]);
    close(ctl_pipe[0]);
    control = ctl_pipe[1];
    if (read(port_pipe[0], &port, sizeof(port)) != sizeof(port)) std::abort();
    close(port_pipe[0]);
  }
  ~ServerProcess() {
    close(control);
    int status = 0;
    waitpid(pid, &status, 0);
  }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port) + "/v1"; }
};

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec * 1e-6 + u.ru_stime.tv_sec +
         u.ru_stime.tv_usec * 1e-6;
}

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

llm::LlmConfig HttpConfig(const std::string& base_url, int concurrency) {
  llm::LlmConfig config =
      llm::DefaultLlmConfig([](const std::string&) { return std::optional<std::string>(); });
  llm::LlmOverrides o;
  o.backend = llm::Backend::kOpenAi;
  o.model = "bench-model";
  o.base_url = base_url;
  o.concurrency = concurrency;
  if (!llm::ApplyOverrides(config, o).ok()) std::abort();
  return config;
}

std::unique_ptr<llm::ClientStack> OpenStack(const llm::LlmConfig& config, bool no_cache,
                                            const std::string& workspace = "") {
  io::ClientStackOpenOptions options;
  options.no_cache = no_cache;
  options.workspace = workspace;
  options.roles = {llm::Role::kJudge};
  options.make_sim = [] {
    return Result<std::unique_ptr<llm::LlmClient>>(std::make_unique<FixedReply>());
  };
  auto opened = io::OpenClientStack(config, std::move(options));
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.error().ToString().c_str());
    std::abort();
  }
  return std::move(opened->stack);
}

llm::ChatRequest Request(llm::ClientStack& stack, int i) {
  llm::ChatRequest r = stack.NewRequest(llm::Role::kJudge);
  r.messages = {{"system", "You are a careful judge of summary quality."},
                {"user", "Rate summary #" + std::to_string(i) +
                             " for fluency from 1 to 5 and answer in JSON."}};
  return r;
}

struct Wave {
  double wall_s = 0;
  double cpu_s = 0;
  int failures = 0;
  std::vector<double> call_ms;  // each call's latency as the caller saw it, sorted
  double Percentile(double p) const {
    return call_ms.empty() ? 0 : call_ms[static_cast<std::size_t>(p * (call_ms.size() - 1))];
  }
};

Wave RunWave(llm::ClientStack& stack, int calls, int workers) {
  WorkPool pool(workers);
  std::vector<char> ok(calls, 0);
  Wave w;
  w.call_ms.assign(calls, 0);
  const double cpu0 = CpuSeconds();
  const double t0 = Now();
  pool.ParallelFor(calls, [&](std::size_t i) {
    const double c0 = Now();
    ok[i] = stack.For(llm::Role::kJudge).Complete(Request(stack, static_cast<int>(i))).ok();
    w.call_ms[i] = (Now() - c0) * 1e3;
  });
  w.wall_s = Now() - t0;
  w.cpu_s = CpuSeconds() - cpu0;
  w.failures = static_cast<int>(std::count(ok.begin(), ok.end(), 0));
  std::sort(w.call_ms.begin(), w.call_ms.end());
  return w;
}

void BenchZeroLatency(int calls) {
  ServerProcess server({});
  auto stack = OpenStack(HttpConfig(server.base_url(), 8), /*no_cache=*/true);
  RunWave(*stack, 200, 8);  // warm up connections
  Wave w = RunWave(*stack, calls, 8);
  std::printf("(a) zero-latency sim-server, %d calls, concurrency 8, no cache: %.0f calls/s, "
              "client CPU %.1f us/call, %d failures\n",
              calls, calls / w.wall_s, w.cpu_s / calls * 1e6, w.failures);
}

void BenchLatency(int calls) {
  io::SimServerOptions options;
  options.latency_ms = 50;
  ServerProcess server(options);
  auto stack = OpenStack(HttpConfig(server.base_url(), 32), /*no_cache=*/true);
  Wave w = RunWave(*stack, calls, 32);
  const double ideal = calls * 0.050 / 32;
  std::printf("(b) latency 50 ms, concurrency 32, %d calls: wall %.3f s, ideal %.3f s, "
              "ratio %.3f (target <= 1.10), %d failures; per call p50 %.1f ms, p90 %.1f ms, "
              "p99 %.1f ms, max %.1f ms\n",
              calls, w.wall_s, ideal, w.wall_s / ideal, w.failures, w.Percentile(0.5),
              w.Percentile(0.9), w.Percentile(0.99), w.Percentile(1.0));
}

void BenchCacheHits(int hits) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("jo_bench_cache_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  llm::LlmConfig config =
      llm::DefaultLlmConfig([](const std::string&) { return std::optional<std::string>(); });
  auto stack = OpenStack(config, /*no_cache=*/false, dir.string());
  const int distinct = 10000;
  RunWave(*stack, distinct, 8);  // fill the cache
  std::vector<double> us;
  us.reserve(hits);
  for (int i = 0; i < hits; ++i) {
    llm::ChatRequest r = Request(*stack, i % distinct);
    const double t0 = Now();
    auto reply = stack->For(llm::Role::kJudge).Complete(r);
    us.push_back((Now() - t0) * 1e6);
    if (!reply.ok() || !reply->cache_hit) std::abort();
  }
  std::sort(us.begin(), us.end());
  double sum = 0;
  for (double v : us) sum += v;
  std::printf("(c) cache hits through the whole stack (SQLite, %d entries), %d lookups: mean "
              "%.1f us, p50 %.1f us, p99 %.1f us (target < 100 us)\n",
              distinct, hits, sum / hits, us[us.size() / 2], us[us.size() * 99 / 100]);
  stack.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace judgeopt

int main(int argc, char** argv) {
  const int calls_a = argc > 1 ? std::atoi(argv[1]) : 5000;
  const int calls_b = argc > 2 ? std::atoi(argv[2]) : 2000;
  const int hits_c = argc > 3 ? std::atoi(argv[3]) : 20000;
  judgeopt::BenchZeroLatency(calls_a);
  judgeopt::BenchLatency(calls_b);
  judgeopt::BenchCacheHits(hits_c);
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  std::printf("(d) peak resident memory of the client process: %.1f MiB\n", u.ru_maxrss / 1024.0);
  return 0;
}
