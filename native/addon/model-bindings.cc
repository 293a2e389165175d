// Bindings of the training core: class NativeModel.
//
//   new NativeModel(specJson, seed)
//   getParams() -> [{ layer, name, shape, values: Float32Array }]
//   setParams([{ layer, name, values }])
//   train({ spec: trainSpecJson, x, y, n, validX?, validY?, validN?, firstEpoch, epochs,
//           learningRates?: Float64Array, progressIntervalMs, transformBatches?: boolean,
//           onEvent(kind, data) })
//     -> Promise<{ records, outcome: 'completed' | 'stopped' | 'cancelled' }>
//     onEvent('epoch', record) returns false to stop after that epoch;
//     onEvent('progress', tick) is throttled;
//     onEvent('batch', { x, y, epoch, batch, batches, count }) with transformBatches: x is a
//       copy of the training batch (after scaling and augmentation), y a copy of its labels
//       or targets; it returns the Float32Array of x.length values to train on (x itself
//       after changes in place), anything else stops training.
//   abort()          stops a running train() between batches
//   predict({ x, n, layer, batchSize }) -> Promise<Float32Array>
//   resetUpdates(), dispose()
//
// Training runs on a thread of its own (std::thread) and talks to JavaScript through a
// thread-safe function; prediction runs on the libuv pool (AsyncWorker). Every piece of state
// lives in the model object, none is static, so the addon loads in several worker threads.
#include "native/addon/model-bindings.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "native/addon/guard.h"
#include "native/train/model.h"
#include "native/train/trainer.h"

namespace lamina_addon {
namespace {

struct TrainJob;

// A typed array of the caller, held by a reference while a background thread copies it into
// native memory: copying 47 MB of MNIST on the main thread would stall the event loop.
struct PendingArray {
  napi_typedarray_type type = napi_uint8_array;
  const void* data = nullptr;
  size_t length = 0;  // elements
  Napi::Reference<Napi::Value> hold;
};

// The arrays of one dataset, read on the main thread, copied on the thread that uses them.
struct PendingDataset {
  PendingArray x, y;
  bool has_y = false;

  // Copies the arrays into data (on any thread).
  void copy_into(lamina::Dataset& data) const {
    if (x.type == napi_uint8_array) {
      const auto* bytes = static_cast<const uint8_t*>(x.data);
      data.bytes.assign(bytes, bytes + x.length);
    } else {
      const auto* floats = static_cast<const float*>(x.data);
      data.floats.assign(floats, floats + x.length);
    }
    if (!has_y) return;
    if (y.type == napi_int32_array) {
      const auto* labels = static_cast<const int32_t*>(y.data);
      data.labels.assign(labels, labels + y.length);
    } else {
      const auto* targets = static_cast<const float*>(y.data);
      data.targets.assign(targets, targets + y.length);
    }
  }

  // Drops the references (main thread only).
  void release() {
    x.hold.Reset();
    y.hold.Reset();
  }
};


// State shared by the model object and its running jobs. The flags are touched on the main
// thread only.
struct ModelState {
  std::unique_ptr<lamina::Model> model;
  bool training = false;
  bool in_epoch_callback = false;
  int predicting = 0;
  std::shared_ptr<TrainJob> job;
};

// A message from the training thread to JavaScript.
struct TrainMessage {
  bool is_epoch = false;
  lamina::EpochRecord record;
  lamina::ProgressTick tick;
  lamina::BatchView* batch = nullptr;  // a batch to transform (the training thread waits)
};

void call_js(Napi::Env env, Napi::Function callback, TrainJob* job, TrainMessage* message);
using TrainFunction = Napi::TypedThreadSafeFunction<TrainJob, TrainMessage, call_js>;

struct TrainJob : lamina::TrainListener {
  std::shared_ptr<ModelState> state;
  lamina::Dataset train, valid;
  PendingDataset pending_train, pending_valid;
  bool has_valid = false;
  lamina::TrainOptions options;
  std::atomic<bool> cancel{false};
  Napi::Promise::Deferred deferred;
  TrainFunction function;
  std::thread thread;
  napi_env env = nullptr;

