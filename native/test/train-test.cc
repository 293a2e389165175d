// Losses, update rules, initialisation, spec parsing, and the network and trainer as a whole.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <string>
#include <vector>

#include "native/core/rng.h"
#include "native/core/thread-pool.h"
#include "native/core/threading.h"
#include "native/layers/init.h"
#include "native/loss/loss.h"
#include "native/optim/updates.h"
#include "native/test/harness.h"
#include "native/train/model.h"
#include "native/train/spec.h"
#include "native/train/trainer.h"

namespace {

const char* kSmallCnn = R"({"layers": [
  {"kind": "input", "name": "input", "inputShape": [36], "outputShape": [36]},
  {"kind": "reshape", "name": "image", "inputShape": [36], "outputShape": [1, 6, 6]},
  {"kind": "conv2d", "name": "conv", "inputShape": [1, 6, 6], "outputShape": [3, 6, 6],
   "numFilters": 3, "filterSize": [3, 3], "stride": [1, 1], "pad": [1, 1],
   "nonlinearity": "tanh", "W": {"kind": "glorot_uniform", "gain": 1},
   "b": {"kind": "uniform", "low": -0.1, "high": 0.1}},
  {"kind": "avgpool2d", "name": "pool", "inputShape": [3, 6, 6], "outputShape": [3, 3, 3],
   "poolSize": [2, 2], "stride": [2, 2], "pad": [0, 0], "ignoreBorder": true,
   "includePadding": true},
  {"kind": "flatten", "name": "flat", "inputShape": [3, 3, 3], "outputShape": [27]},
  {"kind": "dropout", "name": "drop", "inputShape": [27], "outputShape": [27], "p": 0.0},
  {"kind": "dense", "name": "hidden", "inputShape": [27], "outputShape": [5], "numUnits": 5,
   "nonlinearity": "sigmoid", "W": {"kind": "he_normal", "gain": 1}, "b": null},
  {"kind": "dense", "name": "output", "inputShape": [5], "outputShape": [3], "numUnits": 3,
   "nonlinearity": "softmax", "W": {"kind": "glorot_uniform", "gain": 1},
   "b": {"kind": "constant", "value": 0}}
]})";

const char* kTrainSpec = R"({"loss": "categorical_crossentropy", "l1": 0, "l2": 0.001,
  "batchSize": 4, "shuffle": true, "update": {"rule": "nesterov_momentum", "learningRate": 0.1,
  "momentum": 0.9, "rho": 0.9, "epsilon": 1e-6, "beta1": 0.9, "beta2": 0.999}})";

lamina::Dataset random_dataset(int n, size_t inputs, int classes, uint32_t seed) {
  lamina::Rng rng(seed);
  lamina::Dataset data;
  data.n = n;
  data.input_size = inputs;
  data.floats.resize(n * inputs);
  for (float& value : data.floats) value = rng.uniform() * 2.0f - 1.0f;
  for (int i = 0; i < n; ++i) data.labels.push_back(static_cast<int32_t>(rng.below(classes)));
  return data;
}

struct Listener : lamina::TrainListener {
  int epochs = 0, ticks = 0;
  int cancel_after_ticks = -1;
  bool on_epoch(const lamina::EpochRecord&) override { return ++epochs < 1000; }
  void on_progress(const lamina::ProgressTick&) override { ++ticks; }
  bool cancelled() override { return cancel_after_ticks >= 0 && ticks >= cancel_after_ticks; }
};

// The objective of one batch through the network (data loss only), in double.
double batch_objective(lamina::Model& model, const lamina::Dataset& data, int n) {
  lamina::Network& network = model.network();
  lamina::Workspace ws;
  network.prepare(ws, n, false, nullptr);
  data.load_inputs(nullptr, 0, n, network.input(ws));
  network.forward(ws, n, false, nullptr, network.layer_count() - 1);
  const float* z = network.output_preactivation(ws, n);
  const float* y = network.output(ws, network.layer_count() - 1);
  return lamina::softmax_crossentropy(z, y, data.labels.data(), n, 3, nullptr, 1.0) / n;
}

}  // namespace

