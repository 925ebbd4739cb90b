#include "local_engine/vocab.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

#include "local_engine/gguf.h"

namespace sb::engine {

namespace {

// GGUF tokenizer.ggml.token_type values.
enum GgufTokenType : int32_t {
  kTypeUndefined = 0,
  kTypeNormal = 1,
  kTypeUnknown = 2,
  kTypeControl = 3,
  kTypeUserDefined = 4,
  kTypeUnused = 5,
  kTypeByte = 6,
};

uint32_t attr_of_type(int32_t type) {
  switch (type) {
    case kTypeNormal: return kAttrNormal;
    case kTypeUnknown: return kAttrUnknown;
    case kTypeControl: return kAttrControl;
    case kTypeUserDefined: return kAttrUserDefined;
    case kTypeUnused: return kAttrUnused;
    case kTypeByte: return kAttrByte;
    default: return kAttrUndefined;
  }
}

// "<｜end▁of▁sentence｜>" and DeepSeek's fill-in-the-middle markers, spelled out in UTF-8.
#define SB_DEEPSEEK_MARKER(word) "<\xEF\xBD\x9C" word "\xEF\xBD\x9C>"
#define SB_SPM_SPACE "\xE2\x96\x81"

// Texts the reference engine treats as end-of-turn tokens when no eot id is given.
constexpr std::array<std::string_view, 10> kEotTexts = {
    "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>", "<EOT>",
    "_<EOT>", SB_DEEPSEEK_MARKER("end" SB_SPM_SPACE "of" SB_SPM_SPACE "sentence"), "<end_of_utterance>"};

// Fill-in-the-middle markers are control tokens; the pad / repo ones also end generation.
constexpr std::array<std::string_view, 22> kFimTexts = {
    "<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<PRE>", SB_SPM_SPACE "<PRE>",
    "<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<SUF>", SB_SPM_SPACE "<SUF>",
    "<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<MID>", SB_SPM_SPACE "<MID>",
    SB_DEEPSEEK_MARKER("fim" SB_SPM_SPACE "begin"), SB_DEEPSEEK_MARKER("fim" SB_SPM_SPACE "hole"),
    SB_DEEPSEEK_MARKER("fim" SB_SPM_SPACE "end"), "<|code_prefix|>", "<|code_suffix|>", "<|code_middle|>",
    "<|prefix|>"};
constexpr std::array<std::string_view, 9> kFimEndTexts = {
    "<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>",
    "<reponame>"};

// Texts of tokens that end generation.
constexpr std::array<std::string_view, 22> kEogTexts = {
    "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>",
    "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]",
    "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>",
    SB_DEEPSEEK_MARKER("end" SB_SPM_SPACE "of" SB_SPM_SPACE "sentence"), "[e~["};

#undef SB_SPM_SPACE
#undef SB_DEEPSEEK_MARKER

[[noreturn]] void fail(std::string_view source, const std::string& what) {
  throw std::runtime_error(std::string(source) + ": " + what);
}

template <size_t N>
bool one_of(const std::array<std::string_view, N>& texts, std::string_view text) {
  return std::find(texts.begin(), texts.end(), text) != texts.end();
}

std::optional<uint32_t> optional_u32(const GgufFile& file, std::string_view key) {
  if (file.find(key) == nullptr) return std::nullopt;
  return file.get_u32(key);
}

std::optional<bool> optional_bool(const GgufFile& file, std::string_view key) {
  if (file.find(key) == nullptr) return std::nullopt;
  return file.get_bool(key);
}

// tokenizer.ggml.scores as float32, also when the file stores integers.
std::vector<float> read_scores(const GgufFile& file) {
  constexpr std::string_view kKey = "tokenizer.ggml.scores";
  const GgufValue* value = file.find(kKey);
  if (value == nullptr) return {};
  if (value->type() == GgufValueType::ARRAY && value->as_array().elem_type == GgufValueType::INT32) {
    const std::vector<int32_t> ints = file.get_i32_array(kKey);
    return std::vector<float>(ints.begin(), ints.end());
  }
  return file.get_f32_array(kKey);
}

}  // namespace

VocabSpec VocabSpec::from_gguf(const GgufFile& file) {
  VocabSpec spec;
  spec.model = file.get_string("tokenizer.ggml.model");
  spec.pre = file.get_string("tokenizer.ggml.pre", "");
  spec.name = file.get_string("general.name", "");
  spec.tokens = file.get_string_array("tokenizer.ggml.tokens");
  spec.scores = read_scores(file);
  spec.token_types = file.get_i32_array("tokenizer.ggml.token_type", {});
  spec.merges = file.get_string_array("tokenizer.ggml.merges", {});
  spec.bos = optional_u32(file, "tokenizer.ggml.bos_token_id");
  spec.eos = optional_u32(file, "tokenizer.ggml.eos_token_id");
  spec.eot = optional_u32(file, "tokenizer.ggml.eot_token_id");
  spec.eom = optional_u32(file, "tokenizer.ggml.eom_token_id");
  spec.unk = optional_u32(file, "tokenizer.ggml.unknown_token_id");
  spec.sep = optional_u32(file, "tokenizer.ggml.seperator_token_id");  // sic: the GGUF key's spelling
  spec.add_bos = optional_bool(file, "tokenizer.ggml.add_bos_token");
  spec.add_eos = optional_bool(file, "tokenizer.ggml.add_eos_token");
  spec.add_space_prefix = optional_bool(file, "tokenizer.ggml.add_space_prefix");
  spec.lowercase = optional_bool(file, "tokenizer.ggml.normalizer.lowercase");
  spec.strip_accents = optional_bool(file, "tokenizer.ggml.normalizer.strip_accents");
  return spec;
}

Vocab Vocab::from_gguf(const GgufFile& file) {
  return Vocab(VocabSpec::from_gguf(file), file.path().string());
}

Vocab::Vocab(const VocabSpec& spec, std::string_view source) {
  // Per-model defaults of the reference engine.
  if (spec.model == "llama") {
    type_ = VocabType::Spm;
    bos_ = 1, eos_ = 2, unk_ = 0;
    add_space_prefix_ = true;
    add_bos_ = true;
  } else if (spec.model == "bert") {
    type_ = VocabType::Wpm;
    bos_ = 101, unk_ = 100, sep_ = 102;
    clean_spaces_ = true;
    add_bos_ = true;
  } else if (spec.model == "gpt2") {
    type_ = VocabType::Bpe;
    try {
      pre_ = PreTokenizer::from_name(spec.pre);
    } catch (const std::runtime_error& e) {
      fail(source, e.what());
    }
    bos_ = pre_.has_bos ? 11 : kNoToken;
    eos_ = 11;
    clean_spaces_ = pre_.clean_spaces;
    add_bos_ = pre_.add_bos;
  } else {
    fail(source, "unsupported tokenizer model '" + spec.model +
                     "' (tokenizer.ggml.model; expected llama, gpt2 or bert)");
  }
  add_space_prefix_ = spec.add_space_prefix.value_or(add_space_prefix_);

  load_tokens(spec, source);
  if (type_ == VocabType::Bpe) load_merges(spec, source);
  apply_special_ids(spec, source);
  lowercase_ = spec.lowercase.value_or(true);
  strip_accents_ = spec.strip_accents.value_or(lowercase_);
  mark_special_looking_tokens();

  for (TokenId id = 0; id < static_cast<TokenId>(tokens_.size()); ++id) {
    if (has_attr(id, kAttrControl | kAttrUserDefined | kAttrUnknown)) special_tokens_.push_back(id);
  }
  std::stable_sort(special_tokens_.begin(), special_tokens_.end(),
                   [&](TokenId a, TokenId b) { return text(a).size() > text(b).size(); });
  apply_model_name_attributes(spec.name);
}

void Vocab::load_tokens(const VocabSpec& spec, std::string_view source) {
  const size_t n = spec.tokens.size();
  if (n == 0) fail(source, "tokenizer.ggml.tokens is empty");
  if (!spec.scores.empty() && spec.scores.size() < n) {
    fail(source, "tokenizer.ggml.scores has " + std::to_string(spec.scores.size()) + " entries for " +
                     std::to_string(n) + " tokens");
  }
  if (!spec.token_types.empty() && spec.token_types.size() < n) {
    fail(source, "tokenizer.ggml.token_type has " + std::to_string(spec.token_types.size()) +
                     " entries for " + std::to_string(n) + " tokens");
  }
  tokens_.resize(n);
  by_text_.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    Token& token = tokens_[i];
    token.text = spec.tokens[i].empty() ? "[EMPTY_" + std::to_string(i) + "]" : spec.tokens[i];
    token.score = spec.scores.empty() ? 0.0f : spec.scores[i];
    token.attr = spec.token_types.empty() ? kAttrNormal : attr_of_type(spec.token_types[i]);
    const auto [it, inserted] = by_text_.emplace(token.text, static_cast<TokenId>(i));
    if (!inserted) {
      fail(source, "duplicate token in vocabulary: '" + token.text + "' has ids " +
                       std::to_string(it->second) + " and " + std::to_string(i));
    }
    max_token_bytes_ = std::max(max_token_bytes_, token.text.size());
  }
}

