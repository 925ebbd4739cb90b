// The difficulty model file: a small line-oriented text format.
//
//   # comments (only before the first line below)
//   sb-difficulty-model 1
//   hash_buckets 262144
//   heads <H>
//   head <name> <logistic|identity> <coefficient> <bias>          (H lines)
//   dense <feature name> <weight for each head>                   (one line per dense
//                                                                 feature, in enum order)
//   calibration <N> <N ascending raw scores>                      (N = 0 or >= 2)
//   sparse <M>
//   <bucket> <weight for each head>                               (M lines, ascending bucket)
//   end
//
// Buckets not listed weigh 0.
#include <charconv>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "policies/difficulty/difficulty_model.h"
#include "policies/difficulty/embedded_model.h"

namespace sb::policies {
namespace {

constexpr std::string_view kMagic = "sb-difficulty-model";
constexpr int kFormatVersion = 1;

// Reads the text line by line, word by word; every error names the source and line.
class LineReader {
 public:
  LineReader(std::string_view text, std::string source) : text_(text), source_(std::move(source)) {}

  // Advances to the next non-empty line (skipping leading comments); false at the end.
  bool next_line(bool allow_comment = false) {
    while (position_ < text_.size()) {
      std::size_t end = text_.find('\n', position_);
      if (end == std::string_view::npos) end = text_.size();
      line_ = text_.substr(position_, end - position_);
      if (!line_.empty() && line_.back() == '\r') line_.remove_suffix(1);
      position_ = end + 1;
      ++line_number_;
      if (line_.find_first_not_of(" \t") == std::string_view::npos) continue;
      if (allow_comment && line_.front() == '#') continue;
      return true;
    }
    return false;
  }

  void expect_line(std::string_view what) {
    if (!next_line()) fail("unexpected end of file, expected " + std::string(what));
  }

  std::string_view word(std::string_view what) {
    const std::size_t start = line_.find_first_not_of(" \t");
    if (start == std::string_view::npos) fail("missing " + std::string(what));
    line_.remove_prefix(start);
    std::size_t end = line_.find_first_of(" \t");
    if (end == std::string_view::npos) end = line_.size();
    const std::string_view w = line_.substr(0, end);
    line_.remove_prefix(end);
    return w;
  }

  void keyword(std::string_view expected) {
    const auto w = word(expected);
    if (w != expected) fail("expected '" + std::string(expected) + "', found '" + std::string(w) + "'");
  }

  template <class Number>
  Number number(std::string_view what) {
    const auto w = word(what);
    Number value{};
    const auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), value);
    if (ec != std::errc{} || end != w.data() + w.size())
      fail("bad " + std::string(what) + " '" + std::string(w) + "'");
    return value;
  }

  void end_of_line() {
    if (line_.find_first_not_of(" \t") != std::string_view::npos)
      fail("unexpected '" + std::string(line_) + "' at end of line");
  }

  [[noreturn]] void fail(const std::string& problem) const {
    throw std::runtime_error(source_ + ":" + std::to_string(line_number_) + ": " + problem);
  }

 private:
  std::string_view text_;
  std::string source_;
  std::string_view line_;
  std::size_t position_ = 0;
  std::size_t line_number_ = 0;
};

DifficultyModelParams::Link parse_link(LineReader& in) {
  const auto w = in.word("link");
  if (w == "logistic") return DifficultyModelParams::Link::Logistic;
  if (w == "identity") return DifficultyModelParams::Link::Identity;
  in.fail("unknown link '" + std::string(w) + "' (logistic or identity)");
}

