#include "native/train/model.h"

#include <algorithm>
#include <cstring>

#include "native/core/errors.h"
#include "native/core/threading.h"

namespace lamina {
namespace {

constexpr int kPredictCapacity = 128;

}  // namespace

Model::Model(const NetworkSpec& spec, uint32_t seed)
    : network_(spec),
      shuffle_rng_(seed, kStreamShuffle),
      dropout_rng_(seed, kStreamDropout),
      augment_rng_(seed, kStreamAugment) {
  network_.init_params(seed);
}

bool Model::predict(const Dataset& data, int layer, int batch_size, float* out,
                    const bool* stop) const {
  LAMINA_CHECK(layer >= 0 && layer < network_.layer_count(), "predict: no layer ", layer);
  LAMINA_CHECK(batch_size >= 1, "predict: expected a batchSize >= 1 but received ", batch_size);
  data.check("predict data", network_.input_size());
  // Every layer's output of a forward pass is kept, so passes of more than 128 samples only
  // cost memory: larger batches go through in parts (the results are the same).
  const int capacity = std::min({batch_size, data.n, kPredictCapacity});
  const size_t out_size = network_.layer(layer).out_size;
  ThreadPool pool(get_num_threads());
  Workspace workspace;
  network_.prepare(workspace, capacity, false, &pool);
  for (int first = 0; first < data.n; first += capacity) {
    if (stop != nullptr && *stop) return false;
    const int count = std::min(capacity, data.n - first);
    data.load_inputs(nullptr, first, count, network_.input(workspace), &pool);
    network_.forward(workspace, count, false, nullptr, layer);
    std::memcpy(out + static_cast<size_t>(first) * out_size, network_.output(workspace, layer),
                sizeof(float) * count * out_size);
  }
  return true;
}

}  // namespace lamina