void Vocab::load_merges(const VocabSpec& spec, std::string_view source) {
  if (spec.merges.empty()) {
    fail(source, "BPE vocabulary without tokenizer.ggml.merges");
  }
  merge_ranks_.reserve(spec.merges.size());
  for (size_t rank = 0; rank < spec.merges.size(); ++rank) {
    const std::string& merge = spec.merges[rank];
    // "left right", split at the first space after the first byte; the first of
    // duplicate merges keeps its rank
    if (merge.find(' ', 1) == std::string::npos) continue;
    merge_ranks_.try_emplace(merge, static_cast<TokenId>(rank));
  }
}

void Vocab::apply_special_ids(const VocabSpec& spec, std::string_view source) {
  const auto n = static_cast<TokenId>(tokens_.size());
  const auto apply = [&](TokenId& id, const std::optional<uint32_t>& given) {
    if (id >= n) id = kNoToken;  // a default outside the vocabulary is disabled
    if (given && *given < static_cast<uint32_t>(n)) id = static_cast<TokenId>(*given);
  };
  apply(bos_, spec.bos);
  apply(eos_, spec.eos);
  apply(eot_, spec.eot);
  apply(eom_, spec.eom);
  apply(unk_, spec.unk);
  apply(sep_, spec.sep);
  add_bos_ = spec.add_bos.value_or(add_bos_);
  add_eos_ = spec.add_eos.value_or(add_eos_);
  if (add_bos_ && bos_ == kNoToken) {
    fail(source, "tokenizer.ggml.add_bos_token is true, but there is no BOS token");
  }
  if (add_eos_ && eos_ == kNoToken) {
    fail(source, "tokenizer.ggml.add_eos_token is true, but there is no EOS token");
  }
  if (type_ == VocabType::Wpm && (bos_ == kNoToken || sep_ == kNoToken || unk_ == kNoToken)) {
    fail(source, "WordPiece vocabulary needs [CLS] (BOS), [SEP] and [UNK] tokens");
  }
}

