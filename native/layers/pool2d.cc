#include "native/layers/pool2d.h"

#include <algorithm>
#include <limits>

#if (defined(__x86_64__) || defined(_M_X64)) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "native/core/simd.h"

namespace lamina {
namespace {

// The widest input row the 2 x 2 fast path takes (its row buffer lives on the stack).
constexpr int kMaxPoolRow = 1024;

int pool_length(int input, int pool, int stride, int pad, bool ignore_border) {
  if (ignore_border) return (input + 2 * pad - pool) / stride + 1;
  int padded = input + 2 * pad;
  if (stride >= pool) return (padded + stride - 1) / stride;
  return std::max(0, (padded - pool + stride - 1) / stride) + 1;
}

}  // namespace

int Pool2DConfig::out_h() const {
  return pool_length(height, pool_h, stride_h, pad_h, ignore_border);
}

int Pool2DConfig::out_w() const {
  return pool_length(width, pool_w, stride_w, pad_w, ignore_border);
}

Pool2DLayer::Window Pool2DLayer::window(int index, int stride, int pool, int pad,
                                        int size) const {
  int start = index * stride - pad;
  int stop = std::min(start + pool, size + pad);
  Window w;
  w.begin = std::max(start, 0);
  w.end = std::min(stop, size);
  if (w.end < w.begin) w.end = w.begin;
  w.cells = config_.include_padding ? stop - start : w.end - w.begin;
  return w;
}

Pool2DLayer::Pool2DLayer(const Pool2DConfig& config)
    : config_(config), out_h_(config.out_h()), out_w_(config.out_w()) {
  for (int o = 0; o < out_h_; ++o) {
    rows_.push_back(window(o, config.stride_h, config.pool_h, config.pad_h, config.height));
  }
  for (int o = 0; o < out_w_; ++o) {
    cols_.push_back(window(o, config.stride_w, config.pool_w, config.pad_w, config.width));
  }
}

void Pool2DLayer::reserve(LayerBuffers& buffers, int capacity) const {
  if (config_.max) buffers.ints.assign(static_cast<size_t>(capacity) * out_size, -1);
}

namespace {

// The common 2 x 2 max pooling with stride 2 and no padding, whole windows only: one plane
// x [H, W] -> y [OH, OW], and the index of each maximum when where is not null. The first
// maximum in row-major order wins ties: within a row pair the left one, between the rows the
// upper one.
#if (defined(__x86_64__) || defined(_M_X64)) && defined(__GNUC__)
// One output row of max_pool_2x2 with indices, AVX-512: 16 outputs per step, the columns
// split into even and odd lanes, ties to the first cell as in the scalar loop.
__attribute__((target("avx512f"))) void max_pool_2x2_row_avx512(const float* row0,
                                                                const float* row1, int width,
                                                                int base, int out_w, float* out,
                                                                int32_t* index) {
  const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28,
                                         30);
  const __m512i odd = _mm512_add_epi32(even, _mm512_set1_epi32(1));
  const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  for (int ow = 0; ow < out_w; ow += 16) {
    const int count = out_w - ow < 16 ? out_w - ow : 16;
    const __mmask16 low = static_cast<__mmask16>(count >= 8 ? 0xffff : (1u << (2 * count)) - 1);
    const __mmask16 high =
        static_cast<__mmask16>(count <= 8 ? 0 : count >= 16 ? 0xffff : (1u
            << (2 * count - 16)) - 1);
    const float* top_row = row0 + 2 * ow;
    const float* bottom_row = row1 + 2 * ow;
    const __m512 t0 = _mm512_maskz_loadu_ps(low, top_row);
    const __m512 t1 = _mm512_maskz_loadu_ps(high, top_row + 16);
    const __m512 b0 = _mm512_maskz_loadu_ps(low, bottom_row);
    const __m512 b1 = _mm512_maskz_loadu_ps(high, bottom_row + 16);
    const __m512 a = _mm512_permutex2var_ps(t0, even, t1), b = _mm512_permutex2var_ps(t0, odd, t1);
    const __m512 c = _mm512_permutex2var_ps(b0, even, b1), d = _mm512_permutex2var_ps(b0, odd, b1);
    const __mmask16 b_wins = _mm512_cmp_ps_mask(b, a, _CMP_GT_OQ);
    const __mmask16 d_wins = _mm512_cmp_ps_mask(d, c, _CMP_GT_OQ);
    const __m512 top = _mm512_mask_blend_ps(b_wins, a, b);
    const __m512 bottom = _mm512_mask_blend_ps(d_wins, c, d);
    const __mmask16 lower = _mm512_cmp_ps_mask(bottom, top, _CMP_GT_OQ);
    // Index of the winner: base + 2 ow + (row 1 ? width : 0) + (odd column ? 1 : 0).
    const __m512i column = _mm512_add_epi32(_mm512_set1_epi32(base + 2 * ow),
                                            _mm512_slli_epi32(lane, 1));
    const __m512i top_index =
        _mm512_mask_add_epi32(column, b_wins, column, _mm512_set1_epi32(1));
    const __m512i bottom_column = _mm512_add_epi32(column, _mm512_set1_epi32(width));
    const __m512i bottom_index =
        _mm512_mask_add_epi32(bottom_column, d_wins, bottom_column, _mm512_set1_epi32(1));
    const __mmask16 store = static_cast<__mmask16>((1u << count) - 1);
    _mm512_mask_storeu_ps(out + ow, store, _mm512_mask_blend_ps(lower, top, bottom));
    _mm512_mask_storeu_epi32(index + ow, store,
                             _mm512_mask_blend_epi32(lower, top_index, bottom_index));
  }
}

bool has_avx512f() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f");
}
#endif