  // The answer of JavaScript to an epoch record.
  std::mutex mutex;
  std::condition_variable answered;
  bool has_answer = false;
  bool answer = true;
  bool closing = false;

  // Results, written by the training thread before it releases the function.
  std::vector<lamina::EpochRecord> records;
  lamina::TrainOutcome outcome = lamina::TrainOutcome::kCompleted;
  bool failed = false;
  bool out_of_memory = false;
  std::string error;

  explicit TrainJob(Napi::Env env_) : deferred(Napi::Promise::Deferred::New(env_)), env(env_) {}

  void reply(bool value) {
    std::lock_guard<std::mutex> lock(mutex);
    has_answer = true;
    answer = value;
    answered.notify_all();
  }

  bool on_epoch(const lamina::EpochRecord& record) override {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (closing) return false;
      has_answer = false;
    }
    auto* message = new TrainMessage();
    message->is_epoch = true;
    message->record = record;
    if (function.BlockingCall(message) != napi_ok) {
      delete message;
      return false;
    }
    std::unique_lock<std::mutex> lock(mutex);
    answered.wait(lock, [this] { return has_answer || closing; });
    return has_answer && answer && !cancel.load();
  }

  // Hands the batch to JavaScript and waits until it has been transformed in place.
  void transform_batch(lamina::BatchView& view) override {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (closing) {
        cancel = true;
        return;
      }
      has_answer = false;
    }
    auto* message = new TrainMessage();
    message->batch = &view;
    if (function.BlockingCall(message) != napi_ok) {
      delete message;
      cancel = true;
      return;
    }
    std::unique_lock<std::mutex> lock(mutex);
    answered.wait(lock, [this] { return has_answer || closing; });
    if (!(has_answer && answer)) cancel = true;
  }

  void on_progress(const lamina::ProgressTick& tick) override {
    auto* message = new TrainMessage();
    message->tick = tick;
    if (function.NonBlockingCall(message) != napi_ok) delete message;
  }

  bool cancelled() override { return cancel.load(std::memory_order_relaxed); }
};

Napi::Object record_object(Napi::Env env, const lamina::EpochRecord& record) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("epoch", record.epoch);
  out.Set("trainLoss", record.train_loss);
  out.Set("validLoss", record.valid_loss);
  out.Set("validAccuracy", record.valid_accuracy);
  out.Set("seconds", record.seconds);
  return out;
}

// The batch of a 'batch' event: a copy of its inputs and of its labels or targets.
Napi::Object batch_object(Napi::Env env, const TrainJob& job, const lamina::BatchView& view) {
  Napi::Object out = Napi::Object::New(env);
  const size_t values = static_cast<size_t>(view.count) * view.input_size;
  Napi::Float32Array x = Napi::Float32Array::New(env, values);
  std::memcpy(x.Data(), view.x, sizeof(float) * values);
  out.Set("x", x);
  const lamina::Dataset& data = job.train;
  if (!data.labels.empty()) {
    Napi::Int32Array y = Napi::Int32Array::New(env, view.count);
    for (int s = 0; s < view.count; ++s) y[s] = data.labels[view.samples[s]];
    out.Set("y", y);
  } else {
    const size_t outputs = data.targets.size() / std::max(1, data.n);
    Napi::Float32Array y = Napi::Float32Array::New(env, view.count * outputs);
    for (int s = 0; s < view.count; ++s) {
      std::memcpy(y.Data() + s * outputs, data.targets.data() + view.samples[s] * outputs,
                  sizeof(float) * outputs);
    }
    out.Set("y", y);
  }
  out.Set("epoch", view.epoch);
  out.Set("batch", view.batch);
  out.Set("batches", view.batches);
  out.Set("count", view.count);
  return out;
}

