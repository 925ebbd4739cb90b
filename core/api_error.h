#pragma once
// An error the gateway answers with: HTTP status plus an OpenAI-style body
// {"error": {"message", "type", "param", "code"}}. Thrown anywhere above local_engine
// where the request cannot go on; the gateway turns it into the response.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace sb {

class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string type, std::string code, const std::string& message,
           std::string param = {})
      : std::runtime_error(message),
        status_(status), type_(std::move(type)), code_(std::move(code)), param_(std::move(param)) {}

  int status() const { return status_; }
  const std::string& type() const { return type_; }
  const std::string& code() const { return code_; }
  const std::string& param() const { return param_; }
  // When the client may try again (the Retry-After header); nullopt: no advice.
  std::optional<int64_t> retry_after_ms() const { return retry_after_ms_; }
  void set_retry_after_ms(std::optional<int64_t> ms) { retry_after_ms_ = ms; }

 private:
  int status_;
  std::string type_;
  std::string code_;
  std::string param_;
  std::optional<int64_t> retry_after_ms_;
};

}  // namespace sb
