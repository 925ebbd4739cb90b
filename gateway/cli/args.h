#pragma once
// A small strict argument parser shared by every command: declared flags only, values
// checked, errors as one line ("switchboard run: --temp needs a number").
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sb::cli {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  // Declare before parse(). `names` are the spellings, e.g. {"-m", "--model"}.
  Args& option(std::vector<std::string> names, std::string help);  // takes a value
  Args& flag(std::vector<std::string> names, std::string help);    // boolean

  // Throws UsageError for unknown flags, missing values, or `--help` (what() == "--help").
  void parse(const std::vector<std::string>& argv);

  bool has(const std::string& name) const;  // any spelling of the option or flag
  std::optional<std::string> get(const std::string& name) const;
  std::string get_or(const std::string& name, const std::string& fallback) const;
  std::string require(const std::string& name) const;  // UsageError when missing
  // Typed getters throw UsageError naming the flag when the value does not parse.
  std::optional<long long> get_int(const std::string& name) const;
  std::optional<double> get_double(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

  // "  -m, --model VALUE   help" lines for usage texts.
  std::string describe() const;

 private:
  struct Spec {
    std::vector<std::string> names;
    std::string help;
    bool takes_value = false;
  };
  const Spec* find(const std::string& name) const;
  std::vector<Spec> specs_;
  std::map<std::string, std::string> values_;  // canonical (first) name -> value ("" for flags)
  std::vector<std::string> positional_;
};

}  // namespace sb::cli
