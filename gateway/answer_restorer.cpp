#include "gateway/answer_restorer.h"

namespace sb::gateway {

void restore_response(ChatResponse& response, const std::map<std::string, std::string>& mapping) {
  auto restore = [&](std::string& text) {
    policies::Restorer r(mapping);
    text = r.feed(text) + r.finish();
  };
  for (Choice& choice : response.choices) {
    for (ContentPart& part : choice.message.content)
      if (part.kind == ContentPart::Kind::Text) restore(part.text);
    for (ToolCall& call : choice.message.tool_calls) restore(call.arguments);
  }
}

StreamRestorer::StreamRestorer(std::map<std::string, std::string> mapping, connectors::ChunkSink downstream)
    : mapping_(std::move(mapping)), downstream_(std::move(downstream)), content_(mapping_) {}

policies::Restorer& StreamRestorer::arguments_restorer(int tool_index) {
  return arguments_.try_emplace(tool_index, mapping_).first->second;
}

bool StreamRestorer::operator()(const ChatChunk& chunk) {
  ChatChunk out = chunk;
  const bool last = !chunk.finish_reason.empty();
  out.content = content_.feed(chunk.content);
  if (last) out.content += content_.finish();
  for (ToolCallDelta& delta : out.tool_calls) {
    policies::Restorer& r = arguments_restorer(delta.index);
    delta.arguments = r.feed(delta.arguments);
  }
  if (last)
    for (auto& [index, r] : arguments_) {
      std::string tail = r.finish();
      if (tail.empty()) continue;
      auto it = std::find_if(out.tool_calls.begin(), out.tool_calls.end(), [&](const auto& d) { return d.index == index; });
      if (it == out.tool_calls.end()) it = out.tool_calls.insert(out.tool_calls.end(), ToolCallDelta{index, "", "", ""});
      it->arguments += tail;
    }
  // A chunk whose text is all held back still goes out when it carries anything else.
  const bool empty = out.content.empty() && !out.role && out.finish_reason.empty() && !out.usage &&
                     std::all_of(out.tool_calls.begin(), out.tool_calls.end(),
                                 [](const ToolCallDelta& d) { return d.arguments.empty() && d.id.empty() && d.name.empty(); });
  if (empty && !chunk.content.empty()) return true;
  return downstream_(out);
}

}  // namespace sb::gateway