DifficultyModelParams parse_params(std::string_view text, const std::string& source) {
  LineReader in(text, source);
  if (!in.next_line(/*allow_comment=*/true)) in.fail("empty model file");
  in.keyword(kMagic);
  if (const int version = in.number<int>("format version"); version != kFormatVersion)
    in.fail("unsupported format version " + std::to_string(version) + " (this build reads " +
            std::to_string(kFormatVersion) + ")");
  in.end_of_line();

  in.expect_line("hash_buckets");
  in.keyword("hash_buckets");
  if (const auto buckets = in.number<uint32_t>("bucket count"); buckets != kHashBuckets)
    in.fail("model hashes into " + std::to_string(buckets) + " buckets, this build into " +
            std::to_string(kHashBuckets));
  in.end_of_line();

  DifficultyModelParams p;
  in.expect_line("heads");
  in.keyword("heads");
  const auto head_count = in.number<std::size_t>("head count");
  if (head_count < 1 || head_count > kMaxDifficultyHeads)
    in.fail("head count must be between 1 and " + std::to_string(kMaxDifficultyHeads));
  in.end_of_line();
  p.heads.resize(head_count);
  for (auto& head : p.heads) {
    in.expect_line("head");
    in.keyword("head");
    head.name = std::string(in.word("head name"));
    head.link = parse_link(in);
    head.coefficient = in.number<double>("coefficient");
    head.bias = in.number<double>("bias");
    in.end_of_line();
  }

  for (std::size_t i = 0; i < kDenseFeatureCount; ++i) {
    in.expect_line("dense");
    in.keyword("dense");
    const auto name = in.word("feature name");
    if (name != dense_feature_names()[i])
      in.fail("expected dense feature '" + std::string(dense_feature_names()[i]) + "', found '" +
              std::string(name) + "'");
    for (auto& head : p.heads) head.dense[i] = in.number<float>("weight");
    in.end_of_line();
  }

  in.expect_line("calibration");
  in.keyword("calibration");
  const auto points = in.number<std::size_t>("calibration size");
  if (points == 1 || points > 100000) in.fail("calibration size must be 0 or 2..100000");
  p.calibration.resize(points);
  for (auto& value : p.calibration) value = in.number<double>("calibration value");
  in.end_of_line();
  for (std::size_t i = 1; i < points; ++i)
    if (p.calibration[i] < p.calibration[i - 1]) in.fail("calibration values must ascend");

  in.expect_line("sparse");
  in.keyword("sparse");
  const auto entries = in.number<std::size_t>("sparse count");
  if (entries > kHashBuckets) in.fail("more sparse entries than buckets");
  in.end_of_line();
  p.hashed.assign(static_cast<std::size_t>(kHashBuckets) * head_count, 0.0f);
  int64_t previous_bucket = -1;
  for (std::size_t e = 0; e < entries; ++e) {
    in.expect_line("sparse entry");
    const auto bucket = in.number<uint32_t>("bucket");
    if (bucket >= kHashBuckets || static_cast<int64_t>(bucket) <= previous_bucket)
      in.fail("buckets must ascend and be < " + std::to_string(kHashBuckets));
    previous_bucket = bucket;
    for (std::size_t h = 0; h < head_count; ++h)
      p.hashed[static_cast<std::size_t>(bucket) * head_count + h] = in.number<float>("weight");
    in.end_of_line();
  }
  in.expect_line("end");
  in.keyword("end");
  in.end_of_line();
  if (in.next_line()) in.fail("content after 'end'");
  return p;
}

// A space, then the shortest text that reads back as exactly `value`.
template <class Number>
void append_number(std::string& out, Number value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out += ' ';
  out.append(buffer, result.ptr);
}

}  // namespace

DifficultyModel DifficultyModel::parse(std::string_view text, const std::string& source_name) {
  try {
    return DifficultyModel(parse_params(text, source_name));
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(source_name + ": " + e.what());
  }
}

DifficultyModel DifficultyModel::load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open difficulty model " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw std::runtime_error("cannot read difficulty model " + path.string());
  return parse(text.str(), path.string());
}

DifficultyModel DifficultyModel::builtin() {
  static const DifficultyModel model = parse(embedded_difficulty_model_text(), "<builtin difficulty model>");
  return model;
}

std::string DifficultyModel::serialize() const {
  const auto& p = *params_;
  const std::size_t heads = p.heads.size();
  std::string out;
  out += std::string(kMagic) + " " + std::to_string(kFormatVersion) + "\n";
  out += "hash_buckets " + std::to_string(kHashBuckets) + "\n";
  out += "heads " + std::to_string(heads) + "\n";
  for (const auto& head : p.heads) {
    out += "head " + head.name + (head.link == DifficultyModelParams::Link::Logistic ? " logistic" : " identity");
    append_number(out, head.coefficient);
    append_number(out, head.bias);
    out += "\n";
  }
  for (std::size_t i = 0; i < kDenseFeatureCount; ++i) {
    out += "dense " + std::string(dense_feature_names()[i]);
    for (const auto& head : p.heads) append_number(out, head.dense[i]);
    out += "\n";
  }
  out += "calibration " + std::to_string(p.calibration.size());
  for (double value : p.calibration) append_number(out, value);
  out += "\n";

  std::string sparse;
  std::size_t entries = 0;
  for (uint32_t bucket = 0; bucket < kHashBuckets; ++bucket) {
    const float* row = p.hashed.data() + static_cast<std::size_t>(bucket) * heads;
    bool any = false;
    for (std::size_t h = 0; h < heads; ++h) any = any || row[h] != 0.0f;
    if (!any) continue;
    ++entries;
    sparse += std::to_string(bucket);
    for (std::size_t h = 0; h < heads; ++h) append_number(sparse, row[h]);
    sparse += "\n";
  }
  out += "sparse " + std::to_string(entries) + "\n" + sparse + "end\n";
  return out;
}

}  // namespace sb::policies
