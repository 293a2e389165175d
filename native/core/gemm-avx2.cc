// The AVX2 + FMA micro-kernel of the built-in GEMM, compiled for those instructions only
// (target attributes), so the rest of the binary runs on any x86-64 CPU and this kernel is
// chosen at run time.
#include "native/core/gemm.h"

// The AVX2 kernel needs GCC or Clang (target attributes, __builtin_cpu_supports). MSVC and
// clang-cl compile the portable kernel only, and the binary runs it on every CPU.
#if (defined(__x86_64__) || defined(_M_X64)) && defined(__GNUC__)
#include <immintrin.h>
#define LAMINA_X86 1
#endif

namespace lamina {

#ifdef LAMINA_X86

bool cpu_has_avx2_fma() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

__attribute__((target("avx2,fma"))) void gemm_kernel_avx2(int kc, const float* ap,
                                                          const float* bp, float* c, int ldc,
                                                          float alpha, float beta, int mr,
                                                          int nr) {
  // 12 accumulators: 6 rows x 2 vectors of 8 columns.
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
  __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
  __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
  __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();

  for (int p = 0; p < kc; ++p) {
    __m256 b0 = _mm256_loadu_ps(bp);
    __m256 b1 = _mm256_loadu_ps(bp + 8);
    __m256 a;
    a = _mm256_broadcast_ss(ap + 0);
    c00 = _mm256_fmadd_ps(a, b0, c00);
    c01 = _mm256_fmadd_ps(a, b1, c01);
    a = _mm256_broadcast_ss(ap + 1);
    c10 = _mm256_fmadd_ps(a, b0, c10);
    c11 = _mm256_fmadd_ps(a, b1, c11);
    a = _mm256_broadcast_ss(ap + 2);
    c20 = _mm256_fmadd_ps(a, b0, c20);
    c21 = _mm256_fmadd_ps(a, b1, c21);
    a = _mm256_broadcast_ss(ap + 3);
    c30 = _mm256_fmadd_ps(a, b0, c30);
    c31 = _mm256_fmadd_ps(a, b1, c31);
    a = _mm256_broadcast_ss(ap + 4);
    c40 = _mm256_fmadd_ps(a, b0, c40);
    c41 = _mm256_fmadd_ps(a, b1, c41);
    a = _mm256_broadcast_ss(ap + 5);
    c50 = _mm256_fmadd_ps(a, b0, c50);
    c51 = _mm256_fmadd_ps(a, b1, c51);
    ap += kGemmMr;
    bp += kGemmNr;
  }

  const __m256 scale = _mm256_set1_ps(alpha);
  __m256 rows[kGemmMr][2] = {{c00, c01}, {c10, c11}, {c20, c21},
                             {c30, c31}, {c40, c41}, {c50, c51}};
  if (mr == kGemmMr && nr == kGemmNr) {
    if (beta == 0.0f) {
      for (int i = 0; i < kGemmMr; ++i) {
        float* row = c + static_cast<long>(i) * ldc;
        _mm256_storeu_ps(row, _mm256_mul_ps(scale, rows[i][0]));
        _mm256_storeu_ps(row + 8, _mm256_mul_ps(scale, rows[i][1]));
      }
      return;
    }
    const __m256 old_scale = _mm256_set1_ps(beta);
    for (int i = 0; i < kGemmMr; ++i) {
      float* row = c + static_cast<long>(i) * ldc;
      __m256 old0 = _mm256_mul_ps(old_scale, _mm256_loadu_ps(row));
      __m256 old1 = _mm256_mul_ps(old_scale, _mm256_loadu_ps(row + 8));
      _mm256_storeu_ps(row, _mm256_fmadd_ps(scale, rows[i][0], old0));
      _mm256_storeu_ps(row + 8, _mm256_fmadd_ps(scale, rows[i][1], old1));
    }
    return;
  }

  // Partial tile at the matrix edge: go through a buffer.
  alignas(32) float tile[kGemmMr * kGemmNr];
  for (int i = 0; i < kGemmMr; ++i) {
    _mm256_store_ps(tile + i * kGemmNr, rows[i][0]);
    _mm256_store_ps(tile + i * kGemmNr + 8, rows[i][1]);
  }
  for (int i = 0; i < mr; ++i) {
    float* row = c + static_cast<long>(i) * ldc;
    for (int j = 0; j < nr; ++j) {
      float old = beta == 0.0f ? 0.0f : beta * row[j];
      row[j] = alpha * tile[i * kGemmNr + j] + old;
    }
  }
}

#else  // not x86-64, or not GCC/Clang: the portable kernel does all the work

bool cpu_has_avx2_fma() { return false; }

void gemm_kernel_avx2(int kc, const float* ap, const float* bp, float* c, int ldc, float alpha,
                      float beta, int mr, int nr) {
  gemm_kernel_portable(kc, ap, bp, c, ldc, alpha, beta, mr, nr);
}

#endif

}  // namespace lamina