LAMINA_TEST(crossentropy_value_and_gradient) {
  // z = [1, 2, 3], label 2: loss = log(e + e^2 + e^3) - 3
  std::vector<float> z = {1, 2, 3, 1000, 0, -1000}, y = z;
  lamina::activation_forward(lamina::Nonlinearity::kSoftmax, y.data(), 2, 3);
  std::vector<int32_t> labels = {2, 1};
  std::vector<float> dz(6);
  double total = lamina::softmax_crossentropy(z.data(), y.data(), labels.data(), 2, 3, dz.data(),
      0.5);
  double first = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0)) - 3.0;
  // the second sample is stable at huge logits: loss = 1000 - 0
  EXPECT_TRUE(std::fabs(total - (first + 1000.0)) < 1e-4, "total ", total);
  std::vector<float> expected = {y[0] * 0.5f, y[1] * 0.5f, (y[2] - 1) * 0.5f, 0.5f, -0.5f, 0.0f};
  EXPECT_CLOSE(dz.data(), expected.data(), 6, 1e-7, "(softmax - onehot) * scale");

  std::vector<float> out = {1, 2}, target = {0, 4}, dy(2);
  double squared = lamina::squared_error(out.data(), target.data(), 2, dy.data(), 0.5);
  EXPECT_TRUE(squared == 5.0, "squared error ", squared);
  std::vector<float> dy_expected = {1, -2};
  EXPECT_CLOSE(dy.data(), dy_expected.data(), 2, 0.0, "2 (y - t) * scale");

  std::vector<float> w = {-2, 0, 3}, g = {0, 0, 0};
  EXPECT_TRUE(std::fabs(lamina::weight_penalty(w.data(), 3, 0.1, 0.01) - (0.5 + 0.13)) < 1e-12,
      "penalty");
  lamina::add_penalty_gradient(w.data(), g.data(), 3, 0.1, 0.01);
  std::vector<float> g_expected = {-0.1f - 0.04f, 0.0f, 0.1f + 0.06f};
  EXPECT_CLOSE(g.data(), g_expected.data(), 3, 1e-7, "penalty gradient");
}

LAMINA_TEST(update_rules_hand_computed_two_steps) {
  // p = 1, g = 0.5 twice, lr = 0.1; the expected values are worked out by hand from the rules.
  struct Case {
    lamina::UpdateRule rule;
    double step1, step2;
  };
  const double s = 0.5 / std::sqrt(0.25 + 1e-6);  // g / sqrt(g^2 + eps)
  const Case cases[] = {
      {lamina::UpdateRule::kSgd, 0.95, 0.9},
      {lamina::UpdateRule::kMomentum, 0.95, 0.855},            // v = -0.05, -0.095
      {lamina::UpdateRule::kNesterovMomentum, 0.905, 0.7695},  // p + mu v - lr g
      {lamina::UpdateRule::kAdagrad, 1 - 0.1 * s, 1 - 0.1 * s - 0.1 * 0.5 / std::sqrt(0.5 + 1e-6)},
      // rmsprop rho 0.9: a = 0.025, then 0.0475
      {lamina::UpdateRule::kRmsprop, 1 - 0.05 / std::sqrt(0.025 + 1e-6),
       1 - 0.05 / std::sqrt(0.025 + 1e-6) - 0.05 / std::sqrt(0.0475 + 1e-6)},
      // adam: first step moves by lr (m_hat = g, v_hat = g^2); second step too (constant g)
      {lamina::UpdateRule::kAdam, 1 - 0.1 * 0.5 / (0.5 + 1e-8 / std::sqrt(1 - 0.999) * (1 - 0.9)),
       0.0},
      // adamax: u = |g|, m / (1 - b1) = g: the step is lr g / (|g| + eps)
      {lamina::UpdateRule::kAdamax, 1 - 0.1 * 0.5 / (0.5 + 1e-8),
          1 - 2 * 0.1 * 0.5 / (0.5 + 1e-8)},
  };
  for (const Case& t : cases) {
    lamina::UpdateSpec spec;
    spec.rule = t.rule;
    spec.momentum = 0.9, spec.rho = 0.9, spec.epsilon = t.rule == lamina::UpdateRule::kAdam ||
                                                            t.rule == lamina::UpdateRule::kAdamax
                                                        ? 1e-8
                                                        : 1e-6;
    spec.beta1 = 0.9, spec.beta2 = 0.999;
    lamina::Optimizer optimizer;
    float p = 1.0f;
    const float g = 0.5f;
    optimizer.step(spec, 0.1, &p, &g, 1);
    float first = p;
    optimizer.step(spec, 0.1, &p, &g, 1);
    const char* name = lamina::update_rule_name(t.rule);
    if (t.rule == lamina::UpdateRule::kAdam) {
      // adam, worked out: m1 = 0.05, v1 = 0.00025, lr_1 = 0.1 sqrt(0.001) / 0.1
      double lr1 = 0.1 * std::sqrt(1 - 0.999) / (1 - 0.9);
      double expected1 = 1 - lr1 * 0.05 / (std::sqrt(0.00025) + 1e-8);
      double m2 = 0.9 * 0.05 + 0.05, v2 = 0.999 * 0.00025 + 0.001 * 0.25;
      double lr2 = 0.1 * std::sqrt(1 - 0.999 * 0.999) / (1 - 0.81);
      double expected2 = expected1 - lr2 * m2 / (std::sqrt(v2) + 1e-8);
      EXPECT_TRUE(std::fabs(first - expected1) < 1e-6, name, " step 1: ", first, " vs ",
          expected1);
      EXPECT_TRUE(std::fabs(p - expected2) < 1e-6, name, " step 2: ", p, " vs ", expected2);
      continue;
    }
    EXPECT_TRUE(std::fabs(first - t.step1) < 1e-6, name, " step 1: ", first, " vs ", t.step1);
    EXPECT_TRUE(std::fabs(p - t.step2) < 1e-6, name, " step 2: ", p, " vs ", t.step2);
  }

  // adadelta rho 0.9, eps 1e-6, lr 1: a1 = 0.025, u1 = 0.5 sqrt(1e-6) / sqrt(0.025 + 1e-6)
  lamina::UpdateSpec spec;
  spec.rule = lamina::UpdateRule::kAdadelta;
  spec.rho = 0.9, spec.epsilon = 1e-6;
  lamina::Optimizer optimizer;
  float p = 1.0f;
  const float g = 0.5f;
  optimizer.step(spec, 1.0, &p, &g, 1);
  double u1 = 0.5 * std::sqrt(1e-6) / std::sqrt(0.025 + 1e-6);
  EXPECT_TRUE(std::fabs(p - (1 - u1)) < 1e-7, "adadelta step 1: ", p, " vs ", 1 - u1);
}

