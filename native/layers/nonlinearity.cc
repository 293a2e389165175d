#include "native/layers/nonlinearity.h"

#include <cstring>

namespace lamina {

const float* NonlinearityLayer::preactivation(const ForwardPass& pass) const {
  return f_ == Nonlinearity::kSoftmax ? pass.x : nullptr;
}

// x [N, F] -> y = f(x) [N, F]
void NonlinearityLayer::forward(const ForwardPass& pass, int begin, int end, Scratch&) const {
  const size_t first = static_cast<size_t>(begin) * out_size;
  std::memcpy(pass.y + first, pass.x + first, sizeof(float) * (end - begin) * out_size);
  activation_forward(f_, pass.y + first, end - begin, out_size);
}

// dy [N, F] -> dx [N, F]
void NonlinearityLayer::backward(const BackwardPass& pass, int begin, int end, float*,
                                 Scratch&) const {
  const size_t first = static_cast<size_t>(begin) * out_size;
  if (!pass.dy_is_preactivation) {
    activation_backward(f_, pass.y + first, pass.dy + first, end - begin, out_size);
  }
  if (pass.dx != nullptr) {
    std::memcpy(pass.dx + first, pass.dy + first, sizeof(float) * (end - begin) * out_size);
  }
}

void IdentityLayer::forward(const ForwardPass& pass, int begin, int end, Scratch&) const {
  if (pass.y == pass.x) return;
  const size_t first = static_cast<size_t>(begin) * out_size;
  std::memcpy(pass.y + first, pass.x + first, sizeof(float) * (end - begin) * out_size);
}

void IdentityLayer::backward(const BackwardPass& pass, int begin, int end, float*,
                             Scratch&) const {
  if (pass.dx == nullptr || pass.dx == pass.dy) return;
  const size_t first = static_cast<size_t>(begin) * out_size;
  std::memcpy(pass.dx + first, pass.dy + first, sizeof(float) * (end - begin) * out_size);
}

}  // namespace lamina
