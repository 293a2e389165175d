#include "native/layers/activation.h"

#include <algorithm>
#include <cmath>

#include "native/core/errors.h"
#include "native/core/simd.h"

namespace lamina {
namespace {

struct Named {
  const char* name;
  Nonlinearity value;
};

constexpr Named kNames[] = {
    {"rectify", Nonlinearity::kRectify},     {"softmax", Nonlinearity::kSoftmax},
    {"tanh", Nonlinearity::kTanh},           {"sigmoid", Nonlinearity::kSigmoid},
    {"linear", Nonlinearity::kLinear},       {"leaky_rectify", Nonlinearity::kLeakyRectify},
    {"elu", Nonlinearity::kElu},             {"softplus", Nonlinearity::kSoftplus},
};

void softmax_rows(float* values, size_t rows, size_t cols) {
  for (size_t r = 0; r < rows; ++r) {
    float* row = values + r * cols;
    float top = *std::max_element(row, row + cols);
    double sum = 0.0;
    for (size_t c = 0; c < cols; ++c) {
      row[c] = std::exp(row[c] - top);
      sum += row[c];
    }
    float scale = static_cast<float>(1.0 / sum);
    for (size_t c = 0; c < cols; ++c) row[c] *= scale;
  }
}

}  // namespace

Nonlinearity parse_nonlinearity(const std::string& name, const std::string& context) {
  for (const Named& entry : kNames) {
    if (name == entry.name) return entry.value;
  }
  std::string valid;
  for (const Named& entry : kNames) {
    valid += std::string(valid.empty() ? "'" : ", '") + entry.name + "'";
  }
  throw Error(error_message(context, ": expected one of ", valid,
                            " for nonlinearity but received '", name, "'"));
}

const char* nonlinearity_name(Nonlinearity f) {
  for (const Named& entry : kNames) {
    if (entry.value == f) return entry.name;
  }
  return "unknown";
}

LAMINA_VECTORIZE void activation_forward(Nonlinearity f, float* values, size_t rows,
                                         size_t cols) {
  size_t count = rows * cols;
  switch (f) {
    case Nonlinearity::kLinear:
      return;
    case Nonlinearity::kRectify:
      for (size_t i = 0; i < count; ++i) values[i] = values[i] <= 0.0f ? 0.0f : values[i];
      return;
    case Nonlinearity::kLeakyRectify:
      for (size_t i = 0; i < count; ++i) {
        values[i] = values[i] <= 0.0f ? kLeakiness * values[i] : values[i];
      }
      return;
    case Nonlinearity::kTanh:
      for (size_t i = 0; i < count; ++i) values[i] = std::tanh(values[i]);
      return;
    case Nonlinearity::kSigmoid:
      for (size_t i = 0; i < count; ++i) values[i] = 1.0f / (1.0f + std::exp(-values[i]));
      return;
    case Nonlinearity::kElu:
      for (size_t i = 0; i < count; ++i) {
        values[i] = values[i] <= 0.0f ? std::expm1(values[i]) : values[i];
      }
      return;
    case Nonlinearity::kSoftplus:
      for (size_t i = 0; i < count; ++i) {
        float x = values[i];
        values[i] = x > 0.0f ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
      }
      return;
    case Nonlinearity::kSoftmax:
      softmax_rows(values, rows, cols);
      return;
  }
}

LAMINA_VECTORIZE void activation_backward(Nonlinearity f, const float* y, float* dy,
                                          size_t rows, size_t cols) {
  size_t count = rows * cols;
  switch (f) {
    case Nonlinearity::kLinear:
      return;
    case Nonlinearity::kRectify:
      for (size_t i = 0; i < count; ++i) dy[i] = y[i] > 0.0f ? dy[i] : 0.0f;
      return;
    case Nonlinearity::kLeakyRectify:
      for (size_t i = 0; i < count; ++i) dy[i] = y[i] > 0.0f ? dy[i] : kLeakiness * dy[i];
      return;
    case Nonlinearity::kTanh:
      for (size_t i = 0; i < count; ++i) dy[i] *= 1.0f - y[i] * y[i];
      return;
    case Nonlinearity::kSigmoid:
      for (size_t i = 0; i < count; ++i) dy[i] *= y[i] * (1.0f - y[i]);
      return;
    case Nonlinearity::kElu:
      // x > 0 exactly when y > 0; below, f'(x) = exp(x) = y + 1.
      for (size_t i = 0; i < count; ++i) dy[i] = y[i] > 0.0f ? dy[i] : dy[i] * (y[i] + 1.0f);
      return;
    case Nonlinearity::kSoftplus:
      // f'(x) = sigmoid(x) = 1 - exp(-y).
      for (size_t i = 0; i < count; ++i) dy[i] *= -std::expm1(-y[i]);
      return;
    case Nonlinearity::kSoftmax:
      for (size_t r = 0; r < rows; ++r) {
        const float* yr = y + r * cols;
        float* dr = dy + r * cols;
        double dot = 0.0;
        for (size_t c = 0; c < cols; ++c) dot += static_cast<double>(dr[c]) * yr[c];
        float shift = static_cast<float>(dot);
        for (size_t c = 0; c < cols; ++c) dr[c] = yr[c] * (dr[c] - shift);
      }
      return;
  }
}

}  // namespace lamina
