#include "local_engine/byte_vocab.h"

#include <cstdio>
#include <string>
#include <vector>

#include "local_engine/gguf_writer.h"

namespace sb::engine {
namespace {

// tokenizer.ggml.token_type values, as the GGUF convention numbers them.
constexpr int32_t kTokenNormal = 1;
constexpr int32_t kTokenUnknown = 2;
constexpr int32_t kTokenControl = 3;
constexpr int32_t kTokenByte = 6;

}  // namespace

void write_byte_vocab(const std::filesystem::path& out) {
  std::vector<std::string> tokens = {"<unk>", "<s>", "</s>"};
  std::vector<int32_t> types = {kTokenUnknown, kTokenControl, kTokenControl};
  for (int b = 0; b < 256; ++b) {
    char piece[8];
    std::snprintf(piece, sizeof piece, "<0x%02X>", b);
    tokens.emplace_back(piece);
    types.push_back(kTokenByte);
  }
  tokens.emplace_back("\xE2\x96\x81");  // "▁", SentencePiece's space: detokenizes to ' '
  types.push_back(kTokenNormal);
  GgufWriter writer;
  writer.set("tokenizer.ggml.model", "llama");
  writer.set("tokenizer.ggml.tokens", GgufValue::string_array(tokens));
  writer.set("tokenizer.ggml.scores", GgufValue::f32_array(std::vector<float>(tokens.size(), 0.0f)));
  writer.set("tokenizer.ggml.token_type", GgufValue::i32_array(types));
  writer.set("tokenizer.ggml.unknown_token_id", uint32_t{0});
  writer.set("tokenizer.ggml.bos_token_id", uint32_t{1});
  writer.set("tokenizer.ggml.eos_token_id", uint32_t{2});
  writer.set("tokenizer.ggml.add_bos_token", true);
  writer.set("tokenizer.ggml.add_eos_token", false);
  writer.write(out);
}

}  // namespace sb::engine
