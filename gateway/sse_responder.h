#pragma once
// Answers an HTTP request with a Server-Sent-Events stream produced on a worker thread.
//
// The provider call runs on its own thread so that the HTTP status can still be an error
// when every target fails before the first chunk; once a chunk went out the status is 200
// and a failure ends the stream with the API's error event (never a clean finish). A
// StreamEncoder turns neutral chunks into one served API's wire format.
#include <functional>
#include <memory>
#include <string>

#include <httplib.h>

#include "connectors/provider.h"
#include "core/api_error.h"
#include "core/chat.h"

namespace sb::gateway {

class StreamEncoder {
 public:
  virtual ~StreamEncoder() = default;
  virtual std::string chunk(const ChatChunk& chunk) = 0;                   // "" to send nothing
  virtual std::string finish(const connectors::StreamResult& result) = 0;  // after the last chunk
  virtual std::string error(const ApiError& error) = 0;                    // mid-stream failure
};

// Calls on_start(target) once before the first chunk, then sink(chunk) per chunk; returns
// when the answer is complete (the target's result) or throws ApiError.
using StreamProducer = std::function<connectors::StreamResult(
    const std::function<void(const std::string& target)>& on_start, const connectors::ChunkSink& sink)>;

// Throws the ApiError of a failure that happened before the first chunk (the caller's
// error handler answers it). `on_started(res)` may add headers once the target is known.
void respond_with_stream(httplib::Response& res, std::shared_ptr<StreamEncoder> encoder, StreamProducer produce,
                         const std::function<void(httplib::Response&, const std::string& target)>& on_started);

}  // namespace sb::gateway
