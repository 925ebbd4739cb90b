#include "tools/logistic_fit.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <stdexcept>

namespace sb::tools {
namespace {

// The parameters as one vector: [bias, dense..., sparse...].
using Vector = std::vector<double>;

double dot(const Vector& a, const Vector& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

void add_scaled(Vector& into, const Vector& v, double scale) {
  for (std::size_t i = 0; i < into.size(); ++i) into[i] += scale * v[i];
}

class Objective {
 public:
  Objective(const LogisticData& data, const LogisticOptions& options) : data_(data), options_(options) {}

  std::size_t size() const { return 1 + data_.dense_count + data_.sparse_count; }

  // Mean log loss + L2 penalty at x; fills the gradient.
  double evaluate(const Vector& x, Vector& gradient) const {
    gradient.assign(size(), 0.0);
    const std::size_t n = data_.rows();
    const double inv_n = 1.0 / static_cast<double>(n);
    double loss = 0;
    for (std::size_t r = 0; r < n; ++r) {
      const double z = linear(x, r);
      const double y = data_.labels[r];
      // log(1 + e^z) - y z, computed stably.
      loss += (z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z))) - y * z;
      const double error = (1.0 / (1.0 + std::exp(-z)) - y) * inv_n;
      gradient[0] += error;
      const float* dense = data_.dense.data() + r * data_.dense_count;
      for (std::size_t i = 0; i < data_.dense_count; ++i) gradient[1 + i] += error * dense[i];
      for (std::size_t k = data_.row_start[r]; k < data_.row_start[r + 1]; ++k)
        gradient[sparse_offset() + data_.columns[k]] += error * data_.values[k];
    }
    loss *= inv_n;
    for (std::size_t i = 0; i < data_.dense_count; ++i) {
      const double w = x[1 + i];
      loss += 0.5 * options_.l2_dense * w * w;
      gradient[1 + i] += options_.l2_dense * w;
    }
    for (std::size_t c = 0; c < data_.sparse_count; ++c) {
      double& g = gradient[sparse_offset() + c];
      if (!learnable(c)) {
        g = 0;  // x stays 0 there: every step moves along -H g with H built from such g's
        continue;
      }
      const double w = x[sparse_offset() + c];
      loss += 0.5 * options_.l2_sparse * w * w;
      g += options_.l2_sparse * w;
    }
    return loss;
  }

  double linear(const Vector& x, std::size_t r) const {
    double z = x[0];
    const float* dense = data_.dense.data() + r * data_.dense_count;
    for (std::size_t i = 0; i < data_.dense_count; ++i) z += x[1 + i] * dense[i];
    for (std::size_t k = data_.row_start[r]; k < data_.row_start[r + 1]; ++k)
      z += x[sparse_offset() + data_.columns[k]] * data_.values[k];
    return z;
  }

 private:
  std::size_t sparse_offset() const { return 1 + data_.dense_count; }
  bool learnable(std::size_t column) const { return options_.learnable.empty() || options_.learnable[column]; }

  const LogisticData& data_;
  const LogisticOptions& options_;
};

// L-BFGS two-loop recursion: direction = -H * gradient from the (s, y) history.
Vector lbfgs_direction(const Vector& gradient, const std::deque<std::pair<Vector, Vector>>& history) {
  Vector q = gradient;
  std::vector<double> alpha(history.size());
  for (std::size_t k = history.size(); k-- > 0;) {
    const auto& [s, y] = history[k];
    alpha[k] = dot(s, q) / dot(y, s);
    add_scaled(q, y, -alpha[k]);
  }
  if (!history.empty()) {
    const auto& [s, y] = history.back();
    const double gamma = dot(s, y) / dot(y, y);
    for (double& v : q) v *= gamma;
  }
  for (std::size_t k = 0; k < history.size(); ++k) {
    const auto& [s, y] = history[k];
    const double beta = dot(y, q) / dot(y, s);
    add_scaled(q, s, alpha[k] - beta);
  }
  for (double& v : q) v = -v;
  return q;
}

}  // namespace

LogisticWeights fit_logistic(const LogisticData& data, const LogisticOptions& options) {
  if (data.rows() == 0) throw std::invalid_argument("fit_logistic: no rows");
  if (!options.learnable.empty() && options.learnable.size() != data.sparse_count)
    throw std::invalid_argument("fit_logistic: learnable must have one entry per sparse column");
  constexpr std::size_t kHistory = 10;
  const Objective objective(data, options);
  Vector x(objective.size(), 0.0), gradient, next_gradient;
  double f = objective.evaluate(x, gradient);
  std::deque<std::pair<Vector, Vector>> history;

  for (int iteration = 0; iteration < options.max_iterations; ++iteration) {
    Vector direction = lbfgs_direction(gradient, history);
    double slope = dot(gradient, direction);
    if (slope >= 0) {  // not a descent direction: restart from steepest descent
      history.clear();
      direction = gradient;
      for (double& v : direction) v = -v;
      slope = dot(gradient, direction);
    }
    if (slope == 0) break;
    // Backtracking (Armijo) line search; the first step of plain descent is normalized.
    double step = history.empty() ? 1.0 / std::sqrt(-slope) : 1.0;
    Vector candidate(x.size());
    double next_f = 0;
    bool accepted = false;
    for (int tries = 0; tries < 40; ++tries, step *= 0.5) {
      for (std::size_t i = 0; i < x.size(); ++i) candidate[i] = x[i] + step * direction[i];
      next_f = objective.evaluate(candidate, next_gradient);
      if (next_f <= f + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
    }
    if (!accepted) break;
    Vector s(x.size()), y(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) s[i] = candidate[i] - x[i], y[i] = next_gradient[i] - gradient[i];
    if (dot(s, y) > 1e-12) {
      history.emplace_back(std::move(s), std::move(y));
      if (history.size() > kHistory) history.pop_front();
    }
    const double improvement = f - next_f;
    x.swap(candidate);
    gradient.swap(next_gradient);
    f = next_f;
    if (improvement < options.relative_tolerance * std::max(1.0, std::abs(f))) break;
  }

  LogisticWeights w;
  w.bias = x[0];
  w.dense.assign(x.begin() + 1, x.begin() + 1 + static_cast<std::ptrdiff_t>(data.dense_count));
  w.sparse.assign(x.begin() + 1 + static_cast<std::ptrdiff_t>(data.dense_count), x.end());
  return w;
}

double logistic_linear(const LogisticWeights& w, const LogisticData& data, std::size_t row) {
  double z = w.bias;
  const float* dense = data.dense.data() + row * data.dense_count;
  for (std::size_t i = 0; i < data.dense_count; ++i) z += w.dense[i] * dense[i];
  for (std::size_t k = data.row_start[row]; k < data.row_start[row + 1]; ++k)
    z += w.sparse[data.columns[k]] * data.values[k];
  return z;
}

}  // namespace sb::tools
