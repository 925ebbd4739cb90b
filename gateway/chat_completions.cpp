#include "gateway/chat_completions.h"

#include <chrono>
#include <memory>
#include <thread>

#include "connectors/openai/openai_wire.h"
#include "gateway/http_util.h"
#include "gateway/ids.h"
#include "gateway/stream_pump.h"

namespace sb::gateway {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::string sse_data(const json& payload) { return "data: " + payload.dump() + "\n\n"; }

int64_t micros(Clock::duration d) { return std::chrono::duration_cast<std::chrono::microseconds>(d).count(); }

}  // namespace

void ChatCompletions::handle(const config::TeamConfig& team, const httplib::Request& req,
                             httplib::Response& res) const {
  const auto started = Clock::now();
  auto body = json::parse(req.body, nullptr, false);
  if (body.is_discarded())
    throw ApiError(400, "invalid_request_error", "invalid_json",
                   "We could not parse the JSON body of your request: it is not valid JSON.");
  ChatRequest request = connectors::openai::parse_request(body);
  policies::RouteDecision decision = policies::decide(request, team, config_, new_id("dec_"));
  res.set_header("x-switchboard-decision", decision.id);
  const int64_t decide_us = micros(Clock::now() - started);
  if (request.stream)
    answer_stream(decision, request, decide_us, res);
  else
    answer_whole(decision, request, decide_us, res);
}

void ChatCompletions::answer_whole(const policies::RouteDecision& decision, const ChatRequest& request,
                                   int64_t decide_us, httplib::Response& res) const {
  Dispatcher::Completion completion = dispatcher_.complete(decision, request);
  const auto answered = Clock::now();
  send_json(res, 200, connectors::openai::response_to_json(completion.response));
  res.set_header("x-switchboard-target", completion.target);
  res.set_header("x-switchboard-overhead-us", std::to_string(decide_us + micros(Clock::now() - answered)));
}

void ChatCompletions::answer_stream(const policies::RouteDecision& decision, const ChatRequest& request,
                                    int64_t decide_us, httplib::Response& res) const {
  auto pump = std::make_shared<StreamPump>();
  // The provider call runs on its own thread so the HTTP status can still be an error when
  // every target fails before the first chunk.
  auto worker = std::make_shared<std::thread>([this, pump, decision, request] {
    ChatChunk last;  // id/model/created for the closing usage chunk
    bool started = false;
    // After the first chunk the status is already 200: the stream ends with an error event
    // (and no [DONE]) so the client never mistakes a cut answer for a whole one.
    auto end_with = [&](const ApiError& e) {
      if (started) pump->push(sse_data(error_body(e)));
      else pump->fail(e);
    };
    try {
      auto outcome = dispatcher_.stream(
          decision, request,
          [&](const std::string& target) {
            started = true;
            pump->start(target);
          },
          [&](const ChatChunk& chunk) {
            last = chunk;
            return pump->push(sse_data(connectors::openai::chunk_to_json(chunk)));
          });
      if (outcome.result.cancelled) return pump->close();
      if (request.include_usage) {
        ChatChunk usage_chunk;
        usage_chunk.id = last.id;
        usage_chunk.model = last.model;
        usage_chunk.created = last.created;
        usage_chunk.usage = outcome.result.usage.value_or(Usage{});
        pump->push(sse_data(connectors::openai::chunk_to_json(usage_chunk)));
      }
      pump->push("data: [DONE]\n\n");
    } catch (const ApiError& e) {
      end_with(e);
    } catch (const std::exception& e) {
      end_with(internal_error(e));
    }
    pump->close();
  });

  if (auto error = pump->wait_for_start()) {
    worker->join();
    throw *error;
  }
  res.status = 200;
  res.set_header("x-switchboard-target", pump->target());
  res.set_header("x-switchboard-overhead-us", std::to_string(decide_us));
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider(
      "text/event-stream",
      [pump](size_t, httplib::DataSink& sink) {
        auto bytes = pump->pop();
        if (!bytes) {
          sink.done();
          return true;
        }
        if (!sink.write(bytes->data(), bytes->size())) {
          pump->cancel();
          return false;
        }
        return true;
      },
      [pump, worker](bool) {
        pump->cancel();  // a no-op after a clean finish; stops the upstream if the client left
        worker->join();
      });
}

}  // namespace sb::gateway
