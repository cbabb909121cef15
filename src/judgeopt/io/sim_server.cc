#include "judgeopt/io/sim_server.h"

#include <fmt/format.h>
#include <httplib.h>

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

#include "judgeopt/base/sha256.h"
#include "judgeopt/base/strings.h"
#include "judgeopt/io/openai_server_wire.h"
#include "judgeopt/llm/openai_client.h"

namespace judgeopt::io {
namespace {

// The first 8 bytes of `digest` from `offset`, as a uniform number in [0, 1).
double UnitFrom(const Sha256::Digest& digest, std::size_t offset) {
  uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | digest[offset + i];
  return static_cast<double>(v >> 11) * 0x1.0p-53;
}

Status CheckRate(double rate, const char* flag) {
  if (!(rate >= 0.0 && rate <= 1.0)) {
    return InvalidArgument(fmt::format("sim-server: {} must be in [0, 1], got {}", flag, rate));
  }
  return Status::Ok();
}

Status CheckOptions(const SimServerOptions& o) {
  JO_RETURN_IF_ERROR(CheckRate(o.fail_rate, "--fail-rate"));
  JO_RETURN_IF_ERROR(CheckRate(o.malformed_rate, "--malformed-rate"));
  if (!(o.latency_ms >= 0.0)) return InvalidArgument("sim-server: --latency-ms must be >= 0");
  if (!(o.jitter_ms >= 0.0)) return InvalidArgument("sim-server: --jitter-ms must be >= 0");
  if (o.port < 0 || o.port > 65535) {
    return InvalidArgument(fmt::format("sim-server: --port must be in [0, 65535], got {}", o.port));
  }
  if (o.fail_rate > 0.0 && o.fail_kinds.empty()) {
    return InvalidArgument("sim-server: a fail rate needs at least one fault kind");
  }
  if (o.threads < 1) return InvalidArgument("sim-server: threads must be >= 1");
  return Status::Ok();
}

// Cut off inside the first choice, as a server dying mid-reply would leave it.
constexpr char kMalformedBody[] =
    R"({"id":"chatcmpl-broken","object":"chat.completion","choices":[{"index":0,"message":)"
    R"({"role":"assistant","content":"The score is)";

}  // namespace

std::string_view FaultName(Fault fault) {
  switch (fault) {
    case Fault::kNone:
      return "none";
    case Fault::kRateLimit:
      return "429";
    case Fault::kServerError:
      return "500";
    case Fault::kUnavailable:
      return "503";
    case Fault::kStall:
      return "stall";
    case Fault::kDrop:
      return "drop";
    case Fault::kMalformed:
      return "malformed";
  }
  return "none";
}

std::string SimulatedModelId(std::string_view requested) {
  constexpr std::string_view kPrefix = "judgeopt-sim";
  if (requested.empty()) return std::string(kPrefix);
  if (requested.starts_with(kPrefix)) return std::string(requested);
  return fmt::format("{}/{}", kPrefix, requested);
}

FaultDecision DecideFault(const SimServerOptions& options, std::string_view body,
                          int64_t occurrence) {
  Sha256 hasher;
  hasher.Update(fmt::format("sim-server fault v1\n{}\n{}\n", options.seed, occurrence));
  hasher.Update(body);
  const Sha256::Digest d = hasher.Finish();
  FaultDecision out;
  out.delay_ms = options.latency_ms + options.jitter_ms * UnitFrom(d, 24);
  if (!options.fail_kinds.empty() && UnitFrom(d, 0) < options.fail_rate) {
    const auto n = options.fail_kinds.size();
    out.fault = options.fail_kinds[std::min(n - 1, static_cast<std::size_t>(UnitFrom(d, 8) * n))];
  } else if (UnitFrom(d, 16) < options.malformed_rate) {
    out.fault = Fault::kMalformed;
  }
  return out;
}

SimServer::SimServer(llm::LlmClient* inner, SimServerOptions options)
    : inner_(inner),
      options_(std::move(options)),
      rules_(MakeProviderRules(options_.profile)),
      server_(std::make_unique<httplib::Server>()) {}

SimServer::~SimServer() { Stop(); }

std::string SimServer::base_url() const {
  return fmt::format("http://{}:{}{}", options_.host, port_.load(), rules_->BasePath());
}

