#pragma once
// The text of data/difficulty_model.txt, compiled into sb_policies by
// cmake/DifficultyModel.cmake (generated source in the build tree).
#include <string_view>

namespace sb::policies {

std::string_view embedded_difficulty_model_text();

}  // namespace sb::policies
