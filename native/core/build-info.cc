#include "native/core/build-info.h"

#include "native/core/gemm.h"
#include "native/core/threading.h"
#include "native/core/tile-gemm.h"

#ifndef LAMINA_VERSION
#define LAMINA_VERSION "unknown"
#endif
#ifndef LAMINA_BUILD_FILE
#define LAMINA_BUILD_FILE "unknown"
#endif

namespace lamina {
namespace {

std::string simd_compiled() {
#if defined(__AVX512F__)
  return "avx512f";
#elif defined(__AVX2__)
  return "avx2";
#elif defined(__x86_64__) || defined(_M_X64)
  return "sse2 (x86-64 baseline) + avx2/fma and avx512f kernels chosen at run time";
#elif defined(__aarch64__)
  return "neon (aarch64 baseline)";
#else
  return "portable";
#endif
}

std::string compiler() {
#if defined(__clang__)
  return std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
  return std::string("gcc ") + __VERSION__;
#elif defined(_MSC_VER)
  return "msvc " + std::to_string(_MSC_VER);
#else
  return "unknown";
#endif
}

}  // namespace

BuildInfo build_info() {
  BuildInfo info;
  info.version = LAMINA_VERSION;
  info.gemm = gemm_provider();
  info.openmp = openmp_enabled();
  info.threads = get_num_threads();
  info.simd_compiled = simd_compiled();
  info.simd_active = gemm_builtin_kernel();
  info.simd_training = small_gemm_kernel();
  info.build_file = LAMINA_BUILD_FILE;
  info.compiler = compiler();
  return info;
}

}  // namespace lamina
