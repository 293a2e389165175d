#include "native/layers/conv2d.h"

#include <algorithm>
#include <cstring>

#if (defined(__x86_64__) || defined(_M_X64)) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "native/core/simd.h"
#include "native/core/tile-gemm.h"

namespace lamina {
namespace {

// The range [t_begin, t_end) of t in [0, count) for which the input column
// iw = (ow0 + t) * stride + offset lies inside [0, width).
void valid_columns(int ow0, int count, int stride, int offset, int width, int* t_begin,
                   int* t_end) {
  // iw >= 0  <=>  ow0 + t >= ceil(-offset / stride)
  int first = -offset <= 0 ? 0 : (-offset + stride - 1) / stride;
  // iw <= width - 1  <=>  ow0 + t <= floor((width - 1 - offset) / stride)
  int last_num = width - 1 - offset;
  int last = last_num < 0 ? -1 : last_num / stride;
  *t_begin = std::clamp(first - ow0, 0, count);
  *t_end = std::clamp(last + 1 - ow0, *t_begin, count);
}

// dz [K, P] -> dz^T [P, K]; adds the row sums of dz into db (when not null).
LAMINA_VECTORIZE void transpose_and_sum(const float* dz, int filters, int positions, float* dz_t,
                                        float* db) {
  for (int k = 0; k < filters; ++k) {
    const float* row = dz + static_cast<size_t>(k) * positions;
    float sum = 0.0f;
    for (int p = 0; p < positions; ++p) {
      sum += row[p];
      dz_t[static_cast<size_t>(p) * filters + k] = row[p];
    }
    if (db != nullptr) db[k] += sum;
  }
}

// y [K, P] += b[k] on each row.
LAMINA_VECTORIZE void add_bias(float* y, const float* bias, int filters, int positions) {
  for (int k = 0; k < filters; ++k) {
    float* row = y + static_cast<size_t>(k) * positions;
    const float b = bias[k];
    for (int p = 0; p < positions; ++p) row[p] += b;
  }
}

// y [K, OH, OW] = the real positions of yv [K, S] (rows of WP) plus the bias, through
// rectify when `rectify` (a NaN stays NaN), else as they are.
LAMINA_VECTORIZE void gather_positions(const float* yv, int filters, int out_h, int out_w,
                                       int padded_w, int span, const float* bias, bool rectify,
                                       float* y) {
  for (int k = 0; k < filters; ++k) {
    const float b = bias != nullptr ? bias[k] : 0.0f;
    const float* source = yv + static_cast<size_t>(k) * span;
    float* row = y + static_cast<size_t>(k) * out_h * out_w;
    for (int oh = 0; oh < out_h; ++oh) {
      const float* from = source + static_cast<size_t>(oh) * padded_w;
      float* to = row + static_cast<size_t>(oh) * out_w;
      if (rectify) {
        for (int ow = 0; ow < out_w; ++ow) {
          const float z = from[ow] + b;
          to[ow] = z <= 0.0f ? 0.0f : z;
        }
      } else {
        for (int ow = 0; ow < out_w; ++ow) to[ow] = from[ow] + b;
      }
    }
  }
}

// dz [K, OH, OW] -> dz spread over padded rows, dzv [K, S], zero at the positions that are
// not outputs; db += the sums of dz.
LAMINA_VECTORIZE void spread_positions(const float* dz, int filters, int out_h, int out_w,
                                       int padded_w, int span, float* dzv, float* db) {
  for (int k = 0; k < filters; ++k) {
    const float* source = dz + static_cast<size_t>(k) * out_h * out_w;
    float* spread = dzv + static_cast<size_t>(k) * span;
    float sum = 0.0f;
    for (int oh = 0; oh < out_h; ++oh) {
      float* row = spread + static_cast<size_t>(oh) * padded_w;
      const float* from = source + static_cast<size_t>(oh) * out_w;
      for (int ow = 0; ow < out_w; ++ow) {
        row[ow] = from[ow];
        sum += from[ow];
      }
      if (oh + 1 < out_h) std::fill(row + out_w, row + padded_w, 0.0f);
    }
    if (db != nullptr) db[k] += sum;
  }
}

// The plain transpose: src [rows, cols] -> dst [cols, rows].
void transpose_plain(const float* src, int rows, int cols, float* dst) {
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) dst[static_cast<size_t>(j) * rows + i] = src[i * cols + j];
  }
}

