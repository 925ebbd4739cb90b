#pragma once
// The labelled routing prompts of ../shared/routing/routellm_eval.jsonl: one JSON object
// per line with id, benchmark, subject, split ("train" | "test"), prompt, weak_correct,
// strong_correct. Read by the difficulty trainer (train split only) and its evaluation test.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace sb::policies {

struct LabeledPrompt {
  std::string id;
  std::string benchmark;
  std::string subject;
  std::string prompt;
  bool weak_correct = false;
  bool strong_correct = false;
};

// The rows whose split equals `split`, in file order. Throws std::runtime_error naming the
// file (and line) when it cannot be read or a row lacks a field.
std::vector<LabeledPrompt> load_routing_split(const std::filesystem::path& jsonl, std::string_view split);

}  // namespace sb::policies
