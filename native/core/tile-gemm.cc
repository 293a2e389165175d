#include "native/core/tile-gemm.h"

#include <algorithm>
#include <string>
#include <vector>

#include "native/core/gemm.h"

#if (defined(__x86_64__) || defined(_M_X64)) && defined(__GNUC__)
#include <immintrin.h>
#define LAMINA_TILE_X86 1
#endif

namespace lamina {
namespace {

// One tile: C[rows x cols] = A * B + beta * C, where row i of A is a[i] and row p of B is
// b[p] + column.
using TileKernel = void (*)(int k, const float* const* a, const float* const* b, int column,
                            float beta, float* c, int ldc, int rows, int cols);

// Scalar tile.
void tile_portable(int k, const float* const* a, const float* const* b, int column, float beta,
                   float* c, int ldc, int rows, int cols) {
  float tile[kTileRows][kTileCols] = {};
  for (int p = 0; p < k; ++p) {
    const float* b_row = b[p] + column;
    for (int i = 0; i < rows; ++i) {
      const float a_value = a[i][p];
      for (int j = 0; j < cols; ++j) tile[i][j] += a_value * b_row[j];
    }
  }
  for (int i = 0; i < rows; ++i) {
    float* row = c + static_cast<long>(i) * ldc;
    for (int j = 0; j < cols; ++j) {
      row[j] = beta == 0.0f ? tile[i][j] : tile[i][j] + beta * row[j];
    }
  }
}

#ifdef LAMINA_TILE_X86

// Stores a tile of accumulators: C[rows x cols] = acc + beta * C (a partial tile through a
// buffer).
template <int R, int V>
__attribute__((target("avx2,fma"))) inline void store_tile(const __m256 (&acc)[R][V],
                                                            float beta, float* c, int ldc,
                                                            int rows, int cols) {
  if (cols == 8 * V) {
    const __m256 scale = _mm256_set1_ps(beta);
    for (int i = 0; i < rows; ++i) {
      float* row = c + static_cast<long>(i) * ldc;
      for (int v = 0; v < V; ++v) {
        __m256 out = beta == 0.0f
                         ? acc[i][v]
                         : _mm256_fmadd_ps(scale, _mm256_loadu_ps(row + 8 * v), acc[i][v]);
        _mm256_storeu_ps(row + 8 * v, out);
      }
    }
    return;
  }
  alignas(32) float tile[R][8 * V];
  for (int i = 0; i < R; ++i) {
    for (int v = 0; v < V; ++v) _mm256_store_ps(&tile[i][8 * v], acc[i][v]);
  }
  for (int i = 0; i < rows; ++i) {
    float* row = c + static_cast<long>(i) * ldc;
    for (int j = 0; j < cols; ++j) row[j] = beta == 0.0f ? tile[i][j] : tile[i][j] + beta * row[j];
  }
}

// Masks of the first `cols` lanes of V vectors, for the right edge.
template <int V>
__attribute__((target("avx2,fma"))) inline void edge_masks(int cols, __m256i (&mask)[V]) {
  alignas(32) int lanes[8 * V];
  for (int j = 0; j < 8 * V; ++j) lanes[j] = j < cols ? -1 : 0;
  for (int v = 0; v < V; ++v) {
    mask[v] = _mm256_load_si256(reinterpret_cast<const __m256i*>(lanes + 8 * v));
  }
}

// 6 rows x 16 columns in 12 accumulators.
__attribute__((target("avx2,fma"))) void tile_avx2(int k, const float* const* a,
                                                   const float* const* b, int column, float beta,
                                                   float* c, int ldc, int rows, int cols) {
  // Rows past `rows` repeat row 0: their results are computed and dropped.
  const float* a0 = a[0];
  const float* a1 = rows > 1 ? a[1] : a[0];
  const float* a2 = rows > 2 ? a[2] : a[0];
  const float* a3 = rows > 3 ? a[3] : a[0];
  const float* a4 = rows > 4 ? a[4] : a[0];
  const float* a5 = rows > 5 ? a[5] : a[0];
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
  __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
  __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
  __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();

#define LAMINA_TILE_STEP(b0, b1)           \
  do {                                     \
    __m256 av = _mm256_broadcast_ss(a0 + p); \
    c00 = _mm256_fmadd_ps(av, b0, c00);    \
    c01 = _mm256_fmadd_ps(av, b1, c01);    \
    av = _mm256_broadcast_ss(a1 + p);      \
    c10 = _mm256_fmadd_ps(av, b0, c10);    \
    c11 = _mm256_fmadd_ps(av, b1, c11);    \
    av = _mm256_broadcast_ss(a2 + p);      \
    c20 = _mm256_fmadd_ps(av, b0, c20);    \
    c21 = _mm256_fmadd_ps(av, b1, c21);    \
    av = _mm256_broadcast_ss(a3 + p);      \
    c30 = _mm256_fmadd_ps(av, b0, c30);    \
    c31 = _mm256_fmadd_ps(av, b1, c31);    \
    av = _mm256_broadcast_ss(a4 + p);      \
    c40 = _mm256_fmadd_ps(av, b0, c40);    \
    c41 = _mm256_fmadd_ps(av, b1, c41);    \
    av = _mm256_broadcast_ss(a5 + p);      \
    c50 = _mm256_fmadd_ps(av, b0, c50);    \
    c51 = _mm256_fmadd_ps(av, b1, c51);    \
  } while (0)

  if (cols == 16) {
    for (int p = 0; p < k; ++p) {
      const float* b_row = b[p] + column;
      const __m256 b0 = _mm256_loadu_ps(b_row), b1 = _mm256_loadu_ps(b_row + 8);
      LAMINA_TILE_STEP(b0, b1);
    }
  } else {
    __m256i mask[2];
    edge_masks<2>(cols, mask);
    for (int p = 0; p < k; ++p) {
      const float* b_row = b[p] + column;
      const __m256 b0 = _mm256_maskload_ps(b_row, mask[0]);
      const __m256 b1 = _mm256_maskload_ps(b_row + 8, mask[1]);
      LAMINA_TILE_STEP(b0, b1);
    }
  }
#undef LAMINA_TILE_STEP
  const __m256 acc[6][2] = {{c00, c01}, {c10, c11}, {c20, c21},
                            {c30, c31}, {c40, c41}, {c50, c51}};
  store_tile<6, 2>(acc, beta, c, ldc, rows, cols);
}

// 4 rows x 24 columns in 12 accumulators, for row counts that are multiples of 4 only.
__attribute__((target("avx2,fma"))) void tile_avx2_4x24(int k, const float* const* a,
                                                        const float* const* b, int column,
                                                        float beta, float* c, int ldc, int rows,
                                                        int cols) {
  const float* a0 = a[0];
  const float* a1 = rows > 1 ? a[1] : a[0];
  const float* a2 = rows > 2 ? a[2] : a[0];
  const float* a3 = rows > 3 ? a[3] : a[0];
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps(), c02 = _mm256_setzero_ps();
  __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps(), c12 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps(), c22 = _mm256_setzero_ps();
  __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps(), c32 = _mm256_setzero_ps();

#define LAMINA_TILE_STEP(b0, b1, b2)       \
  do {                                     \
    __m256 av = _mm256_broadcast_ss(a0 + p); \
    c00 = _mm256_fmadd_ps(av, b0, c00);    \
    c01 = _mm256_fmadd_ps(av, b1, c01);    \
    c02 = _mm256_fmadd_ps(av, b2, c02);    \
    av = _mm256_broadcast_ss(a1 + p);      \
    c10 = _mm256_fmadd_ps(av, b0, c10);    \
    c11 = _mm256_fmadd_ps(av, b1, c11);    \
    c12 = _mm256_fmadd_ps(av, b2, c12);    \
    av = _mm256_broadcast_ss(a2 + p);      \
    c20 = _mm256_fmadd_ps(av, b0, c20);    \
    c21 = _mm256_fmadd_ps(av, b1, c21);    \
    c22 = _mm256_fmadd_ps(av, b2, c22);    \
    av = _mm256_broadcast_ss(a3 + p);      \
    c30 = _mm256_fmadd_ps(av, b0, c30);    \
    c31 = _mm256_fmadd_ps(av, b1, c31);    \
    c32 = _mm256_fmadd_ps(av, b2, c32);    \
  } while (0)

  if (cols == 24) {
    for (int p = 0; p < k; ++p) {
      const float* b_row = b[p] + column;
      const __m256 b0 = _mm256_loadu_ps(b_row), b1 = _mm256_loadu_ps(b_row + 8);
      const __m256 b2 = _mm256_loadu_ps(b_row + 16);
      LAMINA_TILE_STEP(b0, b1, b2);
    }
  } else {
    __m256i mask[3];
    edge_masks<3>(cols, mask);
    for (int p = 0; p < k; ++p) {
      const float* b_row = b[p] + column;
      const __m256 b0 = _mm256_maskload_ps(b_row, mask[0]);
      const __m256 b1 = _mm256_maskload_ps(b_row + 8, mask[1]);
      const __m256 b2 = _mm256_maskload_ps(b_row + 16, mask[2]);
      LAMINA_TILE_STEP(b0, b1, b2);
    }
  }
#undef LAMINA_TILE_STEP
  const __m256 acc[4][3] = {{c00, c01, c02}, {c10, c11, c12}, {c20, c21, c22}, {c30, c31, c32}};
  store_tile<4, 3>(acc, beta, c, ldc, rows, cols);
}

// AVX-512: 8 rows x 32 columns in 16 accumulators of 16 lanes (32 registers leave room for
// the operands), for row counts that are multiples of 8.
// The store of a tile of a compacted product: which of its 32 columns are real positions,
// where the first of them goes in a row of C, and the bias rows (already offset to the tile).
struct TileCompact {
  __mmask16 keep[2];
  int first;
  const float* bias;
  bool rectify;
};

__attribute__((target("avx512f"))) void tile_avx512_8x32_store(
    int k, const float* const* a, const float* const* b, int column, float beta, float* c,
    int ldc, int rows, int cols, const TileCompact* compact) {
  const float* a_row[8];
  for (int i = 0; i < 8; ++i) a_row[i] = i < rows ? a[i] : a[0];
  __m512 c00 = _mm512_setzero_ps(), c01 = _mm512_setzero_ps();
  __m512 c10 = _mm512_setzero_ps(), c11 = _mm512_setzero_ps();
  __m512 c20 = _mm512_setzero_ps(), c21 = _mm512_setzero_ps();
  __m512 c30 = _mm512_setzero_ps(), c31 = _mm512_setzero_ps();
  __m512 c40 = _mm512_setzero_ps(), c41 = _mm512_setzero_ps();
  __m512 c50 = _mm512_setzero_ps(), c51 = _mm512_setzero_ps();
  __m512 c60 = _mm512_setzero_ps(), c61 = _mm512_setzero_ps();
  __m512 c70 = _mm512_setzero_ps(), c71 = _mm512_setzero_ps();
  const __mmask16 mask0 = cols >= 16 ? 0xffff : static_cast<__mmask16>((1u << cols) - 1);
  const __mmask16 mask1 =
      cols >= 32 ? 0xffff : cols <= 16 ? 0 : static_cast<__mmask16>((1u << (cols - 16)) - 1);
  const float *a0 = a_row[0], *a1 = a_row[1], *a2 = a_row[2], *a3 = a_row[3];
  const float *a4 = a_row[4], *a5 = a_row[5], *a6 = a_row[6], *a7 = a_row[7];
  for (int p = 0; p < k; ++p) {
    const float* b_row = b[p] + column;
    const __m512 b0 = _mm512_maskz_loadu_ps(mask0, b_row);
    const __m512 b1 = _mm512_maskz_loadu_ps(mask1, b_row + 16);
    __m512 av = _mm512_set1_ps(a0[p]);
    c00 = _mm512_fmadd_ps(av, b0, c00);
    c01 = _mm512_fmadd_ps(av, b1, c01);
    av = _mm512_set1_ps(a1[p]);
    c10 = _mm512_fmadd_ps(av, b0, c10);
    c11 = _mm512_fmadd_ps(av, b1, c11);
    av = _mm512_set1_ps(a2[p]);
    c20 = _mm512_fmadd_ps(av, b0, c20);
    c21 = _mm512_fmadd_ps(av, b1, c21);
    av = _mm512_set1_ps(a3[p]);
    c30 = _mm512_fmadd_ps(av, b0, c30);
    c31 = _mm512_fmadd_ps(av, b1, c31);
    av = _mm512_set1_ps(a4[p]);
    c40 = _mm512_fmadd_ps(av, b0, c40);
    c41 = _mm512_fmadd_ps(av, b1, c41);
    av = _mm512_set1_ps(a5[p]);
    c50 = _mm512_fmadd_ps(av, b0, c50);
    c51 = _mm512_fmadd_ps(av, b1, c51);
    av = _mm512_set1_ps(a6[p]);
    c60 = _mm512_fmadd_ps(av, b0, c60);
    c61 = _mm512_fmadd_ps(av, b1, c61);
    av = _mm512_set1_ps(a7[p]);
    c70 = _mm512_fmadd_ps(av, b0, c70);
    c71 = _mm512_fmadd_ps(av, b1, c71);
  }
  const __m512 acc[8][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31},
                            {c40, c41}, {c50, c51}, {c60, c61}, {c70, c71}};
  if (compact != nullptr) {
    // Keep the real positions of each row, packed, plus bias, through rectify.
    const __mmask16 keep0 = mask0 & compact->keep[0], keep1 = mask1 & compact->keep[1];
    const int count0 = __builtin_popcount(keep0), count1 = __builtin_popcount(keep1);
    const __mmask16 first0 = static_cast<__mmask16>((1u << count0) - 1);
    const __mmask16 first1 = static_cast<__mmask16>((1u << count1) - 1);
    const __m512 zero = _mm512_setzero_ps();
    for (int i = 0; i < rows; ++i) {
      __m512 out0 = acc[i][0], out1 = acc[i][1];
      if (compact->bias != nullptr) {
        const __m512 bias = _mm512_set1_ps(compact->bias[i]);
        out0 = _mm512_add_ps(out0, bias);
        out1 = _mm512_add_ps(out1, bias);
      }
      if (compact->rectify) {  // z <= 0 ? 0 : z, so that NaN stays NaN
        out0 = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(out0, zero, _CMP_LE_OQ), out0, zero);
        out1 = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(out1, zero, _CMP_LE_OQ), out1, zero);
      }
      float* row = c + static_cast<long>(i) * ldc + compact->first;
      _mm512_mask_storeu_ps(row, first0, _mm512_maskz_compress_ps(keep0, out0));
      _mm512_mask_storeu_ps(row + count0, first1, _mm512_maskz_compress_ps(keep1, out1));
    }
    return;
  }
  const __m512 scale = _mm512_set1_ps(beta);
  for (int i = 0; i < rows; ++i) {
    float* row = c + static_cast<long>(i) * ldc;
    __m512 out0 = acc[i][0], out1 = acc[i][1];
    if (beta != 0.0f) {
      out0 = _mm512_fmadd_ps(scale, _mm512_maskz_loadu_ps(mask0, row), out0);
      out1 = _mm512_fmadd_ps(scale, _mm512_maskz_loadu_ps(mask1, row + 16), out1);
    }
    _mm512_mask_storeu_ps(row, mask0, out0);
    _mm512_mask_storeu_ps(row + 16, mask1, out1);
  }
}

