#pragma once
// L2-regularized logistic regression over dense + sparse (hashed) features, fitted by
// full-batch L-BFGS. The objective is convex, so the solution does not depend on a seed
// or on the order of the rows: the same data always gives the same weights.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sb::tools {

// Rows in compressed form: dense values row-major, sparse entries as CSR.
struct LogisticData {
  std::size_t dense_count = 0;
  std::size_t sparse_count = 0;  // sparse column ids are < sparse_count
  std::vector<float> dense;       // rows() * dense_count
  std::vector<std::size_t> row_start = {0};
  std::vector<uint32_t> columns;
  std::vector<float> values;
  std::vector<float> labels;  // targets in [0, 1]

  std::size_t rows() const { return labels.size(); }
};

struct LogisticOptions {
  double l2_dense = 1e-4;   // penalty (l2 / 2) * ||w||^2 added to the mean log loss
  double l2_sparse = 1e-3;
  std::vector<bool> learnable;  // per sparse column; columns not learnable stay 0 (empty = all)
  int max_iterations = 300;
  double relative_tolerance = 1e-8;  // stop when the objective improves less than this
};

struct LogisticWeights {
  double bias = 0;  // not regularized
  std::vector<double> dense;
  std::vector<double> sparse;
};

LogisticWeights fit_logistic(const LogisticData& data, const LogisticOptions& options);

// The linear term bias + w . x of row `row`.
double logistic_linear(const LogisticWeights& w, const LogisticData& data, std::size_t row);

}  // namespace sb::tools
