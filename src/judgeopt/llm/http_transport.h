#pragma once
// The HTTP port of the LLM layer. The core knows only this interface; io/curl_transport implements
// it with libcurl and tests script it with a fake.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "judgeopt/base/result.h"

namespace judgeopt::llm {

/// Response headers keyed by lower-cased name (the last value wins when a name repeats).
using HttpHeaders = std::map<std::string, std::string>;

/// Returns the header's value, or "" when absent. `lower_name` must already be lower case.
std::string_view FindHeader(const HttpHeaders& headers, std::string_view lower_name);

/// One POST. Headers may carry secrets (Authorization): transports must never log or echo them.
struct HttpRequest {
  std::string method = "POST";  // "POST" (sends body) or "GET" (no body)
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  double connect_timeout_s = 10.0;
  /// Whole-request limit (connect + send + wait + receive).
  double total_timeout_s = 60.0;
  /// Once the reply has begun (its first byte), fewer than `low_speed_bytes_per_s` bytes per
  /// second over `low_speed_window_s` seconds fail the request as a kTimeout. 0 disables it.
  double low_speed_bytes_per_s = 0.0;
  double low_speed_window_s = 0.0;
  /// PEM file of the certificate authorities to trust; "" = the system's.
  std::string ca_bundle;
};

/// A complete HTTP reply of any status; non-2xx statuses are replies, not transport errors.
struct HttpResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;
};

/// Sends HTTP requests. Implementations are thread-safe: Post() may run on many threads at once.
/// Failures to get any reply are Errors: kTimeout (connect or total timeout), kUnavailable
/// (refused, reset, dropped, DNS), kInvalidArgument (malformed URL). Messages name the URL but
/// never the request headers.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  /// Sends `request` with its method (POST unless it says GET) and waits for the whole reply.
  virtual Result<HttpResponse> Post(const HttpRequest& request) = 0;
};

}  // namespace judgeopt::llm

namespace judgeopt::llm {

/// Seconds to wait from `retry-after-ms` (preferred) or a numeric `retry-after`; nullopt when
/// neither is present or parseable (HTTP-date forms are not supported and are ignored).
std::optional<double> RetryAfterSeconds(const HttpHeaders& headers);

/// Parses a rate-limit reset duration as servers send it: Go-style "1s", "6m0s", "20ms",
/// "1h2m3.5s", "250us", or a bare number of seconds ("2", "0.5"). nullopt when malformed.
std::optional<double> ParseDurationSeconds(std::string_view text);

}  // namespace judgeopt::llm