void Vocab::mark_special_looking_tokens() {
  const auto make_control = [&](TokenId id) { tokens_[static_cast<size_t>(id)].attr |= kAttrControl; };
  for (TokenId id = 0; id < static_cast<TokenId>(tokens_.size()); ++id) {
    const std::string& t = text(id);
    if (eot_ == kNoToken && one_of(kEotTexts, t)) {
      eot_ = id;
      make_control(id);
    }
    if (eom_ == kNoToken && t == "<|eom_id|>") {
      eom_ = id;
      make_control(id);
    }
    if (one_of(kFimTexts, t)) make_control(id);
    if (one_of(kFimEndTexts, t) || one_of(kEogTexts, t)) {
      eog_.push_back(id);
      make_control(id);
    }
  }
  for (TokenId id : {eos_, eot_, eom_}) {
    if (id != kNoToken) eog_.push_back(id);
  }
  std::sort(eog_.begin(), eog_.end());
  eog_.erase(std::unique(eog_.begin(), eog_.end()), eog_.end());
}

void Vocab::apply_model_name_attributes(const std::string& model_name) {
  std::string name = model_name;
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name.find("phi-3") == std::string::npos && name.find("phi3") == std::string::npos) return;
  // Phi-3: special tokens swallow the white space after them, except <unk>, <s> and
  // <|endoftext|>.
  for (TokenId id : special_tokens_) tokens_[static_cast<size_t>(id)].attr |= kAttrRstrip;
  if (const TokenId id = find("</s>"); id != kNoToken) tokens_[static_cast<size_t>(id)].attr |= kAttrRstrip;
  for (std::string_view t : {"<unk>", "<s>", "<|endoftext|>"}) {
    if (const TokenId id = find(t); id != kNoToken) tokens_[static_cast<size_t>(id)].attr &= ~kAttrRstrip;
  }
}

TokenId Vocab::find(std::string_view text) const {
  const auto it = by_text_.find(text);
  return it == by_text_.end() ? kNoToken : it->second;
}

TokenId Vocab::byte_token(uint8_t byte) const {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const char name[6] = {'<', '0', 'x', kHex[byte >> 4], kHex[byte & 15], '>'};
  const TokenId id = find(std::string_view(name, sizeof(name)));
  if (id != kNoToken) return id;
  const char raw = static_cast<char>(byte);
  return find(std::string_view(&raw, 1));
}

int Vocab::merge_rank(std::string_view left, std::string_view right) const {
  std::string key;
  key.reserve(left.size() + 1 + right.size());
  key.append(left).append(1, ' ').append(right);
  const auto it = merge_ranks_.find(key);
  return it == merge_ranks_.end() ? -1 : it->second;
}

bool Vocab::is_eog(TokenId id) const { return std::binary_search(eog_.begin(), eog_.end(), id); }

}  // namespace sb::engine
