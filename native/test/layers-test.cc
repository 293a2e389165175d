// Layer kernels: hand-checked tiny cases, the optimised kernels against the plain scalar
// references, and the references' gradients against finite differences (in double).
#include <cmath>
#include <functional>
#include <vector>

#include "native/core/rng.h"
#include "native/core/tile-gemm.h"
#include "native/layers/activation.h"
#include "native/layers/conv2d.h"
#include "native/layers/dense.h"
#include "native/layers/dropout.h"
#include "native/layers/pool2d.h"
#include "native/test/harness.h"

namespace {

std::vector<float> random_floats(size_t n, uint32_t seed, float scale = 1.0f) {
  lamina::Rng rng(seed);
  std::vector<float> out(n);
  for (float& value : out) value = (rng.uniform() * 2.0f - 1.0f) * scale;
  return out;
}

std::vector<double> to_double(const std::vector<float>& values) {
  return std::vector<double>(values.begin(), values.end());
}

// Largest |a - b| / (1 + |b|) between a double result and its estimate.
double worst(const std::vector<double>& actual, const std::vector<double>& expected) {
  double result = 0.0;
  for (size_t i = 0; i < actual.size(); ++i) {
    result = std::max(result, std::fabs(actual[i] - expected[i]) / (1.0 + std::fabs(expected[i])));
  }
  return result;
}

// Central finite differences of f (a scalar function of values) with respect to values.
std::vector<double> numeric_gradient(std::vector<double>& values,
                                     const std::function<double()>& f) {
  const double h = 1e-6;
  std::vector<double> gradient(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    double saved = values[i];
    values[i] = saved + h;
    double up = f();
    values[i] = saved - h;
    double down = f();
    values[i] = saved;
    gradient[i] = (up - down) / (2 * h);
  }
  return gradient;
}

// Runs a layer over a batch through the Layer interface, samples split in two ranges.
struct LayerRun {
  std::vector<float> y, dx, grad;
};

LayerRun run_layer(lamina::Layer& layer, const std::vector<int>& in_shape,
                   const std::vector<int>& out_shape, int n, const std::vector<float>& x,
                   const std::vector<float>& params, const std::vector<float>& dy,
                   bool training = false) {
  layer.input_shape = in_shape;
  layer.output_shape = out_shape;
  layer.in_size = 1;
  for (int d : in_shape) layer.in_size *= d;
  layer.out_size = 1;
  for (int d : out_shape) layer.out_size *= d;
  lamina::LayerBuffers buffers;
  layer.reserve(buffers, n);
  lamina::Scratch scratch;
  LayerRun run;
  run.y.assign(static_cast<size_t>(n) * layer.out_size, 0.0f);
  lamina::ForwardPass pass{n,        x.data(), run.y.data(),
      params.empty() ? nullptr : params.data(),
                           &buffers, training || !dy.empty(), nullptr, &scratch};
  lamina::Rng rng(1, lamina::kStreamDropout);
  layer.begin_forward(pass, &rng);
  layer.forward(pass, 0, n / 2, scratch);
  layer.forward(pass, n / 2, n, scratch);
  if (dy.empty()) return run;
  std::vector<float> gradient_in = dy;
  run.dx.assign(static_cast<size_t>(n) * layer.in_size, 0.0f);
  lamina::BackwardPass back{n,           x.data(), run.y.data(), gradient_in.data(), run.dx.data(),
                            pass.params, &buffers, false,       nullptr,     &scratch};
  layer.begin_backward(back);
  size_t partial = layer.partial_size();
  if (partial > 0) {
    std::vector<float> first(partial, 0.0f), second(partial, 0.0f);
    layer.backward(back, 0, n / 2, first.data(), scratch);
    layer.backward(back, n / 2, n, second.data(), scratch);
    run.grad.assign(params.size(), 0.0f);
    const float* parts[2] = {first.data(), second.data()};
    layer.finish_gradient(parts, 2, run.grad.data());
  } else {
    run.grad.assign(params.size(), 0.0f);
    layer.backward(back, 0, n, run.grad.data(), scratch);
  }
  return run;
}

}  // namespace

