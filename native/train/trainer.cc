#include "native/train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <numeric>
#include <thread>

#include "native/core/errors.h"
#include "native/core/threading.h"
#include "native/loss/loss.h"

namespace lamina {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Checks that a dataset's labels or targets suit the network's output and the loss.
void check_targets(const Dataset& data, const char* what, const Network& network,
                   LossKind loss) {
  const size_t outputs = network.output_size();
  if (loss == LossKind::kCategoricalCrossentropy) {
    LAMINA_CHECK(!data.labels.empty(), what, ".y: categorical_crossentropy expects an "
                 "Int32Array of class labels");
    LAMINA_CHECK(data.labels.size() == static_cast<size_t>(data.n), what, ".y: expected ",
                 data.n, " labels but received ", data.labels.size());
    for (size_t i = 0; i < data.labels.size(); ++i) {
      LAMINA_CHECK(data.labels[i] >= 0 && static_cast<size_t>(data.labels[i]) < outputs, what,
                   ".y[", i, "] = ", data.labels[i], " is not a class of the output layer "
                   "(expected an integer in [0, ", outputs, "))");
    }
  } else {
    LAMINA_CHECK(!data.targets.empty(), what, ".y: squared_error expects a Float32Array of ",
                 "targets (n x ", outputs, ")");
    LAMINA_CHECK(data.targets.size() == static_cast<size_t>(data.n) * outputs, what,
                 ".y: expected ", static_cast<size_t>(data.n) * outputs, " targets (n = ", data.n,
                 " samples of ", outputs, " outputs) but received ", data.targets.size());
  }
}

// The data loss of a batch (mean over samples, and over outputs for squared error); writes
// its gradient into the network's output gradient when gradient is true.
double batch_loss(Network& network, Workspace& ws, const Dataset& data, const uint32_t* order,
                  int first, int count, LossKind loss, bool gradient, int* correct) {
  const int last = network.layer_count() - 1;
  const int outputs = static_cast<int>(network.output_size());
  const float* y = network.output(ws, last);
  float* dy = gradient ? network.output_gradient(ws) : nullptr;
  auto sample = [&](int s) {
    return order != nullptr ? order[s] : static_cast<uint32_t>(first + s);
  };
  if (loss == LossKind::kCategoricalCrossentropy) {
    std::vector<int32_t> labels(count);
    for (int s = 0; s < count; ++s) labels[s] = data.labels[sample(s)];
    const float* z = network.output_preactivation(ws, count);
    double total = softmax_crossentropy(z, y, labels.data(), count, outputs, dy, 1.0 / count);
    if (correct != nullptr) *correct += count_correct(y, labels.data(), count, outputs);
    return total / count;
  }
  std::vector<float> targets(static_cast<size_t>(count) * outputs);
  for (int s = 0; s < count; ++s) {
    std::copy_n(data.targets.data() + static_cast<size_t>(sample(s)) * outputs, outputs,
                targets.data() + static_cast<size_t>(s) * outputs);
  }
  const double values = static_cast<double>(count) * outputs;
  return squared_error(y, targets.data(), targets.size(), dy, 1.0 / values) / values;
}

// Prepares augmented training batches one ahead, on a thread of its own: start() hands it the
// samples of the next batch, take() waits for that batch and copies it out. The thread
// gathers the samples, scales bytes and augments with Augmenter::apply on one thread (no
// OpenMP region beside the training pool). It alone draws from the augmentation generator,
// one batch after another in the order they are started, so the numbers do not depend on
// when it runs. Buffers: the gathered samples, the prepared batch [capacity, input_size].
class BatchFeed {
 public:
  BatchFeed(const Dataset& data, const Augmenter& augmenter, Rng& rng, int capacity)
      : data_(data), augmenter_(augmenter), rng_(rng) {
    const size_t values = static_cast<size_t>(capacity) * data.input_size;
    if (!data.bytes.empty()) bytes_.resize(values);
    ready_.resize(values);
    thread_ = std::thread([this] { run(); });
  }

  ~BatchFeed() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }

  BatchFeed(const BatchFeed&) = delete;
  BatchFeed& operator=(const BatchFeed&) = delete;