LAMINA_VECTORIZE void max_pool_2x2(const float* x, int width, int out_h, int out_w, float* y,
                                   int32_t* where, bool vector_kernels) {
#if (defined(__x86_64__) || defined(_M_X64)) && defined(__GNUC__)
  static const bool has_avx512 = has_avx512f();
  const bool avx512 = has_avx512 && vector_kernels;
#else
  (void)vector_kernels;
#endif
  for (int oh = 0; oh < out_h; ++oh) {
    const float* row0 = x + static_cast<size_t>(2 * oh) * width;
    const float* row1 = row0 + width;
    float* out = y + static_cast<size_t>(oh) * out_w;
    if (where == nullptr) {
      // Values only: the larger of the two rows first (contiguous, so it vectorises).
      float rows[kMaxPoolRow];
      for (int w = 0; w < 2 * out_w; ++w) rows[w] = row1[w] > row0[w] ? row1[w] : row0[w];
      for (int ow = 0; ow < out_w; ++ow) {
        out[ow] = rows[2 * ow + 1] > rows[2 * ow] ? rows[2 * ow + 1] : rows[2 * ow];
      }
      continue;
    }
    int32_t* index = where + static_cast<size_t>(oh) * out_w;
    const int base = 2 * oh * width;
#if (defined(__x86_64__) || defined(_M_X64)) && defined(__GNUC__)
    if (avx512) {
      max_pool_2x2_row_avx512(row0, row1, width, base, out_w, out, index);
      continue;
    }
#endif
    for (int ow = 0; ow < out_w; ++ow) {
      const float a = row0[2 * ow], b = row0[2 * ow + 1];
      const float c = row1[2 * ow], d = row1[2 * ow + 1];
      const float top = b > a ? b : a, bottom = d > c ? d : c;
      const int top_index = base + 2 * ow + (b > a ? 1 : 0);
      const int bottom_index = base + width + 2 * ow + (d > c ? 1 : 0);
      const bool lower = bottom > top;
      out[ow] = lower ? bottom : top;
      index[ow] = lower ? bottom_index : top_index;
    }
  }
}

}  // namespace

// x [N, C, H, W] -> y [N, C, OH, OW]; max also records the input index of each maximum.
void Pool2DLayer::forward(const ForwardPass& pass, int begin, int end, Scratch&) const {
  const Pool2DConfig& c = config_;
  const int plane = c.height * c.width, out_plane = out_h_ * out_w_;
  const bool two_by_two = c.max && c.pool_h == 2 && c.pool_w == 2 && c.stride_h == 2 &&
                          c.stride_w == 2 && c.pad_h == 0 && c.pad_w == 0 &&
                          2 * out_h_ <= c.height && 2 * out_w_ <= c.width &&
                          2 * out_w_ <= kMaxPoolRow;
  if (two_by_two) {
    for (int s = begin; s < end; ++s) {
      for (int ch = 0; ch < c.channels; ++ch) {
        const size_t plane_index = static_cast<size_t>(s) * c.channels + ch;
        max_pool_2x2(pass.x + plane_index * plane, c.width, out_h_, out_w_,
                     pass.y + plane_index * out_plane,
                     pass.training ? pass.buffers->ints.data() + plane_index * out_plane
                                   : nullptr,
                     c.vector_kernels);
      }
    }
    return;
  }
  for (int s = begin; s < end; ++s) {
    for (int ch = 0; ch < c.channels; ++ch) {
      const size_t plane_index = static_cast<size_t>(s) * c.channels + ch;
      const float* x = pass.x + plane_index * plane;
      float* y = pass.y + plane_index * out_plane;
      int32_t* where = c.max ? pass.buffers->ints.data() + plane_index * out_plane : nullptr;
      for (int oh = 0; oh < out_h_; ++oh) {
        const Window& wr = rows_[oh];
        for (int ow = 0; ow < out_w_; ++ow) {
          const Window& wc = cols_[ow];
          const int o = oh * out_w_ + ow;
          if (c.max) {
            // Branch-free scan: the first maximum wins (a later cell must be larger).
            if (wr.begin >= wr.end || wc.begin >= wc.end) {
              y[o] = 0.0f;
              where[o] = -1;
              continue;
            }
            int best_index = wr.begin * c.width + wc.begin;
            float best = x[best_index];
            for (int ih = wr.begin; ih < wr.end; ++ih) {
              for (int iw = wc.begin; iw < wc.end; ++iw) {
                const int index = ih * c.width + iw;
                const float value = x[index];
                const bool larger = value > best;
                best = larger ? value : best;
                best_index = larger ? index : best_index;
              }
            }
            y[o] = best;
            where[o] = best_index;
          } else {
            float sum = 0.0f;
            for (int ih = wr.begin; ih < wr.end; ++ih) {
              for (int iw = wc.begin; iw < wc.end; ++iw) sum += x[ih * c.width + iw];
            }
            const int cells = wr.cells * wc.cells;
            y[o] = cells > 0 ? sum / static_cast<float>(cells) : 0.0f;
          }
        }
      }
    }
  }
}

