// What this build of the core is: read by buildInfo() in JavaScript and by the kernel tests.
#pragma once

#include <string>

namespace lamina {

struct BuildInfo {
  std::string version;        // package version the core was built from
  std::string gemm;           // "openblas" or "builtin"
  bool openmp;                // compiled with OpenMP
  int threads;                // current thread count
  std::string simd_compiled;  // instruction sets compiled in: baseline + run-time kernels
  std::string simd_active;    // the micro-kernel the built-in gemm() runs on this CPU
  std::string simd_training;  // the micro-kernels dense and conv layers run on this CPU
  std::string build_file;     // "binding.gyp" or "CMakeLists.txt"
  std::string compiler;
};

BuildInfo build_info();

}  // namespace lamina
