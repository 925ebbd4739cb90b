#pragma once
// Puts the values a redacted request hid back into the target's answer: placeholders
// (<EMAIL_1>) in content and tool-call arguments become the original values again, in
// whole responses and in streams, where a placeholder may be split across chunks.
#include <algorithm>
#include <map>
#include <string>

#include "connectors/provider.h"
#include "core/chat.h"
#include "policies/privacy/restorer.h"

namespace sb::gateway {

void restore_response(ChatResponse& response, const std::map<std::string, std::string>& mapping);

// Wraps a sink: text held back while it may be the start of a placeholder is released
// with the next chunk, and at the latest with the chunk that carries finish_reason.
class StreamRestorer {
 public:
  StreamRestorer(std::map<std::string, std::string> mapping, connectors::ChunkSink downstream);
  bool operator()(const ChatChunk& chunk);

 private:
  policies::Restorer& arguments_restorer(int tool_index);

  std::map<std::string, std::string> mapping_;
  connectors::ChunkSink downstream_;
  policies::Restorer content_;
  std::map<int, policies::Restorer> arguments_;  // per tool call index
};

}  // namespace sb::gateway
