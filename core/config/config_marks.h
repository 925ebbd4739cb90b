#pragma once
// Where the names of a parsed Config came from, so the cross-reference checks that run
// after parsing (config_validate) can point at the offending node.
#include <map>
#include <string>
#include <vector>

namespace sb::config {

struct SourceMark {  // 1-based; 0 when unknown
  int line = 0;
  int col = 0;
};

// Parallel to the vectors of Config: e.g. provider_models[p][m] is where
// config.providers[p].models[m] was written.
struct ConfigMarks {
  SourceMark root;
  std::vector<SourceMark> local_model_names;
  std::vector<SourceMark> provider_names;
  std::vector<std::vector<SourceMark>> provider_models;
  std::map<std::string, SourceMark> price_models;  // the key of each prices: entry
  std::vector<SourceMark> route_names;
  std::vector<std::vector<SourceMark>> route_local;
  std::vector<std::vector<SourceMark>> route_cloud;
  std::vector<SourceMark> detector_names;
  std::map<std::string, SourceMark> action_types;  // the keys of privacy.actions
  std::vector<SourceMark> team_names;
  std::vector<std::vector<SourceMark>> team_keys;
  std::vector<std::map<std::string, SourceMark>> team_action_types;
};

}  // namespace sb::config
