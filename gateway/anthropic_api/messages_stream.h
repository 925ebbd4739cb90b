#pragma once
// A neutral chunk stream written as the Anthropic Messages stream, event by event:
//   message_start                       (on the first chunk)
//   content_block_start / _delta / _stop (text_delta for text, input_json_delta for a
//                                         tool call's arguments; one block per text run or call)
//   message_delta                       (stop_reason and usage, at the end)
//   message_stop
// and `event: error` for a failure after the stream started (no message_stop follows, so a
// cut answer never looks finished).
#include <string>

#include "gateway/sse_responder.h"

namespace sb::gateway::anthropic_api {

class MessagesStreamEncoder : public StreamEncoder {
 public:
  // `model` names the model in message_start when the target's chunks carry none.
  MessagesStreamEncoder(std::string message_id, std::string model)
      : message_id_(std::move(message_id)), model_(std::move(model)) {}

  std::string chunk(const ChatChunk& chunk) override;
  std::string finish(const connectors::StreamResult& result) override;
  std::string error(const ApiError& error) override;

 private:
  enum class Block { None, Text, ToolUse };
  std::string start_message(const ChatChunk& chunk);
  std::string open_block(Block kind, const nlohmann::json& content_block);  // closes the open one first
  std::string close_block();

  std::string message_id_;
  std::string model_;
  bool started_ = false;
  Block open_ = Block::None;
  int block_index_ = -1;  // index of the open (or last) content block
  int open_tool_ = -1;    // the neutral tool-call index the open tool_use block belongs to
  std::string finish_reason_;
};

}  // namespace sb::gateway::anthropic_api