// dy [N, C, OH, OW] -> dx [N, C, H, W]
void Pool2DLayer::backward(const BackwardPass& pass, int begin, int end, float*,
                           Scratch&) const {
  if (pass.dx == nullptr) return;
  const Pool2DConfig& c = config_;
  const int plane = c.height * c.width, out_plane = out_h_ * out_w_;
  for (int s = begin; s < end; ++s) {
    for (int ch = 0; ch < c.channels; ++ch) {
      const size_t plane_index = static_cast<size_t>(s) * c.channels + ch;
      float* dx = pass.dx + plane_index * plane;
      const float* dy = pass.dy + plane_index * out_plane;
      std::fill(dx, dx + plane, 0.0f);
      if (c.max) {
        const int32_t* where = pass.buffers->ints.data() + plane_index * out_plane;
        for (int o = 0; o < out_plane; ++o) {
          if (where[o] >= 0) dx[where[o]] += dy[o];
        }
        continue;
      }
      for (int oh = 0; oh < out_h_; ++oh) {
        const Window& wr = rows_[oh];
        for (int ow = 0; ow < out_w_; ++ow) {
          const Window& wc = cols_[ow];
          const int cells = wr.cells * wc.cells;
          if (cells == 0) continue;
          const float share = dy[oh * out_w_ + ow] / static_cast<float>(cells);
          for (int ih = wr.begin; ih < wr.end; ++ih) {
            for (int iw = wc.begin; iw < wc.end; ++iw) dx[ih * c.width + iw] += share;
          }
        }
      }
    }
  }
}

template <typename T>
void pool2d_forward_reference(const Pool2DConfig& c, int n, const T* x, T* y) {
  const int oh_count = c.out_h(), ow_count = c.out_w();
  const int padded_h = c.height + 2 * c.pad_h, padded_w = c.width + 2 * c.pad_w;
  for (int s = 0; s < n; ++s) {
    for (int ch = 0; ch < c.channels; ++ch) {
      const T* plane = x + (static_cast<size_t>(s) * c.channels + ch) * c.height * c.width;
      for (int oh = 0; oh < oh_count; ++oh) {
        for (int ow = 0; ow < ow_count; ++ow) {
          // Visit every cell of the window in padded coordinates.
          double best = -std::numeric_limits<double>::infinity(), sum = 0.0;
          int inside = 0, padded_cells = 0;
          for (int ph = oh * c.stride_h; ph < oh * c.stride_h + c.pool_h; ++ph) {
            for (int pw = ow * c.stride_w; pw < ow * c.stride_w + c.pool_w; ++pw) {
              if (ph >= padded_h || pw >= padded_w) continue;
              ++padded_cells;
              int ih = ph - c.pad_h, iw = pw - c.pad_w;
              if (ih < 0 || ih >= c.height || iw < 0 || iw >= c.width) continue;
              ++inside;
              double value = plane[ih * c.width + iw];
              best = std::max(best, value);
              sum += value;
            }
          }
          double out;
          if (c.max) {
            out = inside > 0 ? best : 0.0;
          } else {
            int cells = c.include_padding ? padded_cells : inside;
            out = cells > 0 ? sum / cells : 0.0;
          }
          y[((static_cast<size_t>(s) * c.channels + ch) * oh_count + oh) * ow_count + ow] =
              static_cast<T>(out);
        }
      }
    }
  }
}

template void pool2d_forward_reference<float>(const Pool2DConfig&, int, const float*, float*);
template void pool2d_forward_reference<double>(const Pool2DConfig&, int, const double*, double*);

}  // namespace lamina