#if (defined(__x86_64__) || defined(_M_X64)) && defined(__GNUC__)
// The same by 8 x 8 blocks in AVX2 registers, the edges by the plain loop.
__attribute__((target("avx2"))) void transpose_avx2(const float* src, int rows, int cols,
                                                    float* dst) {
  const int full_rows = rows / 8 * 8, full_cols = cols / 8 * 8;
  for (int i0 = 0; i0 < full_rows; i0 += 8) {
    for (int j0 = 0; j0 < full_cols; j0 += 8) {
      const float* s = src + static_cast<size_t>(i0) * cols + j0;
      __m256 r0 = _mm256_loadu_ps(s), r1 = _mm256_loadu_ps(s + cols);
      __m256 r2 = _mm256_loadu_ps(s + 2 * cols), r3 = _mm256_loadu_ps(s + 3 * cols);
      __m256 r4 = _mm256_loadu_ps(s + 4 * cols), r5 = _mm256_loadu_ps(s + 5 * cols);
      __m256 r6 = _mm256_loadu_ps(s + 6 * cols), r7 = _mm256_loadu_ps(s + 7 * cols);
      __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
      __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
      __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
      __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
      r0 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0));
      r1 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2));
      r2 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0));
      r3 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2));
      r4 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(1, 0, 1, 0));
      r5 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(3, 2, 3, 2));
      r6 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(1, 0, 1, 0));
      r7 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(3, 2, 3, 2));
      float* d = dst + static_cast<size_t>(j0) * rows + i0;
      _mm256_storeu_ps(d, _mm256_permute2f128_ps(r0, r4, 0x20));
      _mm256_storeu_ps(d + rows, _mm256_permute2f128_ps(r1, r5, 0x20));
      _mm256_storeu_ps(d + 2 * rows, _mm256_permute2f128_ps(r2, r6, 0x20));
      _mm256_storeu_ps(d + 3 * rows, _mm256_permute2f128_ps(r3, r7, 0x20));
      _mm256_storeu_ps(d + 4 * rows, _mm256_permute2f128_ps(r0, r4, 0x31));
      _mm256_storeu_ps(d + 5 * rows, _mm256_permute2f128_ps(r1, r5, 0x31));
      _mm256_storeu_ps(d + 6 * rows, _mm256_permute2f128_ps(r2, r6, 0x31));
      _mm256_storeu_ps(d + 7 * rows, _mm256_permute2f128_ps(r3, r7, 0x31));
    }
  }
  // Edges: the last cols % 8 columns of every row, and the last rows % 8 rows.
  for (int i = 0; i < rows; ++i) {
    const int j_begin = i < full_rows ? full_cols : 0;
    for (int j = j_begin; j < cols; ++j) dst[static_cast<size_t>(j) * rows + i] = src[i * cols
        + j];
  }
}

bool has_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}
#endif

// src [rows, cols] -> dst [cols, rows], by 8 x 8 register blocks where the CPU has AVX2.
void transpose(const float* src, int rows, int cols, float* dst, bool vector_kernels) {
#if (defined(__x86_64__) || defined(_M_X64)) && defined(__GNUC__)
  static const bool avx2 = has_avx2();
  if (avx2 && vector_kernels) {
    transpose_avx2(src, rows, cols, dst);
    return;
  }
#endif
  (void)vector_kernels;
  transpose_plain(src, rows, cols, dst);
}

// dxp [C, HP, WP] += dcol [CRS, S] at each row's offset.
LAMINA_VECTORIZE void add_shifted_rows(const float* dcol, int rows, int span, const int* offsets,
                                       float* dxp) {
  for (int r = 0; r < rows; ++r) {
    const float* source = dcol + static_cast<size_t>(r) * span;
    float* target = dxp + offsets[r];
    for (int q = 0; q < span; ++q) target[q] += source[q];
  }
}

}  // namespace

