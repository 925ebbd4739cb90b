#include "local_engine/engine_server.h"

#include <gtest/gtest.h>

#include <future>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/paths.h"

namespace sb::engine {
namespace {

std::filesystem::path stories() { return test::shared_dir() / "models" / "stories260K.gguf"; }

GenerateParams greedy(int32_t max_tokens) {
  GenerateParams p;
  p.sampling = SamplerParams::greedy();
  p.max_tokens = max_tokens;
  return p;
}

EngineOptions options(int parallel, int decode_threads, int max_queued = 64, int64_t context = 256) {
  EngineOptions o;
  o.parallel = parallel;
  o.decode_threads = decode_threads;
  o.max_queued = max_queued;
  o.context = context;
  return o;
}

// Opens a gate from the test thread for a generate() callback that waits on it.
class Latch {
 public:
  void open() { promise_.set_value(); }
  void wait() const { future_.wait(); }

 private:
  std::promise<void> promise_;
  std::shared_future<void> future_ = promise_.get_future().share();
};

void wait_until(const std::function<bool()>& condition) {
  while (!condition()) std::this_thread::yield();
}

const char* kPrompts[] = {"Once upon a time", "The cat", "Lily and Ben went to the park", "One day, a little bird",
                          "Tom had a red ball", "The sun was hot", "Mom said", "There was a big tree"};

TEST(EngineServer, GreedyResultEqualsPlainGenerate) {
  EngineServer server(Model::load(stories()), options(2, 1));
  const auto prompt = server.tokenizer().tokenize("Once upon a time", true, true);
  const Model alone_model = Model::load(stories());
  const GenerateResult alone = generate(alone_model, server.tokenizer(), prompt, greedy(40));
  const GenerateResult served = server.generate(prompt, greedy(40));
  EXPECT_EQ(served.tokens, alone.tokens);
  EXPECT_EQ(served.text, alone.text);
  EXPECT_EQ(served.tokens.size(), 40u);
  EXPECT_NE(served.text.find("Lily"), std::string::npos) << served.text;
}

TEST(EngineServer, ReusedSlotForgetsTheEarlierRequest) {
  EngineServer server(Model::load(stories()), options(1, 1));
  const auto long_prompt = server.tokenizer().tokenize("Lily and Ben went to the park with their dog", true, true);
  const auto short_prompt = server.tokenizer().tokenize("The cat", true, true);
  const GenerateResult first_short = server.generate(short_prompt, greedy(30));
  server.generate(long_prompt, greedy(60));  // fills more of the only slot's cache
  EXPECT_EQ(server.generate(short_prompt, greedy(30)).tokens, first_short.tokens);
}

TEST(EngineServer, ConcurrentGreedyRequestsEqualTheSameRequestsAlone) {
  EngineServer server(Model::load(stories()), options(4, 2));
  std::vector<GenerateResult> alone;
  for (const char* p : kPrompts) alone.push_back(server.generate(server.tokenizer().tokenize(p, true, true), greedy(64)));

  std::vector<std::future<GenerateResult>> together;
  for (const char* p : kPrompts)
    together.push_back(std::async(std::launch::async, [&server, p] {
      return server.generate(server.tokenizer().tokenize(p, true, true), greedy(64));
    }));
  for (size_t i = 0; i < together.size(); ++i) {
    const GenerateResult r = together[i].get();
    EXPECT_EQ(r.tokens, alone[i].tokens) << kPrompts[i];
    EXPECT_EQ(r.text, alone[i].text) << kPrompts[i];
  }
  EXPECT_EQ(server.active(), 0);
  EXPECT_EQ(server.queued(), 0);
}

TEST(EngineServer, FullQueueRefusesAtOnceAndAWaitingRequestIsServedLater) {
  EngineServer server(Model::load(stories()), options(1, 1, /*max_queued=*/1));
  const auto prompt = server.tokenizer().tokenize("The cat", true, true);
  Latch release;
  std::promise<void> first_token;
  auto holder = std::async(std::launch::async, [&] {
    bool told = false;
    return server.generate(prompt, greedy(8), [&](TokenId, std::string_view) {
      if (!told) {
        first_token.set_value();
        told = true;
      }
      release.wait();
      return true;
    });
  });
  first_token.get_future().wait();  // the only slot is taken
  auto waiter = std::async(std::launch::async, [&] { return server.generate(prompt, greedy(8)); });
  wait_until([&] { return server.queued() == 1; });

  EXPECT_THROW(server.generate(prompt, greedy(8)), QueueFullError);
  release.open();
  EXPECT_EQ(holder.get().tokens.size(), 8u);
  const GenerateResult waited = waiter.get();
  EXPECT_EQ(waited.tokens, server.generate(prompt, greedy(8)).tokens);
  EXPECT_EQ(server.queued(), 0);
}

TEST(EngineServer, NoQueueRefusesWhenEverySlotIsBusy) {
  EngineServer server(Model::load(stories()), options(1, 1, /*max_queued=*/0));
  const auto prompt = server.tokenizer().tokenize("The cat", true, true);
  Latch release;
  std::promise<void> first_token;
  auto holder = std::async(std::launch::async, [&] {
    bool told = false;
    return server.generate(prompt, greedy(4), [&](TokenId, std::string_view) {
      if (!told) {
        first_token.set_value();
        told = true;
      }
      release.wait();
      return true;
    });
  });
  first_token.get_future().wait();
  try {
    server.generate(prompt, greedy(4));
    ADD_FAILURE() << "expected QueueFullError";
  } catch (const QueueFullError& e) {
    EXPECT_NE(std::string(e.what()).find("busy"), std::string::npos) << e.what();
  }
  release.open();
  holder.get();
}

TEST(EngineServer, CallbackReturningFalseCancelsAndFreesTheSlot) {
  EngineServer server(Model::load(stories()), options(1, 1));
  const auto prompt = server.tokenizer().tokenize("Once upon a time", true, true);
  int calls = 0;
  const GenerateResult r = server.generate(prompt, greedy(100), [&](TokenId, std::string_view) { return ++calls < 3; });
  EXPECT_EQ(r.stop_reason, StopReason::Cancelled);
  EXPECT_EQ(r.tokens.size(), 3u);
  EXPECT_EQ(server.active(), 0);
  EXPECT_EQ(server.generate(prompt, greedy(5)).tokens.size(), 5u);  // the slot is usable again
}

TEST(EngineServer, ErrorsFreeTheSlotToo) {
  EngineServer server(Model::load(stories()), options(1, 1, 64, /*context=*/16));
  EXPECT_EQ(server.context(), 16);
  std::vector<TokenId> too_long(16, 1);
  EXPECT_THROW(server.generate(too_long, greedy(4)), std::invalid_argument);
  EXPECT_THROW(server.generate({}, greedy(4)), std::invalid_argument);
  EXPECT_EQ(server.active(), 0);
  const GenerateResult r = server.generate(server.tokenizer().tokenize("The cat", true, true), greedy(100));
  EXPECT_EQ(r.stop_reason, StopReason::ContextFull);
}

TEST(EngineServer, ContextIsCappedAtTheTrainedLengthAndOptionsAreChecked) {
  EngineServer server(Model::load(stories()), options(2, 8, 64, /*context=*/1 << 20));
  EXPECT_EQ(server.context(), server.model().config().context_length);
  EXPECT_EQ(server.parallel(), 2);
  EXPECT_EQ(server.decode_threads(), 2);  // never more than the slots
  EXPECT_THROW(EngineServer(Model::load(stories()), options(0, 1)), std::invalid_argument);
  EXPECT_THROW(EngineServer(Model::load(stories()), options(1, 1, -1)), std::invalid_argument);
  EXPECT_THROW(EngineServer(Model::load(stories()), options(1, 1, 1, 1)), std::invalid_argument);
}

TEST(DecodeGate, HandsOutAtMostItsPermits) {
  EXPECT_THROW(DecodeGate(0), std::invalid_argument);
  DecodeGate gate(2);
  gate.acquire();
  gate.acquire();
  std::atomic<bool> third{false};
  std::thread t([&] {
    gate.acquire();
    third = true;
    gate.release();
  });
  EXPECT_FALSE(third.load());  // both permits are held (may be checked before t runs: never a false pass)
  gate.release();
  t.join();
  EXPECT_TRUE(third.load());
  gate.release();
  DecodePermit permit(gate);
  EXPECT_EQ(permit.released_during([] { return 7; }), 7);
}

}  // namespace
}  // namespace sb::engine