LAMINA_TEST(optimizer_matches_the_reference_over_steps) {
  const lamina::UpdateRule rules[] = {
      lamina::UpdateRule::kSgd,     lamina::UpdateRule::kMomentum,
          lamina::UpdateRule::kNesterovMomentum,
      lamina::UpdateRule::kAdagrad, lamina::UpdateRule::kRmsprop,  lamina::UpdateRule::kAdadelta,
      lamina::UpdateRule::kAdam,    lamina::UpdateRule::kAdamax};
  for (lamina::UpdateRule rule : rules) {
    lamina::UpdateSpec spec;
    spec.rule = rule;
    lamina::Rng rng(3);
    const int count = 20;
    std::vector<float> params(count);
    for (float& value : params) value = rng.uniform() - 0.5f;
    std::vector<double> reference(params.begin(), params.end()), first(count, 0.0), second(count,
        0.0);
    lamina::Optimizer optimizer;
    for (int step = 1; step <= 4; ++step) {
      const double lr = 0.05 / step;  // a learning rate that changes from step to step
      std::vector<float> grads(count);
      for (float& value : grads) value = rng.uniform() - 0.5f;
      optimizer.step(spec, lr, params.data(), grads.data(), count);
      for (int i = 0; i < count; ++i) {
        reference[i] = lamina::update_reference(spec, lr, reference[i], grads[i], &first[i],
            &second[i], step);
      }
    }
    std::vector<float> expected(reference.begin(), reference.end());
    // the optimizer keeps float32 state: agreement to float rounding
    EXPECT_CLOSE(params.data(), expected.data(), count, 1e-6, lamina::update_rule_name(rule));
  }
}

LAMINA_TEST(initialisation_follows_the_conventions) {
  lamina::InitSpec glorot;
  glorot.kind = lamina::InitKind::kGlorotUniform;
  glorot.gain = 2.0;
  std::vector<float> values(50);
  lamina::Rng rng(9, lamina::kStreamInit);
  lamina::init_fill(glorot, 30, 20, values.data(), values.size(), rng);
  lamina::Rng check(9, lamina::kStreamInit);
  const double limit = 2.0 * std::sqrt(6.0 / 50.0);
  for (float value : values) {
    float expected = static_cast<float>(-limit + 2 * limit * static_cast<double>(check.uniform()));
    EXPECT_TRUE(value == expected, value, " vs ", expected);
  }
  lamina::InitSpec he;
  he.kind = lamina::InitKind::kHeNormal;
  std::vector<float> normal(20000);
  lamina::init_fill(he, 50, 7, normal.data(), normal.size(), rng);
  double squares = 0.0;
  for (float value : normal) squares += static_cast<double>(value) * value;
  double std = std::sqrt(squares / normal.size());
  EXPECT_TRUE(std::fabs(std - std::sqrt(1.0 / 50)) < 0.005, "he_normal std ", std);
}

