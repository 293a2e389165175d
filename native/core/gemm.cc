#include "native/core/gemm.h"

#include <algorithm>
#include <mutex>
#include <vector>

#include "native/core/errors.h"
#include "native/core/threading.h"

#ifdef _OPENMP
#include <omp.h>
#endif

#ifdef LAMINA_GEMM_CBLAS
#include <cblas.h>
#endif

namespace lamina {
namespace {

// Block sizes: a packed A block (kMc x kKc) and a packed group of B columns (kKc x kNg) stay
// in L2, a B micro-panel (kKc x 16) in L1; a task covers kNg columns of C so that two threads
// share even a short matrix.
constexpr int kMc = 144;
constexpr int kKc = 256;
constexpr int kNg = 256;

// Below this many multiply-adds a product runs on the calling thread alone.
constexpr double kParallelWork = 48.0 * 48.0 * 48.0;

float at_a(const GemmArgs& g, int i, int p) {
  return g.trans_a ? g.a[static_cast<long>(p) * g.lda + i] : g.a[static_cast<long>(i) * g.lda + p];
}

float at_b(const GemmArgs& g, int p, int j) {
  return g.trans_b ? g.b[static_cast<long>(j) * g.ldb + p] : g.b[static_cast<long>(p) * g.ldb + j];
}

// Packs op(A)[ic : ic+mc, pc : pc+kc] as panels of 6 rows, each kc columns of 6 values,
// zero-padded past the last row.
void pack_a(const GemmArgs& g, int ic, int mc, int pc, int kc, float* packed) {
  for (int ir = 0; ir < mc; ir += kGemmMr) {
    int rows = std::min(kGemmMr, mc - ir);
    for (int p = 0; p < kc; ++p) {
      for (int i = 0; i < rows; ++i) packed[i] = at_a(g, ic + ir + i, pc + p);
      for (int i = rows; i < kGemmMr; ++i) packed[i] = 0.0f;
      packed += kGemmMr;
    }
  }
}

// Packs op(B)[pc : pc+kc, jc + 16*panel ...] for one panel of 16 columns, zero-padded.
void pack_b_panel(const GemmArgs& g, int pc, int kc, int jc, int cols, float* packed) {
  if (!g.trans_b && cols == kGemmNr) {
    for (int p = 0; p < kc; ++p) {
      const float* row = g.b + static_cast<long>(pc + p) * g.ldb + jc;
      std::copy(row, row + kGemmNr, packed);
      packed += kGemmNr;
    }
    return;
  }
  for (int p = 0; p < kc; ++p) {
    for (int j = 0; j < cols; ++j) packed[j] = at_b(g, pc + p, jc + j);
    for (int j = cols; j < kGemmNr; ++j) packed[j] = 0.0f;
    packed += kGemmNr;
  }
}

// C = beta * C, with beta == 0 overwriting.
void scale_c(const GemmArgs& g, int threads) {
  if (g.beta == 1.0f) return;
#pragma omp parallel for num_threads(threads) if (threads > 1) schedule(static)
  for (int i = 0; i < g.m; ++i) {
    float* row = g.c + static_cast<long>(i) * g.ldc;
    if (g.beta == 0.0f) {
      std::fill(row, row + g.n, 0.0f);
    } else {
      for (int j = 0; j < g.n; ++j) row[j] *= g.beta;
    }
  }
}

using Kernel = void (*)(int, const float*, const float*, float*, int, float, float, int, int);

Kernel chosen_kernel() {
  static const Kernel kernel = cpu_has_avx2_fma() ? gemm_kernel_avx2 : gemm_kernel_portable;
  return kernel;
}

// Reusable packing buffers, one set per thread, so repeated products do not allocate.
std::vector<float>& thread_buffer_a() {
  thread_local std::vector<float> buffer;
  return buffer;
}

std::vector<float>& thread_buffer_b() {
  thread_local std::vector<float> buffer;
  return buffer;
}

}  // namespace

void gemm_check(const GemmArgs& g) {
  LAMINA_CHECK(g.m >= 0 && g.n >= 0 && g.k >= 0, "gemm: sizes must be >= 0, received m=", g.m,
               " n=", g.n, " k=", g.k);
  int a_cols = g.trans_a ? g.m : g.k;
  int b_cols = g.trans_b ? g.k : g.n;
  LAMINA_CHECK(g.lda >= std::max(1, a_cols), "gemm: lda must be >= ", std::max(1, a_cols),
               ", received ", g.lda);
  LAMINA_CHECK(g.ldb >= std::max(1, b_cols), "gemm: ldb must be >= ", std::max(1, b_cols),
               ", received ", g.ldb);
  LAMINA_CHECK(g.ldc >= std::max(1, g.n), "gemm: ldc must be >= ", std::max(1, g.n),
               ", received ", g.ldc);
}

void gemm_reference(const GemmArgs& g) {
  for (int i = 0; i < g.m; ++i) {
    for (int j = 0; j < g.n; ++j) {
      double sum = 0.0;
      for (int p = 0; p < g.k; ++p) sum += static_cast<double>(at_a(g, i, p)) * at_b(g, p, j);
      float& out = g.c[static_cast<long>(i) * g.ldc + j];
      double old = g.beta == 0.0f ? 0.0 : static_cast<double>(g.beta) * out;
      out = static_cast<float>(g.alpha * sum + old);
    }
  }
}

void gemm_kernel_portable(int kc, const float* ap, const float* bp, float* c, int ldc,
                          float alpha, float beta, int mr, int nr) {
  float tile[kGemmMr][kGemmNr] = {};
  for (int p = 0; p < kc; ++p) {
    for (int i = 0; i < kGemmMr; ++i) {
      float a = ap[i];
      for (int j = 0; j < kGemmNr; ++j) tile[i][j] += a * bp[j];
    }
    ap += kGemmMr;
    bp += kGemmNr;
  }
  for (int i = 0; i < mr; ++i) {
    float* row = c + static_cast<long>(i) * ldc;
    for (int j = 0; j < nr; ++j) {
      float old = beta == 0.0f ? 0.0f : beta * row[j];
      row[j] = alpha * tile[i][j] + old;
    }
  }
}

namespace {

// The blocked product on `threads` threads. Each task packs one group of B columns and one
// block of A rows for a K slice, right before using them while they are still in cache, and
// skips the packing when it already holds the same group or block. beta is applied by the
// micro-kernel on the first K slice, so C is read at most once per slice. The only barrier is
// the end of each K slice.
void gemm_blocked(const GemmArgs& g, int threads) {
  const Kernel kernel = chosen_kernel();
  const int row_blocks = (g.m + kMc - 1) / kMc;
  const int col_groups = (g.n + kNg - 1) / kNg;
  const int tasks = row_blocks * col_groups;

  for (int pc = 0; pc < g.k; pc += kKc) {
    const int kc = std::min(kKc, g.k - pc);
    const float beta = pc == 0 ? g.beta : 1.0f;

#pragma omp parallel num_threads(threads) if (threads > 1)
    {
      std::vector<float>& packed_a = thread_buffer_a();
      std::vector<float>& packed_b = thread_buffer_b();
      if (packed_a.size() < static_cast<size_t>(kMc) * kKc) packed_a.resize(kMc * kKc);
      if (packed_b.size() < static_cast<size_t>(kNg) * kKc) packed_b.resize(kNg * kKc);
      int packed_block = -1;
      int packed_group = -1;

#pragma omp for schedule(dynamic, 1)
      for (int task = 0; task < tasks; ++task) {
        const int group = task / row_blocks;
        const int block = task % row_blocks;
        const int jc = group * kNg;
        const int nc = std::min(kNg, g.n - jc);
        const int ic = block * kMc;
        const int mc = std::min(kMc, g.m - ic);

        // Step 1: pack what this task needs, unless this thread holds it already.
        if (group != packed_group) {
          for (int jr = 0; jr < nc; jr += kGemmNr) {
            pack_b_panel(g, pc, kc, jc + jr, std::min(kGemmNr, nc - jr),
                         packed_b.data() + static_cast<long>(jr) * kc);
          }
          packed_group = group;
        }
        if (block != packed_block) {
          pack_a(g, ic, mc, pc, kc, packed_a.data());
          packed_block = block;
        }

        // Step 2: sweep the tiles of C.
        for (int jr = 0; jr < nc; jr += kGemmNr) {
          const int nr = std::min(kGemmNr, nc - jr);
          const float* b_panel = packed_b.data() + static_cast<long>(jr) * kc;
          for (int ir = 0; ir < mc; ir += kGemmMr) {
            const int mr = std::min(kGemmMr, mc - ir);
            float* c_tile = g.c + static_cast<long>(ic + ir) * g.ldc + jc + jr;
            kernel(kc, packed_a.data() + static_cast<long>(ir) * kc, b_panel, c_tile, g.ldc,
                   g.alpha, beta, mr, nr);
          }
        }
      }
    }
  }
}

// A short, wide-K product (m x n small, k large: the weight gradients of convolutions) has too
// few tiles to share; instead each thread multiplies one slice of K into its own buffer and the
// slices are summed.
void gemm_split_k(const GemmArgs& g, int threads) {
  std::vector<std::vector<float>> partial(threads);
  int slice = (g.k + threads - 1) / threads;
#pragma omp parallel for num_threads(threads) schedule(static, 1)
  for (int t = 0; t < threads; ++t) {
    int p0 = std::min(g.k, t * slice);
    int p1 = std::min(g.k, p0 + slice);
    partial[t].assign(static_cast<size_t>(g.m) * g.n, 0.0f);
    if (p1 <= p0) continue;
    GemmArgs part = g;
    part.k = p1 - p0;
    part.a = g.trans_a ? g.a + static_cast<long>(p0) * g.lda : g.a + p0;
    part.b = g.trans_b ? g.b + p0 : g.b + static_cast<long>(p0) * g.ldb;
    part.alpha = 1.0f;
    part.beta = 0.0f;
    part.c = partial[t].data();
    part.ldc = g.n;
    gemm_blocked(part, 1);
  }
  for (int i = 0; i < g.m; ++i) {
    float* row = g.c + static_cast<long>(i) * g.ldc;
    for (int j = 0; j < g.n; ++j) {
      float sum = 0.0f;
      for (int t = 0; t < threads; ++t) sum += partial[t][static_cast<size_t>(i) * g.n + j];
      float old = g.beta == 0.0f ? 0.0f : g.beta * row[j];
      row[j] = g.alpha * sum + old;
    }
  }
}

}  // namespace

void gemm_builtin(const GemmArgs& g) {
  gemm_check(g);
  if (g.m == 0 || g.n == 0) return;
  double work = static_cast<double>(g.m) * g.n * g.k;
  int threads = work < kParallelWork ? 1 : get_num_threads();
  if (g.k == 0 || g.alpha == 0.0f) {
    scale_c(g, threads);
    return;
  }
  int tiles = ((g.m + kMc - 1) / kMc) * ((g.n + kNg - 1) / kNg);
  if (threads > 1 && tiles < threads && g.k >= 4 * kKc * threads) {
    gemm_split_k(g, threads);
  } else {
    gemm_blocked(g, threads);
  }
}

#ifdef LAMINA_GEMM_CBLAS

namespace {
// OpenBLAS reads its own thread count at start-up; make it follow Lamina's once.
void sync_blas_threads() {
  static std::once_flag once;
  std::call_once(once, [] { set_num_threads(get_num_threads()); });
}
}  // namespace

void gemm_cblas(const GemmArgs& g) {
  gemm_check(g);
  if (g.m == 0 || g.n == 0) return;
  sync_blas_threads();
  cblas_sgemm(CblasRowMajor, g.trans_a ? CblasTrans : CblasNoTrans,
              g.trans_b ? CblasTrans : CblasNoTrans, g.m, g.n, g.k, g.alpha, g.a, g.lda, g.b,
              g.ldb, g.beta, g.c, g.ldc);
}

const char* gemm_provider() { return "openblas"; }
bool gemm_has_cblas() { return true; }

#else

void gemm_cblas(const GemmArgs&) {
  throw Error(
      "gemm: this build has no CBLAS; install libopenblas-dev (Debian/Ubuntu) and rebuild with "
      "`npm run build:native`, or use the built-in GEMM");
}

const char* gemm_provider() { return "builtin"; }
bool gemm_has_cblas() { return false; }

#endif

const char* gemm_builtin_kernel() { return cpu_has_avx2_fma() ? "avx2+fma" : "portable"; }

void gemm(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda,
          const float* b, int ldb, float beta, float* c, int ldc) {
  GemmArgs args{trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc};
#ifdef LAMINA_GEMM_CBLAS
  gemm_cblas(args);
#else
  gemm_builtin(args);
#endif
}

}  // namespace lamina