LAMINA_TEST(small_gemm_matches_reference) {
  const int shapes[][3] = {{1, 1, 1},     {6, 16, 3},  {7, 17, 25}, {32, 100, 288},
                           {13, 5, 40},   {8, 33, 19}, {25, 32, 668}, {12, 47, 7}};
  for (const auto& s : shapes) {
    const int m = s[0], n = s[1], k = s[2];
    // Strides wider than the rows, to check that only the given columns are read.
    const int lda = k + 3, ldb = n + 5, ldc = n + 2;
    std::vector<float> a = random_floats(static_cast<size_t>(m) * lda, 1);
    std::vector<float> b = random_floats(static_cast<size_t>(k) * ldb, 2);
    for (float beta : {0.0f, 1.0f}) {
      std::vector<float> expected = random_floats(static_cast<size_t>(m) * ldc, 3);
      std::vector<float> fast = expected, portable = expected;
      lamina::small_gemm_reference(m, n, k, a.data(), lda, b.data(), ldb, beta, expected.data(),
          ldc);
      lamina::small_gemm(m, n, k, a.data(), lda, b.data(), ldb, beta, fast.data(), ldc);
      lamina::small_gemm_portable(m, n, k, a.data(), lda, b.data(), ldb, beta, portable.data(),
          ldc);
      // float sums of k terms in [-1, 1]: 1e-5 relative covers k = 288 with a wide margin
      EXPECT_CLOSE(fast.data(), expected.data(), fast.size(), 1e-5,
                   lamina::error_message("small_gemm ", m, "x", n, "x", k, " beta ", beta));
      EXPECT_CLOSE(portable.data(), expected.data(), portable.size(), 1e-5, "portable");
      for (const char* kernel : {"avx512-8x32", "avx2-6x16", "avx2-4x24"}) {
        std::vector<float> variant = random_floats(static_cast<size_t>(m) * ldc, 3);
        if (!lamina::small_gemm_variant(kernel, m, n, k, a.data(), lda, b.data(), ldb, beta,
                                        variant.data(), ldc)) {
          continue;  // this CPU lacks the instructions
        }
        EXPECT_CLOSE(variant.data(), expected.data(), variant.size(), 1e-5, kernel);
      }
    }
  }
}

LAMINA_TEST(conv2d_forward_hand_checked) {
  // x 1x3x3 = 1..9, one 2x2 filter [[1, 0], [0, -1]],
  // bias 0.5: y[i][j] = x[i][j] - x[i+1][j+1] + 0.5
  lamina::Conv2DConfig c;
  c.channels = 1, c.height = 3, c.width = 3, c.filters = 1, c.filter_h = 2, c.filter_w = 2;
  c.nonlinearity = lamina::Nonlinearity::kLinear;
  lamina::Conv2DLayer layer(c);
  std::vector<float> x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  std::vector<float> params = {1, 0, 0, -1, 0.5f};
  LayerRun run = run_layer(layer, {1, 3, 3}, {1, 2, 2}, 1, x, params, {});
  std::vector<float> expected = {-3.5f, -3.5f, -3.5f, -3.5f};
  EXPECT_CLOSE(run.y.data(), expected.data(), 4, 0.0, "conv 3x3 * 2x2");
}

