// Augmentation (native/data/augment.h): identity, determinism, the statistics of the elastic
// field, the affine geometry against the documented draws, the pixel range, thread-count
// independence, and the optimised path against the scalar reference.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "native/core/rng.h"
#include "native/core/threading.h"
#include "native/data/augment.h"
#include "native/test/harness.h"

namespace {

using lamina::AugmentOptions;

// count images of c x h x w values in [0, 1]: random, with runs of exact 0 and 1 like MNIST.
std::vector<float> random_images(int count, int c, int h, int w, uint32_t seed) {
  lamina::Rng rng(seed);
  std::vector<float> out(static_cast<size_t>(count) * c * h * w);
  for (float& value : out) {
    float u = rng.uniform();
    value = u < 0.4f ? 0.0f : u > 0.8f ? 1.0f : (u - 0.4f) * 2.5f;
  }
  return out;
}

AugmentOptions elastic_options(double alpha, double sigma) {
  AugmentOptions options;
  options.elastic = true;
  options.alpha = alpha;
  options.sigma = sigma;
  return options;
}

AugmentOptions strong_options() {
  AugmentOptions options = elastic_options(34.0, 4.0);
  options.affine = true;
  options.rotation = 30.0;
  options.scale_low = 0.7;
  options.scale_high = 1.3;
  options.shear = 20.0;
  options.translation = 3.0;
  return options;
}

std::vector<float> augment(const AugmentOptions& options, const std::vector<float>& x, int count,
                           int c, int h, int w, uint32_t seed) {
  std::vector<float> y(x.size());
  lamina::Rng rng(seed, lamina::kStreamAugment);
  lamina::augment_images(options, x.data(), y.data(), count, c, h, w, rng);
  return y;
}

// The first image's generator, as augment.h defines it.
lamina::Rng first_image_rng(uint32_t seed) {
  lamina::Rng batch(seed, lamina::kStreamAugment);
  return lamina::Rng(batch.next_u32(), lamina::kStreamAugment);
}

}  // namespace

LAMINA_TEST(augment_alpha_zero_is_the_identity) {
  const int n = 5, c = 2, h = 28, w = 28;
  std::vector<float> x = random_images(n, c, h, w, 1);

  // Elastic with alpha 0, with and without an affine transform of zero ranges; the reference.
  AugmentOptions zero_affine = elastic_options(0.0, 4.0);
  zero_affine.affine = true;
  for (const AugmentOptions& options : {elastic_options(0.0, 4.0), zero_affine}) {
    std::vector<float> y = augment(options, x, n, c, h, w, 7);
    EXPECT_TRUE(std::memcmp(y.data(), x.data(), sizeof(float) * x.size()) == 0,
                "identity, affine ", options.affine);
    lamina::Rng rng(7, lamina::kStreamAugment);
    lamina::augment_images_reference(options, x.data(), y.data(), n, c, h, w, rng);
    EXPECT_TRUE(std::memcmp(y.data(), x.data(), sizeof(float) * x.size()) == 0,
                "reference identity, affine ", options.affine);
  }

  // In place, and from bytes (byte / 255 rounded to float).
  std::vector<float> y = x;
  lamina::Rng rng(3, lamina::kStreamAugment);
  lamina::augment_images(zero_affine, y.data(), y.data(), n, c, h, w, rng);
  EXPECT_TRUE(y == x, "in place");
  std::vector<uint8_t> bytes(x.size());
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i * 37 % 256);
  lamina::augment_images(zero_affine, bytes.data(), y.data(), n, c, h, w, rng);
  for (size_t i = 0; i < bytes.size(); ++i) {
    EXPECT_TRUE(y[i] == static_cast<float>(bytes[i] / 255.0), "byte ", i);
  }
}

