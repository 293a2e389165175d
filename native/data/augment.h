// Data augmentation of image batches: random affine transforms and elastic distortions
// (Simard, Steinkraus and Platt, 2003), drawn afresh for every image, resampled in one pass.
//
// Shapes: N images, C channels, H rows, W columns; a batch is x [N, C, H, W], row-major.
// Every channel of an image moves with the same displacement.
//
// Geometry. Pixel (x, y) is column x, row y (y points down); the centre is
// c = ((W - 1) / 2, (H - 1) / 2). Output pixel p takes the input's value at the source point
//   q = c + M (p + D(p) - c - t)
// where
//   M = F^-1 with F = s R(a) S(h): the digit is sheared (x += tan(h) y), rotated by a (positive
//       angles turn it clockwise as displayed), scaled by s, all about the centre, then moved
//       by t. So M = (1 / s) [[cos a + tan h sin a, sin a - tan h cos a], [-sin a, cos a]].
//   t = (tx, ty), the translation in pixels.
//   D = alpha * (G * U): the elastic displacement field, in output coordinates (the affine
//       transform is applied first, the elastic distortion second). U holds an independent
//       uniform(-1, 1) per pixel for each of dx and dy; G is the Gaussian of standard deviation
//       sigma, weights w[k] = exp(-k^2 / (2 sigma^2)) for k = -R .. R, R = ceil(3 sigma),
//       normalised to sum 1. The 2-D smoothing is separable: along columns (y) first, then
//       along rows (x). Border: U is zero outside the image (no renormalisation), so the field
//       is weaker within R pixels of the edges, as with scipy's gaussian_filter(mode='constant').
//   Without affine options M = identity and t = 0; without elastic options D = 0.
// The value at q is bilinear: x0 = floor(qx), fx = qx - x0 (likewise y0, fy), neighbours outside
// the image read 0, and
//   value = lerp(lerp(v[y0][x0], v[y0][x0+1], fx), lerp(v[y0+1][x0], v[y0+1][x0+1], fx), fy)
// with lerp(a, b, f) = a + f (b - a), which keeps inputs in [0, 1] within [0, 1] in float
// arithmetic too.
//
// Random draws (lib/augment.ts makes exactly the same ones):
// 1. The caller's generator, Rng(seed, kStreamAugment) kept across batches by the trainer,
//    gives one next_u32() per image, in image order, before any image is computed:
//    image_seed[n]. So a batch of N images always advances it by N draws.
// 2. Image n draws from its own generator Rng(image_seed[n], kStreamAugment), in this order:
//    a. with affine options: five uniform() draws u, each becoming lo + (hi - lo) * u (double):
//       the angle a in [-rotation, rotation] degrees, the scale s in [scale_low, scale_high],
//       the shear h in [-shear, shear] degrees, tx then ty in [-translation, translation];
//    b. with elastic options: H * W uniform() draws for the dx noise, row-major, each becoming
//       2u - 1 (exact in float), then H * W for the dy noise. (When alpha is 0 these draws can
//       be skipped: the image's generator is dropped after the image, so nothing changes.)
// Images are then computed in parallel (OpenMP, lamina::get_num_threads()); each depends only
// on its own seed, so results do not depend on the thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "native/core/rng.h"