LAMINA_TEST(conv2d_matches_reference_forward_and_backward) {
  struct Case {
    int c, h, w, k, fh, fw, sh, sw, ph, pw;
  };
  const Case cases[] = {{1, 28, 28, 4, 5, 5, 1, 1, 0, 0}, {3, 7, 9, 5, 3, 3, 1, 1, 1, 1},
                        {2, 8, 7, 7, 3, 2, 2, 3, 1, 0}, {4, 5, 5, 3, 1, 1, 1, 1, 0, 0},
                        {2, 6, 6, 17, 3, 3, 2, 2, 2, 2}};
  for (const Case& t : cases) {
    lamina::Conv2DConfig c;
    c.channels = t.c, c.height = t.h, c.width = t.w, c.filters = t.k;
    c.filter_h = t.fh, c.filter_w = t.fw, c.stride_h = t.sh, c.stride_w = t.sw;
    c.pad_h = t.ph, c.pad_w = t.pw;
    c.nonlinearity = lamina::Nonlinearity::kLinear;
    const int n = 3, crs = t.c * t.fh * t.fw;
    const size_t in = static_cast<size_t>(t.c) * t.h * t.w;
    const size_t out = static_cast<size_t>(t.k) * c.out_h() * c.out_w();
    std::vector<float> x = random_floats(n * in, 4);
    std::vector<float> params = random_floats(static_cast<size_t>(t.k) * crs + t.k, 5);
    std::vector<float> dy = random_floats(n * out, 6);
    const std::vector<int> in_shape = {t.c, t.h, t.w}, out_shape = {t.k, c.out_h(), c.out_w()};
    lamina::Conv2DLayer layer(c);
    LayerRun run = run_layer(layer, in_shape, out_shape, n, x, params, dy);

    // The same forward pass without the fused store, and through rectify both ways.
    c.fused_store = false;
    lamina::Conv2DLayer unfused(c);
    LayerRun plain = run_layer(unfused, in_shape, out_shape, n, x, params, dy);
    c.nonlinearity = lamina::Nonlinearity::kRectify;
    lamina::Conv2DLayer rectified_unfused(c);
    c.fused_store = true;
    lamina::Conv2DLayer rectified(c);
    c.nonlinearity = lamina::Nonlinearity::kLinear;
    LayerRun relu_fused = run_layer(rectified, in_shape, out_shape, n, x, params, {});
    LayerRun relu_plain = run_layer(rectified_unfused, in_shape, out_shape, n, x, params, {});

    std::vector<float> y(n * out), dx(n * in), dw(static_cast<size_t>(t.k) * crs), db(t.k);
    const float* w = params.data();
    lamina::conv2d_forward_reference(c, n, x.data(), w, w + t.k * crs, y.data());
    lamina::conv2d_backward_reference(c, n, x.data(), w, dy.data(), dx.data(), dw.data(),
        db.data());
    std::string what = lamina::error_message("conv ", t.c, "x", t.h, "x", t.w, " k", t.k, " f",
                                             t.fh, "x", t.fw, " s", t.sh, "x", t.sw, " p", t.ph,
                                                 "x", t.pw);
    // float sums of at most a few hundred terms in [-1, 1]
    EXPECT_CLOSE(run.y.data(), y.data(), y.size(), 1e-5, what + " forward");
    EXPECT_CLOSE(plain.y.data(), y.data(), y.size(), 1e-5, what + " forward, not fused");
    EXPECT_CLOSE(plain.dx.data(), dx.data(), dx.size(), 1e-5, what + " dx, scalar paths");
    EXPECT_CLOSE(plain.grad.data(), dw.data(), dw.size(), 1e-5, what + " dW, scalar paths");
    std::vector<float> rectified_y = y;
    for (float& value : rectified_y) value = value <= 0.0f ? 0.0f : value;
    EXPECT_CLOSE(relu_fused.y.data(), rectified_y.data(), y.size(), 1e-5, what + " rectify");
    EXPECT_CLOSE(relu_plain.y.data(), rectified_y.data(), y.size(), 1e-5,
                 what + " rectify, not fused");
    EXPECT_CLOSE(run.dx.data(), dx.data(), dx.size(), 1e-5, what + " dx");
    EXPECT_CLOSE(run.grad.data(), dw.data(), dw.size(), 1e-5, what + " dW");
    EXPECT_CLOSE(run.grad.data() + dw.size(), db.data(), db.size(), 1e-5, what + " db");
  }
}

