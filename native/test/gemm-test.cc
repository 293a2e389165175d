// GEMM kernels against the plain reference, and the RNG test vectors shared with TypeScript.
#include <vector>

#include "native/core/gemm.h"
#include "native/core/rng.h"
#include "native/test/harness.h"

namespace {

std::vector<float> random_values(size_t n, uint32_t seed) {
  lamina::Rng rng(seed);
  std::vector<float> out(n);
  for (float& value : out) value = rng.uniform() * 2.0f - 1.0f;
  return out;
}

void check_gemm(bool trans_a, bool trans_b, int m, int n, int k, float alpha, float beta) {
  std::vector<float> a = random_values(static_cast<size_t>(m) * k, 1);
  std::vector<float> b = random_values(static_cast<size_t>(k) * n, 2);
  std::vector<float> expected = random_values(static_cast<size_t>(m) * n, 3);
  std::vector<float> actual = expected;
  int lda = trans_a ? m : k, ldb = trans_b ? k : n;
  lamina::GemmArgs args{trans_a, trans_b, m,        n,         k, alpha, a.data(),
                        std::max(1, lda), b.data(), std::max(1, ldb), beta, expected.data(),
                        std::max(1, n)};
  lamina::gemm_reference(args);
  args.c = actual.data();
  lamina::gemm_builtin(args);
  EXPECT_CLOSE(actual.data(), expected.data(), actual.size(), 1e-4,
               lamina::error_message("builtin ", m, "x", n, "x", k, " tA=", trans_a,
                                     " tB=", trans_b));
  if (lamina::gemm_has_cblas()) {
    actual = random_values(static_cast<size_t>(m) * n, 3);
    args.c = actual.data();
    lamina::gemm_cblas(args);
    EXPECT_CLOSE(actual.data(), expected.data(), actual.size(), 1e-4, "openblas");
  }
}

}  // namespace

LAMINA_TEST(gemm_matches_reference_on_odd_shapes) {
  // {32, 25, 5000} takes the split-K path (few tiles, long K).
  const int shapes[][3] = {{1, 1, 1}, {7, 13, 5}, {129, 257, 65}, {300, 20, 513}, {32, 25, 5000}};
  for (const auto& shape : shapes) {
    for (int ta = 0; ta < 2; ++ta) {
      for (int tb = 0; tb < 2; ++tb) check_gemm(ta, tb, shape[0], shape[1], shape[2], 1.0f, 0.0f);
    }
  }
  check_gemm(false, true, 33, 21, 40, 0.5f, 2.0f);
}

LAMINA_TEST(gemm_portable_kernel_matches_avx2_kernel) {
  const int kc = 37;
  std::vector<float> ap = random_values(6 * kc, 4), bp = random_values(16 * kc, 5);
  for (float beta : {0.0f, 1.0f, 0.5f}) {
    std::vector<float> c1 = random_values(6 * 16, 6), c2 = c1;
    lamina::gemm_kernel_portable(kc, ap.data(), bp.data(), c1.data(), 16, 1.5f, beta, 6, 16);
    lamina::gemm_kernel_avx2(kc, ap.data(), bp.data(), c2.data(), 16, 1.5f, beta, 6, 16);
    EXPECT_CLOSE(c2.data(), c1.data(), c1.size(), 1e-5, "micro-kernels");
    // and a partial tile
    c1 = random_values(6 * 16, 7), c2 = c1;
    lamina::gemm_kernel_portable(kc, ap.data(), bp.data(), c1.data(), 16, 1.5f, beta, 5, 11);
    lamina::gemm_kernel_avx2(kc, ap.data(), bp.data(), c2.data(), 16, 1.5f, beta, 5, 11);
    EXPECT_CLOSE(c2.data(), c1.data(), c1.size(), 1e-5, "micro-kernels, partial tile");
  }
}

LAMINA_TEST(gemm_rejects_bad_strides) {
  float x = 0;
  lamina::GemmArgs args{false, false, 2, 2, 2, 1.0f, &x, 1, &x, 2, 0.0f, &x, 2};
  EXPECT_THROWS(lamina::gemm_builtin(args), "lda must be >= 2");
}

LAMINA_TEST(rng_matches_the_typescript_test_vectors) {
  // The same vectors are checked in test/core/rng.test.ts.
  lamina::Rng a(42, 0);
  const uint32_t expected_a[] = {2837322924u, 544945897u, 479756282u, 3500138142u};
  for (uint32_t value : expected_a) EXPECT_TRUE(a.next_u32() == value, "seed 42 stream 0");
  lamina::Rng b(0, 2);
  const uint32_t expected_b[] = {843645543u, 4171405172u, 1123272483u, 3441330610u};
  for (uint32_t value : expected_b) EXPECT_TRUE(b.next_u32() == value, "seed 0 stream 2");
}