  // Starts preparing the batch of samples[0 .. count); samples must stay valid until take().
  void start(const uint32_t* samples, int count) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      LAMINA_ASSERT(!pending_ && !prepared_);
      samples_ = samples;
      count_ = count;
      pending_ = true;
    }
    changed_.notify_all();
  }

  // Waits for the batch started last and copies it into out [count, input_size]; rethrows
  // what preparing it threw.
  void take(float* out) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return prepared_; });
    prepared_ = false;
    if (error_) {
      std::exception_ptr error = error_;
      error_ = nullptr;
      std::rethrow_exception(error);
    }
    std::memcpy(out, ready_.data(), sizeof(float) * count_ * data_.input_size);
  }

 private:
  void run() {
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [this] { return pending_ || stopping_; });
        if (stopping_) return;
      }
      std::exception_ptr error;
      try {
        prepare();
      } catch (...) {
        error = std::current_exception();
      }
      {
        std::lock_guard<std::mutex> lock(mutex_);
        pending_ = false;
        prepared_ = true;
        error_ = error;
      }
      changed_.notify_all();
    }
  }

  // Runs outside the lock: start() and take() leave samples_, count_ and the buffers alone
  // while a batch is pending.
  void prepare() {
    const size_t size = data_.input_size;
    if (!data_.bytes.empty()) {
      for (int s = 0; s < count_; ++s) {
        std::memcpy(bytes_.data() + s * size, data_.bytes.data() + samples_[s] * size, size);
      }
      augmenter_.apply(bytes_.data(), ready_.data(), count_, rng_, 1);
    } else {
      for (int s = 0; s < count_; ++s) {
        std::memcpy(ready_.data() + s * size, data_.floats.data() + samples_[s] * size,
                    sizeof(float) * size);
      }
      augmenter_.apply(ready_.data(), ready_.data(), count_, rng_, 1);
    }
  }

  const Dataset& data_;
  const Augmenter& augmenter_;
  Rng& rng_;
  std::vector<uint8_t> bytes_;
  std::vector<float> ready_;
  std::mutex mutex_;
  std::condition_variable changed_;
  const uint32_t* samples_ = nullptr;  // guarded by mutex_ while no batch is pending
  int count_ = 0;
  bool pending_ = false;   // started, not prepared yet
  bool prepared_ = false;  // prepared, not taken yet
  bool stopping_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace

Evaluation evaluate_model(Model& model, const Dataset& data, LossKind loss, int batch_size,
                          TrainListener* listener, ThreadPool* pool) {
  Network& network = model.network();
  data.check("valid", network.input_size());
  check_targets(data, "valid", network, loss);
  Workspace& ws = model.train_workspace();
  network.prepare(ws, std::min(batch_size, data.n), false, pool);
  const int capacity = std::min(ws.capacity, batch_size);
  double total = 0.0;
  int correct = 0;
  for (int first = 0; first < data.n; first += capacity) {
    if (listener != nullptr && listener->cancelled()) break;
    const int count = std::min(capacity, data.n - first);
    data.load_inputs(nullptr, first, count, network.input(ws), pool);
    network.forward(ws, count, false, nullptr, network.layer_count() - 1);
    total += batch_loss(network, ws, data, nullptr, first, count, loss, false, &correct) * count;
  }
  Evaluation result;
  result.loss = total / data.n;
  result.accuracy = loss == LossKind::kCategoricalCrossentropy
                        ? static_cast<double>(correct) / data.n
                        : std::nan("");
  return result;
}

