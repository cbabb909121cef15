#include "fakes/fake_transport.h"

#include <nlohmann/json.hpp>

namespace judgeopt::fakes {

Result<llm::HttpResponse> FakeTransport::Post(const llm::HttpRequest& request) {
  Handler handler;
  std::optional<Result<llm::HttpResponse>> scripted;
  {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(request);
    if (!queue_.empty()) {
      scripted.emplace(std::move(queue_.front()));
      queue_.pop_front();
    } else {
      handler = handler_;
    }
  }
  if (clock_ != nullptr) clock_->Advance(latency_s_);
  if (scripted) return std::move(*scripted);
  if (handler) return handler(request);
  return InternalError("fake transport: no scripted reply for POST " + request.url);
}

void FakeTransport::Enqueue(Result<llm::HttpResponse> reply) {
  std::lock_guard<std::mutex> lock(mu_);
  queue_.push_back(std::move(reply));
}

void FakeTransport::SetHandler(Handler handler) {
  std::lock_guard<std::mutex> lock(mu_);
  handler_ = std::move(handler);
}

std::vector<llm::HttpRequest> FakeTransport::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

int FakeTransport::calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(requests_.size());
}

llm::HttpResponse FakeTransport::Reply(int status, std::string body, llm::HttpHeaders headers) {
  llm::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

llm::HttpResponse FakeTransport::ChatOk(const std::string& content, bool with_usage) {
  nlohmann::json doc = {{"id", "chatcmpl-fake"},
                        {"object", "chat.completion"},
                        {"model", "fake-model"},
                        {"choices",
                         {{{"index", 0},
                           {"message", {{"role", "assistant"}, {"content", content}}},
                           {"finish_reason", "stop"}}}}};
  if (with_usage) doc["usage"] = {{"prompt_tokens", 10}, {"completion_tokens", 5}};
  return Reply(200, doc.dump(), {{"content-type", "application/json"}});
}

Error FakeTransport::Failure(ErrorCode code, std::string message) {
  return Error(code, std::move(message));
}

}  // namespace judgeopt::fakes
