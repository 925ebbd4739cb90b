# The difficulty scorer's weights (data/difficulty_model.txt) are compiled into sb_policies,
# so DifficultyModel::builtin() needs no file at run time. tools/train_difficulty rewrites
# the data file (scripts/train_difficulty.sh); the next build embeds the new weights.
set(SB_DIFFICULTY_MODEL "${CMAKE_SOURCE_DIR}/data/difficulty_model.txt")
set(SB_DIFFICULTY_MODEL_CPP "${CMAKE_BINARY_DIR}/generated/embedded_difficulty_model.cpp")
add_custom_command(
  OUTPUT "${SB_DIFFICULTY_MODEL_CPP}"
  COMMAND "${CMAKE_COMMAND}" -DINPUT=${SB_DIFFICULTY_MODEL} -DOUTPUT=${SB_DIFFICULTY_MODEL_CPP}
          -DNAMESPACE=sb::policies -DFUNCTION=embedded_difficulty_model_text
          -P "${CMAKE_SOURCE_DIR}/cmake/EmbedText.cmake"
  DEPENDS "${SB_DIFFICULTY_MODEL}" "${CMAKE_SOURCE_DIR}/cmake/EmbedText.cmake"
  COMMENT "Embedding data/difficulty_model.txt"
  VERBATIM)
target_sources(sb_policies PRIVATE "${SB_DIFFICULTY_MODEL_CPP}")

# Fits data/difficulty_model.txt on split=train of ../shared/routing/routellm_eval.jsonl.
add_executable(train_difficulty tools/train_difficulty.cpp tools/logistic_fit.cpp)
target_link_libraries(train_difficulty PRIVATE sb_policies)
