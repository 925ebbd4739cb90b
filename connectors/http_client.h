#pragma once
// A blocking HTTP client over libcurl for talking to upstream APIs. One instance per
// provider; safe to use from many threads at once (each call takes its own easy handle
// from a small pool so connections are reused). Transport failures (connect refused,
// timeouts, resets) throw TransportError; any HTTP status is returned to the caller.
// Four limits bound a call: connecting, waiting for the first byte of the answer, silence
// between two pieces of it, and the whole call. The first-byte and idle limits are checked
// by curl's progress callback, which runs at least about once a second: they may fire up to
// a second late.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/config.h"

namespace sb::connectors {

class TransportError : public std::runtime_error {
 public:
  enum class Kind { Connect, Timeout, Other };
  TransportError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

struct HttpRequest {
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;                  // POSTed when non-empty, GET otherwise
  int64_t connect_timeout_ms = 10000;
  int64_t total_timeout_ms = 60000;
  int64_t first_byte_timeout_ms = 0;  // from the start of the call; 0 = only the total applies
  int64_t idle_timeout_ms = 0;        // once the answer started; 0 = no limit
};

// Sets the four limits of `request` from a provider's configuration.
void set_timeouts(HttpRequest& request, const config::ProviderConfig& provider);

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;                            // whole body (streamed calls: only non-2xx bodies)
};

class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResponse send(const HttpRequest& request);

  // For a 2xx answer, body bytes go to on_data as they arrive (return false to abort; the
  // call then returns normally with the status). Other statuses collect the body instead.
  using DataCallback = std::function<bool(std::string_view)>;
  HttpResponse send_streaming(const HttpRequest& request, const DataCallback& on_data);

 private:
  HttpResponse perform(const HttpRequest& request, const DataCallback* on_data);
  void* acquire_handle();
  void release_handle(void* handle);

  std::mutex mutex_;
  std::vector<void*> idle_handles_;  // CURL* kept for connection reuse
};

}  // namespace sb::connectors
