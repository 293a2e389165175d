// A serial matrix product for the small per-sample products of convolution, which each thread
// runs on its own samples inside a parallel region: no packing (every operand of one sample
// sits in L1 or L2), operands read in place through their row strides.
//
//   C[M x N] = A[M x K] * B[K x N] + beta * C     row-major, strides lda, ldb, ldc
//
// The work goes in tiles: 8 rows x 32 columns with AVX-512, 6 x 16 or 4 x 24 with AVX2/FMA
// (chosen at run time from the CPU), a portable kernel otherwise. Reads stay inside the rows
// and columns given (masked loads at the right edge).
#pragma once

namespace lamina {

constexpr int kTileRows = 6;
constexpr int kTileCols = 16;

// C = A * B + beta * C on the calling thread; beta == 0 overwrites C without reading it.
void small_gemm(int m, int n, int k, const float* a, int lda, const float* b, int ldb,
                float beta, float* c, int ldc);

// The same product with rows given by pointer: row i of A starts at a_rows[i] (k values),
// row p of B at b_rows[p] (n values). Convolution uses it to read shifted windows of its
// input in place instead of copying them out (im2col).
void small_gemm_rows(int m, int n, int k, const float* const* a_rows,
                     const float* const* b_rows, float beta, float* c, int ldc);

// The same product with the portable micro-kernel, and a plain triple loop in double: the
// references of the tests.
void small_gemm_portable(int m, int n, int k, const float* a, int lda, const float* b, int ldb,
                         float beta, float* c, int ldc);
void small_gemm_reference(int m, int n, int k, const float* a, int lda, const float* b,
                          int ldb, float beta, float* c, int ldc);

// How small_gemm_rows_compact stores C: the columns of C are convolution positions counted
// along padded rows (q = oh * padded_w + ow); only the real ones (ow < out_w) are kept, packed
// row after row (oh * out_w + ow), with a bias per row of C and an optional rectify.
struct CompactStore {
  int padded_w = 0;
  int out_w = 0;
  const float* bias = nullptr;  // per row of C, or null
  bool rectify = false;         // max(0, z), NaN kept
};

// C = compact(A * B) with rows given by pointer (see small_gemm_rows); C rows hold the real
// positions only, row stride ldc. Returns false, doing nothing, where the CPU has no fused
// store (AVX-512 only); callers then multiply into a buffer and gather.
bool small_gemm_rows_compact(int m, int n, int k, const float* const* a_rows,
                             const float* const* b_rows, const CompactStore& store, float* c,
                             int ldc);

// The product with one named micro-kernel: "avx512-8x32", "avx2-6x16", "avx2-4x24" or
// "portable", for tests. Returns false (computing nothing) when this CPU lacks the kernel.
bool small_gemm_variant(const char* kernel, int m, int n, int k, const float* a, int lda,
                        const float* b, int ldb, float beta, float* c, int ldc);

// "avx512f", "avx2+fma" or "portable": the micro-kernels small_gemm runs on this CPU.
const char* small_gemm_kernel();

}  // namespace lamina
