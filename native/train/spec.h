// The network and training descriptions the core receives (see lib/backend/backend.ts for the
// definitive field list), parsed from JSON and checked: every layer's shapes must chain and
// agree with what the layer computes. Errors name the layer, the field, what was expected and
// what was received.
#pragma once

#include <string>
#include <vector>

#include "native/core/json.h"
#include "native/data/augment.h"
#include "native/layers/activation.h"
#include "native/layers/init.h"
#include "native/optim/updates.h"

namespace lamina {

enum class LayerKind {
  kInput,
  kDense,
  kConv2D,
  kMaxPool2D,
  kAvgPool2D,
  kDropout,
  kReshape,
  kFlatten,
  kNonlinearity,
};

struct LayerSpec {
  LayerKind kind = LayerKind::kInput;
  std::string name;
  std::vector<int> input_shape, output_shape;
  Nonlinearity nonlinearity = Nonlinearity::kLinear;
  int num_units = 0;                 // dense
  int num_filters = 0;               // conv2d
  int filter_size[2] = {0, 0};       // conv2d
  int pool_size[2] = {0, 0};         // pooling
  int stride[2] = {1, 1};            // conv2d, pooling
  int pad[2] = {0, 0};               // conv2d, pooling
  bool ignore_border = true;         // pooling
  bool include_padding = true;       // avgpool2d
  double p = 0.0;                    // dropout
  InitSpec w_init;                   // dense, conv2d
  bool has_bias = false;
  InitSpec b_init;
};

struct NetworkSpec {
  std::vector<LayerSpec> layers;
};

enum class LossKind { kCategoricalCrossentropy, kSquaredError };

// Augmentation of the training batches: the options, and the image shape [C, H, W] each
// sample is seen as (C x H x W = the network's input size).
struct AugmentSpec {
  bool enabled = false;
  AugmentOptions options;
  int channels = 1, height = 1, width = 1;
};

struct TrainSpec {
  LossKind loss = LossKind::kCategoricalCrossentropy;
  double l1 = 0.0, l2 = 0.0;
  UpdateSpec update;
  int batch_size = 128;
  bool shuffle = true;
  AugmentSpec augment;  // from the optional field augment (absent or null: off)
};

NetworkSpec parse_network_spec(const std::string& json);
NetworkSpec parse_network_spec(const JsonValue& value);
TrainSpec parse_train_spec(const std::string& json);
TrainSpec parse_train_spec(const JsonValue& value);

// The number of values of a shape.
size_t shape_size(const std::vector<int>& shape);
std::string shape_text(const std::vector<int>& shape);

}  // namespace lamina
