// Nonlinearities, forward and backward side by side. Shapes: rows = samples, cols = features
// of one sample; softmax normalises each row, the others act elementwise.
#pragma once

#include <cstddef>
#include <string>

namespace lamina {

enum class Nonlinearity {
  kRectify,
  kSoftmax,
  kTanh,
  kSigmoid,
  kLinear,
  kLeakyRectify,
  kElu,
  kSoftplus,
};

// Lasagne's default leakiness of leaky_rectify.
constexpr float kLeakiness = 0.01f;

// The nonlinearity named as in the network spec ('rectify', 'softmax', ...); throws
// lamina::Error listing the valid names.
Nonlinearity parse_nonlinearity(const std::string& name, const std::string& context);
const char* nonlinearity_name(Nonlinearity f);

// values := f(values), in place, for rows x cols values. NaN stays NaN (rectify tests x <= 0).
void activation_forward(Nonlinearity f, float* values, size_t rows, size_t cols);

// dy := dy * f'(x), in place, where f' is computed from the outputs y = f(x) (every
// nonlinearity here has a derivative that the output determines). rectify'(0) = 0.
void activation_backward(Nonlinearity f, const float* y, float* dy, size_t rows, size_t cols);

}  // namespace lamina