__attribute__((target("avx512f"))) void tile_avx512_8x32(int k, const float* const* a,
                                                         const float* const* b, int column,
                                                         float beta, float* c, int ldc, int rows,
                                                         int cols) {
  tile_avx512_8x32_store(k, a, b, column, beta, c, ldc, rows, cols, nullptr);
}

bool cpu_has_avx512f() {
#if defined(__GNUC__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f");
#else
  return false;
#endif
}

#endif

TileKernel chosen_kernel() {
#ifdef LAMINA_TILE_X86
  static const TileKernel kernel = cpu_has_avx2_fma() ? tile_avx2 : tile_portable;
  return kernel;
#else
  return tile_portable;
#endif
}

void run_tiles(TileKernel kernel, int m, int n, int k, const float* const* a_rows,
               const float* const* b_rows, float beta, float* c, int ldc,
               int tile_rows = kTileRows, int tile_cols = kTileCols) {
  for (int j0 = 0; j0 < n; j0 += tile_cols) {
    const int cols = std::min(tile_cols, n - j0);
    for (int i0 = 0; i0 < m; i0 += tile_rows) {
      kernel(k, a_rows + i0, b_rows, j0, beta, c + static_cast<long>(i0) * ldc + j0, ldc,
             std::min(tile_rows, m - i0), cols);
    }
  }
}

