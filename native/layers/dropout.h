// Inverted dropout: in training each element is kept with probability 1 - p and scaled by
// 1 / (1 - p), else zeroed; in prediction the layer is the identity.
//   x [N, F] -> y [N, F], F = the features of one sample
// Masks are drawn before the batch's forward pass, on the calling thread: one uniform() of
// the dropout stream per element in storage order (sample, then features); an element is kept
// when uniform() >= p. The network draws its dropout layers in layer order.
#pragma once

#include "native/layers/layer.h"

namespace lamina {

class DropoutLayer : public Layer {
 public:
  explicit DropoutLayer(double p) : p_(p), scale_(1.0 / (1.0 - p)) {}

  void reserve(LayerBuffers& buffers, int capacity) const override;
  void begin_forward(const ForwardPass& pass, Rng* dropout_rng) const override;
  void forward(const ForwardPass& pass, int begin, int end, Scratch& scratch) const override;
  void backward(const BackwardPass& pass, int begin, int end, float* grad,
                Scratch& scratch) const override;

 private:
  double p_, scale_;
};

// Draws a mask of count elements (1 kept, 0 dropped) the way the layer does.
void dropout_draw_mask(double p, Rng& rng, float* mask, size_t count);

}  // namespace lamina
