// The four limits of an upstream call, against a real local HTTP server.
#include "connectors/http_client.h"

#include <gtest/gtest.h>

#include "tests/support/fake_openai_server.h"

namespace sb::connectors {
namespace {

using test::FakeOpenAIServer;

HttpRequest streaming_post(const FakeOpenAIServer& fake) {
  HttpRequest r;
  r.url = fake.base_url() + "/chat/completions";
  r.headers = {"Content-Type: application/json"};
  r.body = R"({"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]})";
  r.total_timeout_ms = 20000;
  return r;
}

TransportError::Kind failure_kind(HttpClient& http, const HttpRequest& request, std::string* message,
                                  std::string* received = nullptr) {
  try {
    http.send_streaming(request, [&](std::string_view bytes) {
      if (received) received->append(bytes);
      return true;
    });
  } catch (const TransportError& e) {
    *message = e.what();
    return e.kind();
  }
  ADD_FAILURE() << "the call did not fail";
  return TransportError::Kind::Other;
}

TEST(HttpClientTimeouts, FirstByteTimeoutStopsASilentUpstream) {
  FakeOpenAIServer fake;
  FakeOpenAIServer::Reply slow;
  slow.delay_ms = 1500;
  fake.enqueue(slow);
  HttpClient http;
  HttpRequest request = streaming_post(fake);
  request.first_byte_timeout_ms = 100;
  std::string message;
  EXPECT_EQ(failure_kind(http, request, &message), TransportError::Kind::Timeout);
  EXPECT_NE(message.find("first-byte timeout"), std::string::npos) << message;
}

TEST(HttpClientTimeouts, IdleTimeoutStopsAStalledAnswer) {
  FakeOpenAIServer fake;
  FakeOpenAIServer::Reply stalling;
  stalling.sse_events = {R"({"n":1})", R"({"n":2})"};
  stalling.event_interval_ms = 1500;
  fake.enqueue(stalling);
  HttpClient http;
  HttpRequest request = streaming_post(fake);
  request.first_byte_timeout_ms = 5000;  // the answer starts at once; only the pause is too long
  request.idle_timeout_ms = 100;
  std::string message, received;
  EXPECT_EQ(failure_kind(http, request, &message, &received), TransportError::Kind::Timeout);
  EXPECT_NE(message.find("idle timeout"), std::string::npos) << message;
  EXPECT_EQ(received, "data: {\"n\":1}\n\n") << "what arrived before the stall was delivered";
}

TEST(HttpClientTimeouts, ASteadyAnswerSlowerThanTheIdleLimitInTotalIsFine) {
  FakeOpenAIServer fake;
  FakeOpenAIServer::Reply steady;
  steady.sse_events = {R"({"n":1})", R"({"n":2})", R"({"n":3})"};
  steady.event_interval_ms = 20;
  fake.enqueue(steady);
  HttpClient http;
  HttpRequest request = streaming_post(fake);
  request.first_byte_timeout_ms = 5000;
  request.idle_timeout_ms = 5000;
  std::string received;
  HttpResponse response = http.send_streaming(request, [&](std::string_view bytes) {
    received.append(bytes);
    return true;
  });
  EXPECT_EQ(response.status, 200);
  EXPECT_NE(received.find("[DONE]"), std::string::npos);
}

TEST(HttpClientTimeouts, AConnectionDroppedMidBodyIsATransportError) {
  FakeOpenAIServer fake;
  FakeOpenAIServer::Reply reset;
  reset.sse_events = {R"({"n":1})"};
  reset.reset_after_events = true;
  fake.enqueue(reset);
  HttpClient http;
  std::string message, received;
  EXPECT_EQ(failure_kind(http, streaming_post(fake), &message, &received), TransportError::Kind::Other);
  EXPECT_EQ(received, "data: {\"n\":1}\n\n");
}

TEST(HttpClientTimeouts, ProviderConfigSetsAllFourLimits) {
  config::ProviderConfig p;
  p.timeout_ms = 90000;
  p.connect_timeout_ms = 1500;
  p.idle_timeout_ms = 7000;
  HttpRequest r;
  set_timeouts(r, p);
  EXPECT_EQ(r.total_timeout_ms, 90000);
  EXPECT_EQ(r.connect_timeout_ms, 1500);
  EXPECT_EQ(r.first_byte_timeout_ms, 0);  // unset: only the total bounds the wait
  EXPECT_EQ(r.idle_timeout_ms, 7000);
  p.first_byte_timeout_ms = 20000;
  set_timeouts(r, p);
  EXPECT_EQ(r.first_byte_timeout_ms, 20000);
}

}  // namespace
}  // namespace sb::connectors