namespace lamina {

// What to draw for each image. Ranges are checked by augment_check.
struct AugmentOptions {
  bool elastic = false;      // elastic distortion on
  double alpha = 0.0;        // field scale in pixels, >= 0
  double sigma = 4.0;        // Gaussian standard deviation in pixels, in (0, 1000]
  bool affine = false;       // affine transform on
  double rotation = 0.0;     // degrees, angle uniform in [-rotation, rotation]; [0, 180]
  double scale_low = 1.0;    // scale uniform in [scale_low, scale_high]; 0 < low <= high <= 100
  double scale_high = 1.0;
  double shear = 0.0;        // degrees, shear angle uniform in [-shear, shear]; [0, 60]
  double translation = 0.0;  // pixels, tx and ty each uniform in [-translation, translation]
};

// Checks options and a batch shape (count >= 0; channels >= 1; height and width in [1, 65536];
// channels x height x width <= 2^28); throws lamina::Error naming the parameter, what was
// expected and what was received.
void augment_check(const AugmentOptions& options, int count, int channels, int height,
                   int width);

// The normalised Gaussian weights w[-R .. R] (index k + R), R = ceil(3 sigma).
std::vector<float> augment_gaussian_kernel(double sigma);

// The smoothing kernels behind Augmenter, exposed for the tests: for every row r of the buffer
// (rows rounded up to kAugmentBlockRows) and column c < stride (a multiple of
// kAugmentBlockCols),
//   out[r][c] = sum over k in [max(0, r - radius), min(rows - 1, r + radius)] of w[k - r] in[k][c]
// where w points at the centre of a kernel readable from -radius - 3 to radius + 3 (zeros
// beyond radius). The AVX2 + FMA build may only run where augment_has_avx2() (elsewhere it is
// the portable one).
constexpr int kAugmentBlockRows = 4;
constexpr int kAugmentBlockCols = 16;
void augment_smooth_portable(const float* in, float* out, int rows, int stride, const float* w,
                             int radius);
void augment_smooth_avx2(const float* in, float* out, int rows, int stride, const float* w,
                         int radius);
bool augment_has_avx2();

// An augmenter for one image shape: checks the options once and keeps the kernel weights,
// so the trainer can build it once and call apply for every batch. apply is const and can be
// called from several threads at once, each with its own Rng (so a trainer may augment the
// next batch while it trains on this one). apply runs its own OpenMP region over the images;
// called inside another parallel region it runs on one thread (nested regions are off).
// threads = 1 runs on the calling thread with no OpenMP region at all (what a thread that
// prepares batches beside a training pool wants); the results never depend on threads.
class Augmenter {
 public:
  // Throws lamina::Error as augment_check does.
  Augmenter(const AugmentOptions& options, int channels, int height, int width);

  // x [N, C, H, W] -> y [N, C, H, W], N = count. y may be x (in place); otherwise the two must
  // not overlap. Draws count next_u32() from rng (see the header comment). threads: at most
  // this many threads, 0 for lamina::get_num_threads().
  void apply(const float* x, float* y, int count, Rng& rng, int threads = 0) const;

  // The same from bytes: each byte becomes float(byte / 255.0), as the trainer scales uint8
  // batches, and the result equals apply on that float batch exactly.
  void apply(const uint8_t* x, float* y, int count, Rng& rng, int threads = 0) const;

  // The plain scalar version of apply (double arithmetic, direct loops, one thread): the test
  // reference. Same draws, results within float rounding of apply.
  void apply_reference(const float* x, float* y, int count, Rng& rng) const;

  const AugmentOptions& options() const { return options_; }

 private:
  // Whether anything moves: affine on, or elastic on with alpha > 0.
  bool active() const;
  template <typename Pixel>
  void apply_batch(const Pixel* x, float* y, int count, Rng& rng, int threads) const;
  template <typename Pixel>
  void apply_image(const Pixel* x, float* y, uint32_t image_seed, float* scratch,
                   int* cell) const;
  void smooth(const float* in, float* out, int rows, int stride, const float* weights) const;
  size_t scratch_floats() const;

  AugmentOptions options_;
  int channels_, height_, width_;
  int radius_;                        // R, the kernel half-width
  // The kernel w[-R-3 .. R+3] with zeros beyond R (the smoothing reads 3 taps past the band),
  // plain for the first pass (along y) and times alpha for the second (along x).
  std::vector<float> kernel_;
  std::vector<float> kernel_alpha_;
  bool use_avx2_;                     // the smoothing runs its AVX2 + FMA build on this CPU
  float byte_scale_[256];             // float(byte / 255.0)
};

// One-call forms of Augmenter(options, channels, height, width).apply(...).
void augment_images(const AugmentOptions& options, const float* x, float* y, int count,
                    int channels, int height, int width, Rng& rng);
void augment_images(const AugmentOptions& options, const uint8_t* x, float* y, int count,
                    int channels, int height, int width, Rng& rng);
void augment_images_reference(const AugmentOptions& options, const float* x, float* y,
                              int count, int channels, int height, int width, Rng& rng);

}  // namespace lamina
