#include "connectors/local/local_provider.h"

#include <ctime>
#include <random>

#include "connectors/local/local_request.h"

namespace sb::connectors {
namespace {

// "chatcmpl-" + 24 hex digits, like the ids the gateway mints.
std::string completion_id() {
  std::mt19937_64 random(std::random_device{}());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = "chatcmpl-";
  for (int i = 0; i < 24; ++i) id += kHex[random() & 15];
  return id;
}

Usage usage_of(size_t prompt_tokens, const engine::GenerateResult& result) {
  Usage usage;
  usage.prompt_tokens = static_cast<int64_t>(prompt_tokens);
  usage.completion_tokens = static_cast<int64_t>(result.tokens.size());
  return usage;
}

// The request's prompt as the model reads it: its chat template applied, then tokenized
// as llama.cpp's server does (BOS/EOS as the vocabulary asks, and the template's special
// tokens such as <|im_start|> become control tokens). Throws ApiError 400 for what a
// local model cannot read (images).
std::vector<engine::TokenId> prompt_tokens(const local::LoadedModel& model, const ChatRequest& request) {
  const std::string text = model.chat_template.apply(local::template_messages(request), true);
  return model.engine.tokenizer().tokenize(text, true, true);
}

}  // namespace

struct LocalProvider::Call {
  std::vector<engine::TokenId> prompt;
  engine::GenerateParams params;
  std::string id = completion_id();
  int64_t created = static_cast<int64_t>(std::time(nullptr));
};

LocalProvider::LocalProvider(const config::LocalModelConfig& config, LocalProviderOptions options)
    : name_(config.name), options_(std::move(options)), host_(config, options_.max_queued, options_.log) {}

std::optional<int64_t> LocalProvider::count_prompt_tokens(const ChatRequest& request) {
  auto model = host_.acquire_if_loaded();
  if (!model) return std::nullopt;
  try {
    return static_cast<int64_t>(prompt_tokens(**model, request).size());
  } catch (const std::exception&) {
    return std::nullopt;  // e.g. image parts: the call itself answers 400 and says why
  }
}

LocalProvider::Call LocalProvider::prepare(local::LoadedModel& model, const ChatRequest& request) const {
  Call call;
  call.prompt = prompt_tokens(model, request);
  const local::ModelLimits limits{name_, model.engine.context(),
                                  static_cast<int64_t>(model.engine.tokenizer().vocab().n_tokens())};
  call.params = local::generate_params(request, static_cast<int64_t>(call.prompt.size()), limits,
                                       model.chat_template.stop_strings(), std::random_device{}());
  return call;
}

engine::GenerateResult LocalProvider::run(local::LoadedModel& model, const Call& call,
                                          const engine::OnToken& on_token) const {
  try {
    return model.engine.generate(call.prompt, call.params, on_token);
  } catch (const engine::QueueFullError& e) {
    throw ProviderError(503, "service_unavailable", "local_model_busy",
                        "local model '" + name_ + "' is busy: " + e.what() + "; retry later", true,
                        options_.busy_retry_after_ms);
  }
}

ChatResponse LocalProvider::complete(const ChatRequest& request) {
  auto model = host_.acquire();
  const Call call = prepare(*model, request);
  const engine::GenerateResult result = run(*model, call, {});

  ChatResponse response;
  response.id = call.id;
  response.model = request.model;
  response.created = call.created;
  Choice choice;
  choice.message.role = Role::Assistant;
  choice.message.content.push_back({ContentPart::Kind::Text, result.text, {}, {}});
  choice.finish_reason = local::finish_reason(result.stop_reason);
  response.choices.push_back(std::move(choice));
  response.usage = usage_of(call.prompt.size(), result);
  return response;
}

StreamResult LocalProvider::stream(const ChatRequest& request, const ChunkSink& sink) {
  auto model = host_.acquire();
  const Call call = prepare(*model, request);
  auto chunk = [&] {
    ChatChunk c;
    c.id = call.id;
    c.model = request.model;
    c.created = call.created;
    return c;
  };

  bool client_gone = false;
  auto send = [&](ChatChunk c) {
    client_gone = client_gone || !sink(c);
    return !client_gone;
  };
  // The role chunk goes out with the first token, not before: a request refused because
  // the engine is busy has then sent nothing, so it can still fall back to another target.
  bool role_sent = false;
  auto send_role = [&] {
    role_sent = true;
    ChatChunk c = chunk();
    c.role = Role::Assistant;
    return send(std::move(c));
  };
  const engine::GenerateResult result =
      run(*model, call, [&](engine::TokenId, std::string_view text) {
        if (!role_sent && !send_role()) return false;
        if (text.empty()) return true;
        ChatChunk c = chunk();
        c.content = std::string(text);
        return send(std::move(c));
      });

  StreamResult out;
  out.usage = usage_of(call.prompt.size(), result);
  out.cancelled = client_gone;
  if (client_gone) return out;
  out.finish_reason = local::finish_reason(result.stop_reason);
  if (!role_sent) send_role();  // the answer was empty: an end-of-generation token came first
  ChatChunk last = chunk();
  last.finish_reason = out.finish_reason;
  send(std::move(last));
  out.cancelled = client_gone;
  return out;
}

}  // namespace sb::connectors