LAMINA_TEST(conv2d_reference_gradient_matches_finite_differences) {
  lamina::Conv2DConfig c;
  c.channels = 2, c.height = 5, c.width = 4, c.filters = 3, c.filter_h = 3, c.filter_w = 2;
  c.stride_h = 2, c.stride_w = 1, c.pad_h = 1, c.pad_w = 1;
  const int n = 2, crs = 12;
  const size_t in = 40, out = static_cast<size_t>(3) * c.out_h() * c.out_w();
  std::vector<double> x = to_double(random_floats(n * in, 7));
  std::vector<double> w = to_double(random_floats(3 * crs, 8));
  std::vector<double> b = to_double(random_floats(3, 9));
  std::vector<double> r = to_double(random_floats(n * out, 10));  // loss = sum(r * z)
  auto loss = [&]() {
    std::vector<double> z(n * out);
    lamina::conv2d_forward_reference(c, n, x.data(), w.data(), b.data(), z.data());
    double total = 0.0;
    for (size_t i = 0; i < z.size(); ++i) total += r[i] * z[i];
    return total;
  };
  std::vector<double> dx(x.size()), dw(w.size()), db(b.size());
  lamina::conv2d_backward_reference(c, n, x.data(), w.data(), r.data(), dx.data(), dw.data(),
      db.data());
  double dx_error = worst(dx, numeric_gradient(x, loss));
  double dw_error = worst(dw, numeric_gradient(w, loss));
  double db_error = worst(db, numeric_gradient(b, loss));
  // the loss is linear in each variable: central differences are exact up to rounding
  EXPECT_TRUE(dx_error < 1e-7, "dx largest difference ", dx_error);
  EXPECT_TRUE(dw_error < 1e-7, "dW largest difference ", dw_error);
  EXPECT_TRUE(db_error < 1e-7, "db largest difference ", db_error);
}

LAMINA_TEST(dense_matches_reference_and_finite_differences) {
  lamina::DenseConfig c;
  c.inputs = 37, c.units = 19, c.nonlinearity = lamina::Nonlinearity::kLinear;
  const int n = 5;
  std::vector<float> x = random_floats(n * 37, 11), params = random_floats(37 * 19 + 19, 12);
  std::vector<float> dy = random_floats(n * 19, 13);
  lamina::DenseLayer layer(c);
  LayerRun run = run_layer(layer, {37}, {19}, n, x, params, dy);
  std::vector<float> y(n * 19), dx(n * 37), dw(37 * 19), db(19);
  lamina::dense_forward_reference(c, n, x.data(), params.data(), params.data() + 37 * 19,
      y.data());
  lamina::dense_backward_reference(c, n, x.data(), params.data(), dy.data(), dx.data(),
      dw.data(), db.data());
  EXPECT_CLOSE(run.y.data(), y.data(), y.size(), 1e-5, "dense forward");
  EXPECT_CLOSE(run.dx.data(), dx.data(), dx.size(), 1e-5, "dense dx");
  EXPECT_CLOSE(run.grad.data(), dw.data(), dw.size(), 1e-5, "dense dW");
  EXPECT_CLOSE(run.grad.data() + dw.size(), db.data(), db.size(), 1e-5, "dense db");

  // hand-checked: x [1, 2], W [[1, 2], [3, 4]], b [0.5, -1]: y = [7.5, 9]
  lamina::DenseConfig tiny;
  tiny.inputs = 2, tiny.units = 2, tiny.nonlinearity = lamina::Nonlinearity::kLinear;
  lamina::DenseLayer small(tiny);
  LayerRun hand = run_layer(small, {2}, {2}, 1, {1, 2}, {1, 2, 3, 4, 0.5f, -1}, {});
  std::vector<float> expected = {7.5f, 9.0f};
  EXPECT_CLOSE(hand.y.data(), expected.data(), 2, 0.0, "dense 1x2 * 2x2");

  // the reference gradient against finite differences of sum(r * (x W + b))
  std::vector<double> xd = to_double(x), wd = to_double(params), r = to_double(dy);
  auto loss = [&]() {
    std::vector<double> z(n * 19);
    lamina::dense_forward_reference(c, n, xd.data(), wd.data(), wd.data() + 37 * 19, z.data());
    double total = 0.0;
    for (size_t i = 0; i < z.size(); ++i) total += r[i] * z[i];
    return total;
  };
  std::vector<double> gx(xd.size()), gw(37 * 19), gb(19);
  lamina::dense_backward_reference(c, n, xd.data(), wd.data(), r.data(), gx.data(), gw.data(),
      gb.data());
  std::vector<double> numeric = numeric_gradient(wd, loss);
  std::vector<double> numeric_w(numeric.begin(), numeric.begin() + 37 * 19);
  std::vector<double> numeric_b(numeric.begin() + 37 * 19, numeric.end());
  double error = std::max({worst(gx, numeric_gradient(xd, loss)), worst(gw, numeric_w), worst(gb,
      numeric_b)});
  EXPECT_TRUE(error < 1e-7, "dense gradient largest difference ", error);
}

