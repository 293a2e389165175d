// A standalone nonlinearity, and the reshape and flatten layers, which only change the shape
// (the network lets them share their input's memory, since row-major data does not move).
//   x [N, F] -> y [N, F]
#pragma once

#include "native/layers/layer.h"

namespace lamina {

class NonlinearityLayer : public Layer {
 public:
  explicit NonlinearityLayer(Nonlinearity f) : f_(f) {}

  Nonlinearity nonlinearity() const override { return f_; }
  const float* preactivation(const ForwardPass& pass) const override;
  void forward(const ForwardPass& pass, int begin, int end, Scratch& scratch) const override;
  void backward(const BackwardPass& pass, int begin, int end, float* grad,
                Scratch& scratch) const override;

 private:
  Nonlinearity f_;
};

// Reshape, flatten and the input layer: the output is the input.
class IdentityLayer : public Layer {
 public:
  void forward(const ForwardPass& pass, int begin, int end, Scratch& scratch) const override;
  void backward(const BackwardPass& pass, int begin, int end, float* grad,
                Scratch& scratch) const override;
};

}  // namespace lamina
