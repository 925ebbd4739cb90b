#include "policies/difficulty/difficulty_features.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "policies/text/block64.h"
#include "policies/text/popcount_dispatch.h"

namespace sb::policies {
namespace {

// ---- hashing ------------------------------------------------------------------------

constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ull;
constexpr uint64_t kFnvPrime = 0x100000001b3ull;

constexpr char to_lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

constexpr uint64_t fnv1a(std::string_view s, uint64_t h = kFnvOffset) {
  for (char c : s) h = (h ^ static_cast<unsigned char>(to_lower_ascii(c))) * kFnvPrime;
  return h;
}

// Multiply-shift: the top bits of h * odd constant depend on every bit of h, which is
// all a table index needs (one multiplication per lookup).
constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ull;
constexpr uint32_t top_bits(uint64_t h, uint32_t bits) { return static_cast<uint32_t>((h * kGolden) >> (64 - bits)); }

// Feature families get distinct seeds so that, e.g., the unigram "a" and the bin "a" differ.
enum class Family : uint64_t { Unigram = 0x51ed27f3a4c1b2d9ull, Bigram = 0x2545f4914f6cdd1dull, Bin = 0x6a09e667f3bcc909ull };

uint32_t bucket_of(Family family, uint64_t h) { return top_bits(h ^ static_cast<uint64_t>(family), kHashBucketBits); }

// Order matters ("not only" != "only not"): the first hash is rotated and scrambled.
constexpr uint64_t bigram_hash(uint64_t first, uint64_t second) {
  return ((first << 23) | (first >> 41)) * 0xbf58476d1ce4e5b9ull + second;
}

// ---- byte classes and tokens ---------------------------------------------------------

enum ByteClass : uint8_t { kWord = 1, kDigit = 2, kSpace = 4, kPunct = 8 };

constexpr std::array<uint8_t, 256> kByteClass = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    uint8_t k = 0;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80) k |= kWord;
    if (c >= '0' && c <= '9') k |= kWord | kDigit;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') k |= kSpace;
    if (c > ' ' && c < 0x7f && !(k & kWord)) k |= kPunct;
    t[static_cast<std::size_t>(c)] = k;
  }
  return t;
}();

bool has_class(char c, uint8_t cls) { return (kByteClass[static_cast<unsigned char>(c)] & cls) != 0; }
bool is_digit(char c) { return has_class(c, kDigit); }
bool is_space(char c) { return has_class(c, kSpace); }

// ASCII lowercase of every byte (other bytes unchanged): hashing lowercases as it goes.
constexpr std::array<uint8_t, 256> kLower = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) t[static_cast<std::size_t>(c)] = static_cast<uint8_t>(to_lower_ascii(static_cast<char>(c)));
  return t;
}();

// A number hashes as "<numK>" (K = digits, 4 = four or more) so that 15 and 42 share a
// feature but 7 and 2024 do not.
constexpr std::array<uint64_t, 5> kNumberHashByLength = {fnv1a("<num1>"), fnv1a("<num1>"), fnv1a("<num2>"),
                                                          fnv1a("<num3>"), fnv1a("<num4+>")};
constexpr uint64_t kNewlineHash = fnv1a("<nl>");

// What a punctuation byte counts as (None: not punctuation, e.g. a control character).
enum PunctKind : uint8_t { kNotPunct, kPlainPunct, kMath, kLatex, kCode, kPipe, kQuestion, kPunctKinds };

constexpr std::array<uint8_t, 256> kPunctKind = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if (!(kByteClass[static_cast<std::size_t>(c)] & kPunct)) continue;
    uint8_t k = kPlainPunct;
    switch (c) {
      case '+': case '*': case '/': case '=': case '^': case '<': case '>': case '%': k = kMath; break;
      case '$': case '\\': k = kLatex; break;
      case '{': case '}': case ';': case '`': k = kCode; break;
      case '|': k = kPipe; break;
      case '?': k = kQuestion; break;
      default: break;
    }
    t[static_cast<std::size_t>(c)] = k;
  }
  return t;
}();