// The vector kernel for this CPU: 8 x 32 with AVX-512 (measured 20-25% faster than the AVX2
// kernels on the convolutions of LeNet, even where its 8-row tiles leave rows idle); with
// AVX2 the shape that wastes the fewest rows: 4 x 24 when m is a multiple of 4 but not of 6
// (32 filters: 8 full tiles instead of 6 with 4 rows idle), else 6 x 16.
void run_chosen(int m, int n, int k, const float* const* a_rows, const float* const* b_rows,
                float beta, float* c, int ldc) {
#ifdef LAMINA_TILE_X86
  static const bool avx512 = cpu_has_avx512f();
  if (avx512) {
    run_tiles(tile_avx512_8x32, m, n, k, a_rows, b_rows, beta, c, ldc, 8, 32);
    return;
  }
  if (chosen_kernel() == tile_avx2 && m % 6 != 0 && m % 4 == 0) {
    run_tiles(tile_avx2_4x24, m, n, k, a_rows, b_rows, beta, c, ldc, 4, 24);
    return;
  }
#endif
  run_tiles(chosen_kernel(), m, n, k, a_rows, b_rows, beta, c, ldc);
}

// Row pointers of a strided matrix, reusing a thread's buffer.
const float* const* strided_rows(const float* base, int rows, int stride,
                                 std::vector<const float*>& table) {
  table.resize(rows);
  for (int i = 0; i < rows; ++i) table[i] = base + static_cast<long>(i) * stride;
  return table.data();
}