Status SimServer::Start() {
  JO_RETURN_IF_ERROR(CheckOptions(options_));
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (started_) return InternalError("sim-server: already started");
    started_ = true;
  }
  const int threads = rules_->Slots() > 0 ? rules_->Slots() : options_.threads;
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_->set_keep_alive_timeout(1);  // idle keep-alive connections never hold up Stop() long
  // Keep connections for many requests (httplib's default closes one after 5), and send small
  // replies at once instead of waiting for Nagle's algorithm.
  server_->set_keep_alive_max_count(1000000);
  server_->set_tcp_nodelay(true);
  // SO_REUSEADDR only: httplib's default also sets SO_REUSEPORT, which would let a second server
  // share a busy port silently instead of failing.
  // The listening socket is remembered so that its backlog can be raised after binding.
  auto listener = std::make_shared<socket_t>(INVALID_SOCKET);
  server_->set_socket_options([listener](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const void*>(&yes), sizeof(yes));
    *listener = sock;
  });
  const std::string base = rules_->BasePath();
  server_->Post(base + "/chat/completions",
                [this](const httplib::Request& req, httplib::Response& res) { HandleChat(req, res); });
  server_->Get(base + "/models",
               [this](const httplib::Request&, httplib::Response& res) { HandleModels(res); });
  if (!rules_->Props().is_null()) {
    server_->Get("/props", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(rules_->Props().dump(), "application/json");
    });
  }
  // Any other path: a JSON 404, as hosted endpoints answer a wrong base URL.
  server_->set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.status != 404 || !res.body.empty()) return;
    res.set_content(BuildErrorBody("Resource not found", "invalid_request_error", "404"),
                    "application/json");
  });
  int port = options_.port;
  if (port == 0) {
    port = server_->bind_to_any_port(options_.host);
  } else if (!server_->bind_to_port(options_.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    return IoError(fmt::format("sim-server: cannot listen on {}:{}", options_.host, options_.port));
  }
  // httplib listens with a backlog of 5: when more clients connect at once (a wave at
  // concurrency 32), the kernel drops their SYNs and each retries only after a one-second
  // timeout. Calling listen() again on the bound socket raises the backlog (Linux, BSD).
  if (*listener != INVALID_SOCKET) ::listen(*listener, SOMAXCONN);
  port_ = port;
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // Stop() only takes effect once the server runs; wait for that before returning.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!server_->is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  if (!server_->is_running()) {
    Stop();
    return IoError(fmt::format("sim-server: {} did not start", base_url()));
  }
  return Status::Ok();
}

void SimServer::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return stopped_ || !started_; });
}

void SimServer::Stop() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (!started_) return;
    if (stopping_) {
      cv_.wait(lock, [this] { return stopped_; });
      return;
    }
    stopping_ = true;
  }
  cv_.notify_all();  // wakes stalled and delayed handlers
  server_->stop();
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
  }
  cv_.notify_all();
}

Status SimServer::Run() {
  JO_RETURN_IF_ERROR(Start());
  Wait();
  return Status::Ok();
}

SimServerStats SimServer::Stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

bool SimServer::WaitUnlessStopping(double ms) {
  if (ms <= 0.0) return true;
  std::unique_lock<std::mutex> lock(mu_);
  const auto until = std::chrono::steady_clock::now() +
                     std::chrono::microseconds(static_cast<int64_t>(ms * 1000.0));
  return !cv_.wait_until(lock, until, [this] { return stopping_; });
}

int64_t SimServer::NextOccurrence(const std::string& body_hash, int64_t& arrival) {
  std::lock_guard<std::mutex> lock(mu_);
  arrival = stats_.chat_requests++;
  return occurrences_[body_hash]++;
}

void SimServer::Count(Fault fault, bool inner_error) {
  std::lock_guard<std::mutex> lock(mu_);
  if (fault != Fault::kNone) ++stats_.faults[fault];
  if (inner_error) ++stats_.inner_errors;
  if (fault == Fault::kNone && !inner_error) ++stats_.completions;
}

void SimServer::HandleModels(httplib::Response& res) const {
  nlohmann::ordered_json data = nlohmann::ordered_json::array();
  for (const std::string& m : options_.models) {
    nlohmann::ordered_json entry = {
        {"id", SimulatedModelId(m)}, {"object", "model"}, {"created", 0}, {"owned_by", "judgeopt"}};
    entry.update(rules_->ModelFields());
    data.push_back(std::move(entry));
  }
  nlohmann::ordered_json listing = {{"object", "list"}, {"data", std::move(data)}};
  res.set_content(listing.dump(), "application/json");
}

