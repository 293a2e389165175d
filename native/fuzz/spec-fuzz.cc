// libFuzzer target: arbitrary bytes as the network spec JSON the core receives (the
// architecture stored in a model file reaches the core this way), then, for small valid
// specs, the model built from it, a prediction and an epoch of training. See targets.h.
//
//   native/fuzz/build.sh && build-fuzz/spec-fuzz -max_total_time=60 build-fuzz/corpus-spec \
//     native/fuzz/corpus/spec -dict=native/fuzz/spec.dict
#include <cstddef>
#include <cstdint>

#include "native/core/threading.h"
#include "native/fuzz/targets.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  lamina::set_num_threads(1);  // no pool threads: each input runs alone and fast
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lamina_fuzz::run_spec(data, size);
  return 0;
}
