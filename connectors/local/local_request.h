#pragma once
// A chat request in the local engine's terms: the messages its chat template renders and
// the GenerateParams it decodes with. Pure functions, so every mapping rule is testable
// without a model.
#include <cstdint>
#include <string>
#include <vector>

#include "core/chat.h"
#include "local_engine/chat_template.h"
#include "local_engine/generate.h"

namespace sb::connectors::local {

// The messages as the template sees them (role name, text). Throws ApiError 400
// (param "messages") for image parts: local models read text only.
std::vector<engine::ChatMessage> template_messages(const ChatRequest& request);

struct ModelLimits {
  std::string model;           // for messages
  int64_t context = 0;         // KV positions of a sequence
  int64_t vocab_size = 0;      // valid token ids are [0, vocab_size)
};

// The engine parameters for `request` once its prompt is `prompt_tokens` tokens long.
// `template_stops` (the chat template's end-of-turn strings) are added to the request's
// stop strings; `random_seed` is used when the request has no seed. Without max_tokens
// the answer may use the rest of the context.
// Throws ApiError 400 invalid_request_error naming the parameter: n other than 1, a
// logit_bias token outside the vocabulary, an unsupported response_format, and
// `context_length_exceeded` (param "messages") when prompt + max_tokens do not fit.
engine::GenerateParams generate_params(const ChatRequest& request, int64_t prompt_tokens,
                                       const ModelLimits& limits,
                                       const std::vector<std::string>& template_stops,
                                       uint64_t random_seed);

// OpenAI's finish_reason for how generation ended.
std::string finish_reason(engine::StopReason reason);

}  // namespace sb::connectors::local