struct TokenCounts {
  std::size_t tokens = 0, words = 0, word_chars = 0, numbers = 0;
  std::size_t sentences = 0;  // '.', '!' or '?' followed by a space, a line break or the end
  std::array<std::size_t, kPunctKinds> punct{};      // bytes, by PunctKind
};

// Calls on_token(hash) for every token, in order, and counts them. Tokens: words and
// numbers (maximal runs of letters, digits, '_' and non-ASCII bytes; a number is all
// digits; words hash lowercased), single punctuation characters, and one newline token
// per run of line breaks (with the spaces between). Each byte is read once; word hashes
// are built as the word is read.
template <class OnToken>
TokenCounts for_each_token(std::string_view text, OnToken&& on_token) {
  TokenCounts counts;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    const uint8_t cls = kByteClass[c];
    if (cls & kWord) {
      const std::size_t start = i;
      uint64_t h = kFnvOffset;
      uint8_t all = kDigit;  // stays set while every byte is a digit
      for (; i < n; ++i) {
        const uint8_t next = kByteClass[p[i]];
        if (!(next & kWord)) break;
        all &= next;
        h = (h ^ kLower[p[i]]) * kFnvPrime;
      }
      const std::size_t length = i - start;
      ++counts.words;
      counts.word_chars += length;
      counts.numbers += all != 0;
      on_token(all ? kNumberHashByLength[std::min<std::size_t>(length, 4)] : h);
    } else if (c == '\n') {
      while (i < n && (p[i] == '\n' || (kByteClass[p[i]] & kSpace))) ++i;
      on_token(kNewlineHash);
    } else if (cls & kSpace) {
      ++i;
      continue;  // not a token
    } else {
      ++i;
      const bool next_is_gap = i == n || p[i] == '\n' || (kByteClass[p[i]] & kSpace);
      counts.sentences += next_is_gap && (c == '.' || c == '!' || c == '?');
      ++counts.punct[kPunctKind[c]];
      on_token((kFnvOffset ^ c) * kFnvPrime);  // fnv1a of the one (caseless) character
    }
    ++counts.tokens;
  }
  return counts;
}

struct ByteCounts {
  std::size_t digits = 0, upper = 0, non_ascii = 0;
};

// Counted from 64-byte masks, apart from the token loop, which then does only what needs
// one byte after another.
ByteCounts count_bytes(std::string_view text) {
  const text::BlockedText blocks(text);
  return text::with_popcount_instruction([&]() __attribute__((always_inline)) {
    ByteCounts counts;
    for (std::size_t b = 0; b < blocks.blocks(); ++b) {
      const text::Block64 block = blocks.block(b);
      const uint64_t valid = blocks.valid(b);
      counts.digits += static_cast<std::size_t>(std::popcount(block.in_range('0', '9') & valid));
      counts.upper += static_cast<std::size_t>(std::popcount(block.in_range('A', 'Z') & valid));
      counts.non_ascii += static_cast<std::size_t>(std::popcount(block.high() & valid));
    }
    return counts;
  });
}

// ---- cue words ----------------------------------------------------------------------

enum class Cue : uint8_t { None, Reasoning, Constraint, Negation };

struct CueEntry {
  uint64_t hash = 0;  // of a word, or bigram_hash of two words
  Cue cue = Cue::None;
};

