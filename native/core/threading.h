// Thread count of the core: OpenMP regions and the BLAS library both follow it.
#pragma once

namespace lamina {

// The number of threads kernels use. Starts from LAMINA_NUM_THREADS when set, else the
// number of cores.
int get_num_threads();

// Sets the thread count for OpenMP regions and the BLAS library. n >= 1.
void set_num_threads(int n);

// Whether the core was compiled with OpenMP.
bool openmp_enabled();

}  // namespace lamina
