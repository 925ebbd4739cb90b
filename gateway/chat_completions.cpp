#include "gateway/chat_completions.h"

#include <memory>

#include "connectors/openai/openai_wire.h"
#include "gateway/http_util.h"
#include "gateway/sse_responder.h"

namespace sb::gateway {
namespace {

using nlohmann::json;

std::string sse_data(const json& payload) { return "data: " + payload.dump() + "\n\n"; }

// OpenAI's stream: one `data:` line per chunk, the usage chunk when asked, then [DONE]; a
// failure after the first chunk is an error object and no [DONE].
class OpenAIStreamEncoder : public StreamEncoder {
 public:
  explicit OpenAIStreamEncoder(bool include_usage) : include_usage_(include_usage) {}

  std::string chunk(const ChatChunk& chunk) override {
    last_ = chunk;
    return sse_data(connectors::openai::chunk_to_json(chunk));
  }
  std::string finish(const connectors::StreamResult& result) override {
    std::string out;
    if (include_usage_) {
      ChatChunk usage_chunk;
      usage_chunk.id = last_.id;
      usage_chunk.model = last_.model;
      usage_chunk.created = last_.created;
      usage_chunk.usage = result.usage.value_or(Usage{});
      out = sse_data(connectors::openai::chunk_to_json(usage_chunk));
    }
    return out + "data: [DONE]\n\n";
  }
  std::string error(const ApiError& e) override { return sse_data(error_body(e)); }

 private:
  bool include_usage_;
  ChatChunk last_;  // id/model/created for the closing usage chunk
};

}  // namespace

void ChatCompletions::handle(const config::TeamConfig& team, const httplib::Request& req,
                             httplib::Response& res) const {
  ChatRequest request = connectors::openai::parse_request(parse_json_body(req));
  auto call = std::make_shared<Call>(pipeline_.begin(team, std::move(request), req, res));
  if (!call->request.stream) {
    Dispatcher::Completion completion = pipeline_.complete(*call);
    send_json(res, 200, connectors::openai::response_to_json(completion.response));
    RequestPipeline::set_answer_headers(res, *call, completion.target);
    return;
  }
  respond_with_stream(
      res, std::make_shared<OpenAIStreamEncoder>(call->request.include_usage),
      [this, call](const auto& on_start, const auto& sink) {
        return pipeline_.stream(*call, on_start, sink).result;
      },
      [call](httplib::Response& r, const std::string& target) { RequestPipeline::set_answer_headers(r, *call, target); });
}

}  // namespace sb::gateway
