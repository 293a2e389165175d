// 2-D convolution (cross-correlation: filters are not flipped), zero padding, any stride.
//   x [N, C, H, W]   W [K, C, FH, FW]   b [K]   y [N, K, OH, OW]
//   OH = (H + 2 PH - FH) / SH + 1, OW likewise; CRS = C * FH * FW; P = OH * OW.
//
// The optimised kernel works sample by sample (the layer is per-sample, so the network runs
// samples on all threads with no nested parallelism) as small serial products (small_gemm):
//   forward       y[K x P]      = W[K x CRS] * col[CRS x P]      col = im2col(x)
//   weight grad   dW^T[CRS x K] += col[CRS x P] * dz^T[P x K]
//   input grad    dcol[CRS x P] = W^T[CRS x K] * dz[K x P], then col2im into dx
// With stride 1 no col is built: over the padded input (HP = H + 2 PH, WP = W + 2 PW), row r =
// (c, fh, fw) of col is the input plane c read from offset fh * WP + fw, if positions are
// counted along padded rows (q = oh * WP + ow, ow < WP). The products run over the
// S = (OH - 1) * WP + OW positions from 0 to the last real one, reading the input in place;
// the WP - OW positions at the end of each row are not outputs: their results are dropped
// (forward) or their gradients are zero (backward).
// Each range of samples adds its weight gradient into a partial of its own; finish_gradient
// sums the partials in a fixed order, so results do not depend on which thread ran what.
#pragma once

#include "native/layers/layer.h"

namespace lamina {

struct Conv2DConfig {
  int channels = 0, height = 0, width = 0;  // C, H, W
  int filters = 0;                          // K
  int filter_h = 0, filter_w = 0;           // FH, FW
  int stride_h = 1, stride_w = 1;           // SH, SW
  int pad_h = 0, pad_w = 0;                 // PH, PW (zeros on each side)
  Nonlinearity nonlinearity = Nonlinearity::kRectify;
  InitSpec w_init;
  bool has_bias = true;
  InitSpec b_init;
  // Use the vector-only paths where the CPU has them: the product stored straight into y,
  // transposes in registers (tests turn it off to check the other paths).
  bool fused_store = true;

  int out_h() const { return (height + 2 * pad_h - filter_h) / stride_h + 1; }
  int out_w() const { return (width + 2 * pad_w - filter_w) / stride_w + 1; }
};

class Conv2DLayer : public Layer {
 public:
  explicit Conv2DLayer(const Conv2DConfig& config);

  std::vector<ParamView> param_views() const override;
  Nonlinearity nonlinearity() const override { return config_.nonlinearity; }
  const float* preactivation(const ForwardPass& pass) const override;
  bool heavy() const override { return true; }
  void reserve(LayerBuffers& buffers, int capacity) const override;
  void forward(const ForwardPass& pass, int begin, int end, Scratch& scratch) const override;
  void begin_backward(const BackwardPass& pass) const override;
  void backward(const BackwardPass& pass, int begin, int end, float* grad,
                Scratch& scratch) const override;
  size_t partial_size() const override;
  void finish_gradient(const float* const* partials, int count, float* grad) const override;

 private:
  // One sample's input [C, H, W] -> col [CRS, P].
  void im2col(const float* x, float* col) const;
  // Stride 1: the input planes with their zero border, [C, HP, WP] (x itself without padding).
  const float* padded_input(const float* x, Scratch& scratch) const;
  void forward_shifted(const ForwardPass& pass, int begin, int end, Scratch& scratch) const;
  void backward_shifted(const BackwardPass& pass, int begin, int end, float* grad,
                        Scratch& scratch) const;
  // dcol [CRS, P] added into one sample's dx [C, H, W] (which the caller zeroes).
  void col2im(const float* dcol, float* dx) const;

  Conv2DConfig config_;
  int out_h_, out_w_, crs_, positions_;
  bool shifted_;                  // stride 1: products read the input in place
  int padded_h_, padded_w_;       // HP, WP
  int span_;                      // S
  std::vector<int> row_offsets_;  // per r: c * HP * WP + fh * WP + fw
};

// Plain scalar references (T = float or double), for tests: the forward pass before the
// nonlinearity (b may be null), and the gradients of dz = dy * f' (dx, db may be null).
template <typename T>
void conv2d_forward_reference(const Conv2DConfig& config, int n, const T* x, const T* w,
                              const T* b, T* z);
template <typename T>
void conv2d_backward_reference(const Conv2DConfig& config, int n, const T* x, const T* w,
                               const T* dz, T* dx, T* dw, T* db);

}  // namespace lamina