constexpr std::array<CueEntry, 55> cue_entries() {
  std::array<CueEntry, 55> entries{};
  std::size_t n = 0;
  for (std::string_view w : {"why", "explain", "prove", "proof", "derive", "step", "reason", "reasoning", "calculate",
                             "compute", "solve", "determine", "estimate", "analyze", "analyse", "compare",
                             "evaluate", "justify", "implies", "therefore", "infer", "conclude", "deduce", "hence"})
    entries[n++] = {fnv1a(w), Cue::Reasoning};
  for (std::string_view w : {"must", "exactly", "only", "without", "each", "every", "both", "neither", "unless",
                             "require", "required", "requires", "should", "assume"})
    entries[n++] = {fnv1a(w), Cue::Constraint};
  for (std::string_view w : {"not", "except", "false", "incorrect", "never", "no", "cannot", "least", "nor"})
    entries[n++] = {fnv1a(w), Cue::Negation};
  const std::pair<std::string_view, std::string_view> reasoning_pairs[] = {
      {"how", "many"}, {"how", "much"}, {"how", "long"}, {"what", "percentage"}};
  for (const auto& [a, b] : reasoning_pairs) entries[n++] = {bigram_hash(fnv1a(a), fnv1a(b)), Cue::Reasoning};
  const std::pair<std::string_view, std::string_view> constraint_pairs[] = {
      {"at", "least"}, {"at", "most"}, {"no", "more"}, {"no", "less"}};
  for (const auto& [a, b] : constraint_pairs) entries[n++] = {bigram_hash(fnv1a(a), fnv1a(b)), Cue::Constraint};
  if (n != entries.size()) throw "cue_entries: size mismatch";  // fails compilation
  return entries;
}

// A perfect hash table: the multiplier is searched (at compile time) so that every cue
// has a slot of its own, and a lookup is one probe and one comparison, with no branch
// whose outcome depends on the text (about one token in five lands on a taken slot).
constexpr uint32_t kCueSlotBits = 9;
constexpr std::size_t kCueSlots = std::size_t{1} << kCueSlotBits;

struct CueTable {
  uint64_t multiplier = 0;
  std::array<CueEntry, kCueSlots> slots{};

  constexpr std::size_t slot_of(uint64_t hash) const { return static_cast<std::size_t>((hash * multiplier) >> (64 - kCueSlotBits)); }
};

constexpr CueTable kCues = [] {
  for (uint64_t multiplier = kGolden;; multiplier += 2) {
    CueTable t{multiplier, {}};
    bool distinct = true;
    for (const CueEntry& e : cue_entries()) {
      CueEntry& slot = t.slots[t.slot_of(e.hash)];
      distinct = distinct && slot.cue == Cue::None;
      slot = e;
    }
    if (distinct) return t;
  }
}();

// Cue counts are kept in 21-bit fields of one word while tokens are read, one field per
// cue kind: a lookup adds to a register, where `++count[cue]` in memory would wait on the
// increment before it at every token (most tokens count "no cue").
constexpr unsigned kCueFieldBits = 21;
constexpr std::array<uint64_t, 4> kCueIncrement = {0, 1, uint64_t{1} << kCueFieldBits, uint64_t{1} << (2 * kCueFieldBits)};
static_assert(static_cast<int>(Cue::Negation) == 3, "kCueIncrement is indexed by Cue");

uint64_t cue_increment(uint64_t hash) {
  const CueEntry& entry = kCues.slots[kCues.slot_of(hash)];
  return entry.hash == hash ? kCueIncrement[static_cast<std::size_t>(entry.cue)] : 0;
}

// ---- line structure -----------------------------------------------------------------

// "A. text", "A) text", "(A) text", "A: text" with A..J: true, and `option` = the text.
bool parse_choice_line(std::string_view line, std::string_view& option) {
  std::size_t i = 0;
  while (i < line.size() && is_space(line[i])) ++i;
  std::string_view rest = line.substr(i);
  const bool parenthesized = !rest.empty() && rest.front() == '(';
  if (parenthesized) rest.remove_prefix(1);
  if (rest.size() < 2 || rest[0] < 'A' || rest[0] > 'J') return false;
  const char close = rest[1];
  if (parenthesized ? close != ')' : (close != '.' && close != ')' && close != ':')) return false;
  rest.remove_prefix(2);
  if (!rest.empty() && !is_space(rest.front())) return false;
  while (!rest.empty() && is_space(rest.front())) rest.remove_prefix(1);
  option = rest;
  return true;
}