LAMINA_TEST(spec_errors_name_layer_field_and_value) {
  std::string spec = kSmallCnn;
  EXPECT_THROWS(lamina::parse_network_spec(std::string("{\"layers\": 3}")),
                "network spec: expected an array of at least 2 layers (input first) for layers "
                "but received 3 (number)");
  std::string bad_filters = spec;
  bad_filters.replace(bad_filters.find("\"numFilters\": 3"), 15, "\"numFilters\": 0");
  EXPECT_THROWS(lamina::parse_network_spec(bad_filters),
                "network spec, layer 2 ('conv'): expected an integer in [1, 1073741824] for "
                "numFilters but received 0 (number)");
  std::string bad_shape = spec;
  bad_shape.replace(bad_shape.find("\"outputShape\": [3, 3, 3]"), 24,
      "\"outputShape\": [3, 2, 3]");
  EXPECT_THROWS(lamina::parse_network_spec(bad_shape),
                "network spec, layer 3 ('pool'): expected outputShape [3, 3, 3] (computed from "
                "inputShape [3, 6, 6]) but received [3, 2, 3]");
  std::string missing = spec;
  missing.replace(missing.find("\"p\": 0.0"), 8, "\"q\": 0.0");
  EXPECT_THROWS(lamina::parse_network_spec(missing),
                "network spec, layer 5 ('drop'): expected a number in [0, 1] for p but received "
                "nothing");
  EXPECT_THROWS(lamina::parse_network_spec(std::string("{\"layers\": [1,")),
      "invalid JSON at offset 14");
  std::string train = kTrainSpec;
  train.replace(train.find("nesterov_momentum"), 17, "nesterov");
  EXPECT_THROWS(lamina::parse_train_spec(train),
                "train spec, update: expected one of 'sgd', 'momentum', 'nesterov_momentum'");
}

LAMINA_TEST(network_gradient_matches_finite_differences) {
  lamina::Model model(lamina::parse_network_spec(std::string(kSmallCnn)), 5);
  lamina::Network& network = model.network();
  const int n = 6;
  lamina::Dataset data = random_dataset(n, 36, 3, 4);

  // Analytic gradient of the mean cross-entropy (dropout p = 0: masks keep everything).
  lamina::Workspace ws;
  network.prepare(ws, n, true, nullptr);
  data.load_inputs(nullptr, 0, n, network.input(ws));
  network.forward(ws, n, true, &model.dropout_rng(), network.layer_count() - 1);
  const float* z = network.output_preactivation(ws, n);
  lamina::softmax_crossentropy(z, network.output(ws, network.layer_count() - 1),
      data.labels.data(), n,
                               3, network.output_gradient(ws), 1.0 / n);
  network.backward(ws, n, true);
  std::vector<float> analytic = network.grads();

  // Central differences in float32 with a step of 1e-2 on every parameter.
  std::vector<float>& params = network.params();
  std::vector<float> numeric(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    const float saved = params[i], h = 1e-3f;
    params[i] = saved + h;
    double up = batch_objective(model, data, n);
    params[i] = saved - h;
    double down = batch_objective(model, data, n);
    params[i] = saved;
    numeric[i] = static_cast<float>((up - down) / (2.0 * h));
  }
  // float32 forward passes (rounding ~1e-7 / h) and O(h^2) terms; average pooling keeps the
  // objective smooth (max pooling's routing is checked layer by layer)
  EXPECT_CLOSE(analytic.data(), numeric.data(), analytic.size(), 2e-3, "whole network");

  // The same gradient on one thread and on two is bit-identical (fixed chunking).
  for (int t : {1, 2}) {
    lamina::ThreadPool pool(t);
    lamina::Workspace again;
    network.prepare(again, n, true, &pool);
    data.load_inputs(nullptr, 0, n, network.input(again));
    lamina::Rng dropout(1, lamina::kStreamDropout);  // p = 0 keeps every element
    network.forward(again, n, true, &dropout, network.layer_count() - 1);
    lamina::softmax_crossentropy(network.output_preactivation(again, n),
                                 network.output(again, network.layer_count() - 1),
                                     data.labels.data(),
                                 n, 3, network.output_gradient(again), 1.0 / n);
    network.backward(again, n, true);
    EXPECT_CLOSE(network.grads().data(), analytic.data(), analytic.size(), 0.0,
                 lamina::error_message(t, " threads"));
  }
}

