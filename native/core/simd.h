// Per-architecture helpers for the elementwise loops of the layers (copies, im2col, pooling,
// nonlinearities). The binary targets the x86-64 baseline (SSE2) so that it runs on any CPU;
// LAMINA_VECTORIZE compiles a function twice, for AVX2 and for the baseline, and the loader
// picks the one this CPU runs (GNU ifunc, so glibc Linux only; elsewhere it expands to
// nothing and the baseline version is the only one). The hand-written AVX2 micro-kernels
// live in gemm-avx2.cc and tile-gemm.cc.
#pragma once

#include <cstddef>  // defines __GLIBC__ through the C library's headers

// GCC only: clang 14 emits the clones of a function defined in another file under names the
// callers do not link against (undefined reference to the plain name).
#if (defined(__x86_64__) || defined(_M_X64)) && defined(__linux__) && defined(__GLIBC__) && \
    defined(__GNUC__) && !defined(__clang__)
#define LAMINA_VECTORIZE __attribute__((target_clones("avx2", "default")))
#else
#define LAMINA_VECTORIZE
#endif