Conv2DLayer::Conv2DLayer(const Conv2DConfig& config)
    : config_(config),
      out_h_(config.out_h()),
      out_w_(config.out_w()),
      crs_(config.channels * config.filter_h * config.filter_w),
      positions_(config.out_h() * config.out_w()),
      shifted_(config.stride_h == 1 && config.stride_w == 1),
      padded_h_(config.height + 2 * config.pad_h),
      padded_w_(config.width + 2 * config.pad_w),
      span_((config.out_h() - 1) * (config.width + 2 * config.pad_w) + config.out_w()) {
  for (int ch = 0; ch < config.channels; ++ch) {
    for (int fh = 0; fh < config.filter_h; ++fh) {
      for (int fw = 0; fw < config.filter_w; ++fw) {
        row_offsets_.push_back((ch * padded_h_ + fh) * padded_w_ + fw);
      }
    }
  }
}

std::vector<ParamView> Conv2DLayer::param_views() const {
  const Conv2DConfig& c = config_;
  size_t weights = static_cast<size_t>(c.filters) * crs_;
  int fan_in = crs_, fan_out = c.filters * c.filter_h * c.filter_w;
  std::vector<ParamView> views;
  views.push_back({"W", {c.filters, c.channels, c.filter_h, c.filter_w}, 0, weights, true,
                   c.w_init, fan_in, fan_out});
  if (c.has_bias) {
    views.push_back({"b", {c.filters}, weights, static_cast<size_t>(c.filters), false, c.b_init,
                     fan_in, fan_out});
  }
  return views;
}

void Conv2DLayer::reserve(LayerBuffers& buffers, int capacity) const {
  if (config_.nonlinearity == Nonlinearity::kSoftmax) {
    buffers.floats.assign(static_cast<size_t>(capacity) * out_size, 0.0f);
  }
}

const float* Conv2DLayer::preactivation(const ForwardPass& pass) const {
  return config_.nonlinearity == Nonlinearity::kSoftmax ? pass.buffers->floats.data() : nullptr;
}

size_t Conv2DLayer::partial_size() const {
  return static_cast<size_t>(crs_) * config_.filters + config_.filters;
}

LAMINA_VECTORIZE void Conv2DLayer::im2col(const float* x, float* col) const {
  const Conv2DConfig& c = config_;
  const int plane = c.height * c.width;
  for (int r = 0; r < crs_; ++r) {
    const int ch = r / (c.filter_h * c.filter_w);
    const int fh = (r / c.filter_w) % c.filter_h;
    const int fw = r % c.filter_w;
    const int offset = fw - c.pad_w;
    const float* xc = x + static_cast<size_t>(ch) * plane;
    float* dst = col + static_cast<size_t>(r) * positions_;
    // Output columns [t_begin, t_end) read inside the input row; the rest is padding.
    int t_begin, t_end;
    valid_columns(0, out_w_, c.stride_w, offset, c.width, &t_begin, &t_end);
    for (int oh = 0; oh < out_h_; ++oh, dst += out_w_) {
      const int ih = oh * c.stride_h + fh - c.pad_h;
      if (ih < 0 || ih >= c.height) {
        for (int t = 0; t < out_w_; ++t) dst[t] = 0.0f;
        continue;
      }
      const float* source = xc + static_cast<size_t>(ih) * c.width + offset;
      for (int t = 0; t < t_begin; ++t) dst[t] = 0.0f;
      if (c.stride_w == 1) {
        for (int t = t_begin; t < t_end; ++t) dst[t] = source[t];
      } else {
        for (int t = t_begin; t < t_end; ++t) dst[t] = source[t * c.stride_w];
      }
      for (int t = t_end; t < out_w_; ++t) dst[t] = 0.0f;
    }
  }
}

