// The epoch loop, run whole in C++ (the addon runs it on a thread of its own):
// for each epoch, shuffle (a generator kept across epochs and calls), then for each batch of
// batch_size samples in that order (the last partial batch kept): load the inputs (bytes
// scaled by 1/255), forward, loss and penalties, backward, update; then evaluate the
// validation set. A listener hears each epoch's record and throttled progress ticks, and can
// cancel between batches.
#pragma once

#include <cstdint>
#include <vector>

#include "native/train/dataset.h"
#include "native/train/model.h"
#include "native/train/spec.h"

namespace lamina {

struct EpochRecord {
  int epoch = 0;                // 1-based, counting across train calls
  double train_loss = 0.0;      // sample-weighted mean of the batch objectives
  double valid_loss = 0.0;      // NaN without a validation set
  double valid_accuracy = 0.0;  // NaN without a validation set or for regression
  double seconds = 0.0;
};

struct ProgressTick {
  int epoch = 0;
  int batch = 0, batches = 0;   // batches done, batches in the epoch
  long samples = 0;             // samples done in this epoch
  double train_loss = 0.0;      // mean objective so far in this epoch
  double samples_per_second = 0.0;
};

class TrainListener {
 public:
  virtual ~TrainListener() = default;
  // Returns false to stop after this epoch.
  virtual bool on_epoch(const EpochRecord& record) = 0;
  virtual void on_progress(const ProgressTick& tick) = 0;
  // Polled between batches; true stops training at once.
  virtual bool cancelled() = 0;
};

struct TrainOptions {
  TrainSpec spec;
  int first_epoch = 1;
  int epochs = 1;
  std::vector<double> learning_rates;  // one per epoch of this call, or empty
  double progress_interval_ms = 100.0;
};

enum class TrainOutcome { kCompleted, kStopped, kCancelled };

// Trains the model; appends a record per finished epoch. Throws lamina::Error for data that
// does not fit the network or loss, and when the loss becomes NaN or infinite (naming the
// epoch and batch; the update of that batch is not applied).
TrainOutcome train_model(Model& model, const Dataset& train, const Dataset* valid,
                         const TrainOptions& options, TrainListener& listener,
                         std::vector<EpochRecord>* records);

// Mean data loss and accuracy of a dataset under a loss (prediction mode, no penalty), in the
// model's training workspace, on the pool (may be null).
Evaluation evaluate_model(Model& model, const Dataset& data, LossKind loss, int batch_size,
                          TrainListener* listener, ThreadPool* pool);

}  // namespace lamina