LAMINA_TEST(augment_same_seed_same_images_and_draws_one_seed_per_image) {
  const int n = 6, h = 28, w = 28;
  std::vector<float> x = random_images(n, 1, h, w, 2);
  AugmentOptions options = strong_options();
  std::vector<float> a = augment(options, x, n, 1, h, w, 11);
  std::vector<float> b = augment(options, x, n, 1, h, w, 11);
  std::vector<float> other = augment(options, x, n, 1, h, w, 12);
  EXPECT_TRUE(a == b, "the same seed gave different images");
  size_t differing = 0;
  for (size_t i = 0; i < a.size(); ++i) differing += a[i] != other[i];
  EXPECT_TRUE(differing > a.size() / 10, "seeds 11 and 12 differ in only ", differing, " pixels");

  // The batch generator advances by exactly one next_u32 per image, whatever the options.
  for (const AugmentOptions& each : {options, elastic_options(0.0, 2.0), AugmentOptions()}) {
    lamina::Rng used(5, lamina::kStreamAugment), expected(5, lamina::kStreamAugment);
    std::vector<float> y(x.size());
    lamina::augment_images(each, x.data(), y.data(), n, 1, h, w, used);
    for (int i = 0; i < n; ++i) expected.next_u32();
    EXPECT_TRUE(used.next_u32() == expected.next_u32(), "generator position");
  }

  // Image k of a batch is the image a batch of one gets with the k-th seed: no image depends
  // on its neighbours.
  for (int k = 0; k < n; ++k) {
    // A generator whose next next_u32 is the batch's k-th.
    lamina::Rng replay(11, lamina::kStreamAugment);
    for (int skip = 0; skip < k; ++skip) replay.next_u32();
    std::vector<float> one(static_cast<size_t>(h) * w);
    lamina::augment_images(options, x.data() + k * h * w, one.data(), 1, 1, h, w, replay);
    EXPECT_TRUE(std::equal(one.begin(), one.end(), a.begin() + k * h * w), "image ", k);
  }
}

LAMINA_TEST(augment_elastic_displacement_has_the_predicted_spread) {
  // Channel 0 is the ramp x, channel 1 the ramp y: bilinear interpolation reproduces a linear
  // function exactly, so away from the borders out - x = dx and out - y = dy. For noise
  // uniform(-1, 1) (variance 1/3) smoothed by the separable kernel w, the field's standard
  // deviation is alpha * sqrt(1/3) * sum_k w[k]^2. The measured value must be within 5% (the
  // sampling error of one 512 x 512 field is about 1% for sigma 2 and 2% for sigma 4).
  const int h = 512, w = 512;
  std::vector<float> x(2 * static_cast<size_t>(h) * w);
  for (int row = 0; row < h; ++row) {
    for (int col = 0; col < w; ++col) {
      x[row * w + col] = static_cast<float>(col);
      x[h * w + row * w + col] = static_cast<float>(row);
    }
  }
  for (double sigma : {2.0, 4.0}) {
    const double alpha = 8.0;
    std::vector<float> y = augment(elastic_options(alpha, sigma), x, 1, 2, h, w, 99);
    std::vector<float> kernel = lamina::augment_gaussian_kernel(sigma);
    double squares = 0.0, total = 0.0;
    for (float weight : kernel) {
      squares += static_cast<double>(weight) * weight;
      total += weight;
    }
    EXPECT_TRUE(std::fabs(total - 1.0) < 1e-6, "kernel sums to ", total);
    const double predicted = alpha * std::sqrt(1.0 / 3.0) * squares;

    // Interior: no zero-padding of the noise (R pixels) and no source point outside.
    const int margin = static_cast<int>(kernel.size() / 2) + 40;
    for (int channel = 0; channel < 2; ++channel) {
      double sum = 0.0, sum_squares = 0.0;
      size_t count = 0;
      for (int row = margin; row < h - margin; ++row) {
        for (int col = margin; col < w - margin; ++col) {
          double d = y[channel * h * w + row * w + col] - (channel == 0 ? col : row);
          sum += d;
          sum_squares += d * d;
          ++count;
        }
      }
      double mean = sum / count, spread = std::sqrt(sum_squares / count - mean * mean);
      std::printf("      sigma %g %s: std %.4f predicted %.4f (ratio %.4f), mean %.4f\n", sigma,
                  channel == 0 ? "dx" : "dy", spread, predicted, spread / predicted, mean);
      EXPECT_TRUE(std::fabs(spread / predicted - 1.0) < 0.05, "sigma ", sigma, " std ", spread,
                  " predicted ", predicted);
      EXPECT_TRUE(std::fabs(mean) < 0.1 * predicted, "sigma ", sigma, " mean ", mean);
    }
  }
}

