#include "connectors/local/local_provider.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <string>
#include <vector>

#include "connectors/openai/openai_wire.h"
#include "local_engine/chat_template.h"
#include "local_engine/model.h"
#include "local_engine/tokenizer.h"
#include "tests/support/paths.h"

namespace sb::connectors {
namespace {

config::LocalModelConfig stories_config(int64_t context = 256, int parallel = 4) {
  config::LocalModelConfig c;
  c.name = "stories";
  c.path = test::shared_dir() / "models" / "stories260K.gguf";
  c.context = context;
  c.parallel = parallel;
  c.threads = 2;
  c.chat_template = "llama2";
  return c;
}

// A request as a client sends it, through the real wire parser.
ChatRequest request(const std::string& user_text, nlohmann::json extra = nlohmann::json::object()) {
  nlohmann::json body = {{"model", "stories"}, {"messages", {{{"role", "user"}, {"content", user_text}}}}};
  body.update(extra);
  return openai::parse_request(body);
}

ChatRequest greedy(const std::string& user_text, int max_tokens) {
  return request(user_text, {{"temperature", 0}, {"max_tokens", max_tokens}});
}

std::string text_of(const ChatResponse& r) { return r.choices.at(0).message.text(); }

struct Collected {
  std::vector<ChatChunk> chunks;
  std::string text;
  StreamResult result;
};

Collected collect(LocalProvider& provider, const ChatRequest& r) {
  Collected c;
  c.result = provider.stream(r, [&](const ChatChunk& chunk) {
    c.chunks.push_back(chunk);
    c.text += chunk.content;
    return true;
  });
  return c;
}

// Prompt tokens as the provider must count them: llama2 template, BOS, special tokens parsed.
int64_t prompt_tokens(const std::string& user_text) {
  const auto model = engine::Model::load(stories_config().path);
  const auto tokenizer = engine::Tokenizer::from_gguf(model.file());
  const auto text = engine::ChatTemplate::from_name("llama2").apply({{"user", user_text}}, true);
  return static_cast<int64_t>(tokenizer.tokenize(text, true, true).size());
}

template <typename Call>
ApiError api_error_of(Call&& call) {
  try {
    call();
  } catch (const ApiError& e) {
    return e;
  }
  ADD_FAILURE() << "expected an ApiError";
  return ApiError(0, "", "", "");
}

TEST(LocalProvider, WholeAnswerCarriesTextFinishReasonAndRealUsage) {
  LocalProvider provider(stories_config());
  EXPECT_EQ(provider.locality(), Locality::Device);
  EXPECT_EQ(provider.name(), "stories");
  const ChatResponse r = provider.complete(greedy("Tell me a story.", 24));
  ASSERT_EQ(r.choices.size(), 1u);
  EXPECT_EQ(r.model, "stories");
  EXPECT_EQ(r.id.rfind("chatcmpl-", 0), 0u) << r.id;
  EXPECT_GT(r.created, 1700000000);
  EXPECT_EQ(r.choices[0].message.role, Role::Assistant);
  EXPECT_EQ(r.choices[0].finish_reason, "length");
  EXPECT_GT(text_of(r).size(), 20u) << text_of(r);
  ASSERT_TRUE(r.usage);
  EXPECT_EQ(r.usage->prompt_tokens, prompt_tokens("Tell me a story."));
  EXPECT_EQ(r.usage->completion_tokens, 24);
}

TEST(LocalProvider, StreamSendsRoleFirstThenDeltasThenFinishAndUsage) {
  LocalProvider provider(stories_config());
  const ChatResponse whole = provider.complete(greedy("Tell me a story.", 24));
  const Collected s = collect(provider, greedy("Tell me a story.", 24));
  ASSERT_GE(s.chunks.size(), 3u);
  EXPECT_EQ(s.chunks.front().role, Role::Assistant);
  EXPECT_EQ(s.chunks.front().content, "");
  for (size_t i = 1; i < s.chunks.size(); ++i) EXPECT_FALSE(s.chunks[i].role) << i;
  for (size_t i = 0; i + 1 < s.chunks.size(); ++i) EXPECT_EQ(s.chunks[i].finish_reason, "") << i;
  EXPECT_EQ(s.chunks.back().finish_reason, "length");
  EXPECT_EQ(s.chunks.back().content, "");
  for (const auto& c : s.chunks) {
    EXPECT_EQ(c.id, s.chunks.front().id);
    EXPECT_EQ(c.model, "stories");
  }
  EXPECT_EQ(s.text, text_of(whole));
  EXPECT_FALSE(s.result.cancelled);
  EXPECT_EQ(s.result.finish_reason, "length");
  ASSERT_TRUE(s.result.usage);
  EXPECT_EQ(s.result.usage->prompt_tokens, whole.usage->prompt_tokens);
  EXPECT_EQ(s.result.usage->completion_tokens, 24);
}

TEST(LocalProvider, SeedMakesSampledAnswersRepeatable) {
  LocalProvider provider(stories_config());
  auto sampled = [&](int seed) {
    return text_of(provider.complete(request("Tell me a story.", {{"temperature", 1.0}, {"seed", seed}, {"max_tokens", 40}})));
  };
  EXPECT_EQ(sampled(7), sampled(7));
  EXPECT_NE(sampled(7), sampled(8));
}

TEST(LocalProvider, StopStringEndsTheAnswerBeforeIt) {
  LocalProvider provider(stories_config());
  const std::string full = text_of(provider.complete(greedy("Tell me a story.", 40)));
  const size_t cut = full.find(' ', full.size() / 2);
  ASSERT_NE(cut, std::string::npos) << full;
  const std::string stop = full.substr(cut, 4);
  const ChatResponse r = provider.complete(request("Tell me a story.", {{"temperature", 0}, {"max_tokens", 40}, {"stop", stop}}));
  EXPECT_EQ(text_of(r), full.substr(0, full.find(stop)));
  EXPECT_EQ(r.choices[0].finish_reason, "stop");
}

TEST(LocalProvider, MaxCompletionTokensAndLogitBiasAreApplied) {
  LocalProvider provider(stories_config());
  const ChatResponse plain = provider.complete(request("Tell me a story.", {{"temperature", 0}, {"max_completion_tokens", 5}}));
  EXPECT_EQ(plain.usage->completion_tokens, 5);
  // Ban every token the greedy answer starts with: the answer must change.
  const auto model = engine::Model::load(stories_config().path);
  const auto tokenizer = engine::Tokenizer::from_gguf(model.file());
  const std::string first = text_of(plain);
  nlohmann::json bias = nlohmann::json::object();
  for (engine::TokenId t : tokenizer.tokenize(first.substr(0, 3), false, false)) bias[std::to_string(t)] = -100;
  const ChatResponse biased =
      provider.complete(request("Tell me a story.", {{"temperature", 0}, {"max_tokens", 5}, {"logit_bias", bias}}));
  EXPECT_NE(text_of(biased).substr(0, 3), first.substr(0, 3)) << text_of(biased);
  // Penalties change a greedy answer that repeats itself.
  const ChatResponse penalized = provider.complete(
      request("Tell me a story.", {{"temperature", 0}, {"max_tokens", 60}, {"frequency_penalty", 2.0}, {"presence_penalty", 2.0}}));
  EXPECT_NE(text_of(penalized), text_of(provider.complete(greedy("Tell me a story.", 60))));
}

TEST(LocalProvider, ResponseFormatJsonIsEnforcedByConstrainedSampling) {
  LocalProvider provider(stories_config());
  const ChatResponse object = provider.complete(
      request("Tell me a story.", {{"temperature", 0}, {"max_tokens", 60}, {"response_format", {{"type", "json_object"}}}}));
  const auto parsed = nlohmann::json::parse(text_of(object), nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << text_of(object);
  EXPECT_TRUE(parsed.is_object()) << text_of(object);

  const nlohmann::json schema = {{"type", "object"},
                                 {"properties", {{"name", {{"type", "string"}}}, {"age", {{"type", "integer"}}}}},
                                 {"required", {"name", "age"}},
                                 {"additionalProperties", false}};
  const ChatResponse typed = provider.complete(request(
      "Tell me a story.",
      {{"temperature", 0.8}, {"seed", 3}, {"max_tokens", 80},
       {"response_format", {{"type", "json_schema"}, {"json_schema", {{"name", "person"}, {"schema", schema}}}}}}));
  const auto person = nlohmann::json::parse(text_of(typed), nullptr, false);
  ASSERT_FALSE(person.is_discarded()) << text_of(typed);
  EXPECT_TRUE(person["name"].is_string()) << text_of(typed);
  EXPECT_TRUE(person["age"].is_number_integer()) << text_of(typed);
  EXPECT_EQ(person.size(), 2u) << text_of(typed);

  ApiError no_schema = api_error_of(
      [&] { provider.complete(request("hi", {{"response_format", {{"type", "json_schema"}, {"json_schema", {{"name", "x"}}}}}})); });
  EXPECT_EQ(no_schema.status(), 400);
  EXPECT_EQ(no_schema.param(), "response_format.json_schema.schema");
}

TEST(LocalProvider, RefusesWhatALocalModelCannotDo) {
  LocalProvider provider(stories_config());
  ApiError n = api_error_of([&] { provider.complete(request("hi", {{"n", 2}})); });
  EXPECT_EQ(n.status(), 400);
  EXPECT_EQ(n.param(), "n");
  ApiError bias = api_error_of([&] { provider.complete(request("hi", {{"logit_bias", {{"512", 5}}}})); });
  EXPECT_EQ(bias.status(), 400);
  EXPECT_EQ(bias.param(), "logit_bias");
  EXPECT_NE(std::string(bias.what()).find("512 tokens"), std::string::npos) << bias.what();
  ChatRequest with_image = request("hi");
  with_image.messages[0].content.push_back({ContentPart::Kind::ImageUrl, "", "https://example.com/a.png", ""});
  ApiError image = api_error_of([&] { provider.complete(with_image); });
  EXPECT_EQ(image.status(), 400);
  EXPECT_EQ(image.param(), "messages");
  ApiError format = api_error_of([&] { provider.complete(request("hi", {{"response_format", {{"type", "xml"}}}})); });
  EXPECT_EQ(format.status(), 400);
  EXPECT_EQ(format.param(), "response_format.type");
}

TEST(LocalProvider, PromptPlusMaxTokensOverTheContextIsContextLengthExceeded) {
  LocalProvider provider(stories_config(/*context=*/64));
  const int64_t prompt = prompt_tokens("Tell me a story.");
  ApiError e = api_error_of([&] { provider.complete(request("Tell me a story.", {{"max_tokens", 100}})); });
  EXPECT_EQ(e.status(), 400);
  EXPECT_EQ(e.code(), "context_length_exceeded");
  EXPECT_EQ(e.param(), "messages");
  EXPECT_EQ(std::string(e.what()),
            "This model's maximum context length is 64 tokens. However, you requested " + std::to_string(prompt + 100) +
                " tokens (" + std::to_string(prompt) + " in the messages, 100 in the completion). Please reduce the "
                "length of the messages or completion.");
  // Exactly filling the context is allowed; without max_tokens the answer may use the rest.
  EXPECT_EQ(provider.complete(greedy("Tell me a story.", static_cast<int>(64 - prompt))).choices[0].finish_reason,
            "length");
  const ChatResponse rest = provider.complete(request("Tell me a story.", {{"temperature", 0}}));
  EXPECT_LE(rest.usage->prompt_tokens + rest.usage->completion_tokens, 64);
  // A prompt alone longer than the context.
  std::string long_text;
  for (int i = 0; i < 40; ++i) long_text += "The cat sat. ";
  ApiError too_long = api_error_of([&] { provider.complete(request(long_text)); });
  EXPECT_EQ(too_long.code(), "context_length_exceeded");
}

TEST(LocalProvider, BusyEngineIsARetriable503WithRetryAfter) {
  LocalProviderOptions options;
  options.max_queued = 0;
  LocalProvider provider(stories_config(256, /*parallel=*/1), options);
  std::promise<void> streaming;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  auto holder = std::async(std::launch::async, [&] {
    bool told = false;
    return provider.stream(greedy("Tell me a story.", 8), [&](const ChatChunk&) {
      if (!told) {
        streaming.set_value();
        told = true;
      }
      released.wait();
      return true;
    });
  });
  streaming.get_future().wait();
  try {
    provider.complete(greedy("hi", 4));
    ADD_FAILURE() << "expected a ProviderError";
  } catch (const ProviderError& e) {
    EXPECT_EQ(e.status(), 503);
    EXPECT_EQ(e.code(), "local_model_busy");
    EXPECT_TRUE(e.retriable());
    EXPECT_EQ(e.retry_after_ms(), 1000);
  }
  bool sent_anything = false;  // a refused stream sends nothing, so it can fall back
  EXPECT_THROW(provider.stream(greedy("hi", 4), [&](const ChatChunk&) { return sent_anything = true; }), ProviderError);
  EXPECT_FALSE(sent_anything);
  release.set_value();
  EXPECT_EQ(holder.get().usage->completion_tokens, 8);
}

TEST(LocalProvider, ClientGoingAwayStopsGeneration) {
  LocalProvider provider(stories_config());
  int chunks = 0;
  const StreamResult r = provider.stream(greedy("Tell me a story.", 200), [&](const ChatChunk& c) {
    EXPECT_EQ(c.finish_reason, "");
    return ++chunks < 3;
  });
  EXPECT_TRUE(r.cancelled);
  EXPECT_EQ(chunks, 3);
  ASSERT_TRUE(r.usage);
  EXPECT_LE(r.usage->completion_tokens, 3);
}

TEST(LocalProvider, EightConcurrentGreedyStreamsEqualTheSameRequestsAlone) {
  LocalProvider provider(stories_config(256, /*parallel=*/4));
  const std::vector<std::string> prompts = {"Tell me a story.", "Once upon a time", "The cat", "Tell me about a dog.",
                                            "Lily went to the park.", "A big red ball", "Tom was sad.", "Sing a song."};
  std::vector<std::string> alone;
  for (const auto& p : prompts) alone.push_back(collect(provider, greedy(p, 64)).text);
  std::vector<std::future<Collected>> together;
  for (const auto& p : prompts)
    together.push_back(std::async(std::launch::async, [&provider, p] { return collect(provider, greedy(p, 64)); }));
  for (size_t i = 0; i < prompts.size(); ++i) {
    const Collected c = together[i].get();
    EXPECT_EQ(c.text, alone[i]) << prompts[i];
    EXPECT_EQ(c.result.finish_reason, "length");
    EXPECT_EQ(c.result.usage->completion_tokens, 64);
  }
}

TEST(LocalProvider, CountsPromptTokensOnlyWithALoadedModelAndNeverLoadsForIt) {
  config::LocalModelConfig c = stories_config();
  c.lazy_load = true;
  LocalProvider provider(c);
  EXPECT_EQ(provider.count_prompt_tokens(greedy("Once upon a time", 2)), std::nullopt);
  EXPECT_FALSE(provider.host().loaded());
  provider.load();
  EXPECT_EQ(provider.count_prompt_tokens(greedy("Once upon a time", 2)), prompt_tokens("Once upon a time"));
  EXPECT_EQ(provider.count_prompt_tokens(greedy("Once upon a time", 2)),
            provider.complete(greedy("Once upon a time", 2)).usage->prompt_tokens);
  // An image cannot be rendered for a local model: no count (the call itself answers 400).
  const ChatRequest image = request("", {{"messages", {{{"role", "user"}, {"content", {{{"type", "image_url"},
                                                          {"image_url", {{"url", "https://x/y.png"}}}}}}}}}});
  EXPECT_EQ(provider.count_prompt_tokens(image), std::nullopt);
}

TEST(LocalProvider, LazyModelLoadsOnFirstUseAndUnloadsAfterKeepAlive) {
  config::LocalModelConfig c = stories_config();
  c.lazy_load = true;
  c.keep_alive_s = 300;
  std::vector<std::string> log;
  std::mutex log_mutex;
  LocalProviderOptions options;
  options.log = [&](const std::string& line) {
    std::lock_guard lock(log_mutex);
    log.push_back(line);
  };
  LocalProvider provider(c, options);
  EXPECT_FALSE(provider.host().loaded());
  provider.complete(greedy("hi", 2));
  EXPECT_TRUE(provider.host().loaded());
  const auto now = local::ModelHost::Clock::now();
  EXPECT_FALSE(provider.host().unload_if_idle(now + std::chrono::seconds(299)));
  EXPECT_TRUE(provider.host().unload_if_idle(now + std::chrono::seconds(301)));
  EXPECT_FALSE(provider.host().loaded());
  EXPECT_EQ(provider.complete(greedy("hi", 2)).usage->completion_tokens, 2);  // loads again
  std::lock_guard lock(log_mutex);
  ASSERT_EQ(log.size(), 5u);
  EXPECT_EQ(log[0], "loading local model 'stories' from " + c.path.string());
  EXPECT_EQ(log[1].rfind("local model 'stories' ready in ", 0), 0u) << log[1];
  EXPECT_NE(log[1].find("5 layers"), std::string::npos) << log[1];
  EXPECT_NE(log[1].find("chat template llama2"), std::string::npos) << log[1];
  EXPECT_EQ(log[2], "local model 'stories' unloaded after 300 s idle");
}

TEST(LocalProvider, ModelInUseOrWithoutKeepAliveStaysLoaded) {
  LocalProvider provider(stories_config());
  provider.load();
  const auto later = local::ModelHost::Clock::now() + std::chrono::hours(24);
  EXPECT_FALSE(provider.host().unload_if_idle(later));  // no keep_alive_s
  config::LocalModelConfig c = stories_config();
  c.keep_alive_s = 1;
  LocalProvider kept(c);
  auto lease = kept.host().acquire();
  EXPECT_FALSE(kept.host().unload_if_idle(later));  // a request holds it
}

TEST(LocalProvider, ModelThatCannotLoadIsARetriable503) {
  config::LocalModelConfig c = stories_config();
  c.path = test::shared_dir() / "models" / "missing.gguf";
  LocalProvider provider(c);
  try {
    provider.complete(greedy("hi", 2));
    ADD_FAILURE() << "expected a ProviderError";
  } catch (const ProviderError& e) {
    EXPECT_EQ(e.status(), 503);
    EXPECT_EQ(e.code(), "local_model_unavailable");
    EXPECT_TRUE(e.retriable());
    EXPECT_NE(std::string(e.what()).find("missing.gguf"), std::string::npos) << e.what();
  }
  c = stories_config();
  c.chat_template = "no-such-template";
  EXPECT_THROW(LocalProvider(c).load(), ProviderError);
}

}  // namespace
}  // namespace sb::connectors
