#include "tests/support/paths.h"

#include <fstream>
#include <random>
#include <stdexcept>

namespace sb::test {

std::filesystem::path source_dir() { return SB_SOURCE_DIR; }
std::filesystem::path shared_dir() { return std::filesystem::path(SB_SHARED_DIR).lexically_normal(); }
std::filesystem::path binary_dir() { return SB_BINARY_DIR; }

TempDir::TempDir() {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto candidate = std::filesystem::temp_directory_path() /
                     ("sbtest-" + std::to_string(rd()) + std::to_string(rd()));
    if (std::filesystem::create_directory(candidate)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path TempDir::write(const std::string& name, const std::string& content) const {
  auto p = path_ / name;
  std::ofstream out(p, std::ios::binary);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + p.string());
  return p;
}

}  // namespace sb::test
