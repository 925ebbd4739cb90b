#include "policies/decision/request_redaction.h"

#include <map>
#include <vector>

#include "policies/privacy/redactor.h"

namespace sb::policies {
namespace {

std::string& text_at(ChatRequest& request, const FindingLocation& where) {
  Message& m = request.messages.at(where.message);
  return where.tool_call ? m.tool_calls.at(*where.tool_call).arguments : m.content.at(where.part).text;
}

}  // namespace

RedactedRequest redact_request(const ChatRequest& request, const PrivacyVerdict& verdict) {
  RedactedRequest out{request, {}};
  // Each text is redacted once, with all its findings (spans refer to the original text).
  std::map<FindingLocation, std::vector<Finding>> by_place;
  for (const auto& f : verdict.findings)
    if (f.action == config::PrivacyAction::Redact && f.where.redactable) by_place[f.where].push_back(f.finding);
  Redactor redactor;
  for (const auto& [where, findings] : by_place) {
    std::string& text = text_at(out.request, where);
    text = redactor.redact(text, findings);
  }
  out.mapping = redactor.mapping();
  return out;
}

}  // namespace sb::policies
