#include "connectors/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <optional>

namespace sb::connectors {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kMaxIdleHandles = 16;

struct Transfer {
  CURL* curl = nullptr;
  const HttpRequest* request = nullptr;
  const HttpClient::DataCallback* on_data = nullptr;
  HttpResponse* response = nullptr;
  bool aborted_by_callback = false;
  Clock::time_point started = Clock::now();
  std::optional<Clock::time_point> last_byte;  // latest byte of the answer, header or body
  std::string timeout;                         // why on_progress stopped the call
};

void mark_byte(Transfer& t) { t.last_byte = Clock::now(); }

int64_t millis_since(Clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count();
}

// Enforces the first-byte and idle limits; a non-zero return makes curl stop with
// CURLE_ABORTED_BY_CALLBACK.
int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  const HttpRequest& r = *t->request;
  if (!t->last_byte) {
    if (r.first_byte_timeout_ms > 0 && millis_since(t->started) > r.first_byte_timeout_ms) {
      t->timeout = "no answer within " + std::to_string(r.first_byte_timeout_ms) + " ms (first-byte timeout)";
      return 1;
    }
  } else if (r.idle_timeout_ms > 0 && millis_since(*t->last_byte) > r.idle_timeout_ms) {
    t->timeout = "the answer stalled for more than " + std::to_string(r.idle_timeout_ms) + " ms (idle timeout)";
    return 1;
  }
  return 0;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  mark_byte(*t);
  std::string_view line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {  // a new response (after a redirect or 100-continue)
    t->response->headers.clear();
    return size * count;
  }
  auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.remove_suffix(1);
    t->response->headers[name] = std::string(value);
  }
  return size * count;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  mark_byte(*t);
  size_t n = size * count;
  long status = 0;
  curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
  if (t->on_data && status >= 200 && status < 300) {
    if (!(*t->on_data)(std::string_view(data, n))) {
      t->aborted_by_callback = true;
      return 0;  // makes curl stop with CURLE_WRITE_ERROR
    }
    return n;
  }
  t->response->body.append(data, n);
  return n;
}

}  // namespace

void set_timeouts(HttpRequest& request, const config::ProviderConfig& provider) {
  request.connect_timeout_ms = provider.connect_timeout_ms;
  request.total_timeout_ms = provider.timeout_ms;
  request.first_byte_timeout_ms = provider.first_byte_timeout_ms.value_or(0);
  request.idle_timeout_ms = provider.idle_timeout_ms;
}

HttpClient::HttpClient() = default;

HttpClient::~HttpClient() {
  for (void* h : idle_handles_) curl_easy_cleanup(static_cast<CURL*>(h));
}

void* HttpClient::acquire_handle() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_handles_.empty()) {
      void* h = idle_handles_.back();
      idle_handles_.pop_back();
      return h;
    }
  }
  CURL* curl = curl_easy_init();
  if (!curl) throw TransportError(TransportError::Kind::Other, "cannot create an HTTP client handle");
  return curl;
}

void HttpClient::release_handle(void* handle) {
  std::lock_guard lock(mutex_);
  if (idle_handles_.size() < kMaxIdleHandles) {
    curl_easy_reset(static_cast<CURL*>(handle));  // keeps the connection cache
    idle_handles_.push_back(handle);
  } else {
    curl_easy_cleanup(static_cast<CURL*>(handle));
  }
}

HttpResponse HttpClient::send(const HttpRequest& request) { return perform(request, nullptr); }

HttpResponse HttpClient::send_streaming(const HttpRequest& request, const DataCallback& on_data) {
  return perform(request, &on_data);
}

HttpResponse HttpClient::perform(const HttpRequest& request, const DataCallback* on_data) {
  CURL* curl = static_cast<CURL*>(acquire_handle());
  HttpResponse response;
  Transfer transfer;
  transfer.curl = curl;
  transfer.request = &request;
  transfer.on_data = on_data;
  transfer.response = &response;

  curl_slist* headers = nullptr;
  for (const auto& h : request.headers) headers = curl_slist_append(headers, h.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (!request.body.empty()) {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout_ms));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.total_timeout_ms));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // only configured hosts are contacted
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  if (request.first_byte_timeout_ms > 0 || request.idle_timeout_ms > 0) {
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
  }
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // accept whatever curl can decode

  CURLcode rc = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  curl_slist_free_all(headers);
  release_handle(curl);

  if (rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && transfer.aborted_by_callback)) return response;
  if (rc == CURLE_ABORTED_BY_CALLBACK && !transfer.timeout.empty())
    throw TransportError(TransportError::Kind::Timeout, request.url + ": " + transfer.timeout);
  std::string message = request.url + ": " + curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      throw TransportError(TransportError::Kind::Connect, message);
    case CURLE_OPERATION_TIMEDOUT:
      throw TransportError(TransportError::Kind::Timeout, message);
    default:
      throw TransportError(TransportError::Kind::Other, message);
  }
}

}  // namespace sb::connectors
