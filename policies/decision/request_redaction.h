#pragma once
// The copy of a request a remote target receives when the privacy action is `redact`:
// every finding whose action is redact is replaced by a placeholder (<EMAIL_1>), the same
// value by the same placeholder across all messages and tool arguments. The mapping stays
// with the gateway to restore the answer; it is never sent or logged.
#include <map>
#include <string>

#include "core/chat.h"
#include "policies/decision/privacy_verdict.h"

namespace sb::policies {

struct RedactedRequest {
  ChatRequest request;
  std::map<std::string, std::string> mapping;  // placeholder -> original value
};

RedactedRequest redact_request(const ChatRequest& request, const PrivacyVerdict& verdict);

}  // namespace sb::policies