// An option that pairs two short judgements ("True, False", "Wrong, Not wrong").
bool is_paired_judgement(std::string_view option) {
  const auto comma = option.find(',');
  if (comma == std::string_view::npos || option.find(',', comma + 1) != std::string_view::npos) return false;
  return option.size() <= 24 && std::none_of(option.begin(), option.end(), [](char c) { return is_digit(c); });
}

bool ends_with_answer_cue(std::string_view text) {
  while (!text.empty() && (is_space(text.back()) || text.back() == '\n'))
    text.remove_suffix(1);
  constexpr std::string_view kCue = "answer:";
  if (text.size() < kCue.size()) return false;
  const std::string_view tail = text.substr(text.size() - kCue.size());
  return std::equal(tail.begin(), tail.end(), kCue.begin(), [](char a, char b) { return to_lower_ascii(a) == b; });
}

float log_scaled(double count, double scale) { return static_cast<float>(std::log1p(count) / scale); }
float ratio(double part, double whole) { return whole > 0 ? static_cast<float>(part / whole) : 0.0f; }

struct LineStats {
  std::size_t lines = 0, longest_line = 0;
  std::size_t choices = 0, choice_chars = 0, paired_choices = 0, stem_chars = 0;
};

// Lines (found with memchr, which is fast and lines are few): count, longest, choices.
LineStats line_stats(std::string_view text) {
  LineStats s;
  s.stem_chars = text.size();
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    if (!line.empty()) ++s.lines;
    s.longest_line = std::max(s.longest_line, line.size());
    std::string_view option;
    if (parse_choice_line(line, option)) {
      if (s.choices == 0) s.stem_chars = start;
      ++s.choices;
      s.choice_chars += option.size();
      if (is_paired_judgement(option)) ++s.paired_choices;
    }
    start = end + 1;
  }
  return s;
}

// Emits the unigram and bigram of each token in turn (unigram first) and counts cues.
// Buckets are handed to the sink in batches; flush() sends the rest.
class NgramEmitter {
 public:
  NgramEmitter(float value, HashedFeatureSink& sink) : value_(value), sink_(sink) {}

  void add(uint64_t h) {
    if (pending_ + 2 > buckets_.size()) flush();
    buckets_[pending_++] = bucket_of(Family::Unigram, h);
    packed_cues_ += cue_increment(h);
    if (has_previous_) {
      const uint64_t pair = bigram_hash(previous_, h);
      buckets_[pending_++] = bucket_of(Family::Bigram, pair);
      packed_cues_ += cue_increment(pair);
    }
    previous_ = h;
    has_previous_ = true;
  }
  // Also empties the packed cue counts: at most buckets_.size() lookups fill them between
  // flushes, far below 2^kCueFieldBits.
  void flush() {
    sink_.add_each(std::span(buckets_.data(), pending_), value_);
    pending_ = 0;
    for (std::size_t cue = 1; cue < cues_.size(); ++cue)
      cues_[cue] += (packed_cues_ >> (kCueFieldBits * (cue - 1))) & ((uint64_t{1} << kCueFieldBits) - 1);
    packed_cues_ = 0;
  }
  double cue_count(Cue cue) const { return static_cast<double>(cues_[static_cast<std::size_t>(cue)]); }

 private:
  float value_;
  HashedFeatureSink& sink_;
  std::array<uint32_t, 1024> buckets_;  // the first pending_ are waiting for the sink
  std::size_t pending_ = 0;
  std::array<std::size_t, 4> cues_{};  // indexed by Cue (None stays 0)
  uint64_t packed_cues_ = 0;           // since the last flush, kCueFieldBits per cue kind
  uint64_t previous_ = 0;
  bool has_previous_ = false;
};

