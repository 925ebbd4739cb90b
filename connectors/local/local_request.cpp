#include "connectors/local/local_request.h"

#include "core/api_error.h"

namespace sb::connectors::local {
namespace {

[[noreturn]] void bad_request(const std::string& param, const std::string& code, const std::string& message) {
  throw ApiError(400, "invalid_request_error", code, message, param);
}

// The same wording as OpenAI's, so clients that parse it keep working.
[[noreturn]] void context_exceeded(const ModelLimits& limits, int64_t prompt_tokens, int64_t max_tokens) {
  bad_request("messages", "context_length_exceeded",
              "This model's maximum context length is " + std::to_string(limits.context) +
                  " tokens. However, you requested " + std::to_string(prompt_tokens + max_tokens) + " tokens (" +
                  std::to_string(prompt_tokens) + " in the messages, " + std::to_string(max_tokens) +
                  " in the completion). Please reduce the length of the messages or completion.");
}

int32_t completion_budget(const ChatRequest& request, int64_t prompt_tokens, const ModelLimits& limits) {
  if (prompt_tokens >= limits.context) context_exceeded(limits, prompt_tokens, request.max_tokens.value_or(0));
  const int64_t room = limits.context - prompt_tokens;
  if (!request.max_tokens) return static_cast<int32_t>(room);
  if (*request.max_tokens > room) context_exceeded(limits, prompt_tokens, *request.max_tokens);
  return static_cast<int32_t>(*request.max_tokens);
}

// json_object / json_schema: constrained sampling keeps the answer valid JSON (of the schema).
void apply_response_format(const ChatRequest& request, engine::GenerateParams& params) {
  const nlohmann::json& format = request.response_format;
  if (format.is_null()) return;
  const std::string type = format.value("type", "");
  if (type == "text") return;
  if (type == "json_object") {
    params.json_constraint = engine::JsonConstraint::object();
    return;
  }
  if (type == "json_schema") {
    const nlohmann::json& spec = format.contains("json_schema") ? format["json_schema"] : nlohmann::json();
    if (!spec.is_object() || !spec.contains("schema") || !spec["schema"].is_object())
      bad_request("response_format.json_schema.schema", "invalid_value",
                  "response_format of type 'json_schema' needs the schema object in 'json_schema.schema'");
    try {
      params.json_constraint = engine::JsonConstraint::from_schema(spec["schema"].dump());
    } catch (const std::invalid_argument& e) {
      bad_request("response_format.json_schema.schema", "invalid_value",
                  std::string("the schema cannot be enforced by local models: ") + e.what());
    }
    return;
  }
  bad_request("response_format.type", "invalid_value",
              "response_format type '" + type + "' is not supported: use 'text', 'json_object' or 'json_schema'");
}

}  // namespace

std::vector<engine::ChatMessage> template_messages(const ChatRequest& request) {
  std::vector<engine::ChatMessage> out;
  out.reserve(request.messages.size());
  for (const auto& m : request.messages) {
    for (const auto& part : m.content)
      if (part.kind == ContentPart::Kind::ImageUrl)
        bad_request("messages", "unsupported_content",
                    "model '" + request.model + "' reads text only; remove the image parts of the messages");
    out.push_back({to_string(m.role), m.text()});
  }
  return out;
}

engine::GenerateParams generate_params(const ChatRequest& request, int64_t prompt_tokens, const ModelLimits& limits,
                                       const std::vector<std::string>& template_stops, uint64_t random_seed) {
  if (request.n != 1)
    bad_request("n", "unsupported_value",
                "local model '" + limits.model + "' generates one choice per request; n must be 1, got " +
                    std::to_string(request.n));
  engine::GenerateParams params;
  params.max_tokens = completion_budget(request, prompt_tokens, limits);

  engine::SamplerParams& s = params.sampling;  // top_k, min_p: the engine's defaults
  s.temperature = static_cast<float>(request.temperature.value_or(1.0));  // OpenAI's defaults
  s.top_p = static_cast<float>(request.top_p.value_or(1.0));
  s.presence_penalty = static_cast<float>(request.presence_penalty.value_or(0.0));
  s.frequency_penalty = static_cast<float>(request.frequency_penalty.value_or(0.0));
  s.seed = request.seed ? static_cast<uint64_t>(*request.seed) : random_seed;
  for (const auto& [token, bias] : request.logit_bias) {
    if (token >= limits.vocab_size)
      bad_request("logit_bias", "invalid_value",
                  "logit_bias token " + std::to_string(token) + " is outside the vocabulary of model '" +
                      limits.model + "' (" + std::to_string(limits.vocab_size) + " tokens)");
    s.logit_bias.emplace_back(static_cast<int32_t>(token), static_cast<float>(bias));
  }

  params.stop_strings = request.stop;
  params.stop_strings.insert(params.stop_strings.end(), template_stops.begin(), template_stops.end());
  apply_response_format(request, params);
  return params;
}

std::string finish_reason(engine::StopReason reason) {
  switch (reason) {
    case engine::StopReason::MaxTokens:
    case engine::StopReason::ContextFull:
      return "length";
    case engine::StopReason::EndOfGeneration:
    case engine::StopReason::StopString:
    case engine::StopReason::Cancelled:
      break;
  }
  return "stop";
}

}  // namespace sb::connectors::local
