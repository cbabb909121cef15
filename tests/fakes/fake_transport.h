#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "fakes/fake_clock.h"
#include "judgeopt/llm/http_transport.h"

namespace judgeopt::fakes {

/// A scripted llm::HttpTransport. Post() records the request, then answers with the next queued
/// reply (Enqueue), or, when the queue is empty, with the handler (SetHandler); with neither it
/// fails with kInternal. An optional FakeClock is advanced by `latency_s` per call to model time
/// spent on the wire. Thread-safe (one mutex; the handler runs outside it). Owned by the test.
class FakeTransport final : public llm::HttpTransport {
 public:
  using Handler = std::function<Result<llm::HttpResponse>(const llm::HttpRequest&)>;

  FakeTransport() = default;
  FakeTransport(FakeClock* clock, double latency_s) : clock_(clock), latency_s_(latency_s) {}

  Result<llm::HttpResponse> Post(const llm::HttpRequest& request) override;

  void Enqueue(Result<llm::HttpResponse> reply);
  void SetHandler(Handler handler);

  std::vector<llm::HttpRequest> requests() const;
  int calls() const;

  /// A reply with the given status, body and headers (names must be lower case).
  static llm::HttpResponse Reply(int status, std::string body, llm::HttpHeaders headers = {});
  /// A 200 chat-completions reply with `content` and usage 10/5 (or no usage).
  static llm::HttpResponse ChatOk(const std::string& content, bool with_usage = true);
  /// A transport-level failure (no reply at all).
  static Error Failure(ErrorCode code, std::string message);

 private:
  FakeClock* clock_ = nullptr;
  double latency_s_ = 0.0;
  mutable std::mutex mu_;
  std::deque<Result<llm::HttpResponse>> queue_;
  Handler handler_;
  std::vector<llm::HttpRequest> requests_;
};

/// An HttpTransport that forwards to one the test owns, for ports that take ownership of their
/// transport (ClientStackPorts::make_transport). Borrows `target`, which must outlive it.
class ForwardingTransport final : public llm::HttpTransport {
 public:
  explicit ForwardingTransport(llm::HttpTransport* target) : target_(target) {}
  Result<llm::HttpResponse> Post(const llm::HttpRequest& r) override { return target_->Post(r); }

  /// A make_transport port that hands out a forwarder to `target`.
  static std::function<Result<std::unique_ptr<llm::HttpTransport>>()> Port(
      llm::HttpTransport* target) {
    return [target]() -> Result<std::unique_ptr<llm::HttpTransport>> {
      return std::unique_ptr<llm::HttpTransport>(std::make_unique<ForwardingTransport>(target));
    };
  }

 private:
  llm::HttpTransport* target_;
};

}  // namespace judgeopt::fakes