void strided_product(TileKernel kernel, int m, int n, int k, const float* a, int lda,
                     const float* b, int ldb, float beta, float* c, int ldc) {
  thread_local std::vector<const float*> a_table, b_table;
  const float* const* a_rows = strided_rows(a, m, lda, a_table);
  const float* const* b_rows = strided_rows(b, k, ldb, b_table);
  if (kernel == chosen_kernel()) {
    run_chosen(m, n, k, a_rows, b_rows, beta, c, ldc);
  } else {
    run_tiles(kernel, m, n, k, a_rows, b_rows, beta, c, ldc);
  }
}

}  // namespace

void small_gemm(int m, int n, int k, const float* a, int lda, const float* b, int ldb,
                float beta, float* c, int ldc) {
  strided_product(chosen_kernel(), m, n, k, a, lda, b, ldb, beta, c, ldc);
}

void small_gemm_rows(int m, int n, int k, const float* const* a_rows,
                     const float* const* b_rows, float beta, float* c, int ldc) {
  run_chosen(m, n, k, a_rows, b_rows, beta, c, ldc);
}

void small_gemm_portable(int m, int n, int k, const float* a, int lda, const float* b, int ldb,
                         float beta, float* c, int ldc) {
  strided_product(tile_portable, m, n, k, a, lda, b, ldb, beta, c, ldc);
}

