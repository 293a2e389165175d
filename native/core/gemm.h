// GEMM, the one matrix product of the core.
//
// Row-major throughout: C[M x N] = alpha * op(A)[M x K] * op(B)[K x N] + beta * C, where op(X)
// is X or its transpose. lda, ldb, ldc are the row strides of A, B and C as stored. When
// beta == 0, C is overwritten and its old contents (even NaN) are ignored, as BLAS does.
//
// gemm() calls CBLAS (OpenBLAS) when the build found it, else the built-in kernel. The other
// entry points stay callable in every build, for tests and benchmarks.
#pragma once

namespace lamina {

struct GemmArgs {
  bool trans_a;
  bool trans_b;
  int m, n, k;
  float alpha;
  const float* a;
  int lda;
  const float* b;
  int ldb;
  float beta;
  float* c;
  int ldc;
};

// The build's provider (CBLAS when compiled with it, else built-in).
void gemm(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda,
          const float* b, int ldb, float beta, float* c, int ldc);

// Checks sizes and strides; throws lamina::Error naming the bad argument.
void gemm_check(const GemmArgs& args);

// Plain triple loop in double precision: the test reference.
void gemm_reference(const GemmArgs& args);

// The built-in blocked kernel: packed panels, a 6x16 AVX2/FMA micro-kernel where the CPU has
// it (a portable one otherwise), OpenMP across blocks.
void gemm_builtin(const GemmArgs& args);

// CBLAS sgemm; throws when the build has no CBLAS.
void gemm_cblas(const GemmArgs& args);

// "openblas" or "builtin": what gemm() uses.
const char* gemm_provider();

// Whether this build links a CBLAS.
bool gemm_has_cblas();

// "avx2+fma" when the built-in kernel runs its vector micro-kernel on this CPU, else "portable".
const char* gemm_builtin_kernel();

// Micro-kernels: C[mr x nr] = alpha * Ap * Bp + beta * C, where Ap holds kc columns of 6 packed
// rows and Bp kc rows of 16 packed columns; mr <= 6, nr <= 16 mark a partial tile at the edge.
// beta == 0 overwrites C without reading it.
constexpr int kGemmMr = 6;
constexpr int kGemmNr = 16;
void gemm_kernel_portable(int kc, const float* ap, const float* bp, float* c, int ldc,
                          float alpha, float beta, int mr, int nr);
void gemm_kernel_avx2(int kc, const float* ap, const float* bp, float* c, int ldc, float alpha,
                      float beta, int mr, int nr);
bool cpu_has_avx2_fma();

}  // namespace lamina