LAMINA_TEST(trainer_learns_reports_and_stops) {
  lamina::Model model(lamina::parse_network_spec(std::string(kSmallCnn)), 1);
  lamina::Dataset data = random_dataset(40, 36, 3, 2);
  lamina::TrainOptions options;
  options.spec = lamina::parse_train_spec(std::string(kTrainSpec));
  options.epochs = 30;
  options.progress_interval_ms = 0;
  Listener listener;
  std::vector<lamina::EpochRecord> records;
  lamina::TrainOutcome outcome = lamina::train_model(model, data, &data, options, listener,
      &records);
  EXPECT_TRUE(outcome == lamina::TrainOutcome::kCompleted, "outcome");
  EXPECT_TRUE(records.size() == 30 && listener.epochs == 30, "records ", records.size());
  EXPECT_TRUE(listener.ticks == 30 * 10, "ticks ", listener.ticks);
  // random labels: the network memorises 40 samples
  EXPECT_TRUE(records.back().train_loss < records.front().train_loss * 0.7, "loss ",
              records.front().train_loss, " -> ", records.back().train_loss);

  Listener cancelling;
  cancelling.cancel_after_ticks = 3;
  outcome = lamina::train_model(model, data, nullptr, options, cancelling, nullptr);
  EXPECT_TRUE(outcome == lamina::TrainOutcome::kCancelled && cancelling.ticks == 3,
      "cancel after ",
              cancelling.ticks);

  data.floats[5 * 36] = NAN;  // sample 5
  options.spec.shuffle = false;
  options.first_epoch = 7;
  EXPECT_THROWS(lamina::train_model(model, data, nullptr, options, listener, nullptr),
                "training diverged: the loss is NaN at epoch 7, batch 2 of 10");
}

LAMINA_TEST(thread_pool_runs_every_index_once_and_rethrows) {
  lamina::ThreadPool pool(3);
  EXPECT_TRUE(pool.size() == 3, "size ", pool.size());
  for (int job = 0; job < 200; ++job) {
    const int count = 1 + job % 37;
    std::vector<std::atomic<int>> visits(count);
    std::atomic<int> bad_thread{0};
    pool.run(count, [&](int index, int thread) {
      visits[index].fetch_add(1);
      if (thread < 0 || thread >= 3) bad_thread.fetch_add(1);
    });
    for (int i = 0; i < count; ++i) {
      EXPECT_TRUE(visits[i].load() == 1, "job ", job, " index ", i, " ran ", visits[i].load(),
                  " times");
    }
    EXPECT_TRUE(bad_thread.load() == 0, "thread index out of range");
  }
  EXPECT_THROWS(pool.run(10,
                         [](int index, int) {
                           if (index == 7) throw lamina::Error("piece 7 failed");
                         }),
                "piece 7 failed");
  int after = 0;
  pool.run(1, [&](int, int) { ++after; });
  EXPECT_TRUE(after == 1, "the pool works after an exception");
}

// Records the batches the trainer hands over, and can replace them with a constant.
struct BatchRecorder : Listener {
  std::vector<std::vector<float>> batches;
  std::vector<std::vector<uint32_t>> samples;
  float fill = -1.0f;  // >= 0: every batch becomes this value
  void transform_batch(lamina::BatchView& view) override {
    const size_t values = static_cast<size_t>(view.count) * view.input_size;
    batches.emplace_back(view.x, view.x + values);
    samples.emplace_back(view.samples, view.samples + view.count);
    if (fill >= 0.0f) std::fill(view.x, view.x + values, fill);
  }
};

