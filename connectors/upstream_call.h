#pragma once
// The two shapes of upstream call a provider makes — one JSON answer, or an SSE stream —
// with every failure (transport, non-2xx status, body that is not JSON) turned into the
// ProviderError the gateway acts on.
#include <string>

#include <nlohmann/json.hpp>

#include "connectors/http_client.h"
#include "connectors/provider.h"
#include "connectors/sse_parser.h"

namespace sb::connectors {

// POSTs `request` and returns the parsed 2xx body.
nlohmann::json call_for_json(HttpClient& http, const std::string& provider, const HttpRequest& request);

// POSTs `request` and feeds the 2xx SSE answer to on_event; returning false stops reading.
// on_event may throw (ProviderError for an error event, a malformed payload...): reading
// stops and the exception is rethrown here, after the transfer has been torn down.
void call_for_sse(HttpClient& http, const std::string& provider, const HttpRequest& request,
                  const SseParser::EventCallback& on_event);

// 502, retriable: the upstream answered something that is not its documented format.
ProviderError malformed_upstream(const std::string& provider, const std::string& what);
// 502, retriable: the stream ended (cleanly, at the transport level) before its last event.
ProviderError truncated_stream(const std::string& provider);

}  // namespace sb::connectors
