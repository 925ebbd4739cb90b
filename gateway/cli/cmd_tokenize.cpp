// switchboard tokenize -m MODEL (-p TEXT | -f FILE) [--no-bos] [--parse-special]
// Prints the token ids of a text, as the model's tokenizer produces them.
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "gateway/cli/args.h"
#include "gateway/cli/command.h"
#include "local_engine/gguf.h"
#include "local_engine/tokenizer.h"

namespace sb::cli {
namespace {

Args tokenize_args() {
  Args args;
  args.option({"-m", "--model"}, "GGUF model (or vocab-only GGUF) whose tokenizer to use (required)")
      .option({"-p", "--prompt"}, "the text to tokenize")
      .option({"-f", "--file"}, "a file whose bytes are the text to tokenize")
      .flag({"--no-bos"}, "do not add the special tokens the model adds (BOS, EOS, [CLS]/[SEP])")
      .flag({"--parse-special"}, "text spelling a control token (e.g. <s>) becomes that token");
  return args;
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open the file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw std::runtime_error(path + ": read error");
  return text.str();
}

int run_tokenize(const std::vector<std::string>& argv, Io io) {
  return report_errors("tokenize", io, [&] {
    Args args = tokenize_args();
    args.parse(argv);
    if (!args.positional().empty())
      throw UsageError("unexpected argument '" + args.positional().front() + "'");
    const std::string model_path = args.require("--model");
    if (args.has("--prompt") == args.has("--file"))
      throw UsageError("needs exactly one of -p TEXT or -f FILE");
    const std::string text =
        args.has("--prompt") ? *args.get("--prompt") : read_text_file(*args.get("--file"));
    const engine::GgufFile model = engine::GgufFile::open(model_path);
    const engine::Tokenizer tokenizer = engine::Tokenizer::from_gguf(model);
    const auto ids =
        tokenizer.tokenize(text, /*add_special=*/!args.has("--no-bos"), args.has("--parse-special"));
    std::string line;
    for (engine::TokenId id : ids) {
      if (!line.empty()) line += ' ';
      line += std::to_string(id);
    }
    io.out << line << "\n";
    return kExitOk;
  });
}

}  // namespace

Command make_tokenize_command() {
  return {"tokenize", "print the token ids of a text for a model's tokenizer",
          "usage: switchboard tokenize -m MODEL (-p TEXT | -f FILE) [--no-bos] [--parse-special]\n\n"
          "Prints the token ids, separated by spaces, on one line.\n\n" +
              tokenize_args().describe(),
          run_tokenize};
}

}  // namespace sb::cli
