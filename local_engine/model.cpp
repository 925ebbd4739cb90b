#include "local_engine/model.h"

namespace sb::engine {

Model Model::load(const std::filesystem::path& path) { return Model(GgufFile::open(path)); }

Model::Model(GgufFile file)
    : file_(std::move(file)),
      config_(ModelConfig::from_gguf(file_)),
      weights_(ModelWeights::from_gguf(file_, config_)) {}

}  // namespace sb::engine