// Runs the 'batch' event and copies the batch JavaScript returns back (the training thread
// waits for the answer, so its buffer may be written here); false stops training.
bool transform_in_js(Napi::Env env, Napi::Function callback, TrainJob* job,
                     lamina::BatchView& view) {
  try {
    Napi::Value result =
        callback.Call({Napi::String::New(env, "batch"), batch_object(env, *job, view)});
    const size_t values = static_cast<size_t>(view.count) * view.input_size;
    if (!result.IsTypedArray()) return false;
    Napi::TypedArray array = result.As<Napi::TypedArray>();
    if (array.TypedArrayType() != napi_float32_array || array.ElementLength() != values) {
      return false;
    }
    std::memcpy(view.x, result.As<Napi::Float32Array>().Data(), sizeof(float) * values);
    return true;
  } catch (const Napi::Error&) {
    return false;
  }
}

void deliver(Napi::Env env, Napi::Function callback, TrainJob* job, TrainMessage* message) {
  std::unique_ptr<TrainMessage> owned(message);
  if (env == nullptr || job == nullptr) {
    if (job != nullptr && (owned->is_epoch || owned->batch != nullptr)) job->reply(false);
    return;
  }
  if (owned->batch != nullptr) {
    job->reply(transform_in_js(env, callback, job, *owned->batch));
    return;
  }
  if (!owned->is_epoch) {
    const lamina::ProgressTick& tick = owned->tick;
    Napi::Object out = Napi::Object::New(env);
    out.Set("epoch", tick.epoch);
    out.Set("batch", tick.batch);
    out.Set("batches", tick.batches);
    out.Set("samples", static_cast<double>(tick.samples));
    out.Set("trainLoss", tick.train_loss);
    out.Set("samplesPerSecond", tick.samples_per_second);
    try {
      callback.Call({Napi::String::New(env, "progress"), out});
    } catch (const Napi::Error&) {
      job->cancel = true;
    }
    return;
  }
  // The training thread waits for this answer, so parameters may be read and written here.
  bool keep_going = false;
  job->state->in_epoch_callback = true;
  try {
    Napi::Value result =
        callback.Call({Napi::String::New(env, "epoch"), record_object(env, owned->record)});
    keep_going = !(result.IsBoolean() && !result.As<Napi::Boolean>().Value());
  } catch (const Napi::Error&) {
    keep_going = false;
  }
  job->state->in_epoch_callback = false;
  job->reply(keep_going);
}

// Called on the JavaScript thread for each message of the training thread. Nothing may escape
// it: an exception leaving a thread-safe function's callback terminates the process. While an
// environment is torn down (a worker thread ending) even creating an object throws; the
// training is then cancelled and a waiting training thread released.
void call_js(Napi::Env env, Napi::Function callback, TrainJob* job, TrainMessage* message) {
  try {
    deliver(env, callback, job, message);
  } catch (...) {
    if (job != nullptr) {
      job->cancel = true;
      job->reply(false);
    }
  }
}

// Environment teardown (a worker thread ending): stop the training thread and release a
// pending epoch answer, so that joining it cannot hang.
void cancel_on_teardown(void* data) {
  auto* job = static_cast<TrainJob*>(data);
  job->cancel = true;
  std::lock_guard<std::mutex> lock(job->mutex);
  job->closing = true;
  job->answered.notify_all();
}

