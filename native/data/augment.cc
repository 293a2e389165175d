// Affine and elastic augmentation: see augment.h for the geometry and the order of the draws.
//
// The optimised path works in float on per-thread scratch. The noise of an image is smoothed
// along y, transposed and smoothed along x, both passes by one register-blocked kernel whose
// loads run along contiguous rows (an AVX2 + FMA build of it is chosen at run time); the
// resampling computes each pixel's source cell and fractions once for all channels, with no
// branches. The reference path at the end follows the definitions literally, in double.
#include "native/data/augment.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "native/core/errors.h"
#include "native/core/gemm.h"
#include "native/core/threading.h"

#ifdef _OPENMP
#include <omp.h>
#endif

#if defined(__GNUC__) && (defined(__x86_64__) || defined(_M_X64))
#include <immintrin.h>
#endif

namespace lamina {
namespace {

constexpr double kDegrees = 3.14159265358979323846 / 180.0;

int thread_index() {
#ifdef _OPENMP
  return omp_get_thread_num();
#else
  return 0;
#endif
}

// The affine draws of one image, in the order they are drawn.
struct AffineDraw {
  double angle = 0.0;  // degrees
  double scale = 1.0;
  double shear = 0.0;  // degrees
  double tx = 0.0, ty = 0.0;
};

double draw_in(Rng& rng, double low, double high) {
  return low + (high - low) * static_cast<double>(rng.uniform());
}

AffineDraw draw_affine(const AugmentOptions& options, Rng& rng) {
  AffineDraw draw;
  draw.angle = draw_in(rng, -options.rotation, options.rotation);
  draw.scale = draw_in(rng, options.scale_low, options.scale_high);
  draw.shear = draw_in(rng, -options.shear, options.shear);
  draw.tx = draw_in(rng, -options.translation, options.translation);
  draw.ty = draw_in(rng, -options.translation, options.translation);
  return draw;
}

// M = (1 / s) [[cos a + tan h sin a, sin a - tan h cos a], [-sin a, cos a]], row-major.
void inverse_matrix(const AffineDraw& draw, double m[4]) {
  double c = std::cos(draw.angle * kDegrees), s = std::sin(draw.angle * kDegrees);
  double t = std::tan(draw.shear * kDegrees);
  m[0] = (c + t * s) / draw.scale;
  m[1] = (s - t * c) / draw.scale;
  m[2] = -s / draw.scale;
  m[3] = c / draw.scale;
}

// floor(q) for q >= -1 (the caller clamps), without a library call.
inline int floor_above_minus_one(float q) {
  int truncated = static_cast<int>(q);
  return truncated - (q < static_cast<float>(truncated) ? 1 : 0);
}

inline float lerp(float a, float b, float f) { return a + f * (b - a); }

}  // namespace

void augment_check(const AugmentOptions& options, int count, int channels, int height,
                   int width) {
  // Shape.
  LAMINA_CHECK(count >= 0, "augment: expected an integer >= 0 for count but received ", count);
  LAMINA_CHECK(channels >= 1, "augment: expected an integer >= 1 for channels but received ",
               channels);
  LAMINA_CHECK(height >= 1 && height <= 65536,
               "augment: expected an integer in [1, 65536] for height but received ", height);
  LAMINA_CHECK(width >= 1 && width <= 65536,
               "augment: expected an integer in [1, 65536] for width but received ", width);
  long long image = static_cast<long long>(channels) * height * width;
  LAMINA_CHECK(image <= (1 << 28), "augment: expected channels x height x width <= ", 1 << 28,
               " but received ", channels, " x ", height, " x ", width, " = ", image);

  // Elastic.
  if (options.elastic) {
    LAMINA_CHECK(std::isfinite(options.alpha) && options.alpha >= 0,
                 "augment: expected a number >= 0 for options.elastic.alpha but received ",
                 options.alpha);
    LAMINA_CHECK(std::isfinite(options.sigma) && options.sigma > 0 && options.sigma <= 1000,
                 "augment: expected a number in (0, 1000] for options.elastic.sigma but "
                 "received ", options.sigma);
  }

  // Affine.
  if (options.affine) {
    LAMINA_CHECK(options.rotation >= 0 && options.rotation <= 180,
                 "augment: expected a number in [0, 180] for options.affine.rotation but "
                 "received ", options.rotation);
    LAMINA_CHECK(options.scale_low > 0 && options.scale_low <= options.scale_high &&
                     options.scale_high <= 100,
                 "augment: expected 0 < low <= high <= 100 for options.affine.scale but "
                 "received [", options.scale_low, ", ", options.scale_high, "]");
    LAMINA_CHECK(options.shear >= 0 && options.shear <= 60,
                 "augment: expected a number in [0, 60] for options.affine.shear but received ",
                 options.shear);
    LAMINA_CHECK(options.translation >= 0 && options.translation <= 1e6,
                 "augment: expected a number in [0, 1000000] for options.affine.translation "
                 "but received ", options.translation);
  }
}

std::vector<float> augment_gaussian_kernel(double sigma) {
  LAMINA_CHECK(std::isfinite(sigma) && sigma > 0 && sigma <= 1000,
               "augment: expected sigma in (0, 1000] but received ", sigma);
  int radius = static_cast<int>(std::ceil(3.0 * sigma));
  std::vector<double> weights(2 * radius + 1);
  double total = 0.0;
  for (int k = -radius; k <= radius; ++k) {
    weights[k + radius] = std::exp(-static_cast<double>(k) * k / (2.0 * sigma * sigma));
    total += weights[k + radius];
  }
  std::vector<float> kernel(weights.size());
  for (size_t i = 0; i < weights.size(); ++i) kernel[i] = static_cast<float>(weights[i] / total);
  return kernel;
}

// ---------------------------------------------------------------------------------------------
// The smoothing kernel: out[r][c] = sum over k in [max(0, r - R), min(rows - 1, r + R)] of
// w[k - r] in[k][c], for every row r of the buffer (rows rounded up to kBlockRows) and every
// column c < stride (a multiple of kBlockCols). It works on blocks of 4 rows x 16 columns, so
// that the rows of a block share each row of input it loads; w points at w[0] of a kernel
// readable from -R - 3 to R + 3 (zeros beyond R), so the 4 rows can share one loop over k.
// Two builds: portable (vector extensions of GCC and Clang, plain loops elsewhere), and AVX2 +
// FMA, chosen at run time.

namespace {

constexpr int kBlockRows = kAugmentBlockRows;
constexpr int kBlockCols = kAugmentBlockCols;

int round_up(int value, int multiple) { return (value + multiple - 1) / multiple * multiple; }

}  // namespace

#if defined(__GNUC__)
// GCC and Clang: 4-lane vectors (SSE on x86, NEON on ARM, scalar code elsewhere), 8 columns at
// a time, so the 4 x 8 block of sums stays in 8 registers.
typedef float Vec4 __attribute__((vector_size(16)));

void augment_smooth_portable(const float* in, float* out, int rows, int stride, const float* w,
                             int radius) {
  for (int r = 0; r < rows; r += kBlockRows) {
    const int k_first = std::max(0, r - radius);
    const int k_last = std::min(rows - 1, r + kBlockRows - 1 + radius);
    for (int c = 0; c < stride; c += 8) {
      Vec4 a00 = {}, a01 = {}, a10 = {}, a11 = {}, a20 = {}, a21 = {}, a30 = {}, a31 = {};
      for (int k = k_first; k <= k_last; ++k) {
        const float* source = in + static_cast<size_t>(k) * stride + c;
        Vec4 x0, x1;
        std::memcpy(&x0, source, sizeof(Vec4));
        std::memcpy(&x1, source + 4, sizeof(Vec4));
        const float* weights = w + (k - r);  // row r + i takes weights[-i]
        const Vec4 w0 = Vec4{} + weights[0], w1 = Vec4{} + weights[-1];
        const Vec4 w2 = Vec4{} + weights[-2], w3 = Vec4{} + weights[-3];
        a00 += w0 * x0;
        a01 += w0 * x1;
        a10 += w1 * x0;
        a11 += w1 * x1;
        a20 += w2 * x0;
        a21 += w2 * x1;
        a30 += w3 * x0;
        a31 += w3 * x1;
      }
      float* target = out + static_cast<size_t>(r) * stride + c;
      const Vec4 sums[kBlockRows][2] = {{a00, a01}, {a10, a11}, {a20, a21}, {a30, a31}};
      for (int i = 0; i < kBlockRows; ++i) {
        std::memcpy(target + i * stride, &sums[i][0], sizeof(Vec4));
        std::memcpy(target + i * stride + 4, &sums[i][1], sizeof(Vec4));
      }
    }
  }
}
#else
// Other compilers: plain loops.
void augment_smooth_portable(const float* in, float* out, int rows, int stride, const float* w,
                             int radius) {
  for (int r = 0; r < rows; r += kBlockRows) {
    const int k_first = std::max(0, r - radius);
    const int k_last = std::min(rows - 1, r + kBlockRows - 1 + radius);
    for (int i = 0; i < kBlockRows; ++i) {
      float* target = out + static_cast<size_t>(r + i) * stride;
      for (int c = 0; c < stride; ++c) target[c] = 0.0f;
      for (int k = k_first; k <= k_last; ++k) {
        const float weight = w[k - r - i];
        const float* source = in + static_cast<size_t>(k) * stride;
        for (int c = 0; c < stride; ++c) target[c] += weight * source[c];
      }
    }
  }
}
#endif

#if defined(__GNUC__) && (defined(__x86_64__) || defined(_M_X64))
#define LAMINA_AUGMENT_AVX2 1

__attribute__((target("avx2,fma"))) void augment_smooth_avx2(const float* in, float* out,
                                                             int rows, int stride,
                                                             const float* w, int radius) {
  for (int r = 0; r < rows; r += kBlockRows) {
    const int k_first = std::max(0, r - radius);
    const int k_last = std::min(rows - 1, r + kBlockRows - 1 + radius);
    for (int c = 0; c < stride; c += kBlockCols) {
      // 8 accumulators: rows r .. r + 3, columns c .. c + 7 and c + 8 .. c + 15.
      __m256 a00 = _mm256_setzero_ps(), a01 = _mm256_setzero_ps();
      __m256 a10 = _mm256_setzero_ps(), a11 = _mm256_setzero_ps();
      __m256 a20 = _mm256_setzero_ps(), a21 = _mm256_setzero_ps();
      __m256 a30 = _mm256_setzero_ps(), a31 = _mm256_setzero_ps();
      for (int k = k_first; k <= k_last; ++k) {
        const float* source = in + static_cast<size_t>(k) * stride + c;
        const __m256 x0 = _mm256_loadu_ps(source), x1 = _mm256_loadu_ps(source + 8);
        const float* weights = w + (k - r);  // row r + i takes weights[-i]
        __m256 weight = _mm256_broadcast_ss(weights);
        a00 = _mm256_fmadd_ps(weight, x0, a00);
        a01 = _mm256_fmadd_ps(weight, x1, a01);
        weight = _mm256_broadcast_ss(weights - 1);
        a10 = _mm256_fmadd_ps(weight, x0, a10);
        a11 = _mm256_fmadd_ps(weight, x1, a11);
        weight = _mm256_broadcast_ss(weights - 2);
        a20 = _mm256_fmadd_ps(weight, x0, a20);
        a21 = _mm256_fmadd_ps(weight, x1, a21);
        weight = _mm256_broadcast_ss(weights - 3);
        a30 = _mm256_fmadd_ps(weight, x0, a30);
        a31 = _mm256_fmadd_ps(weight, x1, a31);
      }
      float* target = out + static_cast<size_t>(r) * stride + c;
      _mm256_storeu_ps(target, a00);
      _mm256_storeu_ps(target + 8, a01);
      _mm256_storeu_ps(target + stride, a10);
      _mm256_storeu_ps(target + stride + 8, a11);
      _mm256_storeu_ps(target + 2 * stride, a20);
      _mm256_storeu_ps(target + 2 * stride + 8, a21);
      _mm256_storeu_ps(target + 3 * stride, a30);
      _mm256_storeu_ps(target + 3 * stride + 8, a31);
    }
  }
}
#else  // not x86-64 with GCC or Clang: the portable kernel does the work

void augment_smooth_avx2(const float* in, float* out, int rows, int stride, const float* w,
                         int radius) {
  augment_smooth_portable(in, out, rows, stride, w, radius);
}
#endif

bool augment_has_avx2() {
#ifdef LAMINA_AUGMENT_AVX2
  return cpu_has_avx2_fma();
#else
  return false;
#endif
}

Augmenter::Augmenter(const AugmentOptions& options, int channels, int height, int width)
    : options_(options), channels_(channels), height_(height), width_(width), radius_(0),
      use_avx2_(false) {
  augment_check(options, 0, channels, height, width);
  if (options.elastic) {
    std::vector<float> kernel = augment_gaussian_kernel(options.sigma);
    radius_ = static_cast<int>(kernel.size() / 2);
    const int pad = kBlockRows - 1;
    kernel_.assign(kernel.size() + 2 * pad, 0.0f);
    kernel_alpha_.assign(kernel.size() + 2 * pad, 0.0f);
    for (size_t i = 0; i < kernel.size(); ++i) {
      kernel_[i + pad] = kernel[i];
      kernel_alpha_[i + pad] = static_cast<float>(options.alpha * kernel[i]);
    }
    use_avx2_ = augment_has_avx2();
  }
  for (int i = 0; i < 256; ++i) byte_scale_[i] = static_cast<float>(i / 255.0);
}

bool Augmenter::active() const {
  return options_.affine || (options_.elastic && options_.alpha > 0);
}

void Augmenter::smooth(const float* in, float* out, int rows, int stride,
                       const float* weights) const {
  const float* center = weights + radius_ + kBlockRows - 1;
  if (use_avx2_) return augment_smooth_avx2(in, out, rows, stride, center, radius_);
  augment_smooth_portable(in, out, rows, stride, center, radius_);
}

// Per thread: the source image with a zero border [C, H + 3, W + 3]; the dx and dy noise and
// the pass along y, upright [H4, W16] each; that pass transposed and the dx and dy fields,
// sideways [W4, H16] each (H4: H rounded up to a multiple of 4 rows, W16: W rounded up to a
// multiple of 16 columns, and so on); the fractions of one column of source points [2, H]. (The
// cells of that column, [H] ints, have their own scratch.)
size_t Augmenter::scratch_floats() const {
  const size_t upright = static_cast<size_t>(round_up(height_, kBlockRows)) *
                         round_up(width_, kBlockCols);
  const size_t sideways = static_cast<size_t>(round_up(width_, kBlockRows)) *
                          round_up(height_, kBlockCols);
  const size_t padded = static_cast<size_t>(height_ + 3) * (width_ + 3);
  return channels_ * padded + 3 * upright + 3 * sideways + 2 * static_cast<size_t>(height_);
}

void Augmenter::apply(const float* x, float* y, int count, Rng& rng, int threads) const {
  apply_batch(x, y, count, rng, threads);
}

void Augmenter::apply(const uint8_t* x, float* y, int count, Rng& rng, int threads) const {
  apply_batch(x, y, count, rng, threads);
}

template <typename Pixel>
void Augmenter::apply_batch(const Pixel* x, float* y, int count, Rng& rng, int threads) const {
  LAMINA_CHECK(threads >= 0, "augment: expected threads >= 0 but received ", threads);
  augment_check(options_, count, channels_, height_, width_);
  LAMINA_CHECK(count == 0 || (x != nullptr && y != nullptr),
               "augment: expected image buffers but received a null pointer");

  // The per-image seeds, drawn in image order before any work.
  std::vector<uint32_t> seeds(count);
  for (uint32_t& seed : seeds) seed = rng.next_u32();
  const size_t image = static_cast<size_t>(channels_) * height_ * width_;

  // Nothing moves: the output is the input (as float).
  if (!active()) {
    for (size_t i = 0; i < image * count; ++i) {
      if constexpr (std::is_same_v<Pixel, uint8_t>) {
        y[i] = byte_scale_[x[i]];
      } else {
        y[i] = x[i];
      }
    }
    return;
  }

  // Images in parallel, each from its own seed into its thread's scratch (zeroed once: the
  // padding of the smoothing buffers must read 0). One thread: no OpenMP region.
  const int team = std::max(1, std::min(threads > 0 ? threads : get_num_threads(), count));
  const size_t per_thread = scratch_floats();
  std::vector<float> scratch(per_thread * team, 0.0f);
  std::vector<int> cells(static_cast<size_t>(height_) * team);
  if (team == 1) {
    for (int n = 0; n < count; ++n) {
      apply_image(x + image * n, y + image * n, seeds[n], scratch.data(), cells.data());
    }
    return;
  }
#pragma omp parallel num_threads(team)
  {
    float* own = scratch.data() + per_thread * thread_index();
    int* own_cells = cells.data() + static_cast<size_t>(height_) * thread_index();
#pragma omp for schedule(static)
    for (int n = 0; n < count; ++n) {
      apply_image(x + image * n, y + image * n, seeds[n], own, own_cells);
    }
  }
}

// x [C, H, W] -> y [C, H, W] for one image.
template <typename Pixel>
void Augmenter::apply_image(const Pixel* x, float* y, uint32_t image_seed, float* scratch,
                            int* cell) const {
  const int H = height_, W = width_;
  const size_t plane = static_cast<size_t>(H) * W;
  const int rows_t = round_up(W, kBlockRows), stride_t = round_up(H, kBlockCols);
  const int rows_u = round_up(H, kBlockRows), stride_u = round_up(W, kBlockCols);
  const int padded_width = W + 3;
  const size_t padded_plane = static_cast<size_t>(H + 3) * padded_width;
  const size_t upright = static_cast<size_t>(rows_u) * stride_u;
  const size_t sideways = static_cast<size_t>(rows_t) * stride_t;
  float* padded = scratch;
  float* noise_x = padded + channels_ * padded_plane;
  float* noise_y = noise_x + upright;
  float* along_y = noise_y + upright;
  float* transposed = along_y + upright;
  float* field_x = transposed + sideways;
  float* field_y = field_x + sideways;
  float* frac_x = field_y + sideways;
  float* frac_y = frac_x + H;

  // The source image in scratch with a border of zeros, 1 pixel wide at the top and left and 2
  // at the bottom and right (written once, when the scratch was allocated): bytes scaled,
  // floats copied (so that y may be x).
  for (int c = 0; c < channels_; ++c) {
    for (int row = 0; row < H; ++row) {
      const Pixel* from = x + c * plane + static_cast<size_t>(row) * W;
      float* to = padded + c * padded_plane + static_cast<size_t>(row + 1) * padded_width + 1;
      for (int col = 0; col < W; ++col) {
        if constexpr (std::is_same_v<Pixel, uint8_t>) {
          to[col] = byte_scale_[from[col]];
        } else {
          to[col] = from[col];
        }
      }
    }
  }

  // The affine draws.
  Rng rng(image_seed, kStreamAugment);
  double m[4] = {1.0, 0.0, 0.0, 1.0};
  AffineDraw draw;
  if (options_.affine) {
    draw = draw_affine(options_, rng);
    inverse_matrix(draw, m);
  }
  const float m00 = static_cast<float>(m[0]), m01 = static_cast<float>(m[1]);
  const float m10 = static_cast<float>(m[2]), m11 = static_cast<float>(m[3]);
  const float cx = static_cast<float>((W - 1) * 0.5), cy = static_cast<float>((H - 1) * 0.5);
  const float shift_x = static_cast<float>(draw.tx), shift_y = static_cast<float>(draw.ty);

  // The elastic field: the noise (dx then dy, row-major draws, 2u - 1) smoothed along y, then
  // transposed and smoothed along x, which applies alpha; the fields end up transposed.
  const bool elastic = options_.elastic && options_.alpha > 0;
  if (elastic) {
    float* noises[2] = {noise_x, noise_y};
    for (float* noise : noises) {
      for (int row = 0; row < H; ++row) {
        float* line = noise + static_cast<size_t>(row) * stride_u;
        rng.fill_uniform(line, W);
        for (int col = 0; col < W; ++col) line[col] = line[col] * 2.0f - 1.0f;
      }
    }
    float* fields[2] = {field_x, field_y};
    for (int axis = 0; axis < 2; ++axis) {
      smooth(noises[axis], along_y, H, stride_u, kernel_.data());
      for (int col = 0; col < W; ++col) {
        for (int row = 0; row < H; ++row) {
          transposed[col * stride_t + row] = along_y[row * stride_u + col];
        }
      }
      smooth(transposed, fields[axis], W, stride_t, kernel_alpha_.data());
    }
  }

  // Resampling, one column of output pixels at a time (the fields are stored transposed):
  // first the source points, their cells and fractions (a loop compilers vectorise), then the
  // bilinear values per channel. Clamping q to [-1, W] x [-1, H] (NaN to -1) changes nothing,
  // since beyond those bounds every neighbour reads 0 and within them the zero border of the
  // padded source supplies the zeros; so neither loop branches. Without an elastic field the
  // fields hold zeros (the scratch starts zeroed).
  const float width_f = static_cast<float>(W), height_f = static_cast<float>(H);
  for (int col = 0; col < W; ++col) {
    const float u0 = (static_cast<float>(col) - cx) - shift_x;
    const float* dx = field_x + static_cast<size_t>(col) * stride_t;
    const float* dy = field_y + static_cast<size_t>(col) * stride_t;
    for (int row = 0; row < H; ++row) {
      const float u = u0 + dx[row];
      const float v = ((static_cast<float>(row) - cy) - shift_y) + dy[row];
      float qx = cx + (m00 * u + m01 * v);
      float qy = cy + (m10 * u + m11 * v);
      qx = qx > -1.0f ? qx : -1.0f;
      qx = qx < width_f ? qx : width_f;
      qy = qy > -1.0f ? qy : -1.0f;
      qy = qy < height_f ? qy : height_f;
      const int x0 = floor_above_minus_one(qx), y0 = floor_above_minus_one(qy);
      cell[row] = (y0 + 1) * padded_width + (x0 + 1);
      frac_x[row] = qx - static_cast<float>(x0);
      frac_y[row] = qy - static_cast<float>(y0);
    }
    for (int c = 0; c < channels_; ++c) {
      const float* s = padded + c * padded_plane;
      float* out = y + c * plane + col;
      for (int row = 0; row < H; ++row) {
        const float* at = s + cell[row];
        const float top = lerp(at[0], at[1], frac_x[row]);
        const float bottom = lerp(at[padded_width], at[padded_width + 1], frac_x[row]);
        out[static_cast<size_t>(row) * W] = lerp(top, bottom, frac_y[row]);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The scalar reference: the definitions of augment.h written out literally, in double.

void Augmenter::apply_reference(const float* x, float* y, int count, Rng& rng) const {
  augment_check(options_, count, channels_, height_, width_);
  const int H = height_, W = width_;
  const size_t plane = static_cast<size_t>(H) * W, image = channels_ * plane;
  std::vector<uint32_t> seeds(count);
  for (uint32_t& seed : seeds) seed = rng.next_u32();

  // The kernel in double.
  const double sigma = options_.sigma;
  const int R = options_.elastic ? static_cast<int>(std::ceil(3.0 * sigma)) : 0;
  std::vector<double> w(2 * R + 1);
  double total = 0.0;
  for (int k = -R; k <= R; ++k) total += w[k + R] = std::exp(-1.0 * k * k / (2 * sigma * sigma));
  for (double& weight : w) weight /= total;

  std::vector<double> noise_x(plane), noise_y(plane), along_y_x(plane), along_y_y(plane);
  std::vector<double> field_x(plane, 0.0), field_y(plane, 0.0);
  std::vector<float> source(image);
  for (int n = 0; n < count; ++n) {
    std::copy(x + image * n, x + image * (n + 1), source.begin());
    float* out = y + image * n;
    Rng image_rng(seeds[n], kStreamAugment);

    // Affine draws.
    AffineDraw draw;
    double m[4] = {1.0, 0.0, 0.0, 1.0};
    if (options_.affine) {
      draw = draw_affine(options_, image_rng);
      inverse_matrix(draw, m);
    }

    // Elastic field: every tap, noise outside the image is zero.
    std::fill(field_x.begin(), field_x.end(), 0.0);
    std::fill(field_y.begin(), field_y.end(), 0.0);
    if (options_.elastic) {
      for (size_t i = 0; i < plane; ++i) noise_x[i] = image_rng.uniform() * 2.0 - 1.0;
      for (size_t i = 0; i < plane; ++i) noise_y[i] = image_rng.uniform() * 2.0 - 1.0;
      // Along y, then along x (times alpha).
      for (int row = 0; row < H; ++row) {
        for (int col = 0; col < W; ++col) {
          double sum_x = 0.0, sum_y = 0.0;
          for (int k = -R; k <= R; ++k) {
            if (row + k < 0 || row + k >= H) continue;
            sum_x += w[k + R] * noise_x[(row + k) * W + col];
            sum_y += w[k + R] * noise_y[(row + k) * W + col];
          }
          along_y_x[row * W + col] = sum_x;
          along_y_y[row * W + col] = sum_y;
        }
      }
      for (int row = 0; row < H; ++row) {
        for (int col = 0; col < W; ++col) {
          double sum_x = 0.0, sum_y = 0.0;
          for (int k = -R; k <= R; ++k) {
            if (col + k < 0 || col + k >= W) continue;
            sum_x += w[k + R] * along_y_x[row * W + col + k];
            sum_y += w[k + R] * along_y_y[row * W + col + k];
          }
          field_x[row * W + col] = options_.alpha * sum_x;
          field_y[row * W + col] = options_.alpha * sum_y;
        }
      }
    }

    // q = c + M (p + D(p) - c - t), then bilinear with zeros outside.
    const double cx = (W - 1) / 2.0, cy = (H - 1) / 2.0;
    for (int row = 0; row < H; ++row) {
      for (int col = 0; col < W; ++col) {
        const size_t i = static_cast<size_t>(row) * W + col;
        double u = col + field_x[i] - cx - draw.tx;
        double v = row + field_y[i] - cy - draw.ty;
        double qx = cx + m[0] * u + m[1] * v;
        double qy = cy + m[2] * u + m[3] * v;
        double x0 = std::floor(qx), y0 = std::floor(qy);
        double fx = qx - x0, fy = qy - y0;
        for (int c = 0; c < channels_; ++c) {
          auto at = [&](double yy, double xx) -> double {
            if (xx < 0 || xx >= W || yy < 0 || yy >= H) return 0.0;
            return source[c * plane + static_cast<size_t>(yy) * W + static_cast<size_t>(xx)];
          };
          double top = at(y0, x0) + fx * (at(y0, x0 + 1) - at(y0, x0));
          double bottom = at(y0 + 1, x0) + fx * (at(y0 + 1, x0 + 1) - at(y0 + 1, x0));
          out[c * plane + i] = static_cast<float>(top + fy * (bottom - top));
        }
      }
    }
  }
}

void augment_images(const AugmentOptions& options, const float* x, float* y, int count,
                    int channels, int height, int width, Rng& rng) {
  Augmenter(options, channels, height, width).apply(x, y, count, rng);
}

void augment_images(const AugmentOptions& options, const uint8_t* x, float* y, int count,
                    int channels, int height, int width, Rng& rng) {
  Augmenter(options, channels, height, width).apply(x, y, count, rng);
}

void augment_images_reference(const AugmentOptions& options, const float* x, float* y,
                              int count, int channels, int height, int width, Rng& rng) {
  Augmenter(options, channels, height, width).apply_reference(x, y, count, rng);
}

}  // namespace lamina
