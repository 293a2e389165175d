// What the fuzz targets do with one input, shared by the libFuzzer entry points
// (spec-fuzz.cc, idx-fuzz.cc) and the kernel test that replays the inputs kept in
// native/fuzz/regressions/ (native/test/fuzz-regressions-test.cc).
//
// The contract under test: any bytes at all either work or throw lamina::Error. Anything else
// (another exception, a sanitizer report, a crash, a hang) is a bug.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "native/core/errors.h"
#include "native/data/idx.h"
#include "native/train/model.h"
#include "native/train/spec.h"
#include "native/train/trainer.h"

namespace lamina_fuzz {

// Limits under which a parsed spec is also built and run: the core itself accepts up to
// 2^31 - 1 values per tensor, which would only measure the allocator here.
constexpr size_t kMaxLayerValues = size_t{1} << 16;   // per sample, in and out of each layer
constexpr size_t kMaxParams = size_t{1} << 18;        // the whole network
constexpr size_t kMaxUnfolded = size_t{1} << 20;      // a conv layer's im2col buffer

// Whether the network is small enough to build and run a few samples through.
inline bool small_enough(const lamina::NetworkSpec& spec) {
  size_t params = 0;
  for (const lamina::LayerSpec& layer : spec.layers) {
    const size_t in = lamina::shape_size(layer.input_shape);
    const size_t out = lamina::shape_size(layer.output_shape);
    if (in > kMaxLayerValues || out > kMaxLayerValues) return false;
    if (layer.kind == lamina::LayerKind::kDense) {
      params += in * static_cast<size_t>(layer.num_units) + layer.num_units;
    } else if (layer.kind == lamina::LayerKind::kConv2D) {
      const size_t taps = static_cast<size_t>(layer.input_shape[0]) * layer.filter_size[0] *
                          layer.filter_size[1];
      params += taps * layer.num_filters + layer.num_filters;
      if (taps * (out / layer.num_filters) > kMaxUnfolded) return false;
    }
    if (params > kMaxParams) return false;
  }
  return true;
}

// A listener that lets training run to the end.
class QuietListener : public lamina::TrainListener {
 public:
  bool on_epoch(const lamina::EpochRecord&) override { return true; }
  void on_progress(const lamina::ProgressTick&) override {}
  bool cancelled() override { return false; }
};

// Parses bytes as a network spec; when it is valid and small, builds the model, predicts two
// samples (checking every output is a number the layer could produce) and trains one epoch
// on them. Returns whether the spec was valid.
inline bool run_spec(const uint8_t* data, size_t size) {
  const std::string json(reinterpret_cast<const char*>(data), size);
  lamina::NetworkSpec spec;
  try {
    spec = lamina::parse_network_spec(json);
  } catch (const lamina::Error&) {
    return false;
  }
  if (!small_enough(spec)) return true;

  // Build, then predict two samples of every layer's output.
  lamina::Model model(spec, 42);
  const lamina::Network& network = model.network();
  lamina::Dataset samples;
  samples.n = 2;
  samples.input_size = network.input_size();
  samples.floats.resize(2 * samples.input_size);
  for (size_t i = 0; i < samples.floats.size(); ++i) {
    samples.floats[i] = static_cast<float>(std::sin(0.7 * static_cast<double>(i)));
  }
  for (int layer = 0; layer < network.layer_count(); ++layer) {
    std::vector<float> out(2 * network.layer(layer).out_size);
    model.predict(samples, layer, 1 + static_cast<int>(size % 2), out.data());
  }

  // One epoch on the two samples: cross-entropy for a softmax output, else squared error.
  lamina::TrainOptions options;
  options.spec.batch_size = 2;
  options.spec.update.learning_rate = 0.01;
  const size_t outputs = network.output_size();
  const int last = network.layer_count() - 1;
  if (network.layer(last).nonlinearity() == lamina::Nonlinearity::kSoftmax) {
    options.spec.loss = lamina::LossKind::kCategoricalCrossentropy;
    samples.labels = {0, static_cast<int32_t>(outputs - 1)};
  } else {
    options.spec.loss = lamina::LossKind::kSquaredError;
    samples.targets.assign(2 * outputs, 0.5f);
    samples.target_size = outputs;
  }
  QuietListener listener;
  std::vector<lamina::EpochRecord> records;
  try {
    lamina::train_model(model, samples, &samples, options, listener, &records);
  } catch (const lamina::Error& error) {
    // A diverging loss is a legitimate outcome for arbitrary initialisations; nothing else is.
    const std::string message = error.what();
    if (message.find("training diverged") == std::string::npos) throw;
  }
  return true;
}

// Checks bytes as an IDX file; when valid, reads every element and checks the view stays
// inside the buffer. Returns whether the bytes were a valid IDX file.
inline bool run_idx(const uint8_t* data, size_t size) {
  lamina::IdxView view;
  try {
    view = lamina::parse_idx(data, size, "fuzz input");
  } catch (const lamina::Error&) {
    return false;
  }
  LAMINA_ASSERT(view.data >= data && view.data + view.data_size == data + size);
  LAMINA_ASSERT(view.data_size == view.count * view.element_size);
  double sum = 0.0;
  for (uint64_t i = 0; i < view.count; ++i) sum += std::fabs(lamina::idx_element(view, i));
  return !(sum < 0.0);
}

}  // namespace lamina_fuzz