LAMINA_TEST(augment_affine_geometry_follows_the_documented_draws) {
  // A ramp image out = qx (the source column) in the interior, where
  // q = c + M (p - c - t). Each transform alone, its parameter replayed from the draws.
  const int h = 64, w = 64;
  const double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
  std::vector<float> x(static_cast<size_t>(h) * w);
  for (int row = 0; row < h; ++row) {
    for (int col = 0; col < w; ++col) x[row * w + col] = static_cast<float>(col);
  }
  const int probe_row = 30, probe_col = 34;
  const size_t probe = probe_row * w + probe_col;
  for (uint32_t seed : {1u, 2u, 3u}) {
    // Rotation: out(p) = cx + cos a (x - cx) + sin a (y - cy).
    AugmentOptions rotation;
    rotation.affine = true;
    rotation.rotation = 25.0;
    std::vector<float> y = augment(rotation, x, 1, 1, h, w, seed);
    lamina::Rng image = first_image_rng(seed);
    double angle = (-25.0 + 50.0 * image.uniform()) * 3.14159265358979323846 / 180.0;
    double expected = cx + std::cos(angle) * (probe_col - cx) + std::sin(angle) * (probe_row - cy);
    EXPECT_TRUE(std::fabs(y[probe] - expected) < 1e-4, "rotation seed ", seed, ": ", y[probe],
                " vs ", expected);

    // Scale: out(p) = cx + (x - cx) / s, s drawn second.
    AugmentOptions scale;
    scale.affine = true;
    scale.scale_low = 0.8;
    scale.scale_high = 1.25;
    y = augment(scale, x, 1, 1, h, w, seed);
    image = first_image_rng(seed);
    image.uniform();
    double s = 0.8 + (1.25 - 0.8) * static_cast<double>(image.uniform());
    expected = cx + (probe_col - cx) / s;
    EXPECT_TRUE(std::fabs(y[probe] - expected) < 1e-4, "scale seed ", seed);

    // Shear: out(p) = x - tan h (y - cy), h drawn third.
    AugmentOptions shear;
    shear.affine = true;
    shear.shear = 20.0;
    y = augment(shear, x, 1, 1, h, w, seed);
    image = first_image_rng(seed);
    image.uniform();
    image.uniform();
    double shear_angle = (-20.0 + 40.0 * image.uniform()) * 3.14159265358979323846 / 180.0;
    expected = probe_col - std::tan(shear_angle) * (probe_row - cy);
    EXPECT_TRUE(std::fabs(y[probe] - expected) < 1e-4, "shear seed ", seed);

    // Translation: out(p) = x - tx, tx drawn fourth (ty fifth moves along the ramp's level
    // lines, so only tx shows).
    AugmentOptions translation;
    translation.affine = true;
    translation.translation = 3.0;
    y = augment(translation, x, 1, 1, h, w, seed);
    image = first_image_rng(seed);
    for (int skip = 0; skip < 3; ++skip) image.uniform();
    double tx = -3.0 + 6.0 * static_cast<double>(image.uniform());
    expected = probe_col - tx;
    EXPECT_TRUE(std::fabs(y[probe] - expected) < 1e-4, "translation seed ", seed);
  }

  // Positive angles turn the image clockwise as displayed: a dot right of the centre moves
  // down. Rotation range 90 with a seed whose angle is positive.
  AugmentOptions rotation;
  rotation.affine = true;
  rotation.rotation = 90.0;
  for (uint32_t seed = 1;; ++seed) {
    lamina::Rng image = first_image_rng(seed);
    double angle = -90.0 + 180.0 * image.uniform();
    if (angle < 30.0) continue;
    std::vector<float> dot(static_cast<size_t>(h) * w, 0.0f);
    dot[32 * w + 55] = 1.0f;
    std::vector<float> y = augment(rotation, dot, 1, 1, h, w, seed);
    size_t brightest = std::max_element(y.begin(), y.end()) - y.begin();
    EXPECT_TRUE(static_cast<int>(brightest / w) > 32 + 5, "angle ", angle,
                " moved the dot to row ", brightest / w);
    break;
  }
}

LAMINA_TEST(augment_keeps_pixels_in_the_unit_range) {
  const int n = 64, h = 28, w = 28;
  std::vector<float> x = random_images(n, 1, h, w, 4);
  AugmentOptions big = strong_options();
  big.alpha = 200.0;
  big.sigma = 1.0;
  for (const AugmentOptions& options : {strong_options(), big}) {
    std::vector<float> y = augment(options, x, n, 1, h, w, 21);
    float low = *std::min_element(y.begin(), y.end());
    float high = *std::max_element(y.begin(), y.end());
    EXPECT_TRUE(low >= 0.0f && high <= 1.0f, "range [", low, ", ", high, "] for alpha ",
                options.alpha);
    EXPECT_TRUE(high > 0.5f, "the images went dark: max ", high);
  }
}

