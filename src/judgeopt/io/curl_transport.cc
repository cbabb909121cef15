#include "judgeopt/io/curl_transport.h"

#include <curl/curl.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>

#include "judgeopt/base/interrupt.h"
#include "judgeopt/base/strings.h"
#include "judgeopt/base/version.h"

namespace judgeopt::io {
namespace {

using SteadyClock = std::chrono::steady_clock;

// The low-speed limit of one request, measured from the first response byte on: a non-streaming
// reply is silent while the model generates, so the window opens only once the reply has begun.
// Each window of `window_s` seconds must bring at least bytes_per_s * window_s body bytes.
struct StallWatch {
  double bytes_per_s = 0.0;
  double window_s = 0.0;
  bool began = false;
  SteadyClock::time_point window_start;
  std::size_t bytes_at_start = 0;
  bool stalled = false;

  bool enabled() const { return bytes_per_s > 0 && window_s > 0; }
  void Begin() {
    if (began) return;
    began = true;
    window_start = SteadyClock::now();
  }
  // False when the window that just ended brought too few bytes.
  bool Check(std::size_t bytes_now) {
    if (!began) return true;
    const auto now = SteadyClock::now();
    if (std::chrono::duration<double>(now - window_start).count() < window_s) return true;
    if (static_cast<double>(bytes_now - bytes_at_start) < bytes_per_s * window_s) {
      stalled = true;
      return false;
    }
    window_start = now;
    bytes_at_start = bytes_now;
    return true;
  }
};

// Collects one reply; headers are reset at each status line (e.g. after a 100 Continue).
struct Sink {
  llm::HttpResponse response;
  std::size_t max_body = 0;
  bool too_large = false;
  StallWatch watch;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  size_t n = size * count;
  if (sink->response.body.size() + n > sink->max_body) {
    sink->too_large = true;
    return 0;  // makes curl abort with CURLE_WRITE_ERROR
  }
  sink->response.body.append(data, n);
  return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  size_t n = size * count;
  std::string_view line(data, n);
  sink->watch.Begin();
  if (line.rfind("HTTP/", 0) == 0) {
    sink->response.headers.clear();
    return n;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  sink->response.headers[AsciiLower(line.substr(0, colon))] =
      std::string(Trim(line.substr(colon + 1)));
  return n;
}

// libcurl calls this about once a second even while nothing arrives; non-zero aborts the transfer.
// A transfer in flight is also aborted when the process was asked to stop (base/interrupt.h).
int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  if (InterruptSignal() != 0) return 1;
  auto* sink = static_cast<Sink*>(user);
  return !sink->watch.enabled() || sink->watch.Check(sink->response.body.size()) ? 0 : 1;
}

ErrorCode CodeFor(CURLcode rc) {
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
      return ErrorCode::kTimeout;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return ErrorCode::kInvalidArgument;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      return ErrorCode::kIo;
    default:
      return ErrorCode::kUnavailable;  // refused, reset, dropped, DNS, partial reply, ...
  }
}

long Millis(double seconds) {
  return std::max(1L, static_cast<long>(std::llround(seconds * 1000.0)));
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

void EnsureCurlGlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

CurlTransport::CurlTransport() : CurlTransport(Options{}) {}

CurlTransport::CurlTransport(Options options) : options_(options) { EnsureCurlGlobalInit(); }

CurlTransport::~CurlTransport() {
  for (void* h : idle_) curl_easy_cleanup(static_cast<CURL*>(h));
}

void* CurlTransport::AcquireHandle() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      void* h = idle_.back();
      idle_.pop_back();
      return h;
    }
  }
  CURL* h = curl_easy_init();
  if (h != nullptr) ++handles_created_;
  return h;
}

void CurlTransport::ReleaseHandle(void* handle) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.size() < options_.max_idle_handles) {
      idle_.push_back(handle);
      return;
    }
  }
  curl_easy_cleanup(static_cast<CURL*>(handle));
}

Result<llm::HttpResponse> CurlTransport::Post(const llm::HttpRequest& request) {
  CURL* h = static_cast<CURL*>(AcquireHandle());
  if (h == nullptr) return InternalError("curl_easy_init failed");
  curl_easy_reset(h);  // keeps the handle's open connections

  std::unique_ptr<curl_slist, SlistDeleter> headers;
  for (const auto& [name, value] : request.headers) {
    std::string line = name + ": " + value;
    headers.reset(curl_slist_append(headers.release(), line.c_str()));
  }
  headers.reset(curl_slist_append(headers.release(), "Expect:"));  // no 100-continue round trip

  Sink sink;
  sink.max_body = options_.max_body_bytes;
  sink.watch.bytes_per_s = request.low_speed_bytes_per_s;
  sink.watch.window_s = request.low_speed_window_s;
  char reason[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  if (request.method == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, Millis(request.connect_timeout_s));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, Millis(request.total_timeout_s));
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  const std::string user_agent = std::string("judgeopt/") + VersionNumber();
  curl_easy_setopt(h, CURLOPT_USERAGENT, user_agent.c_str());  // libcurl copies it
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, reason);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &sink);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, &OnProgress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &sink);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  if (!request.ca_bundle.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, request.ca_bundle.c_str());

  CURLcode rc = curl_easy_perform(h);
  long status = 0;
  if (rc == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  // A timeout before the TCP connection was made (a black-holed address) is "cannot connect",
  // like a refused one; a timeout later (a slow reply) is not. libcurl reports both as
  // CURLE_OPERATION_TIMEDOUT; CURLINFO_CONNECT_TIME_T stays 0 when no connection was made.
  curl_off_t connected_us = 0;
  if (rc == CURLE_OPERATION_TIMEDOUT) curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connected_us);
  const bool connect_timeout = rc == CURLE_OPERATION_TIMEDOUT && connected_us == 0;
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  ReleaseHandle(h);

  if (sink.too_large) {
    return Error(ErrorCode::kUnavailable, "POST " + request.url + ": reply larger than " +
                                              std::to_string(options_.max_body_bytes) + " bytes");
  }
  if (sink.watch.stalled) {
    return Error(ErrorCode::kTimeout,
                 fmt::format("POST {}: stalled: fewer than {:g} bytes/s for {:g} s after the reply "
                             "began",
                             request.url, sink.watch.bytes_per_s, sink.watch.window_s));
  }
  if (rc == CURLE_ABORTED_BY_CALLBACK && InterruptSignal() != 0) {
    return Error(ErrorCode::kCancelled, fmt::format("POST {}: interrupted by {}", request.url,
                                                    InterruptName(InterruptSignal())));
  }
  if (rc != CURLE_OK) {
    std::string detail = reason[0] != '\0' ? reason : curl_easy_strerror(rc);
    if (connect_timeout) detail = "connect timeout, no connection was made: " + detail;
    Error error(CodeFor(rc), "POST " + request.url + ": " + detail);
    error.not_connected = rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
                          rc == CURLE_COULDNT_RESOLVE_PROXY || connect_timeout;
    return error;
  }
  sink.response.status = static_cast<int>(status);
  return std::move(sink.response);
}

}  // namespace judgeopt::io
