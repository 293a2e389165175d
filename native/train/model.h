// A network instantiated for training and prediction: parameters, optimizer state, the
// shuffling, dropout and augmentation generators (which persist across train calls) and the
// training workspace.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "native/core/rng.h"
#include "native/optim/updates.h"
#include "native/train/dataset.h"
#include "native/train/network.h"

namespace lamina {

// Mean data loss (no penalty) and accuracy of a dataset.
struct Evaluation {
  double loss = 0.0;
  double accuracy = 0.0;  // NaN for regression
};

class Model {
 public:
  Model(const NetworkSpec& spec, uint32_t seed);

  Network& network() { return network_; }
  const Network& network() const { return network_; }
  Optimizer& optimizer() { return optimizer_; }
  Rng& shuffle_rng() { return shuffle_rng_; }
  Rng& dropout_rng() { return dropout_rng_; }
  Rng& augment_rng() { return augment_rng_; }
  Workspace& train_workspace() { return train_workspace_; }

  // The output of layer `layer` for every sample: out [n, layer out_size]. Uses a workspace of
  // its own, so concurrent predictions do not interfere (parameters are only read).
  // stop (may be null) is polled between batches; returns false when it stopped early.
  bool predict(const Dataset& data, int layer, int batch_size, float* out,
               const bool* stop = nullptr) const;

  // Drops the optimizer state.
  void reset_updates() { optimizer_.reset(); }

 private:
  Network network_;
  Rng shuffle_rng_, dropout_rng_, augment_rng_;
  Optimizer optimizer_;
  Workspace train_workspace_;
};

}  // namespace lamina
