// Thread count of the core: OpenMP regions and the BLAS library both follow it.
#pragma once

namespace lamina {

// The number of threads kernels use. Starts from LAMINA_NUM_THREADS when set, else the
// number of cores.
int get_num_threads();

// The most threads the core runs (setNumThreads checks the same bound in TypeScript).
constexpr int kMaxThreads = 1024;

// Sets the thread count for OpenMP regions and the BLAS library, 1 <= n <= kMaxThreads;
// throws lamina::Error otherwise.
void set_num_threads(int n);

// Whether the core was compiled with OpenMP.
bool openmp_enabled();

}  // namespace lamina
