// judgeopt sim-server: the offline simulator behind an OpenAI-compatible HTTP server on 127.0.0.1,
// with latency and injected faults, until SIGINT or SIGTERM.

#include <csignal>
#include <cstdio>

#include <pthread.h>

#include "apps/commands.h"
#include "apps/common_flags.h"
#include "judgeopt/io/provider_profiles.h"
#include "judgeopt/io/sim_server.h"
#include "judgeopt/sim/sim_client.h"

namespace judgeopt::apps {
namespace {

class SimServerCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    data_.Add(app);
    app.add_option("--port", options_.port, "TCP port on 127.0.0.1 (0 = any free port)")
        ->check(CLI::Range(0, 65535));
    app.add_option("--latency-ms", options_.latency_ms, "Delay before each reply")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--jitter-ms", options_.jitter_ms, "Extra delay, uniform in [0, J]")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--fail-rate", options_.fail_rate,
                   "Share of requests answered with a fault (429, 500, 503, stall, drop)")
        ->check(CLI::Range(0.0, 1.0));
    app.add_option("--malformed-rate", options_.malformed_rate,
                   "Share of the other requests answered with a truncated JSON body")
        ->check(CLI::Range(0.0, 1.0));
    app.add_option("--seed", options_.seed, "Seed of the fault and latency draws");
    app.add_option("--sim-seed", sim_seed_,
                   "Seed of the simulator (the --seed of `eval --backend sim`; default 0)");
    app.add_option("--stall-ms", options_.stall_ms, "How long a stall fault holds a request")
        ->check(CLI::PositiveNumber);
    app.add_option("--threads", options_.threads, "Requests served at once")
        ->check(CLI::Range(1, 4096));
    app.add_option("--profile", profile_,
                   "Behave as this provider's OpenAI-compatible endpoint (docs/providers.md): " +
                       EnumChoiceText<io::Profile>() + " (default none: a plain server)")
        ->check(CLI::IsMember(EnumChoices<io::Profile>()));
    app.add_option("--context-tokens", options_.profile.context_tokens,
                   "The emulated server's context in tokens (vllm max_model_len, llamacpp "
                   "--ctx-size, ollama num_ctx; 0 = the profile's default)")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--slots", options_.profile.slots,
                   "llamacpp profile: the server's --parallel slots (0 = 4)")
        ->check(CLI::NonNegativeNumber);
  }

  int Run(const GlobalOptions& global) override {
    auto dataset = data_.Load(global);
    if (!dataset.ok()) return Fail("sim-server", dataset.error().message);
    sim::SimOptions sim_options;
    sim_options.seed = sim_seed_;
    auto sim = sim::SimClient::Create(*dataset, sim_options);
    if (!sim.ok()) return Fail("sim-server", sim.error().message);
    options_.dataset = (*dataset)->name;
    options_.profile.profile = *FindEnum<io::Profile>(profile_);
    options_.models = {options_.profile.profile == io::Profile::kNone
                           ? std::string(kSimModel)
                           : io::MakeProviderRules(options_.profile)->DefaultModel()};

    // Block the stop signals before any server thread starts (threads inherit the mask), then
    // wait for one on this thread: no handler, no global state.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    io::SimServer server(sim->get(), options_);
    Status started = server.Start();
    if (!started.ok()) return Fail("sim-server", started.error().message);
    std::printf("%s\n", server.base_url().c_str());
    std::fflush(stdout);
    std::fprintf(stderr,
                 "judgeopt sim-server: serving %s (SIMULATED replies, profile %s) on %s; stop with "
                 "Ctrl-C\n",
                 options_.dataset.c_str(), profile_.c_str(), server.base_url().c_str());
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    server.Stop();
    io::SimServerStats stats = server.Stats();
    std::fprintf(stderr, "judgeopt sim-server: stopped; %lld chat requests, %lld completions\n",
                 static_cast<long long>(stats.chat_requests),
                 static_cast<long long>(stats.completions));
    return 0;
  }

 private:
  DatasetFlags data_;
  io::SimServerOptions options_;
  uint64_t sim_seed_ = 0;
  std::string profile_ = "none";
};

}  // namespace

std::unique_ptr<Command> MakeSimServerCommand() { return std::make_unique<SimServerCommand>(); }

}  // namespace judgeopt::apps