LAMINA_TEST(pool2d_hand_checked) {
  // 1x3x3 = 1..9 (with 9 replaced by 0), pool 2, stride 2, ignore_border false: windows
  // {1,2,4,5} {3,6} {7,8} {0}
  std::vector<float> x = {1, 2, 3, 4, 5, 6, 7, 8, 0};
  lamina::Pool2DConfig c;
  c.channels = 1, c.height = 3, c.width = 3, c.ignore_border = false;
  EXPECT_TRUE(c.out_h() == 2 && c.out_w() == 2, "output ", c.out_h(), "x", c.out_w());
  lamina::Pool2DLayer max_layer(c);
  LayerRun max_run = run_layer(max_layer, {1, 3, 3}, {1, 2, 2}, 1, x, {}, {1, 10, 100, 1000});
  std::vector<float> max_expected = {5, 6, 8, 0};
  EXPECT_CLOSE(max_run.y.data(), max_expected.data(), 4, 0.0, "max");
  std::vector<float> max_dx = {0, 0, 0, 0, 1, 10, 0, 100, 1000};
  EXPECT_CLOSE(max_run.dx.data(), max_dx.data(), 9, 0.0, "max gradient routing");

  // average including padding: the partial windows divide by the cells that exist
  c.max = false;
  lamina::Pool2DLayer average(c);
  LayerRun average_run = run_layer(average, {1, 3, 3}, {1, 2, 2}, 1, x, {}, {4, 2, 2, 1});
  std::vector<float> average_expected = {3, 4.5f, 7.5f, 0};
  EXPECT_CLOSE(average_run.y.data(), average_expected.data(), 4, 1e-7, "average");
  std::vector<float> average_dx = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  EXPECT_CLOSE(average_run.dx.data(), average_dx.data(), 9, 1e-7, "average gradient");

  // ties (a plane of ones, and a row of 40 for the vector path): the first cell of each
  // window wins, whichever kernel runs
  for (bool vector_kernels : {true, false}) {
    lamina::Pool2DConfig ties;
    ties.channels = 1, ties.height = 4, ties.width = 40, ties.vector_kernels = vector_kernels;
    lamina::Pool2DLayer tie_layer(ties);
    std::vector<float> flat(160, 1.0f), dy_ties(40, 1.0f);
    LayerRun tie_run = run_layer(tie_layer, {1, 4, 40}, {1, 2, 20}, 1, flat, {}, dy_ties);
    std::vector<float> routed(160, 0.0f);
    for (int oh = 0; oh < 2; ++oh) {
      for (int ow = 0; ow < 20; ++ow) routed[2 * oh * 40 + 2 * ow] = 1.0f;
    }
    EXPECT_CLOSE(tie_run.dx.data(), routed.data(), 160, 0.0,
                 vector_kernels ? "ties, vector kernel" : "ties, scalar kernel");
  }

  // pad 1 with ignore_border: excluding padding divides by the input cells only
  std::vector<float> ones(9, 1.0f);
  lamina::Pool2DConfig padded;
  padded.max = false, padded.channels = 1, padded.height = 3, padded.width = 3;
  padded.pad_h = padded.pad_w = 1;
  padded.include_padding = false;
  lamina::Pool2DLayer exclude(padded);
  LayerRun exclude_run = run_layer(exclude, {1, 3, 3}, {1, 2, 2}, 1, ones, {}, {});
  std::vector<float> exclude_expected = {1, 1, 1, 1};
  EXPECT_CLOSE(exclude_run.y.data(), exclude_expected.data(), 4, 1e-7,
      "average excluding padding");
  padded.include_padding = true;
  lamina::Pool2DLayer include(padded);
  LayerRun include_run = run_layer(include, {1, 3, 3}, {1, 2, 2}, 1, ones, {}, {});
  std::vector<float> include_expected = {0.25f, 0.5f, 0.5f, 1};
  EXPECT_CLOSE(include_run.y.data(), include_expected.data(), 4, 1e-7,
      "average including padding");
}

