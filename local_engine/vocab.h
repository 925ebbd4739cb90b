#pragma once
// A tokenizer vocabulary: the token table, token attributes, special token ids and the
// tokenizer flags, with the reference engine's defaults per tokenizer model where the
// GGUF `tokenizer.ggml.*` keys are absent. Immutable once built; thread-safe to share.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "local_engine/tokenizer_pre.h"

namespace sb::engine {

class GgufFile;

using TokenId = int32_t;
inline constexpr TokenId kNoToken = -1;

enum class VocabType {
  Spm,  // "llama": SentencePiece, score-driven merges with byte fallback
  Bpe,  // "gpt2": byte-level BPE with merge ranks and a pre-tokenizer
  Wpm,  // "bert": WordPiece, greedy longest match
};

// Token attribute bits (the reference engine's llama_token_attr).
enum TokenAttr : uint32_t {
  kAttrUndefined = 0,
  kAttrUnknown = 1u << 0,
  kAttrUnused = 1u << 1,
  kAttrNormal = 1u << 2,
  kAttrControl = 1u << 3,
  kAttrUserDefined = 1u << 4,
  kAttrByte = 1u << 5,
  kAttrLstrip = 1u << 7,  // a special token eats white space on its left
  kAttrRstrip = 1u << 8,  // ... and on its right
};

// The `tokenizer.ggml.*` values a vocabulary is built from; optional fields are the
// keys that may be absent.
struct VocabSpec {
  std::string model;                 // tokenizer.ggml.model: "llama", "gpt2", "bert"
  std::string pre;                   // tokenizer.ggml.pre ("" when absent)
  std::string name;                  // general.name (some models get per-token attributes by name)
  std::vector<std::string> tokens;   // [n_vocab] tokenizer.ggml.tokens
  std::vector<float> scores;         // [n_vocab] or empty (all 0)
  std::vector<int32_t> token_types;  // [n_vocab] GGUF token types, or empty (all normal)
  std::vector<std::string> merges;   // [n_merges] "left right", rank = index (BPE only)
  std::optional<uint32_t> bos, eos, eot, eom, unk, sep;
  std::optional<bool> add_bos, add_eos, add_space_prefix;
  std::optional<bool> lowercase, strip_accents;  // WordPiece normalizer

  // Reads the keys; throws std::runtime_error naming the file and key on a missing
  // tokenizer.ggml.model / tokens or a value of the wrong type.
  static VocabSpec from_gguf(const GgufFile& file);
};

class Vocab {
 public:
  // Validates and applies the defaults. Throws std::runtime_error (prefixed with
  // `source`, e.g. the file name) for an unknown tokenizer model or pre-tokenizer,
  // duplicate tokens, arrays shorter than the token list, missing BPE merges, or
  // add_bos/add_eos requested without the token.
  Vocab(const VocabSpec& spec, std::string_view source);
  static Vocab from_gguf(const GgufFile& file);

  VocabType type() const { return type_; }
  const PreTokenizer& pre_tokenizer() const { return pre_; }  // BPE only
  size_t n_tokens() const { return tokens_.size(); }
  size_t max_token_bytes() const { return max_token_bytes_; }

  const std::string& text(TokenId id) const { return tokens_.at(static_cast<size_t>(id)).text; }
  float score(TokenId id) const { return tokens_.at(static_cast<size_t>(id)).score; }
  uint32_t attr(TokenId id) const { return tokens_.at(static_cast<size_t>(id)).attr; }
  bool has_attr(TokenId id, uint32_t bits) const { return (attr(id) & bits) != 0; }

  TokenId find(std::string_view text) const;  // kNoToken when absent
  // SentencePiece byte token <0xXX> (or, failing that, the byte itself as a token);
  // kNoToken when the vocabulary has neither.
  TokenId byte_token(uint8_t byte) const;
  // Rank of merging `left` and `right` (lower merges first); -1 when not a merge.
  int merge_rank(std::string_view left, std::string_view right) const;

  TokenId bos() const { return bos_; }
  TokenId eos() const { return eos_; }
  TokenId eot() const { return eot_; }
  TokenId unk() const { return unk_; }
  TokenId sep() const { return sep_; }
  bool is_eog(TokenId id) const;  // ends generation: EOS, EOT, EOM and their look-alikes

  bool add_bos() const { return add_bos_; }
  bool add_eos() const { return add_eos_; }
  bool add_space_prefix() const { return add_space_prefix_; }
  bool clean_spaces() const { return clean_spaces_; }
  bool lowercase() const { return lowercase_; }
  bool strip_accents() const { return strip_accents_; }

  // Control, user-defined and unknown tokens, longest text first: the order in which
  // the tokenizer cuts them out of raw text.
  const std::vector<TokenId>& special_tokens() const { return special_tokens_; }

 private:
  struct Token {
    std::string text;
    float score = 0.0f;
    uint32_t attr = kAttrNormal;
  };
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using TextIndex = std::unordered_map<std::string, TokenId, StringHash, std::equal_to<>>;

  void load_tokens(const VocabSpec& spec, std::string_view source);
  void load_merges(const VocabSpec& spec, std::string_view source);
  void apply_special_ids(const VocabSpec& spec, std::string_view source);
  void mark_special_looking_tokens();
  void apply_model_name_attributes(const std::string& model_name);

  VocabType type_ = VocabType::Spm;
  PreTokenizer pre_;
  std::vector<Token> tokens_;  // [n_vocab]
  TextIndex by_text_;          // token text -> id
  TextIndex merge_ranks_;      // "left right" -> rank
  size_t max_token_bytes_ = 0;

  TokenId bos_ = kNoToken, eos_ = kNoToken, eot_ = kNoToken, eom_ = kNoToken;
  TokenId unk_ = kNoToken, sep_ = kNoToken;
  std::vector<TokenId> eog_;  // sorted

  bool add_bos_ = false;
  bool add_eos_ = false;
  bool add_space_prefix_ = false;
  bool clean_spaces_ = false;
  bool lowercase_ = true;
  bool strip_accents_ = true;
  std::vector<TokenId> special_tokens_;
};

}  // namespace sb::engine