LAMINA_TEST(augment_results_do_not_depend_on_the_thread_count) {
  const int n = 37, c = 3, h = 17, w = 23;
  std::vector<float> x = random_images(n, c, h, w, 5);
  const int saved = lamina::get_num_threads();
  lamina::set_num_threads(1);
  std::vector<float> one = augment(strong_options(), x, n, c, h, w, 8);
  for (int threads : {2, 3, 8}) {
    lamina::set_num_threads(threads);
    std::vector<float> many = augment(strong_options(), x, n, c, h, w, 8);
    lamina::set_num_threads(saved);
    EXPECT_TRUE(many == one, threads, " threads changed the result");
  }
  lamina::set_num_threads(saved);
}

LAMINA_TEST(augment_matches_the_scalar_reference) {
  // Tolerance 1e-5 relative to (1 + |reference|): the reference works in double, the
  // optimised path in float; both are continuous in the source point.
  struct Case {
    AugmentOptions options;
    int count, channels, height, width;
  };
  AugmentOptions affine_only = strong_options();
  affine_only.elastic = false;
  AugmentOptions wide = elastic_options(12.0, 9.0);  // kernel wider than the image
  const Case cases[] = {
      {elastic_options(34.0, 4.0), 16, 1, 28, 28},
      {affine_only, 16, 1, 28, 28},
      {strong_options(), 16, 1, 28, 28},
      {strong_options(), 5, 3, 20, 33},
      {wide, 4, 2, 13, 9},
      {strong_options(), 3, 1, 1, 1},
  };
  double worst = 0.0;
  for (const Case& each : cases) {
    std::vector<float> x =
        random_images(each.count, each.channels, each.height, each.width, each.count);
    std::vector<float> fast = augment(each.options, x, each.count, each.channels, each.height,
                                      each.width, 31);
    std::vector<float> reference(x.size());
    lamina::Rng rng(31, lamina::kStreamAugment);
    lamina::augment_images_reference(each.options, x.data(), reference.data(), each.count,
                                     each.channels, each.height, each.width, rng);
    EXPECT_CLOSE(fast.data(), reference.data(), x.size(), 1e-5,
                 lamina::error_message("case ", each.count, "x", each.channels, "x",
                                       each.height, "x", each.width, " alpha ",
                                       each.options.alpha));
    size_t where = 0;
    worst = std::max(worst, lamina_test::largest_difference(fast.data(), reference.data(),
                                                            x.size(), &where));
  }
  std::printf("      largest difference from the reference: %.3g\n", worst);

  // The byte path equals the float path on byte / 255 exactly.
  const int n = 8, h = 28, w = 28;
  std::vector<uint8_t> bytes(static_cast<size_t>(n) * h * w);
  lamina::Rng fill(6);
  for (uint8_t& value : bytes) value = static_cast<uint8_t>(fill.below(256));
  std::vector<float> scaled(bytes.size()), from_bytes(bytes.size());
  for (size_t i = 0; i < bytes.size(); ++i) scaled[i] = static_cast<float>(bytes[i] / 255.0);
  std::vector<float> from_floats = augment(strong_options(), scaled, n, 1, h, w, 9);
  lamina::Rng rng(9, lamina::kStreamAugment);
  lamina::augment_images(strong_options(), bytes.data(), from_bytes.data(), n, 1, h, w, rng);
  EXPECT_TRUE(from_bytes == from_floats, "bytes and floats differ");
}

