#pragma once
// GET /v1/models: the routes and the concrete models this gateway can serve, OpenAI-shaped.
#include <nlohmann/json.hpp>

#include "core/config/config.h"

namespace sb::gateway {

nlohmann::json models_list(const config::Config& config);

}  // namespace sb::gateway