// Coarse bins of a few dense measures, emitted as hashed categorical features so the
// linear model can bend where a single slope would not fit.
void emit_bins(const LineStats& s, const ByteCounts& bytes, std::size_t chars, HashedFeatureSink& sink) {
  const auto bin = [&](uint64_t kind, std::size_t value) {
    sink.add(bucket_of(Family::Bin, kind * 1000003ull + value), 1.0f);
  };
  bin(1, static_cast<std::size_t>(std::log2(static_cast<double>(chars) + 1.0) * 2.0));
  bin(2, std::min<std::size_t>(s.choices, 8));
  bin(3, std::min<std::size_t>(static_cast<std::size_t>(std::log2(static_cast<double>(bytes.digits) + 1.0)), 8));
  bin(4, std::min<std::size_t>(s.lines, 12));
}

}  // namespace

const std::array<std::string_view, kDenseFeatureCount>& dense_feature_names() {
  static constexpr std::array<std::string_view, kDenseFeatureCount> kNames = {
      "log_chars",         "log_words",          "log_lines",        "digit_ratio",
      "log_numbers",       "math_symbol_ratio",  "log_latex",        "log_code",
      "uppercase_ratio",   "punctuation_ratio",  "non_ascii_ratio",  "log_question_marks",
      "choice_count",      "ends_with_answer",   "log_choice_len",   "paired_choice_share",
      "log_pipes",         "log_reasoning_cues", "log_constraint_cues", "log_negation_cues",
      "log_stem_chars",    "log_longest_line",   "log_turns",        "mean_word_length",
      "log_sentences"};
  return kNames;
}

std::string_view difficulty_window(std::string_view prompt, std::array<char, kDifficultyWindowBytes>& buffer) {
  constexpr std::size_t kHalf = (kDifficultyWindowBytes - 1) / 2;
  if (prompt.size() <= kDifficultyWindowBytes) return prompt;
  const auto continues = [&prompt](std::size_t i) { return (static_cast<unsigned char>(prompt[i]) & 0xC0) == 0x80; };
  // Cut at character boundaries: at most 3 bytes back or on (a UTF-8 character has at most
  // 3 continuation bytes), so that invalid UTF-8 cannot shrink the window.
  constexpr std::size_t kMaxContinuation = 3;
  std::size_t head = kHalf, tail = prompt.size() - kHalf;
  for (std::size_t k = 0; k < kMaxContinuation && continues(head); ++k) --head;
  for (std::size_t k = 0; k < kMaxContinuation && continues(tail); ++k) ++tail;
  std::memcpy(buffer.data(), prompt.data(), head);
  buffer[head] = '\n';
  std::memcpy(buffer.data() + head + 1, prompt.data() + tail, prompt.size() - tail);
  return {buffer.data(), head + 1 + prompt.size() - tail};
}