LAMINA_TEST(pool2d_matches_reference_and_gradients) {
  struct Case {
    bool max;
    int c, h, w, ph, pw, sh, sw, pad_h, pad_w;
    bool ignore, include;
  };
  const Case cases[] = {
      {true, 3, 24, 24, 2, 2, 2, 2, 0, 0, true, true},   // the fast 2x2 path
      {true, 2, 7, 9, 3, 2, 2, 1, 1, 0, true, true},     {true, 2, 7, 5, 2, 2, 2, 2, 0, 0, false,
          true},
      {false, 2, 7, 9, 3, 3, 2, 2, 1, 1, true, true},    {false, 2, 7, 9, 3, 3, 2, 2, 1, 1, true,
          false},
      {false, 1, 5, 6, 2, 3, 3, 2, 0, 0, false, true},
  };
  for (const Case& t : cases) {
    lamina::Pool2DConfig c;
    c.max = t.max, c.channels = t.c, c.height = t.h, c.width = t.w, c.pool_h = t.ph,
        c.pool_w = t.pw;
    c.stride_h = t.sh, c.stride_w = t.sw, c.pad_h = t.pad_h, c.pad_w = t.pad_w;
    c.ignore_border = t.ignore, c.include_padding = t.include;
    const int n = 2;
    const size_t in = static_cast<size_t>(t.c) * t.h * t.w;
    const size_t out = static_cast<size_t>(t.c) * c.out_h() * c.out_w();
    std::vector<float> x = random_floats(n * in, 14), dy = random_floats(n * out, 15);
    lamina::Pool2DLayer layer(c);
    LayerRun run = run_layer(layer, {t.c, t.h, t.w}, {t.c, c.out_h(), c.out_w()}, n, x, {}, dy);
    c.vector_kernels = false;
    lamina::Pool2DLayer scalar(c);
    LayerRun scalar_run =
        run_layer(scalar, {t.c, t.h, t.w}, {t.c, c.out_h(), c.out_w()}, n, x, {}, dy);
    EXPECT_CLOSE(scalar_run.y.data(), run.y.data(), run.y.size(), 0.0, "scalar kernels");
    EXPECT_CLOSE(scalar_run.dx.data(), run.dx.data(), run.dx.size(), 0.0, "scalar gradient");
    std::vector<float> y(n * out);
    lamina::pool2d_forward_reference(c, n, x.data(), y.data());
    std::string what = lamina::error_message(t.max ? "max" : "avg", " pool ", t.ph, "x", t.pw,
                                             " stride ", t.sh, "x", t.sw, " pad ", t.pad_h, "x",
                                                 t.pad_w);
    EXPECT_CLOSE(run.y.data(), y.data(), y.size(), 1e-6, what);

    // gradient: sum(dy * y) is piecewise linear in x; in double with a tiny step the
    // differences stay on one linear piece unless two cells tie within 1e-7
    std::vector<double> xd = to_double(x), dyd = to_double(dy);
    auto loss = [&]() {
      std::vector<double> yd(n * out);
      lamina::pool2d_forward_reference(c, n, xd.data(), yd.data());
      double total = 0.0;
      for (size_t i = 0; i < yd.size(); ++i) total += dyd[i] * yd[i];
      return total;
    };
    std::vector<double> numeric = numeric_gradient(xd, loss);
    double error = worst(to_double(run.dx), numeric);
    // the layer's float32 gradient against exact slopes
    EXPECT_TRUE(error < 1e-6, what, " gradient largest difference ", error);
  }
}

