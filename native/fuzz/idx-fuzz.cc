// libFuzzer target: arbitrary bytes as an IDX file for the core's IDX check
// (native/data/idx.h). See targets.h.
//
//   native/fuzz/build.sh && build-fuzz/idx-fuzz -max_total_time=60 build-fuzz/corpus-idx \
//     native/fuzz/corpus/idx
#include <cstddef>
#include <cstdint>

#include "native/fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lamina_fuzz::run_idx(data, size);
  return 0;
}