void finish_training(Napi::Env env, TrainJob* raw_job, TrainJob*) {
  std::shared_ptr<TrainJob> job = raw_job->state->job;
  if (job->thread.joinable()) job->thread.join();
  napi_remove_env_cleanup_hook(job->env, cancel_on_teardown, job.get());
  job->pending_train.release();
  job->pending_valid.release();
  job->state->training = false;
  job->state->job.reset();
  if (job->closing) return;
  try {
    if (job->failed) {
      Napi::Error error = job->out_of_memory ? Napi::RangeError::New(env, job->error)
                                             : Napi::Error::New(env, job->error);
      job->deferred.Reject(error.Value());
      return;
    }
    Napi::Object result = Napi::Object::New(env);
    Napi::Array records = Napi::Array::New(env, job->records.size());
    for (size_t i = 0; i < job->records.size(); ++i) {
      records.Set(static_cast<uint32_t>(i), record_object(env, job->records[i]));
    }
    result.Set("records", records);
    const char* outcome = job->outcome == lamina::TrainOutcome::kCompleted ? "completed"
                          : job->outcome == lamina::TrainOutcome::kStopped ? "stopped"
                                                                           : "cancelled";
    result.Set("outcome", outcome);
    job->deferred.Resolve(result);
  } catch (const Napi::Error&) {
    // The environment is going away; nobody is left to hear the result.
  }
}

PendingArray pending_array(const Napi::Value& value, const char* name, napi_typedarray_type first,
                           napi_typedarray_type second, const char* expected) {
  if (value.IsTypedArray()) {
    Napi::TypedArray array = value.As<Napi::TypedArray>();
    napi_typedarray_type type = array.TypedArrayType();
    if (type == first || type == second) {
      PendingArray pending;
      pending.type = type;
      pending.length = array.ElementLength();
      void* data = nullptr;
      napi_status status = napi_get_typedarray_info(value.Env(), value, nullptr, nullptr, &data,
                                                    nullptr, nullptr);
      if (status != napi_ok) throw Napi::Error::New(value.Env(), "cannot read " + std::string(name));
      pending.data = data;
      pending.hold = Napi::Persistent(value);
      return pending;
    }
  }
  throw Napi::TypeError::New(value.Env(), std::string("expected ") + expected + " for " + name);
}

PendingDataset read_dataset(const Napi::Object& options, const char* x_name, const char* y_name,
                            const char* n_name, size_t input_size, lamina::Dataset& data) {
  data.n = int_option(options, n_name);
  data.input_size = input_size;
  PendingDataset pending;
  pending.x = pending_array(options.Get(x_name), x_name, napi_uint8_array, napi_float32_array,
                            "a Uint8Array or Float32Array");
  Napi::Value y = options.Get(y_name);
  pending.has_y = !y.IsUndefined() && !y.IsNull();
  if (pending.has_y) {
    pending.y = pending_array(y, y_name, napi_int32_array, napi_float32_array,
                              "an Int32Array or Float32Array");
  }
  return pending;
}

class PredictWorker : public Napi::AsyncWorker {
 public:
  PredictWorker(Napi::Env env, std::shared_ptr<ModelState> state, lamina::Dataset data,
                PendingDataset pending, int layer, int batch_size)
      : Napi::AsyncWorker(env, "lamina-predict"),
        deferred_(Napi::Promise::Deferred::New(env)),
        state_(std::move(state)),
        data_(std::move(data)),
        pending_(std::move(pending)),
        layer_(layer),
        batch_size_(batch_size) {}

  ~PredictWorker() override { pending_.release(); }

  Napi::Promise promise() const { return deferred_.Promise(); }

  void Execute() override {
    try {
      pending_.copy_into(data_);
      // Checked before the output is sized: n comes from JavaScript and may be anything.
      data_.check("predict data", state_->model->network().input_size());
      const size_t out_size = state_->model->network().layer(layer_).out_size;
      output_.resize(static_cast<size_t>(data_.n) * out_size);
      state_->model->predict(data_, layer_, batch_size_, output_.data());
    } catch (const std::bad_alloc&) {
      SetError("lamina: out of memory in the native core while predicting");
    } catch (const std::exception& error) {
      SetError(error.what());
    }
  }

  void OnOK() override {
    --state_->predicting;
    try {
      Napi::Float32Array out = Napi::Float32Array::New(Env(), output_.size());
      std::memcpy(out.Data(), output_.data(), sizeof(float) * output_.size());
      deferred_.Resolve(out);
    } catch (const Napi::Error&) {
      // The environment is going away; nobody is left to hear the result.
    }
  }