void small_gemm_reference(int m, int n, int k, const float* a, int lda, const float* b,
                          int ldb, float beta, float* c, int ldc) {
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < n; ++j) {
      double sum = 0.0;
      for (int p = 0; p < k; ++p) {
        sum += static_cast<double>(a[static_cast<long>(i) * lda + p]) *
               b[static_cast<long>(p) * ldb + j];
      }
      float& out = c[static_cast<long>(i) * ldc + j];
      out = static_cast<float>(sum + (beta == 0.0f ? 0.0 : static_cast<double>(beta) * out));
    }
  }
}

bool small_gemm_rows_compact(int m, int n, int k, const float* const* a_rows,
                             const float* const* b_rows, const CompactStore& store, float* c,
                             int ldc) {
#ifdef LAMINA_TILE_X86
  static const bool avx512 = cpu_has_avx512f();
  if (!avx512) return false;
  for (int j0 = 0; j0 < n; j0 += 32) {
    // Which columns of this block are real positions, and where the first one goes.
    TileCompact compact;
    compact.keep[0] = compact.keep[1] = 0;
    int first = -1;
    for (int j = 0; j < 32 && j0 + j < n; ++j) {
      const int q = j0 + j, ow = q % store.padded_w;
      if (ow >= store.out_w) continue;
      compact.keep[j / 16] = static_cast<__mmask16>(compact.keep[j / 16] | (1u << (j % 16)));
      if (first < 0) first = (q / store.padded_w) * store.out_w + ow;
    }
    if (first < 0) continue;
    compact.first = first;
    compact.rectify = store.rectify;
    const int cols = std::min(32, n - j0);
    for (int i0 = 0; i0 < m; i0 += 8) {
      compact.bias = store.bias != nullptr ? store.bias + i0 : nullptr;
      tile_avx512_8x32_store(k, a_rows + i0, b_rows, j0, 0.0f,
                             c + static_cast<long>(i0) * ldc, ldc, std::min(8, m - i0), cols,
                             &compact);
    }
  }
  return true;
#else
  (void)m, (void)n, (void)k, (void)a_rows, (void)b_rows, (void)store, (void)c, (void)ldc;
  return false;
#endif
}

