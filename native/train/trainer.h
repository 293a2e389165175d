// The epoch loop, run whole in C++ (the addon runs it on a thread of its own):
// for each epoch, shuffle (a generator kept across epochs and calls), then for each batch of
// batch_size samples in that order (the last partial batch kept): load the inputs (bytes
// scaled by 1/255), augment them when the spec asks (the model's augmentation generator, kept
// across epochs and calls), let the listener transform them when the options ask, forward,
// loss and penalties, backward, update; then evaluate the validation set (never augmented).
// A listener hears each epoch's record and throttled progress ticks, and can cancel between
// batches.
//
// With augmentation, a thread of its own prepares batch b + 1 (gather, scale, augment, on that
// thread alone) while batch b trains on the pool; it is the only user of the augmentation
// generator and prepares batches strictly in order, so the numbers never depend on timing.
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

// A training batch on its way into the network, after scaling and augmentation.
struct BatchView {
  int epoch = 0;
  int batch = 0, batches = 0;         // 1-based batch number, batches in the epoch
  int count = 0;                      // samples in the batch
  size_t input_size = 0;              // values per sample
  const uint32_t* samples = nullptr;  // [count] the dataset index of each sample
  float* x = nullptr;                 // [count, input_size], may be changed in place
};

class TrainListener {
 public:
  virtual ~TrainListener() = default;
  // Called with each training batch when TrainOptions::transform_batches is set, after the
  // inputs are loaded and augmented, before the forward pass; may rewrite view.x.
  virtual void transform_batch(BatchView& view) { (void)view; }
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
  bool transform_batches = false;      // hand every training batch to the listener
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
