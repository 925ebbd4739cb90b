// switchboard synth OUT.gguf [--vocab VOCAB.gguf] [--arch llama|qwen2] [--dim N ...]
// Writes a random-weight llama-family model with the tokenizer of a vocab-only GGUF (or a built-in byte vocab).
#include <filesystem>
#include <stdexcept>

#include "gateway/cli/args.h"
#include "gateway/cli/command.h"
#include "local_engine/byte_vocab.h"
#include "local_engine/gguf.h"
#include "local_engine/synth.h"

namespace sb::cli {
namespace {

Args synth_args() {
  Args args;
  args.option({"--vocab"}, "vocab-only GGUF whose tokenizer.* keys are copied (default: a built-in byte vocab)")
      .option({"--arch"}, "llama (default) or qwen2 (adds Q/K/V biases, rope base 1e6)")
      .option({"--dim"}, "embedding length (default 256)")
      .option({"--layers"}, "number of blocks (default 2)")
      .option({"--heads"}, "attention heads (default 8)")
      .option({"--kv-heads"}, "key/value heads (default 4)")
      .option({"--ffn"}, "feed-forward length (default 768)")
      .option({"--ctx"}, "context length (default 2048)")
      .option({"--type"}, "matrix type: f32 (default), f16, bf16, q8_0, q4_0, q4_1, q5_0, q5_1")
      .option({"--seed"}, "random seed, a non-negative integer (default 42)")
      .option({"--rope-base"}, "RoPE frequency base (default 10000; 1e6 for qwen2)")
      .option({"--name"}, "general.name (default synth)")
      .flag({"--tied-embeddings"}, "omit output.weight; the output layer reuses token_embd");
  return args;
}

// The options from the flags; throws UsageError naming the flag for bad values.
engine::SynthOptions parse_synth_options(const Args& args) {
  engine::SynthOptions o;
  o.arch = args.get_or("--arch", o.arch);
  if (o.arch == "qwen2") o.rope_base = 1e6f;
  auto int_flag = [&](const char* flag, int64_t& field) {
    if (auto v = args.get_int(flag)) field = *v;
  };
  int_flag("--dim", o.dim);
  int_flag("--layers", o.layers);
  int_flag("--heads", o.heads);
  int_flag("--kv-heads", o.kv_heads);
  int_flag("--ffn", o.ffn);
  int_flag("--ctx", o.ctx);
  if (auto seed = args.get_int("--seed")) {
    if (*seed < 0) throw UsageError("--seed needs a non-negative integer, got " + std::to_string(*seed));
    o.seed = static_cast<uint64_t>(*seed);
  }
  if (auto base = args.get_double("--rope-base")) o.rope_base = static_cast<float>(*base);
  if (auto type = args.get("--type"); type && !engine::parse_type_name(*type, o.type)) {
    throw UsageError("--type: unknown type '" + *type + "'");
  }
  o.name = args.get_or("--name", o.name);
  o.tie_embeddings = args.has("--tied-embeddings");
  try {
    engine::validate(o);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  return o;
}

// Without --vocab, the built-in byte vocabulary is written beside OUT for the run.
void write_model(const engine::SynthOptions& options, std::filesystem::path vocab_path,
                 const std::filesystem::path& out) {
  std::filesystem::path builtin_vocab;
  if (vocab_path.empty()) {
    builtin_vocab = vocab_path = out.string() + ".byte-vocab.tmp";
    engine::write_byte_vocab(builtin_vocab);
  }
  try {
    engine::write_synth_model(options, engine::GgufFile::open(vocab_path), out);
  } catch (...) {
    std::error_code ignored;
    if (!builtin_vocab.empty()) std::filesystem::remove(builtin_vocab, ignored);
    throw;
  }
  if (!builtin_vocab.empty()) std::filesystem::remove(builtin_vocab);
}

int run_synth(const std::vector<std::string>& argv, Io io) {
  return report_errors("synth", io, [&] {
    Args args = synth_args();
    args.parse(argv);
    if (args.positional().size() != 1) throw UsageError("needs exactly one output file (OUT.gguf)");
    const std::filesystem::path out = args.positional().front();
    const engine::SynthOptions options = parse_synth_options(args);
    write_model(options, args.get_or("--vocab", ""), out);
    io.out << "wrote " << out.string() << " (" << options.arch << ", dim " << options.dim << ", "
           << options.layers << " layers, " << engine::type_name(options.type) << ", "
           << std::filesystem::file_size(out) << " bytes)\n";
    return kExitOk;
  });
}

}  // namespace

Command make_synth_command() {
  return {"synth", "write a random-weight model (GGUF) for tests and benchmarks",
          "usage: switchboard synth OUT.gguf [--vocab VOCAB.gguf] [--arch llama|qwen2]\n"
          "         [--dim N --layers N --heads N --kv-heads N --ffn N --ctx N]\n"
          "         [--type f32|f16|...] [--seed S]\n\n"
          "Writes a llama-family model with random weights and the tokenizer of VOCAB.gguf\n"
          "(without --vocab: a built-in byte-level tokenizer of 259 tokens),\n"
          "using llama.cpp's key and tensor names. Large shapes stream to disk.\n\n" +
              synth_args().describe(),
          run_synth};
}

}  // namespace sb::cli