bool small_gemm_variant(const char* kernel, int m, int n, int k, const float* a, int lda,
                        const float* b, int ldb, float beta, float* c, int ldc) {
  thread_local std::vector<const float*> a_table, b_table;
  const float* const* a_rows = strided_rows(a, m, lda, a_table);
  const float* const* b_rows = strided_rows(b, k, ldb, b_table);
  const std::string name = kernel;
  if (name == "portable") {
    run_tiles(tile_portable, m, n, k, a_rows, b_rows, beta, c, ldc);
    return true;
  }
#ifdef LAMINA_TILE_X86
  if (name == "avx512-8x32" && cpu_has_avx512f()) {
    run_tiles(tile_avx512_8x32, m, n, k, a_rows, b_rows, beta, c, ldc, 8, 32);
    return true;
  }
  if (name == "avx2-6x16" && cpu_has_avx2_fma()) {
    run_tiles(tile_avx2, m, n, k, a_rows, b_rows, beta, c, ldc);
    return true;
  }
  if (name == "avx2-4x24" && cpu_has_avx2_fma()) {
    run_tiles(tile_avx2_4x24, m, n, k, a_rows, b_rows, beta, c, ldc, 4, 24);
    return true;
  }
#endif
  return false;
}

const char* small_gemm_kernel() {
#ifdef LAMINA_TILE_X86
  if (cpu_has_avx512f()) return "avx512f";
  return cpu_has_avx2_fma() ? "avx2+fma" : "portable";
#else
  return "portable";
#endif
}

}  // namespace lamina
