#include "gateway/cli/args.h"

#include <charconv>
#include <sstream>

namespace sb::cli {

Args& Args::option(std::vector<std::string> names, std::string help) {
  specs_.push_back({std::move(names), std::move(help), true});
  return *this;
}

Args& Args::flag(std::vector<std::string> names, std::string help) {
  specs_.push_back({std::move(names), std::move(help), false});
  return *this;
}

const Args::Spec* Args::find(const std::string& name) const {
  for (const auto& spec : specs_)
    for (const auto& n : spec.names)
      if (n == name) return &spec;
  return nullptr;
}

void Args::parse(const std::vector<std::string>& argv) {
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "-h" || a == "--help") throw UsageError("--help");
    if (a.size() > 1 && a[0] == '-' && a != "-") {
      std::string name = a, inline_value;
      bool has_inline = false;
      if (auto eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos) {
        name = a.substr(0, eq);
        inline_value = a.substr(eq + 1);
        has_inline = true;
      }
      const Spec* spec = find(name);
      if (!spec) throw UsageError("unknown option " + name);
      if (!spec->takes_value) {
        if (has_inline) throw UsageError(name + " takes no value");
        values_[spec->names.front()] = "";
        continue;
      }
      if (has_inline) {
        values_[spec->names.front()] = inline_value;
      } else {
        if (i + 1 >= argv.size()) throw UsageError(name + " needs a value");
        values_[spec->names.front()] = argv[++i];
      }
    } else {
      positional_.push_back(a);
    }
  }
}

bool Args::has(const std::string& name) const {
  const Spec* spec = find(name);
  return spec && values_.count(spec->names.front()) > 0;
}

std::optional<std::string> Args::get(const std::string& name) const {
  const Spec* spec = find(name);
  if (!spec) return std::nullopt;
  auto it = values_.find(spec->names.front());
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::get_or(const std::string& name, const std::string& fallback) const {
  return get(name).value_or(fallback);
}

std::string Args::require(const std::string& name) const {
  auto v = get(name);
  if (!v) throw UsageError("missing " + name);
  return *v;
}

std::optional<long long> Args::get_int(const std::string& name) const {
  auto v = get(name);
  if (!v) return std::nullopt;
  long long out = 0;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || ptr != v->data() + v->size() || v->empty())
    throw UsageError(name + " needs an integer, got '" + *v + "'");
  return out;
}

std::optional<double> Args::get_double(const std::string& name) const {
  auto v = get(name);
  if (!v) return std::nullopt;
  double out = 0;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || ptr != v->data() + v->size() || v->empty())
    throw UsageError(name + " needs a number, got '" + *v + "'");
  return out;
}

std::string Args::describe() const {
  std::ostringstream os;
  for (const auto& spec : specs_) {
    std::string names;
    for (const auto& n : spec.names) names += (names.empty() ? "" : ", ") + n;
    if (spec.takes_value) names += " VALUE";
    os << "  " << names;
    os << std::string(names.size() < 28 ? 28 - names.size() : 1, ' ') << spec.help << "\n";
  }
  return os.str();
}

}  // namespace sb::cli
