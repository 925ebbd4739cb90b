#include "gateway/sse_responder.h"

#include <thread>

#include "gateway/http_util.h"
#include "gateway/stream_pump.h"

namespace sb::gateway {

void respond_with_stream(httplib::Response& res, std::shared_ptr<StreamEncoder> encoder, StreamProducer produce,
                         const std::function<void(httplib::Response&, const std::string& target)>& on_started) {
  auto pump = std::make_shared<StreamPump>();
  auto worker = std::make_shared<std::thread>([pump, encoder, produce = std::move(produce)] {
    bool started = false;
    auto end_with = [&](const ApiError& e) {
      if (started) pump->push(encoder->error(e));
      else pump->fail(e);
    };
    try {
      auto result = produce(
          [&](const std::string& target) {
            started = true;
            pump->start(target);
          },
          [&](const ChatChunk& chunk) {
            std::string bytes = encoder->chunk(chunk);
            return bytes.empty() || pump->push(std::move(bytes));
          });
      if (!result.cancelled) pump->push(encoder->finish(result));
    } catch (const ApiError& e) {
      end_with(e);
    } catch (const std::exception& e) {
      end_with(internal_error(e));
    }
    pump->close();
  });

  if (auto error = pump->wait_for_start()) {
    worker->join();
    throw *error;
  }
  res.status = 200;
  on_started(res, pump->target());
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider(
      "text/event-stream",
      [pump](size_t, httplib::DataSink& sink) {
        auto bytes = pump->pop();
        if (!bytes) {
          sink.done();
          return true;
        }
        if (!sink.write(bytes->data(), bytes->size())) {
          pump->cancel();
          return false;
        }
        return true;
      },
      [pump, worker](bool) {
        pump->cancel();  // a no-op after a clean finish; stops the upstream if the client left
        worker->join();
      });
}

}  // namespace sb::gateway