TrainOutcome train_model(Model& model, const Dataset& train, const Dataset* valid,
                         const TrainOptions& options, TrainListener& listener,
                         std::vector<EpochRecord>* records) {
  Network& network = model.network();
  const TrainSpec& spec = options.spec;
  const int last = network.layer_count() - 1;

  // Step 1: check the data, the loss and the options before any work.
  train.check("train", network.input_size());
  check_targets(train, "train", network, spec.loss);
  if (valid != nullptr) {
    valid->check("valid", network.input_size());
    check_targets(*valid, "valid", network, spec.loss);
  }
  const bool fused = spec.loss == LossKind::kCategoricalCrossentropy;
  if (fused) {
    const Layer& output = network.layer(last);
    LAMINA_CHECK(output.nonlinearity() == Nonlinearity::kSoftmax,
                 "categorical_crossentropy needs a softmax output layer, but the last layer '",
                 output.name, "' has nonlinearity '", nonlinearity_name(output.nonlinearity()),
                 "'; use nonlinearity 'softmax' on the output layer or the squared_error loss");
  }
  LAMINA_CHECK(options.epochs >= 0, "epochs: expected an integer >= 0 but received ",
               options.epochs);
  LAMINA_CHECK(options.learning_rates.empty() ||
                   options.learning_rates.size() == static_cast<size_t>(options.epochs),
               "learningRates: expected one learning rate per epoch (", options.epochs,
               ") but received ", options.learning_rates.size());

  // Step 2: the threads of this run, and buffers sized once for the batch size.
  const int n = train.n;
  const int batch_size = std::min(spec.batch_size, n);
  const int batches = (n + batch_size - 1) / batch_size;
  ThreadPool pool(get_num_threads());
  Workspace& ws = model.train_workspace();
  network.prepare(ws, batch_size, true, &pool);
  struct Detach {
    Workspace& ws;
    ~Detach() { ws.pool = nullptr; }
  } detach{ws};
  std::vector<uint32_t> order(n);

  // The weights that penalties apply to.
  struct Range {
    size_t offset, size;
  };
  std::vector<Range> penalized;
  for (int i = 0; i < network.layer_count(); ++i) {
    for (const ParamView& view : network.layer(i).param_views()) {
      if (view.penalized) penalized.push_back({network.param_offset(i) + view.offset, view.size});
    }
  }
  const bool penalties = spec.l1 != 0.0 || spec.l2 != 0.0;

  // Augmentation: batches prepared one ahead on a thread of their own.
  std::unique_ptr<Augmenter> augmenter;
  std::unique_ptr<BatchFeed> feed;
  if (spec.augment.enabled) {
    const AugmentSpec& augment = spec.augment;
    const size_t image = static_cast<size_t>(augment.channels) * augment.height * augment.width;
    LAMINA_CHECK(image == network.input_size(), "augment: the image shape ", augment.channels,
                 " x ", augment.height, " x ", augment.width, " = ", image, " values does not "
                 "match the network's input size ", network.input_size());
    augmenter = std::make_unique<Augmenter>(augment.options, augment.channels, augment.height,
                                            augment.width);
    feed = std::make_unique<BatchFeed>(train, *augmenter, model.augment_rng(), batch_size);
  }

  for (int e = 0; e < options.epochs; ++e) {
    const int epoch = options.first_epoch + e;
    const double lr =
        options.learning_rates.empty() ? spec.update.learning_rate : options.learning_rates[e];
    const Clock::time_point start = Clock::now();
    Clock::time_point last_tick = start;

    // Step 3: the epoch's order.
    std::iota(order.begin(), order.end(), 0u);
    if (spec.shuffle) model.shuffle_rng().shuffle(order.data(), static_cast<uint32_t>(n));

    // Step 4: the batches; with augmentation, batch b + 1 is prepared while b trains.
    double loss_sum = 0.0;
    long samples = 0;
    if (feed) feed->start(order.data(), std::min(batch_size, n));
    for (int b = 0; b < batches; ++b) {
      if (listener.cancelled()) return TrainOutcome::kCancelled;
      const int first = b * batch_size;
      const int count = std::min(batch_size, n - first);
      const uint32_t* batch_order = order.data() + first;

      if (feed) {
        feed->take(network.input(ws));
        const int next = first + batch_size;
        if (next < n) feed->start(order.data() + next, std::min(batch_size, n - next));
      } else {
        train.load_inputs(batch_order, 0, count, network.input(ws), &pool);
      }
      if (options.transform_batches) {
        BatchView view;
        view.epoch = epoch;
        view.batch = b + 1;
        view.batches = batches;
        view.count = count;
        view.input_size = network.input_size();
        view.samples = batch_order;
        view.x = network.input(ws);
        listener.transform_batch(view);
      }
      network.forward(ws, count, true, &model.dropout_rng(), last);
      double objective =
          batch_loss(network, ws, train, batch_order, 0, count, spec.loss, true, nullptr);
      if (penalties) {
        for (const Range& range : penalized) {
          objective += weight_penalty(network.params().data() + range.offset, range.size,
                                      spec.l1, spec.l2);
        }
      }
      if (!std::isfinite(objective)) {
        throw Error(error_message("training diverged: the loss is ",
                                  std::isnan(objective) ? "NaN" : "infinite", " at epoch ",
                                  epoch, ", batch ", b + 1, " of ", batches,
                                  " (learning rate ", lr, "); try a smaller learning rate, "
                                  "inputs scaled to small values, or a different update rule"));
      }

      network.backward(ws, count, fused);
      if (penalties) {
        for (const Range& range : penalized) {
          add_penalty_gradient(network.params().data() + range.offset,
                               network.grads().data() + range.offset, range.size, spec.l1,
                               spec.l2);
        }
      }
      model.optimizer().step(spec.update, lr, network.params().data(), network.grads().data(),
                             network.params().size(), &pool);

      loss_sum += objective * count;
      samples += count;
      const Clock::time_point now = Clock::now();
      // Throttled, but the last batch of an epoch always reports, so that a short epoch is
      // heard too and a progress bar ends full.
      if (b + 1 == batches || std::chrono::duration<double, std::milli>(now - last_tick).count() >=
          options.progress_interval_ms) {
        last_tick = now;
        ProgressTick tick;
        tick.epoch = epoch;
        tick.batch = b + 1;
        tick.batches = batches;
        tick.samples = samples;
        tick.train_loss = loss_sum / samples;
        tick.samples_per_second = samples / std::max(1e-9, seconds_since(start));
        listener.on_progress(tick);
      }
    }

    // Step 5: validation and the epoch's record.
    EpochRecord record;
    record.epoch = epoch;
    record.train_loss = loss_sum / samples;
    record.valid_loss = std::nan("");
    record.valid_accuracy = std::nan("");
    if (valid != nullptr) {
      Evaluation evaluation =
          evaluate_model(model, *valid, spec.loss, batch_size, &listener, &pool);
      if (listener.cancelled()) return TrainOutcome::kCancelled;
      record.valid_loss = evaluation.loss;
      record.valid_accuracy = evaluation.accuracy;
    }
    record.seconds = seconds_since(start);
    if (records != nullptr) records->push_back(record);
    if (!listener.on_epoch(record)) return TrainOutcome::kStopped;
  }
  return TrainOutcome::kCompleted;
}

}  // namespace lamina