LAMINA_VECTORIZE void Conv2DLayer::col2im(const float* dcol, float* dx) const {
  const Conv2DConfig& c = config_;
  const int plane = c.height * c.width;
  for (int r = 0; r < crs_; ++r) {
    const int ch = r / (c.filter_h * c.filter_w);
    const int fh = (r / c.filter_w) % c.filter_h;
    const int fw = r % c.filter_w;
    const int offset = fw - c.pad_w;
    float* dxc = dx + static_cast<size_t>(ch) * plane;
    int t_begin, t_end;
    valid_columns(0, out_w_, c.stride_w, offset, c.width, &t_begin, &t_end);
    for (int oh = 0; oh < out_h_; ++oh) {
      const int ih = oh * c.stride_h + fh - c.pad_h;
      if (ih < 0 || ih >= c.height) continue;
      float* row = dxc + static_cast<size_t>(ih) * c.width + offset;
      const float* source = dcol + static_cast<size_t>(r) * positions_ +
                            static_cast<size_t>(oh) * out_w_;
      if (c.stride_w == 1) {
        for (int t = t_begin; t < t_end; ++t) row[t] += source[t];
      } else {
        for (int t = t_begin; t < t_end; ++t) row[t * c.stride_w] += source[t];
      }
    }
  }
}

// x [N, C, H, W] -> y [N, K, OH, OW]
void Conv2DLayer::forward(const ForwardPass& pass, int begin, int end, Scratch& scratch) const {
  if (shifted_) {
    forward_shifted(pass, begin, end, scratch);
    return;
  }
  const Conv2DConfig& c = config_;
  const int filters = c.filters;
  const float* w = pass.params;
  const float* bias = c.has_bias ? w + static_cast<size_t>(filters) * crs_ : nullptr;
  float* col = scratch.floats(0, static_cast<size_t>(crs_) * positions_);

  for (int s = begin; s < end; ++s) {
    const float* x = pass.x + static_cast<size_t>(s) * in_size;
    float* y = pass.y + static_cast<size_t>(s) * out_size;

    // Step 1: y = W im2col(x).
    im2col(x, col);
    small_gemm(filters, positions_, crs_, w, crs_, col, positions_, 0.0f, y, positions_);

    // Step 2: y = f(y + b), keeping z before a softmax.
    if (bias != nullptr) add_bias(y, bias, filters, positions_);
    if (c.nonlinearity == Nonlinearity::kSoftmax) {
      std::memcpy(pass.buffers->floats.data() + static_cast<size_t>(s) * out_size, y,
                  sizeof(float) * out_size);
    }
    activation_forward(c.nonlinearity, y, 1, out_size);
  }
}

// Transposes W [K, CRS] to W^T [CRS, K] once per batch, for the input gradient.
void Conv2DLayer::begin_backward(const BackwardPass& pass) const {
  if (pass.dx == nullptr) return;
  const int filters = config_.filters;
  std::vector<float>& transposed = pass.buffers->packed_backward;
  transposed.resize(static_cast<size_t>(crs_) * filters);
  for (int k = 0; k < filters; ++k) {
    for (int r = 0; r < crs_; ++r) {
      transposed[static_cast<size_t>(r) * filters + k] =
          pass.params[static_cast<size_t>(k) * crs_ + r];
    }
  }
}

// dy [N, K, OH, OW] -> dx [N, C, H, W]; grad: partial dW^T [CRS, K] then db [K]
void Conv2DLayer::backward(const BackwardPass& pass, int begin, int end, float* grad,
                           Scratch& scratch) const {
  if (shifted_) {
    backward_shifted(pass, begin, end, grad, scratch);
    return;
  }
  const Conv2DConfig& c = config_;
  const int filters = c.filters;
  float* dw_t = grad;
  float* db = grad + static_cast<size_t>(crs_) * filters;
  float* col = scratch.floats(0, static_cast<size_t>(crs_) * positions_);
  float* dz_t = scratch.floats(1, static_cast<size_t>(positions_) * filters);
  float* dcol = pass.dx != nullptr ? scratch.floats(2, static_cast<size_t>(crs_) * positions_)
                                   : nullptr;

  for (int s = begin; s < end; ++s) {
    const float* x = pass.x + static_cast<size_t>(s) * in_size;
    const float* y = pass.y + static_cast<size_t>(s) * out_size;
    float* dz = pass.dy + static_cast<size_t>(s) * out_size;

    // Step 1: dz = dy * f'(z); db += sums of dz over positions; dz^T for the next step.
    if (!pass.dy_is_preactivation) activation_backward(c.nonlinearity, y, dz, 1, out_size);
    transpose_and_sum(dz, filters, positions_, dz_t, c.has_bias ? db : nullptr);

    // Step 2: dW^T += im2col(x) dz^T.
    im2col(x, col);
    small_gemm(crs_, filters, positions_, col, positions_, dz_t, filters, 1.0f, dw_t, filters);

    // Step 3: dcol = W^T dz, then dx = col2im(dcol).
    if (pass.dx == nullptr) continue;
    small_gemm(crs_, positions_, filters, pass.buffers->packed_backward.data(), filters, dz,
               positions_, 0.0f, dcol, positions_);
    float* dx = pass.dx + static_cast<size_t>(s) * in_size;
    std::fill(dx, dx + in_size, 0.0f);
    col2im(dcol, dx);
  }
}

