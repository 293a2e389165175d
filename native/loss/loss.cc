#include "native/loss/loss.h"

#include <algorithm>
#include <cmath>

namespace lamina {

double softmax_crossentropy(const float* z, const float* y, const int32_t* labels, int n,
                            int classes, float* dz, double grad_scale) {
  double total = 0.0;
  for (int s = 0; s < n; ++s) {
    const float* zs = z + static_cast<size_t>(s) * classes;
    const int label = labels[s];

    // Step 1: loss = log sum exp(z) - z[label], with the maximum taken out.
    float top = *std::max_element(zs, zs + classes);
    double sum = 0.0;
    for (int c = 0; c < classes; ++c) sum += std::exp(static_cast<double>(zs[c]) - top);
    total += std::log(sum) + top - zs[label];

    // Step 2: dz = (softmax(z) - onehot) * scale.
    if (dz == nullptr) continue;
    const float* ys = y + static_cast<size_t>(s) * classes;
    float* ds = dz + static_cast<size_t>(s) * classes;
    for (int c = 0; c < classes; ++c) {
      double target = c == label ? 1.0 : 0.0;
      ds[c] = static_cast<float>((ys[c] - target) * grad_scale);
    }
  }
  return total;
}

double squared_error(const float* y, const float* t, size_t count, float* dy,
                     double grad_scale) {
  double total = 0.0;
  for (size_t i = 0; i < count; ++i) {
    double difference = static_cast<double>(y[i]) - t[i];
    total += difference * difference;
    if (dy != nullptr) dy[i] = static_cast<float>(2.0 * difference * grad_scale);
  }
  return total;
}

double weight_penalty(const float* w, size_t count, double l1, double l2) {
  if (l1 == 0.0 && l2 == 0.0) return 0.0;
  double absolute = 0.0, squares = 0.0;
  for (size_t i = 0; i < count; ++i) {
    absolute += std::fabs(static_cast<double>(w[i]));
    squares += static_cast<double>(w[i]) * w[i];
  }
  return l1 * absolute + l2 * squares;
}

void add_penalty_gradient(const float* w, float* g, size_t count, double l1, double l2) {
  if (l1 == 0.0 && l2 == 0.0) return;
  for (size_t i = 0; i < count; ++i) {
    double sign = w[i] > 0.0f ? 1.0 : (w[i] < 0.0f ? -1.0 : 0.0);
    g[i] = static_cast<float>(g[i] + l1 * sign + 2.0 * l2 * w[i]);
  }
}

int count_correct(const float* y, const int32_t* labels, int n, int classes) {
  int correct = 0;
  for (int s = 0; s < n; ++s) {
    const float* ys = y + static_cast<size_t>(s) * classes;
    int best = static_cast<int>(std::max_element(ys, ys + classes) - ys);
    if (best == labels[s]) ++correct;
  }
  return correct;
}

}  // namespace lamina
