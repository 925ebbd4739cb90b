#pragma once
// Calling a Provider in tests: the streamed text of a call, and the ProviderError a call throws.
#include <functional>
#include <string>

#include <gtest/gtest.h>

#include "connectors/provider.h"

namespace sb::test {

// Streams `request`, returning the concatenated content; the stream's result goes to *result.
inline std::string collect_text(connectors::Provider& provider, const ChatRequest& request,
                                connectors::StreamResult* result = nullptr) {
  std::string text;
  connectors::StreamResult r = provider.stream(request, [&](const ChatChunk& c) {
    text += c.content;
    return true;
  });
  if (result) *result = r;
  return text;
}

// The ProviderError `call` throws; a test failure (and a placeholder error) when it throws none.
inline connectors::ProviderError error_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const connectors::ProviderError& e) {
    return e;
  }
  ADD_FAILURE() << "no ProviderError";
  return connectors::ProviderError(0, "", "", "none", false);
}

}  // namespace sb::test