  void OnError(const Napi::Error& error) override {
    --state_->predicting;
    try {
      deferred_.Reject(error.Value());
    } catch (const Napi::Error&) {
      // As above.
    }
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::shared_ptr<ModelState> state_;
  lamina::Dataset data_;
  PendingDataset pending_;
  int layer_, batch_size_;
  std::vector<float> output_;
};

class NativeModel : public Napi::ObjectWrap<NativeModel> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "NativeModel",
                       {
                           InstanceMethod<&NativeModel::GetParams>("getParams"),
                           InstanceMethod<&NativeModel::SetParams>("setParams"),
                           InstanceMethod<&NativeModel::Train>("train"),
                           InstanceMethod<&NativeModel::Abort>("abort"),
                           InstanceMethod<&NativeModel::Predict>("predict"),
                           InstanceMethod<&NativeModel::ResetUpdates>("resetUpdates"),
                           InstanceMethod<&NativeModel::Dispose>("dispose"),
                           InstanceMethod<&NativeModel::IsTraining>("isTraining"),
                       });
  }

  explicit NativeModel(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeModel>(info) {
    Napi::Env env = info.Env();
    guard(env, [&]() -> Napi::Value {
      if (info.Length() < 2 || !info[0].IsString() || !info[1].IsNumber()) {
        throw Napi::TypeError::New(env, "NativeModel(specJson, seed) expects a string and a "
                                        "number");
      }
      std::string json = info[0].As<Napi::String>().Utf8Value();
      uint32_t seed = info[1].As<Napi::Number>().Uint32Value();
      state_ = std::make_shared<ModelState>();
      state_->model = std::make_unique<lamina::Model>(lamina::parse_network_spec(json), seed);
      return env.Undefined();
    });
  }

  ~NativeModel() override {
    if (state_ != nullptr && state_->job != nullptr) state_->job->cancel = true;
  }

 private:
  ModelState& live(Napi::Env env) {
    if (state_ == nullptr) {
      throw Napi::Error::New(env, "this model was disposed; create a new one");
    }
    return *state_;
  }

  // Parameters may be touched when no training runs, or from an epoch callback.
  ModelState& idle(Napi::Env env, const char* what) {
    ModelState& state = live(env);
    if (state.training && !state.in_epoch_callback) {
      throw Napi::Error::New(env, std::string("cannot ") + what +
                                      " while the model trains; do it from onEpoch or after "
                                      "train() settles");
    }
    return state;
  }

  Napi::Value GetParams(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    return guard(env, [&]() -> Napi::Value {
      ModelState& state = idle(env, "read parameters");
      const lamina::Network& network = state.model->network();
      Napi::Array out = Napi::Array::New(env);
      uint32_t index = 0;
      for (int i = 0; i < network.layer_count(); ++i) {
        for (const lamina::ParamView& view : network.layer(i).param_views()) {
          Napi::Object param = Napi::Object::New(env);
          param.Set("layer", network.layer(i).name);
          param.Set("name", view.name);
          Napi::Array shape = Napi::Array::New(env, view.shape.size());
          for (size_t d = 0; d < view.shape.size(); ++d) {
            shape.Set(static_cast<uint32_t>(d), view.shape[d]);
          }
          param.Set("shape", shape);
          Napi::Float32Array values = Napi::Float32Array::New(env, view.size);
          std::memcpy(values.Data(),
                      network.params().data() + network.param_offset(i) + view.offset,
                      sizeof(float) * view.size);
          param.Set("values", values);
          out.Set(index++, param);
        }
      }
      return out;
    });
  }

  Napi::Value SetParams(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    return guard(env, [&]() -> Napi::Value {
      ModelState& state = idle(env, "set parameters");
      if (state.predicting > 0) {
        throw Napi::Error::New(env, "cannot set parameters while predict() runs on this model; "
                                    "wait for it to settle");
      }
      if (info.Length() < 1 || !info[0].IsArray()) {
        throw Napi::TypeError::New(env, "setParams expects an array of parameters");
      }
      lamina::Network& network = state.model->network();
      Napi::Array params = info[0].As<Napi::Array>();

      // Step 1: check every entry before changing anything.
      struct Target {
        float* destination;
        Napi::Float32Array values;
      };
      std::vector<Target> targets;
      for (uint32_t k = 0; k < params.Length(); ++k) {
        Napi::Value entry = params.Get(k);
        if (!entry.IsObject()) {
          throw Napi::TypeError::New(env, "setParams: expected an object for params[" +
                                              std::to_string(k) + "]");
        }
        Napi::Object param = entry.As<Napi::Object>();
        std::string layer_name = param.Get("layer").ToString().Utf8Value();
        std::string name = param.Get("name").ToString().Utf8Value();
        int layer = network.find_layer(layer_name);
        if (layer < 0) {
          throw Napi::RangeError::New(env, "setParams: the network has no layer named '" +
                                               layer_name + "'");
        }
        const lamina::ParamView* found = nullptr;
        std::vector<lamina::ParamView> views = network.layer(layer).param_views();
        for (const lamina::ParamView& view : views) {
          if (view.name == name) found = &view;
        }
        if (found == nullptr) {
          throw Napi::RangeError::New(env, "setParams: layer '" + layer_name +
                                               "' has no parameter '" + name + "'");
        }
        Napi::Float32Array values = float32_arg(param.Get("values"), "values");
        if (values.ElementLength() != found->size) {
          throw Napi::RangeError::New(
              env, "setParams: expected " + std::to_string(found->size) + " values for " +
                       layer_name + "." + name + " but received " +
                       std::to_string(values.ElementLength()));
        }
        targets.push_back({network.params().data() + network.param_offset(layer) +
                               found->offset, values});
      }

      // Step 2: copy.
      for (Target& target : targets) {
        std::memcpy(target.destination, target.values.Data(),
                    sizeof(float) * target.values.ElementLength());
      }
      return env.Undefined();
    });
  }

  Napi::Value Train(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    return guard(env, [&]() -> Napi::Value {
      ModelState& state = live(env);
      if (state.training) {
        throw Napi::Error::New(env, "this model is already training; wait for the running "
                                    "train() to settle before calling it again");
      }
      if (state.predicting > 0) {
        throw Napi::Error::New(env, "cannot train while predict() runs on this model; wait "
                                    "for it to settle");
      }
      if (info.Length() < 1 || !info[0].IsObject()) {
        throw Napi::TypeError::New(env, "train expects an options object");
      }
      Napi::Object options = info[0].As<Napi::Object>();
      Napi::Value on_event = options.Get("onEvent");
      if (!on_event.IsFunction()) {
        throw Napi::TypeError::New(env, "train: expected a function for onEvent");
      }

      // Step 1: read and check everything on this thread; the data is copied once.
      auto job = std::make_shared<TrainJob>(env);
      job->state = state_;
      const size_t inputs = state.model->network().input_size();
      job->options.spec = lamina::parse_train_spec(options.Get("spec").ToString().Utf8Value());
      job->options.first_epoch = int_option(options, "firstEpoch");
      job->options.epochs = int_option(options, "epochs");
      job->options.progress_interval_ms =
          options.Get("progressIntervalMs").ToNumber().DoubleValue();
      job->options.transform_batches = options.Get("transformBatches").ToBoolean().Value();
      Napi::Value rates = options.Get("learningRates");
      if (rates.IsTypedArray() &&
          rates.As<Napi::TypedArray>().TypedArrayType() == napi_float64_array) {
        Napi::Float64Array array = rates.As<Napi::Float64Array>();
        job->options.learning_rates.assign(array.Data(), array.Data() + array.ElementLength());
      } else if (!rates.IsUndefined() && !rates.IsNull()) {
        throw Napi::TypeError::New(env, "train: expected a Float64Array for learningRates");
      }
      job->pending_train = read_dataset(options, "x", "y", "n", inputs, job->train);
      job->has_valid = !options.Get("validX").IsUndefined() && !options.Get("validX").IsNull();
      if (job->has_valid) {
        job->pending_valid = read_dataset(options, "validX", "validY", "validN", inputs, job->valid);
      }

      // Step 2: the channel back to JavaScript, then the training thread.
      job->function = TrainFunction::New(env, on_event.As<Napi::Function>(), "lamina-train", 0, 1,
                                         job.get(), finish_training, job.get());
      napi_add_env_cleanup_hook(env, cancel_on_teardown, job.get());
      state.training = true;
      state.job = job;
      TrainJob* raw = job.get();
      raw->thread = std::thread([raw] {
        try {
          raw->pending_train.copy_into(raw->train);
          if (raw->has_valid) raw->pending_valid.copy_into(raw->valid);
          raw->outcome = lamina::train_model(*raw->state->model, raw->train,
                                             raw->has_valid ? &raw->valid : nullptr,
                                             raw->options, *raw, &raw->records);
        } catch (const std::bad_alloc&) {
          raw->failed = true;
          raw->out_of_memory = true;
          raw->error = "lamina: out of memory in the native core while training";
        } catch (const std::exception& error) {
          raw->failed = true;
          raw->error = error.what();
        }
        // The data is no longer needed; free it before JavaScript hears the result.
        raw->train = lamina::Dataset();
        raw->valid = lamina::Dataset();
        raw->function.Release();
      });
      return job->deferred.Promise();
    });
  }

  Napi::Value Abort(const Napi::CallbackInfo& info) {
    if (state_ != nullptr && state_->job != nullptr) state_->job->cancel = true;
    return info.Env().Undefined();
  }

  Napi::Value IsTraining(const Napi::CallbackInfo& info) {
    return Napi::Boolean::New(info.Env(), state_ != nullptr && state_->training);
  }

  Napi::Value Predict(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    return guard(env, [&]() -> Napi::Value {
      ModelState& state = live(env);
      if (state.training) {
        throw Napi::Error::New(env, "cannot predict while the model trains; wait for train() "
                                    "to settle");
      }
      if (info.Length() < 1 || !info[0].IsObject()) {
        throw Napi::TypeError::New(env, "predict expects an options object");
      }
      Napi::Object options = info[0].As<Napi::Object>();
      const lamina::Network& network = state.model->network();
      lamina::Dataset data;
      PendingDataset pending = read_dataset(options, "x", "y", "n", network.input_size(), data);
      int layer = network.layer_count() - 1;
      Napi::Value layer_name = options.Get("layer");
      if (layer_name.IsString()) {
        layer = network.find_layer(layer_name.As<Napi::String>().Utf8Value());
        if (layer < 0) {
          throw Napi::RangeError::New(env, "predict: the network has no layer named '" +
                                               layer_name.As<Napi::String>().Utf8Value() + "'");
        }
      }
      int batch_size = int_option(options, "batchSize");
      if (batch_size < 1) throw Napi::RangeError::New(env, "predict: batchSize must be >= 1");
      auto* worker =
          new PredictWorker(env, state_, std::move(data), std::move(pending), layer, batch_size);
      Napi::Promise promise = worker->promise();
      ++state.predicting;
      worker->Queue();
      return promise;
    });
  }

  Napi::Value ResetUpdates(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    return guard(env, [&]() -> Napi::Value {
      idle(env, "reset the updates").model->reset_updates();
      return env.Undefined();
    });
  }

  Napi::Value Dispose(const Napi::CallbackInfo& info) {
    if (state_ != nullptr && state_->job != nullptr) state_->job->cancel = true;
    state_.reset();
    return info.Env().Undefined();
  }

  std::shared_ptr<ModelState> state_;
};

}  // namespace

void InitModel(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeModel", NativeModel::Define(env));
}

}  // namespace lamina_addon
