#include "policies/decision/request_redaction.h"

#include <tuple>

#include "policies/privacy/redactor.h"

namespace sb::policies {
namespace {

bool same_place(const FindingLocation& a, const FindingLocation& b) {
  return std::tie(a.message, a.part, a.tool_call) == std::tie(b.message, b.part, b.tool_call);
}

std::string& text_at(ChatRequest& request, const FindingLocation& where) {
  Message& m = request.messages.at(where.message);
  return where.tool_call ? m.tool_calls.at(*where.tool_call).arguments : m.content.at(where.part).text;
}

}  // namespace

RedactedRequest redact_request(const ChatRequest& request, const PrivacyVerdict& verdict) {
  RedactedRequest out{request, {}};
  Redactor redactor;
  // Findings come in request order, grouped by place: redact each place once.
  const auto& all = verdict.findings;
  for (size_t i = 0; i < all.size();) {
    std::vector<Finding> here;
    size_t j = i;
    for (; j < all.size() && same_place(all[j].where, all[i].where); ++j)
      if (all[j].action == config::PrivacyAction::Redact) here.push_back(all[j].finding);
    if (!here.empty()) {
      std::string& text = text_at(out.request, all[i].where);
      text = redactor.redact(text, here);
    }
    i = j;
  }
  out.mapping = redactor.mapping();
  return out;
}

}  // namespace sb::policies
