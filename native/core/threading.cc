#include "native/core/threading.h"

#include <atomic>
#include <cstdlib>
#include <thread>

#include "native/core/errors.h"

#ifdef _OPENMP
#include <omp.h>
#endif

#ifdef LAMINA_GEMM_CBLAS
extern "C" void openblas_set_num_threads(int num_threads);
#endif

namespace lamina {
namespace {

int default_num_threads() {
  const char* from_env = std::getenv("LAMINA_NUM_THREADS");
  if (from_env != nullptr) {
    int n = std::atoi(from_env);
    if (n >= 1) return n < kMaxThreads ? n : kMaxThreads;
  }
  unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : static_cast<int>(cores);
}

// The process-wide thread count. The thread count is a property of the machine, not of one
// JavaScript environment, so every worker thread shares it.
std::atomic<int>& thread_count() {
  static std::atomic<int> count{default_num_threads()};
  return count;
}

}  // namespace

int get_num_threads() { return thread_count().load(); }

void set_num_threads(int n) {
  LAMINA_CHECK(n >= 1 && n <= kMaxThreads, "numThreads must be an integer in [1, ", kMaxThreads,
               "], received ", n);
  thread_count().store(n);
#ifdef LAMINA_GEMM_CBLAS
  openblas_set_num_threads(n);
#endif
}

bool openmp_enabled() {
#ifdef _OPENMP
  return true;
#else
  return false;
#endif
}

}  // namespace lamina