const float* Conv2DLayer::padded_input(const float* x, Scratch& scratch) const {
  const Conv2DConfig& c = config_;
  if (c.pad_h == 0 && c.pad_w == 0) return x;
  float* padded = scratch.floats(4, static_cast<size_t>(c.channels) * padded_h_ * padded_w_);
  std::fill(padded, padded + static_cast<size_t>(c.channels) * padded_h_ * padded_w_, 0.0f);
  for (int ch = 0; ch < c.channels; ++ch) {
    for (int h = 0; h < c.height; ++h) {
      const float* source = x + (static_cast<size_t>(ch) * c.height + h) * c.width;
      float* target = padded + (static_cast<size_t>(ch) * padded_h_ + h + c.pad_h) * padded_w_ +
                      c.pad_w;
      std::copy(source, source + c.width, target);
    }
  }
  return padded;
}

// Stride 1, x [N, C, H, W] -> y [N, K, OH, OW] without im2col.
void Conv2DLayer::forward_shifted(const ForwardPass& pass, int begin, int end,
                                  Scratch& scratch) const {
  const Conv2DConfig& c = config_;
  const int filters = c.filters;
  const float* w = pass.params;
  const float* bias = c.has_bias ? w + static_cast<size_t>(filters) * crs_ : nullptr;
  float* yv = scratch.floats(0, static_cast<size_t>(filters) * span_);
  const float** w_rows = scratch.pointers(0, filters);
  const float** x_rows = scratch.pointers(1, crs_);
  for (int k = 0; k < filters; ++k) w_rows[k] = w + static_cast<size_t>(k) * crs_;

  for (int s = begin; s < end; ++s) {
    const float* x = padded_input(pass.x + static_cast<size_t>(s) * in_size, scratch);
    float* y = pass.y + static_cast<size_t>(s) * out_size;

    // Step 1: y [K, OH, OW] = W [K, CRS] * (shifted windows of x) [CRS, S] at the real
    // positions, plus b, through rectify when that is f: stored straight from the product
    // where the CPU can, else through yv [K, S].
    for (int r = 0; r < crs_; ++r) x_rows[r] = x + row_offsets_[r];
    const bool rectify = c.nonlinearity == Nonlinearity::kRectify;
    CompactStore store;
    store.padded_w = padded_w_;
    store.out_w = out_w_;
    store.bias = bias;
    store.rectify = rectify;
    if (!c.fused_store ||
        !small_gemm_rows_compact(filters, span_, crs_, w_rows, x_rows, store, y, positions_)) {
      small_gemm_rows(filters, span_, crs_, w_rows, x_rows, 0.0f, yv, span_);
      gather_positions(yv, filters, out_h_, out_w_, padded_w_, span_, bias, rectify, y);
    }

    // Step 2: y = f(z) for the other nonlinearities, keeping z before a softmax.
    if (rectify) continue;
    if (c.nonlinearity == Nonlinearity::kSoftmax) {
      std::memcpy(pass.buffers->floats.data() + static_cast<size_t>(s) * out_size, y,
                  sizeof(float) * out_size);
    }
    activation_forward(c.nonlinearity, y, 1, out_size);
  }
}

