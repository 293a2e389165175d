// 2-D max and average pooling over each channel.
//   x [N, C, H, W] -> y [N, C, OH, OW], window PH x PW (pool size), stride SH, SW, zero
//   padding of pad cells on each side.
// Output size (Lasagne): with ignore_border, OH = (H + 2 pad - PH) / SH + 1; without it a
// partial window at the border still produces an output: OH = ceil(H' / SH) when SH >= PH,
// else max(0, ceil((H' - PH) / SH)) + 1, with H' = H + 2 pad.
// Window o covers padded rows [o SH, min(o SH + PH, H + 2 pad)), i.e. input rows from
// o SH - pad. Max: padding never wins (it counts as -inf); the gradient goes to the first
// maximum in row-major window order; a window with no input cell gives 0. Average: the sum of
// the input cells divided by the window's cells inside the padded image (include padding) or
// inside the input (exclude padding).
#pragma once

#include "native/layers/layer.h"

namespace lamina {

struct Pool2DConfig {
  bool max = true;                       // max, else average
  int channels = 0, height = 0, width = 0;
  int pool_h = 2, pool_w = 2;
  int stride_h = 2, stride_w = 2;
  int pad_h = 0, pad_w = 0;
  bool ignore_border = true;
  bool include_padding = true;           // average only
  bool vector_kernels = true;            // AVX-512 2 x 2 path where the CPU has it (tests
                                         // turn it off to check the scalar one)

  int out_h() const;
  int out_w() const;
};

class Pool2DLayer : public Layer {
 public:
  explicit Pool2DLayer(const Pool2DConfig& config);

  void reserve(LayerBuffers& buffers, int capacity) const override;
  void forward(const ForwardPass& pass, int begin, int end, Scratch& scratch) const override;
  void backward(const BackwardPass& pass, int begin, int end, float* grad,
                Scratch& scratch) const override;

 private:
  // Window bounds of each output row / column, clipped to the input, and divisors.
  struct Window {
    int begin, end;  // input cells [begin, end)
    int cells;       // cells counted by an average
  };
  Window window(int index, int stride, int pool, int pad, int size) const;

  Pool2DConfig config_;
  int out_h_, out_w_;
  std::vector<Window> rows_, cols_;
};

// Plain scalar reference of the forward pass (T = float or double), for tests.
template <typename T>
void pool2d_forward_reference(const Pool2DConfig& config, int n, const T* x, T* y);

}  // namespace lamina
