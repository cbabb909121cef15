#pragma once
// A scripted, recording fake of the LlmClient port for tests of any module.

#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "judgeopt/base/result.h"
#include "judgeopt/llm/client.h"
#include "judgeopt/llm/types.h"

namespace judgeopt::testing {

/// An LlmClient that answers from a script and records every request. Resolution order for a
/// request: the first substring rule whose needle occurs in the last user message (a rule with
/// several replies gives them in turn, then repeats its last one), then the FIFO queue, then the
/// fallback function; with none of these the reply is a kNotFound error naming the request.
/// A reply is text or an Error. Responses carry model = request model, the reply's
/// finish_reason ("stop" unless made with Reply::Finished) and estimated usage (bytes/4).
/// Thread-safe: Complete may run on many threads; the fallback function is called without the
/// fake's lock held, so it may block (e.g. on a condition variable) to force completion orders.
/// Configure before use; configuration methods are not meant to race with Complete.
class ScriptedLlm : public llm::LlmClient {
 public:
  /// A scripted reply: text, or an Error returned from Complete.
  struct Reply {
    Reply(const char* text) : text(text) {}             // NOLINT(google-explicit-constructor)
    Reply(std::string text) : text(std::move(text)) {}  // NOLINT(google-explicit-constructor)
    Reply(Error error) : error(std::move(error)) {}     // NOLINT(google-explicit-constructor)
    /// Text that ended with `finish_reason` ("length", "content_filter", ...).
    static Reply Finished(std::string text, std::string finish_reason) {
      Reply r(std::move(text));
      r.finish_reason = std::move(finish_reason);
      return r;
    }
    std::string text;
    std::optional<Error> error;
    std::string finish_reason = "stop";
  };
  using Handler = std::function<Reply(const llm::ChatRequest&)>;

  ScriptedLlm() = default;
  explicit ScriptedLlm(Handler fallback) : fallback_(std::move(fallback)) {}

  /// Replies to requests whose last user message contains `needle`.
  ScriptedLlm& OnSubstring(std::string needle, Reply reply);
  ScriptedLlm& OnSubstring(std::string needle, std::vector<Reply> replies);
  /// Replies handed out in order to requests no rule matches.
  ScriptedLlm& Enqueue(Reply reply);
  ScriptedLlm& SetFallback(Handler fallback);

  Result<llm::ChatResponse> Complete(const llm::ChatRequest& request) override;

  /// Every request received so far, in arrival order.
  std::vector<llm::ChatRequest> Requests() const;
  std::size_t CallCount() const;

  /// The content of the last "user" message of a request ("" when none).
  static std::string LastUserMessage(const llm::ChatRequest& request);

 private:
  struct Rule {
    std::string needle;
    std::vector<Reply> replies;
    std::size_t next = 0;
  };
  // Under mu_: the scripted reply, if a rule or the queue has one.
  std::optional<Reply> ScriptedReply(const std::string& last_user);

  mutable std::mutex mu_;
  std::vector<Rule> rules_;
  std::deque<Reply> queue_;
  Handler fallback_;
  std::vector<llm::ChatRequest> requests_;
};

}  // namespace judgeopt::testing