// Stride 1, dy [N, K, OH, OW] -> dx [N, C, H, W]; grad: partial dW^T [CRS, K] then db [K].
void Conv2DLayer::backward_shifted(const BackwardPass& pass, int begin, int end, float* grad,
                                   Scratch& scratch) const {
  const Conv2DConfig& c = config_;
  const int filters = c.filters;
  const size_t padded_size = static_cast<size_t>(c.channels) * padded_h_ * padded_w_;
  float* dw_t = grad;
  float* db = grad + static_cast<size_t>(crs_) * filters;
  float* dzv = scratch.floats(1, static_cast<size_t>(filters) * span_);
  float* dzt = scratch.floats(2, static_cast<size_t>(positions_) * filters);
  float* zeros = scratch.floats(6, filters);
  std::fill(zeros, zeros + filters, 0.0f);
  const float** x_rows = scratch.pointers(1, crs_);
  // dz^T over padded positions: real positions read their row of dzt [P, K], the others a
  // row of zeros.
  const float** dzt_rows = scratch.pointers(2, span_);
  for (int q = 0; q < span_; ++q) {
    const int oh = q / padded_w_, ow = q % padded_w_;
    dzt_rows[q] = ow < out_w_ ? dzt + static_cast<size_t>(oh * out_w_ + ow) * filters : zeros;
  }

  for (int s = begin; s < end; ++s) {
    const float* y = pass.y + static_cast<size_t>(s) * out_size;
    float* dz = pass.dy + static_cast<size_t>(s) * out_size;

    // Step 1: dz = dy * f'(z), spread over padded rows (and transposed); db += sums of dz.
    if (!pass.dy_is_preactivation) activation_backward(c.nonlinearity, y, dz, 1, out_size);
    spread_positions(dz, filters, out_h_, out_w_, padded_w_, span_, dzv,
                     c.has_bias ? db : nullptr);
    transpose(dz, filters, positions_, dzt, c.fused_store);

    // Step 2: dW^T [CRS, K] += (shifted windows of x) [CRS, S] * dz^T [S, K].
    const float* x = padded_input(pass.x + static_cast<size_t>(s) * in_size, scratch);
    for (int r = 0; r < crs_; ++r) x_rows[r] = x + row_offsets_[r];
    small_gemm_rows(crs_, filters, span_, x_rows, dzt_rows, 1.0f, dw_t, filters);

    // Step 3: dcol [CRS, S] = W^T dz, added back at each row's offset of the padded dx.
    if (pass.dx == nullptr) continue;
    float* dcol = scratch.floats(3, static_cast<size_t>(crs_) * span_);
    small_gemm(crs_, span_, filters, pass.buffers->packed_backward.data(), filters, dzv, span_,
               0.0f, dcol, span_);
    float* dx = pass.dx + static_cast<size_t>(s) * in_size;
    const bool padded = c.pad_h > 0 || c.pad_w > 0;
    float* dxp = padded ? scratch.floats(5, padded_size) : dx;
    std::fill(dxp, dxp + (padded ? padded_size : in_size), 0.0f);
    add_shifted_rows(dcol, crs_, span_, row_offsets_.data(), dxp);
    if (!padded) continue;
    for (int ch = 0; ch < c.channels; ++ch) {
      for (int h = 0; h < c.height; ++h) {
        const float* source = dxp + (static_cast<size_t>(ch) * padded_h_ + h + c.pad_h) *
                                        padded_w_ + c.pad_w;
        std::copy(source, source + c.width,
                  dx + (static_cast<size_t>(ch) * c.height + h) * c.width);
      }
    }
  }
}

void Conv2DLayer::finish_gradient(const float* const* partials, int count, float* grad) const {
  const int filters = config_.filters;
  float* dw = grad;
  for (int k = 0; k < filters; ++k) {
    for (int r = 0; r < crs_; ++r) {
      float sum = 0.0f;
      for (int i = 0; i < count; ++i) sum += partials[i][static_cast<size_t>(r) * filters + k];
      dw[static_cast<size_t>(k) * crs_ + r] = sum;
    }
  }
  if (config_.has_bias) {
    const size_t offset = static_cast<size_t>(crs_) * filters;
    for (int k = 0; k < filters; ++k) {
      float sum = 0.0f;
      for (int i = 0; i < count; ++i) sum += partials[i][offset + k];
      grad[offset + k] = sum;
    }
  }
}