void SimServer::InjectFault(Fault fault, httplib::Response& res) const {
  switch (fault) {
    case Fault::kRateLimit:
      res.status = 429;
      res.set_header("Retry-After",
                     std::to_string(static_cast<int64_t>(std::ceil(options_.retry_after_s))));
      res.set_header("retry-after-ms",
                     std::to_string(static_cast<int64_t>(options_.retry_after_s * 1000.0)));
      res.set_content(BuildErrorBody("simulated rate limit", "requests", "rate_limit_exceeded"),
                      "application/json");
      return;
    case Fault::kServerError:
      res.status = 500;
      res.set_content(BuildErrorBody("simulated internal error", "server_error", "internal"),
                      "application/json");
      return;
    case Fault::kUnavailable:
      res.status = 503;
      res.set_content(BuildErrorBody("simulated overload", "server_error", "unavailable"),
                      "application/json");
      return;
    case Fault::kDrop:
      // Announce a body, then give up before its first byte: the connection is closed mid-reply.
      res.set_content_provider(256, "application/json",
                               [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
      return;
    case Fault::kMalformed:
      res.set_content(kMalformedBody, "application/json");
      return;
    case Fault::kNone:
    case Fault::kStall:
      return;
  }
}

void SimServer::HandleChat(const httplib::Request& req, httplib::Response& res) {
  // Every reply, faults included, says it comes from the simulator (docs/simulator.md).
  res.set_header(std::string(llm::kSimulatedHeader), "true");
  const std::string body_hash = Sha256Hex(req.body);
  int64_t arrival = 0;
  const int64_t occurrence = NextOccurrence(body_hash, arrival);
  const FaultDecision decision = DecideFault(options_, req.body, occurrence);
  const bool stall = decision.fault == Fault::kStall;
  if (!WaitUnlessStopping(decision.delay_ms) || (stall && !WaitUnlessStopping(options_.stall_ms))) {
    res.status = 503;
    res.set_content(BuildErrorBody("server stopping", "server_error", "stopping"),
                    "application/json");
    return;
  }
  if (decision.fault != Fault::kNone && !stall) {
    Count(decision.fault, false);
    InjectFault(decision.fault, res);
    return;
  }
  if (stall) Count(Fault::kStall, false);
  Answer(req, arrival, fmt::format("chatcmpl-{}-{}", body_hash.substr(0, 24), occurrence), res);
}

WireCall SimServer::MakeWireCall(const httplib::Request& req, const llm::ChatRequest& request,
                                 int64_t arrival) const {
  WireCall call;
  call.path = req.path;
  for (const auto& [name, value] : req.params) call.query[name] = value;
  for (const auto& [name, value] : req.headers) call.headers[AsciiLower(name)] = value;
  call.body = nlohmann::ordered_json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  call.prompt_tokens = llm::ApproxPromptTokens(request);
  call.arrival = arrival;
  return call;
}

std::string SimServer::ReplyBody(const WireCall& call, const llm::ChatResponse& out,
                                 const llm::ChatRequest& request, const std::string& id) const {
  std::string body = BuildChatReplyBody(out, request.model, id);
  if (options_.profile.profile == Profile::kNone) return body;
  nlohmann::ordered_json reply = nlohmann::ordered_json::parse(body);
  rules_->AdjustReply(call, reply);
  return reply.dump();
}

void SimServer::Answer(const httplib::Request& req, int64_t arrival, const std::string& id,
                       httplib::Response& res) {
  Result<llm::ChatRequest> request = ParseChatRequestBody(req.body);
  if (!request.ok()) {
    Count(Fault::kNone, true);
    res.status = 400;
    res.set_content(BuildErrorBody(request.error().message, "invalid_request_error", "bad_request"),
                    "application/json");
    return;
  }
  const WireCall call = MakeWireCall(req, *request, arrival);
  if (std::optional<WireReply> refusal = rules_->Refuse(call)) {
    Count(Fault::kNone, true);
    res.status = refusal->status;
    res.set_content(refusal->body, "application/json");
    return;
  }
  rules_->AdjustRequest(call, *request);
  Result<llm::ChatResponse> reply = inner_->Complete(*request);
  if (!reply.ok()) {
    Count(Fault::kNone, true);
    res.status = HttpStatusFor(reply.error().code);
    res.set_content(
        BuildErrorBody(reply.error().message, "server_error", ErrorCodeName(reply.error().code)),
        "application/json");
    return;
  }
  llm::ChatResponse out = std::move(reply).value();
  out.model = SimulatedModelId(out.model.empty() ? request->model : out.model);
  if (out.usage.prompt_tokens == 0 && out.usage.completion_tokens == 0) {
    out.usage.prompt_tokens = llm::ApproxPromptTokens(*request);
    out.usage.completion_tokens = llm::ApproxTokens(out.content);
  }
  Count(Fault::kNone, false);
  res.set_content(ReplyBody(call, out, *request, id), "application/json");
}

}  // namespace judgeopt::io
