#pragma once
// A loaded llama-family model: the mapped GGUF file, its hyperparameters and views of
// its weights. Immutable after load, so any number of sequences (RunStates) and threads
// may use one Model at once.
#include <filesystem>

#include "local_engine/gguf.h"
#include "local_engine/model_config.h"
#include "local_engine/model_weights.h"

namespace sb::engine {

class Model {
 public:
  // Maps the file and binds the weights; throws std::runtime_error naming the file and
  // what is wrong (unreadable, unsupported architecture, missing or misshapen tensor).
  static Model load(const std::filesystem::path& path);
  explicit Model(GgufFile file);

  const GgufFile& file() const { return file_; }
  const ModelConfig& config() const { return config_; }
  const ModelWeights& weights() const { return weights_; }

 private:
  GgufFile file_;        // owns the mapping the weights point into
  ModelConfig config_;
  ModelWeights weights_;
};

}  // namespace sb::engine