template <typename T>
void conv2d_forward_reference(const Conv2DConfig& c, int n, const T* x, const T* w, const T* b,
                              T* z) {
  const int oh_count = c.out_h(), ow_count = c.out_w();
  for (int s = 0; s < n; ++s) {
    for (int k = 0; k < c.filters; ++k) {
      for (int oh = 0; oh < oh_count; ++oh) {
        for (int ow = 0; ow < ow_count; ++ow) {
          double sum = b != nullptr ? static_cast<double>(b[k]) : 0.0;
          for (int ch = 0; ch < c.channels; ++ch) {
            for (int fh = 0; fh < c.filter_h; ++fh) {
              for (int fw = 0; fw < c.filter_w; ++fw) {
                int ih = oh * c.stride_h + fh - c.pad_h, iw = ow * c.stride_w + fw - c.pad_w;
                if (ih < 0 || ih >= c.height || iw < 0 || iw >= c.width) continue;
                sum += static_cast<double>(
                           x[((static_cast<size_t>(s) * c.channels + ch) * c.height + ih) *
                                 c.width + iw]) *
                       w[((static_cast<size_t>(k) * c.channels + ch) * c.filter_h + fh) *
                             c.filter_w + fw];
              }
            }
          }
          z[((static_cast<size_t>(s) * c.filters + k) * oh_count + oh) * ow_count + ow] =
              static_cast<T>(sum);
        }
      }
    }
  }
}

template <typename T>
void conv2d_backward_reference(const Conv2DConfig& c, int n, const T* x, const T* w,
                               const T* dz, T* dx, T* dw, T* db) {
  const int oh_count = c.out_h(), ow_count = c.out_w();
  const size_t x_size = static_cast<size_t>(c.channels) * c.height * c.width;
  const size_t w_size = static_cast<size_t>(c.filters) * c.channels * c.filter_h * c.filter_w;
  std::vector<double> dx_sum(dx != nullptr ? x_size * n : 0, 0.0), dw_sum(w_size, 0.0),
      db_sum(c.filters, 0.0);
  for (int s = 0; s < n; ++s) {
    for (int k = 0; k < c.filters; ++k) {
      for (int oh = 0; oh < oh_count; ++oh) {
        for (int ow = 0; ow < ow_count; ++ow) {
          double g = dz[((static_cast<size_t>(s) * c.filters + k) * oh_count + oh) * ow_count +
                        ow];
          db_sum[k] += g;
          for (int ch = 0; ch < c.channels; ++ch) {
            for (int fh = 0; fh < c.filter_h; ++fh) {
              for (int fw = 0; fw < c.filter_w; ++fw) {
                int ih = oh * c.stride_h + fh - c.pad_h, iw = ow * c.stride_w + fw - c.pad_w;
                if (ih < 0 || ih >= c.height || iw < 0 || iw >= c.width) continue;
                size_t xi = ((static_cast<size_t>(s) * c.channels + ch) * c.height + ih) *
                                c.width + iw;
                size_t wi = ((static_cast<size_t>(k) * c.channels + ch) * c.filter_h + fh) *
                                c.filter_w + fw;
                dw_sum[wi] += g * x[xi];
                if (dx != nullptr) dx_sum[xi] += g * w[wi];
              }
            }
          }
        }
      }
    }
  }
  for (size_t i = 0; i < w_size; ++i) dw[i] = static_cast<T>(dw_sum[i]);
  if (db != nullptr) {
    for (int k = 0; k < c.filters; ++k) db[k] = static_cast<T>(db_sum[k]);
  }
  if (dx != nullptr) {
    for (size_t i = 0; i < dx_sum.size(); ++i) dx[i] = static_cast<T>(dx_sum[i]);
  }
}

template void conv2d_forward_reference<float>(const Conv2DConfig&, int, const float*,
                                              const float*, const float*, float*);
template void conv2d_forward_reference<double>(const Conv2DConfig&, int, const double*,
                                               const double*, const double*, double*);
template void conv2d_backward_reference<float>(const Conv2DConfig&, int, const float*,
                                               const float*, const float*, float*, float*,
                                               float*);
template void conv2d_backward_reference<double>(const Conv2DConfig&, int, const double*,
                                                const double*, const double*, double*, double*,
                                                double*);

}  // namespace lamina
