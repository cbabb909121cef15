#ifndef JUDGEOPT_ADAPTERS_ALLOWED
#error "adapter header included from a core module"
#endif
#pragma once
// libcurl adapter of the llm::HttpTransport port.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "judgeopt/llm/http_transport.h"

namespace judgeopt::io {

/// HttpTransport over libcurl easy handles. Each Post() takes an idle handle from a pool (or
/// creates one), uses it alone on the calling thread, and returns it afterwards; a handle keeps its
/// connections open, so sequential requests to the same server reuse them (keep-alive). There are
/// as many handles as requests ever ran at once, at most `max_idle_handles` kept idle.
/// Timeouts: CURLOPT_CONNECTTIMEOUT_MS and CURLOPT_TIMEOUT_MS from the request, and its low-speed
/// limit from the first response byte on (a progress callback; a stall is a kTimeout whose message
/// says "stalled: fewer than N bytes/s for W s after the reply began"); CURLOPT_CAINFO from its
/// ca_bundle; signals are off
/// (CURLOPT_NOSIGNAL), redirects are not followed, only http and https are allowed.
/// Errors: timeouts -> kTimeout; refused/reset/dropped/DNS failures -> kUnavailable; a malformed
/// URL -> kInvalidArgument; TLS verification failures -> kIo. Messages name the URL and curl's
/// reason, never a request header. Thread-safe. curl_global_init runs once per process (guarded
/// by std::call_once) before the first handle is made and is never undone.
class CurlTransport final : public llm::HttpTransport {
 public:
  struct Options {
    std::size_t max_idle_handles = 64;
    /// Replies larger than this fail with kUnavailable.
    std::size_t max_body_bytes = 64u << 20;
  };

  CurlTransport();
  explicit CurlTransport(Options options);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<llm::HttpResponse> Post(const llm::HttpRequest& request) override;

  /// How many easy handles were ever created (the peak number of concurrent requests).
  int64_t handles_created() const { return handles_created_.load(); }

 private:
  void* AcquireHandle();
  void ReleaseHandle(void* handle);

  Options options_;
  std::mutex mu_;
  std::vector<void*> idle_;  // CURL* handles not in use
  std::atomic<int64_t> handles_created_{0};
};

}  // namespace judgeopt::io
