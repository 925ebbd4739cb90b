#pragma once
// The pre-tokenizer of a byte-level BPE vocabulary, chosen by `tokenizer.ggml.pre`: a
// chain of split patterns (each stage splits every piece of the previous one) plus the
// vocabulary defaults the reference engine ties to the same name.
#include <string>
#include <string_view>
#include <vector>

#include "local_engine/tokenizer_split.h"

namespace sb::engine {

struct PreTokenizer {
  std::string name;                  // canonical name, e.g. "llama3", "qwen2", "default"
  std::vector<SplitPattern> stages;  // applied in order
  bool ignore_merges = false;        // a word that is itself a token is not merged
  bool clean_spaces = true;          // detokenize drops spaces before ?!., and 's 'm 're 've
  bool add_bos = false;              // default of tokenizer.ggml.add_bos_token
  bool has_bos = true;               // false: the vocabulary has no BOS by default

  // Looks up a `tokenizer.ggml.pre` value ("" = absent = "default"); throws
  // std::runtime_error "unknown pre-tokenizer type: 'x'" for a name it does not know.
  static PreTokenizer from_name(std::string_view name);

  // The words of `text`, as UTF-8 (invalid input bytes became U+FFFD).
  std::vector<std::string> split(std::string_view text) const;
};

}  // namespace sb::engine