LAMINA_TEST(augment_rejects_bad_options_and_shapes) {
  float pixel = 0.0f;
  lamina::Rng rng(1, lamina::kStreamAugment);
  EXPECT_THROWS(lamina::augment_images(elastic_options(1.0, 0.0), &pixel, &pixel, 1, 1, 1, 1,
                                       rng),
                "expected a number in (0, 1000] for options.elastic.sigma but received 0");
  EXPECT_THROWS(lamina::augment_images(elastic_options(-1.0, 4.0), &pixel, &pixel, 1, 1, 1, 1,
                                       rng),
                "expected a number >= 0 for options.elastic.alpha but received -1");
  AugmentOptions scale;
  scale.affine = true;
  scale.scale_low = 1.2;
  scale.scale_high = 0.9;
  EXPECT_THROWS(lamina::augment_images(scale, &pixel, &pixel, 1, 1, 1, 1, rng),
                "expected 0 < low <= high <= 100 for options.affine.scale but received "
                "[1.2, 0.9]");
  AugmentOptions rotation;
  rotation.affine = true;
  rotation.rotation = std::nan("");
  EXPECT_THROWS(lamina::augment_images(rotation, &pixel, &pixel, 1, 1, 1, 1, rng),
                "options.affine.rotation");
  AugmentOptions shear;
  shear.affine = true;
  shear.shear = 75.0;
  EXPECT_THROWS(lamina::augment_images(shear, &pixel, &pixel, 1, 1, 1, 1, rng),
                "expected a number in [0, 60] for options.affine.shear but received 75");
  EXPECT_THROWS(lamina::augment_images(AugmentOptions(), &pixel, &pixel, 1, 0, 1, 1, rng),
                "expected an integer >= 1 for channels but received 0");
  EXPECT_THROWS(lamina::augment_images(AugmentOptions(), &pixel, &pixel, -1, 1, 1, 1, rng),
                "expected an integer >= 0 for count but received -1");
  EXPECT_THROWS(lamina::augment_images(AugmentOptions(), &pixel, &pixel, 1, 1, 100000, 1, rng),
                "expected an integer in [1, 65536] for height but received 100000");
  EXPECT_THROWS(lamina::augment_images(AugmentOptions(), &pixel, &pixel, 1, 1000, 1000, 1000,
                                       rng),
                "expected channels x height x width <= 268435456 but received 1000 x 1000 x "
                "1000 = 1000000000");
}

LAMINA_TEST(augment_smoothing_kernels_match_a_direct_sum) {
  // Both builds of the kernel against the definition, on shapes with partial blocks and with a
  // kernel wider than the buffer. Tolerance 1e-5 relative to (1 + |expected|).
  for (int rows : {1, 13, 28}) {
    for (int radius : {0, 3, 18}) {
      const int stride = 32, padded_rows = (rows + 3) / 4 * 4;
      lamina::Rng rng(static_cast<uint32_t>(rows * 100 + radius));
      std::vector<float> in(static_cast<size_t>(padded_rows) * stride);
      for (float& value : in) value = rng.uniform() * 2.0f - 1.0f;
      std::vector<float> kernel(2 * radius + 7, 0.0f);
      for (int k = -radius; k <= radius; ++k) kernel[k + radius + 3] = rng.uniform();
      const float* w = kernel.data() + radius + 3;
      std::vector<float> expected(in.size(), 0.0f);
      for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < stride; ++c) {
          double sum = 0.0;
          for (int k = std::max(0, r - radius); k <= std::min(rows - 1, r + radius); ++k) {
            sum += static_cast<double>(w[k - r]) * in[k * stride + c];
          }
          expected[r * stride + c] = static_cast<float>(sum);
        }
      }
      const size_t valid = static_cast<size_t>(rows) * stride;
      std::vector<float> out(in.size());
      lamina::augment_smooth_portable(in.data(), out.data(), rows, stride, w, radius);
      EXPECT_CLOSE(out.data(), expected.data(), valid, 1e-5,
                   lamina::error_message("portable rows ", rows, " radius ", radius));
      if (lamina::augment_has_avx2()) {
        lamina::augment_smooth_avx2(in.data(), out.data(), rows, stride, w, radius);
        EXPECT_CLOSE(out.data(), expected.data(), valid, 1e-5,
                     lamina::error_message("avx2 rows ", rows, " radius ", radius));
      }
    }
  }
}

LAMINA_TEST(rng_fill_uniform_matches_uniform) {
  for (uint32_t count : {0u, 1u, 7u, 1000u}) {
    lamina::Rng bulk(17, lamina::kStreamAugment), single(17, lamina::kStreamAugment);
    std::vector<float> values(count);
    bulk.fill_uniform(values.data(), count);
    for (uint32_t i = 0; i < count; ++i) {
      EXPECT_TRUE(values[i] == single.uniform(), "draw ", i, " of ", count);
    }
    EXPECT_TRUE(bulk.next_u32() == single.next_u32(), "the state after ", count, " draws");
  }
}
