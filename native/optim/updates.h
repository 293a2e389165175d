// Update rules with Lasagne's semantics (g gradient, p parameter, t step from 1):
//   sgd                p -= lr g
//   momentum           v = mu v - lr g; p += v
//   nesterov_momentum  v = mu v - lr g; p += mu v - lr g
//   adagrad            a += g^2; p -= lr g / sqrt(a + eps)
//   rmsprop            a = rho a + (1 - rho) g^2; p -= lr g / sqrt(a + eps)
//   adadelta           a = rho a + (1 - rho) g^2; u = g sqrt(d + eps) / sqrt(a + eps);
//                      p -= lr u; d = rho d + (1 - rho) u^2
//   adam               m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
//                      p -= lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)
//   adamax             m = b1 m + (1 - b1) g; u = max(b2 u, |g|);
//                      p -= lr / (1 - b1^t) m / (u + eps)
// Each element is computed in double and stored as float32. State (velocities, moments, t)
// persists across steps and train calls until reset() or a change of rule.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "native/core/thread-pool.h"

namespace lamina {

enum class UpdateRule {
  kSgd,
  kMomentum,
  kNesterovMomentum,
  kAdagrad,
  kRmsprop,
  kAdadelta,
  kAdam,
  kAdamax,
};

UpdateRule parse_update_rule(const std::string& name, const std::string& context);
const char* update_rule_name(UpdateRule rule);

struct UpdateSpec {
  UpdateRule rule = UpdateRule::kNesterovMomentum;
  double learning_rate = 0.01;
  double momentum = 0.9;
  double rho = 0.9;
  double epsilon = 1e-6;
  double beta1 = 0.9;
  double beta2 = 0.999;
};

class Optimizer {
 public:
  // Applies one step to count parameters with learning rate lr (spec.learning_rate ignored),
  // split over the pool when there is one.
  void step(const UpdateSpec& spec, double lr, float* params, const float* grads, size_t count,
            ThreadPool* pool = nullptr);

  // Drops the state: the next step starts fresh.
  void reset();

  int64_t steps() const { return t_; }

 private:
  bool has_state_ = false;
  UpdateRule rule_ = UpdateRule::kSgd;
  size_t count_ = 0;
  std::vector<float> first_, second_;
  int64_t t_ = 0;
};

// The plain scalar step of one element, in double: the reference of the rules, for tests.
// first and second are the element's state; t the step number (from 1).
double update_reference(const UpdateSpec& spec, double lr, double p, double g, double* first,
                        double* second, int64_t t);

}  // namespace lamina