LAMINA_TEST(dropout_masks_follow_the_rng_and_scale) {
  const int n = 3, features = 50;
  const double p = 0.3;
  lamina::DropoutLayer layer(p);
  std::vector<float> x = random_floats(n * features, 16), dy = random_floats(n * features, 17);
  LayerRun run = run_layer(layer, {features}, {features}, n, x, {}, dy, true);
  lamina::Rng rng(1, lamina::kStreamDropout);  // the generator run_layer hands the layer
  int kept = 0;
  for (int i = 0; i < n * features; ++i) {
    bool keep = rng.uniform() >= p;
    kept += keep;
    float expected = keep ? static_cast<float>(x[i] * (1.0 / (1.0 - p))) : 0.0f;
    float expected_dx = keep ? static_cast<float>(dy[i] * (1.0 / (1.0 - p))) : 0.0f;
    EXPECT_TRUE(run.y[i] == expected, "element ", i, ": ", run.y[i], " vs ", expected);
    EXPECT_TRUE(run.dx[i] == expected_dx, "gradient ", i);
  }
  EXPECT_TRUE(kept > 80 && kept < 130, "kept ", kept, " of 150");
  LayerRun predict = run_layer(layer, {features}, {features}, n, x, {}, {}, false);
  EXPECT_CLOSE(predict.y.data(), x.data(), x.size(), 0.0, "prediction is the identity");
}

LAMINA_TEST(nonlinearities_forward_values_and_gradients) {
  using lamina::Nonlinearity;
  struct Known {
    Nonlinearity f;
    float x, y;
  };
  const Known known[] = {
      {Nonlinearity::kRectify, -2, 0},         {Nonlinearity::kRectify, 3, 3},
      {Nonlinearity::kLeakyRectify, -2, -0.02f}, {Nonlinearity::kElu, -1, std::expm1(-1.0f)},
      {Nonlinearity::kSigmoid, 0, 0.5f},       {Nonlinearity::kTanh, 0.5f, std::tanh(0.5f)},
      {Nonlinearity::kSoftplus, 0, std::log(2.0f)}, {Nonlinearity::kSoftplus, 100, 100},
      {Nonlinearity::kLinear, -7, -7},
  };
  for (const Known& k : known) {
    float value = k.x;
    lamina::activation_forward(k.f, &value, 1, 1);
    EXPECT_CLOSE(&value, &k.y, 1, 1e-6, lamina::nonlinearity_name(k.f));
  }
  float nan = NAN;
  lamina::activation_forward(Nonlinearity::kRectify, &nan, 1, 1);
  EXPECT_TRUE(std::isnan(nan), "rectify keeps NaN");
  float logits[3] = {1, 2, 3};
  lamina::activation_forward(Nonlinearity::kSoftmax, logits, 1, 3);
  double sum = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  float softmax[3] = {static_cast<float>(std::exp(1.0) / sum),
      static_cast<float>(std::exp(2.0) / sum),
                      static_cast<float>(std::exp(3.0) / sum)};
  EXPECT_CLOSE(logits, softmax, 3, 1e-6, "softmax");

  // backward from the outputs against finite differences of sum(r * f(x)), away from kinks
  const Nonlinearity all[] = {Nonlinearity::kRectify, Nonlinearity::kSoftmax, Nonlinearity::kTanh,
                              Nonlinearity::kSigmoid, Nonlinearity::kLinear,
                                  Nonlinearity::kLeakyRectify,
                              Nonlinearity::kElu,     Nonlinearity::kSoftplus};
  std::vector<float> x = random_floats(12, 18, 2.0f), r = random_floats(12, 19);
  for (float& value : x) {
    if (std::fabs(value) < 0.05f) value = 0.3f;
  }
  for (Nonlinearity f : all) {
    std::vector<float> y = x;
    lamina::activation_forward(f, y.data(), 3, 4);
    std::vector<float> gradient = r;
    lamina::activation_backward(f, y.data(), gradient.data(), 3, 4);
    std::vector<float> numeric(12);
    for (int i = 0; i < 12; ++i) {
      const float h = 1e-2f;
      auto objective = [&](float shift) {
        std::vector<float> moved = x;
        moved[i] += shift;
        lamina::activation_forward(f, moved.data(), 3, 4);
        double total = 0.0;
        for (int j = 0; j < 12; ++j) total += static_cast<double>(r[j]) * moved[j];
        return total;
      };
      numeric[i] = static_cast<float>((objective(h) - objective(-h)) / (2.0 * h));
    }
    // float32 differences with step 1e-2: second-order error ~h^2 and rounding ~1e-5
    EXPECT_CLOSE(gradient.data(), numeric.data(), 12, 2e-3, lamina::nonlinearity_name(f));
  }
}