LAMINA_TEST(trainer_augments_every_batch_in_order_from_the_model_generator) {
  // Bytes, so the trainer's scaling is part of what is compared.
  lamina::Dataset data = random_dataset(22, 36, 3, 5);
  data.bytes.resize(data.floats.size());
  for (size_t i = 0; i < data.floats.size(); ++i) {
    data.bytes[i] = static_cast<uint8_t>(static_cast<int>((data.floats[i] + 1.0f) * 127.0f));
  }
  data.floats.clear();
  lamina::TrainOptions options;
  options.spec = lamina::parse_train_spec(std::string(R"({"loss": "categorical_crossentropy",
    "l1": 0, "l2": 0, "batchSize": 8, "shuffle": true, "update": {"rule": "sgd",
    "learningRate": 0.1, "momentum": 0, "rho": 0.9, "epsilon": 1e-6, "beta1": 0.9,
    "beta2": 0.999}, "augment": {"options": {"elastic": {"alpha": 8, "sigma": 1.5},
    "affine": {"rotation": 20, "scale": [0.8, 1.2], "shear": 5, "translation": 1}},
    "channels": 1, "height": 6, "width": 6}})"));
  options.epochs = 2;
  options.transform_batches = true;

  // Two runs of the same seed, on 1 and 2 threads, see the same batches and end equal.
  std::vector<std::vector<float>> params;
  std::vector<BatchRecorder> recorders(2);
  const int threads = lamina::get_num_threads();
  for (int run = 0; run < 2; ++run) {
    lamina::set_num_threads(run + 1);
    lamina::Model model(lamina::parse_network_spec(std::string(kSmallCnn)), 9);
    lamina::train_model(model, data, nullptr, options, recorders[run], nullptr);
    params.push_back(model.network().params());
  }
  lamina::set_num_threads(threads);
  EXPECT_TRUE(params[0] == params[1], "same seed, same weights");
  EXPECT_TRUE(recorders[0].batches.size() == 6, "batches ", recorders[0].batches.size());

  // Each batch is the gathered bytes, augmented by Augmenter::apply from one generator
  // Rng(seed, augment) drawn batch after batch, across epochs.
  const lamina::AugmentSpec& augment = options.spec.augment;
  lamina::Augmenter augmenter(augment.options, 1, 6, 6);
  lamina::Rng rng(9, lamina::kStreamAugment);
  const BatchRecorder& seen = recorders[0];
  for (size_t b = 0; b < seen.batches.size(); ++b) {
    const std::vector<uint32_t>& samples = seen.samples[b];
    std::vector<uint8_t> bytes;
    for (uint32_t s : samples) {
      bytes.insert(bytes.end(), data.bytes.begin() + s * 36, data.bytes.begin() + (s + 1) * 36);
    }
    std::vector<float> expected(bytes.size());
    augmenter.apply(bytes.data(), expected.data(), static_cast<int>(samples.size()), rng);
    EXPECT_TRUE(seen.batches[b] == expected, "batch ", b + 1, " differs");
    EXPECT_TRUE(seen.batches[b] == recorders[1].batches[b], "batch ", b + 1, " per threads");
  }

  // What the listener writes is what trains: a constant batch with or without augmentation
  // gives the same weights.
  std::vector<std::vector<float>> constant;
  for (bool with_augment : {true, false}) {
    lamina::TrainOptions plain = options;
    plain.spec.augment.enabled = with_augment;
    BatchRecorder filling;
    filling.fill = 0.25f;
    lamina::Model model(lamina::parse_network_spec(std::string(kSmallCnn)), 9);
    lamina::train_model(model, data, nullptr, plain, filling, nullptr);
    constant.push_back(model.network().params());
  }
  EXPECT_TRUE(constant[0] == constant[1], "the transformed batch is what trains");

  // The spec parser checks the fields; the trainer checks the shape against the input.
  EXPECT_THROWS(lamina::parse_train_spec(std::string(R"({"loss": "squared_error", "l1": 0,
    "l2": 0, "batchSize": 8, "shuffle": true, "update": {"rule": "sgd", "learningRate": 0.1,
    "momentum": 0, "rho": 0.9, "epsilon": 1e-6, "beta1": 0.9, "beta2": 0.999}, "augment":
    {"options": {"elastic": {"alpha": -1, "sigma": 2}, "affine": null}, "channels": 1,
    "height": 6, "width": 6}})")),
                "train spec, augment, options, elastic: expected a number >= 0 for alpha but "
                "received -1");
  options.spec.augment.width = 5;
  lamina::Model model(lamina::parse_network_spec(std::string(kSmallCnn)), 9);
  Listener listener;
  EXPECT_THROWS(lamina::train_model(model, data, nullptr, options, listener, nullptr),
                "augment: the image shape 1 x 6 x 5 = 30 values does not match the network's "
                "input size 36");
}
