// Dense layer: the input's trailing axes flattened to I features, y = f(x W + b).
//   x [N, I]   W [I, U]   b [U]   y [N, U]
// The layer takes the whole batch and splits it over the pool itself: the forward pass and
// the input gradient by blocks of samples, the weight gradient by blocks of input rows
// (dW[I x U] = x^T dz, each block transposing its strip of x), every block a serial
// small_gemm. No block adds into another's output, so results do not depend on threads.
#pragma once

#include "native/layers/layer.h"

namespace lamina {

struct DenseConfig {
  int inputs = 0;  // I
  int units = 0;   // U
  Nonlinearity nonlinearity = Nonlinearity::kRectify;
  InitSpec w_init;
  bool has_bias = true;
  InitSpec b_init;
};

class DenseLayer : public Layer {
 public:
  explicit DenseLayer(const DenseConfig& config);

  std::vector<ParamView> param_views() const override;
  Nonlinearity nonlinearity() const override { return config_.nonlinearity; }
  const float* preactivation(const ForwardPass& pass) const override;
  bool per_sample() const override { return false; }
  void reserve(LayerBuffers& buffers, int capacity) const override;
  void begin_backward(const BackwardPass& pass) const override;
  void forward(const ForwardPass& pass, int begin, int end, Scratch& scratch) const override;
  void backward(const BackwardPass& pass, int begin, int end, float* grad,
                Scratch& scratch) const override;

 private:
  DenseConfig config_;
};

// Plain scalar references (T = float or double), for tests: y = f(x W + b) for n samples, and
// the gradients dx = dz W^T, dW = x^T dz, db = sum dz where dz = dy * f'. b and db may be null.
template <typename T>
void dense_forward_reference(const DenseConfig& config, int n, const T* x, const T* w,
                             const T* b, T* y);
template <typename T>
void dense_backward_reference(const DenseConfig& config, int n, const T* x, const T* w,
                              const T* dz, T* dx, T* dw, T* db);

}  // namespace lamina