DenseFeatures extract_difficulty_features(std::string_view prompt, int turns, HashedFeatureSink& sink) {
  std::array<char, kDifficultyWindowBytes> buffer;
  const std::string_view text = difficulty_window(prompt, buffer);
  const LineStats s = line_stats(text);

  // Token hashes are kept (on the stack) while the text is read, because every n-gram's
  // value depends on the token count: unigrams and bigrams weigh 1/sqrt(#tokens) each, so
  // a long prompt does not get a larger n-gram sum just by being long (length has its own
  // features). The window has at most one token per byte.
  std::array<uint64_t, kDifficultyWindowBytes> hashes;  // only the first t.tokens are written
  const TokenCounts t = for_each_token(text, [&, buffered = std::size_t{0}](uint64_t h) mutable { hashes[buffered++] = h; });
  const float ngram_value = t.tokens > 0 ? static_cast<float>(1.0 / std::sqrt(static_cast<double>(t.tokens))) : 0.0f;
  NgramEmitter ngrams(ngram_value, sink);
  for (std::size_t i = 0; i < t.tokens; ++i) ngrams.add(hashes[i]);
  ngrams.flush();
  const auto cue_count = [&ngrams](Cue cue) { return ngrams.cue_count(cue); };
  const ByteCounts bytes = count_bytes(text);
  emit_bins(s, bytes, prompt.size(), sink);

  const double chars = static_cast<double>(text.size());  // of the window: the ratios' denominator
  std::size_t punctuation = 0;
  for (std::size_t kind = kPlainPunct; kind < kPunctKinds; ++kind) punctuation += t.punct[kind];
  DenseFeatures f{};
  auto set = [&f](DenseFeature which, float value) { f[static_cast<std::size_t>(which)] = value; };
  set(DenseFeature::LogChars, log_scaled(static_cast<double>(prompt.size()), 8.0));  // the whole prompt
  set(DenseFeature::LogWords, log_scaled(static_cast<double>(t.words), 7.0));
  set(DenseFeature::LogLines, log_scaled(static_cast<double>(s.lines), 4.0));
  set(DenseFeature::DigitRatio, ratio(static_cast<double>(bytes.digits), chars));
  set(DenseFeature::LogNumbers, log_scaled(static_cast<double>(t.numbers), 4.0));
  set(DenseFeature::MathSymbolRatio, ratio(static_cast<double>(t.punct[kMath]), chars) * 10.0f);
  set(DenseFeature::LogLatexMarkers, log_scaled(static_cast<double>(t.punct[kLatex]), 4.0));
  set(DenseFeature::LogCodeMarkers, log_scaled(static_cast<double>(t.punct[kCode]), 4.0));
  set(DenseFeature::UppercaseRatio, ratio(static_cast<double>(bytes.upper), chars) * 5.0f);
  set(DenseFeature::PunctuationRatio, ratio(static_cast<double>(punctuation), chars) * 5.0f);
  set(DenseFeature::NonAsciiRatio, ratio(static_cast<double>(bytes.non_ascii), chars));
  set(DenseFeature::LogQuestionMarks, log_scaled(static_cast<double>(t.punct[kQuestion]), 2.0));
  set(DenseFeature::ChoiceCount, static_cast<float>(std::min<std::size_t>(s.choices, 8)) / 4.0f);
  set(DenseFeature::EndsWithAnswerCue, ends_with_answer_cue(text) ? 1.0f : 0.0f);
  set(DenseFeature::LogMeanChoiceLength,
      s.choices ? log_scaled(static_cast<double>(s.choice_chars) / static_cast<double>(s.choices), 6.0) : 0.0f);
  set(DenseFeature::PairedChoiceShare, ratio(static_cast<double>(s.paired_choices), static_cast<double>(s.choices)));
  set(DenseFeature::LogPipes, log_scaled(static_cast<double>(t.punct[kPipe]), 2.0));
  set(DenseFeature::LogReasoningCues, log_scaled(cue_count(Cue::Reasoning), 3.0));
  set(DenseFeature::LogConstraintCues, log_scaled(cue_count(Cue::Constraint), 3.0));
  set(DenseFeature::LogNegationCues, log_scaled(cue_count(Cue::Negation), 3.0));
  set(DenseFeature::LogStemChars, log_scaled(static_cast<double>(s.stem_chars), 8.0));
  set(DenseFeature::LogLongestLine, log_scaled(static_cast<double>(s.longest_line), 8.0));
  set(DenseFeature::LogTurns, static_cast<float>(std::log(static_cast<double>(std::max(turns, 1)))));
  set(DenseFeature::MeanWordLength, t.words ? static_cast<float>(t.word_chars) / static_cast<float>(t.words) / 10.0f : 0.0f);
  set(DenseFeature::LogSentences, log_scaled(static_cast<double>(t.sentences), 4.0));
  return f;
}

}  // namespace sb::policies
