#pragma once
// Turns what an upstream answered (a transport failure or a non-2xx HTTP answer) into the
// ProviderError the gateway acts on: retriable or not, and what the client is told.
#include <string>

#include "connectors/http_client.h"
#include "connectors/provider.h"

namespace sb::connectors {

// Retriable statuses: 408, 409, 429, 5xx (529 included).
bool is_retriable_status(long status);

// Whether asking the same target again may help: a retriable failure of the transient kind
// (connect errors, timeouts, 408, 409, 429, 5xx). A target that rejects the gateway's
// credentials, does not know the model or refuses the request's shape is only fallen back from.
bool worth_retrying_same_target(const ProviderError& error);

// `provider` names the target in messages. The error body's message is kept when it is
// the provider's JSON error ({"error": {"message": ...}} or {"error": "..."}). The retry delay
// comes from Retry-After, or else from a Gemini error body's google.rpc.RetryInfo.
ProviderError error_from_status(const std::string& provider, const HttpResponse& response);
ProviderError error_from_transport(const std::string& provider, const TransportError& error);

}  // namespace sb::connectors
