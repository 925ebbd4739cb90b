#include "core/config/config.h"

namespace sb::config {

namespace {

std::string with_position(const std::string& file, int line, int col, const std::string& message) {
  return file + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " + message;
}

}  // namespace

ConfigError::ConfigError(const std::string& file, int line, int col, const std::string& message)
    : std::runtime_error(with_position(file, line, col, message)),
      file_(file),
      line_(line),
      col_(col),
      message_(message) {}

ConfigError::ConfigError(const std::string& file, const std::string& message)
    : std::runtime_error(file + ": " + message), file_(file), message_(message) {}

}  // namespace sb::config
