#pragma once
// Where tests find their inputs: the checkout, ../shared beside it, and the build tree.
#include <filesystem>
#include <string>

namespace sb::test {

std::filesystem::path source_dir();
std::filesystem::path shared_dir();  // ../shared beside the checkout (CI has it there)
std::filesystem::path binary_dir();

// A fresh empty directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  // Writes `content` to path()/name and returns the full path.
  std::filesystem::path write(const std::string& name, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

}  // namespace sb::test
