#include "native/optim/updates.h"

#include <algorithm>
#include <cmath>

#include "native/core/errors.h"
#include "native/core/simd.h"

namespace lamina {
namespace {

struct Named {
  const char* name;
  UpdateRule rule;
};

constexpr Named kRules[] = {
    {"sgd", UpdateRule::kSgd},           {"momentum", UpdateRule::kMomentum},
    {"nesterov_momentum", UpdateRule::kNesterovMomentum},
    {"adagrad", UpdateRule::kAdagrad},   {"rmsprop", UpdateRule::kRmsprop},
    {"adadelta", UpdateRule::kAdadelta}, {"adam", UpdateRule::kAdam},
    {"adamax", UpdateRule::kAdamax},
};

// Parameters per piece of work when a step is split over a pool.
constexpr size_t kBlock = 1 << 15;

}  // namespace

UpdateRule parse_update_rule(const std::string& name, const std::string& context) {
  for (const Named& entry : kRules) {
    if (name == entry.name) return entry.rule;
  }
  std::string valid;
  for (const Named& entry : kRules) {
    valid += std::string(valid.empty() ? "'" : ", '") + entry.name + "'";
  }
  throw Error(error_message(context, ": expected one of ", valid, " for rule but received '",
                            name, "'"));
}

const char* update_rule_name(UpdateRule rule) {
  for (const Named& entry : kRules) {
    if (entry.rule == rule) return entry.name;
  }
  return "unknown";
}

void Optimizer::reset() {
  has_state_ = false;
  first_.clear();
  second_.clear();
  t_ = 0;
}

LAMINA_VECTORIZE void Optimizer::step(const UpdateSpec& spec, double lr, float* params,
                                      const float* grads, size_t count, ThreadPool* pool) {
  // Step 1: state for this rule, fresh when the rule or the parameter count changed.
  if (!has_state_ || rule_ != spec.rule || count_ != count) {
    reset();
    has_state_ = true;
    rule_ = spec.rule;
    count_ = count;
    if (spec.rule != UpdateRule::kSgd) first_.assign(count, 0.0f);
    if (spec.rule == UpdateRule::kAdadelta || spec.rule == UpdateRule::kAdam ||
        spec.rule == UpdateRule::kAdamax) {
      second_.assign(count, 0.0f);
    }
  }
  ++t_;

  // Step 2: the rule, element by element, one loop per rule so that each vectorises.
  const double mu = spec.momentum, rho = spec.rho, eps = spec.epsilon;
  const double b1 = spec.beta1, b2 = spec.beta2;
  const double t = static_cast<double>(t_);
  const double adam_lr = lr * std::sqrt(1.0 - std::pow(b2, t)) / (1.0 - std::pow(b1, t));
  const double adamax_lr = lr / (1.0 - std::pow(b1, t));
  float* first = first_.data();
  float* second = second_.data();
  const int blocks = static_cast<int>((count + kBlock - 1) / kBlock);
  parallel_for(blocks > 1 ? pool : nullptr, blocks, [&](int block, int) {
    const size_t begin = block * kBlock, end = std::min(count, (block + 1) * kBlock);
    float* p = params;
    const float* g = grads;
    switch (spec.rule) {
      case UpdateRule::kSgd:
        for (size_t i = begin; i < end; ++i) p[i] = static_cast<float>(p[i] - lr * g[i]);
        return;
      case UpdateRule::kMomentum:
        for (size_t i = begin; i < end; ++i) {
          const double v = mu * first[i] - lr * g[i];
          first[i] = static_cast<float>(v);
          p[i] = static_cast<float>(p[i] + v);
        }
        return;
      case UpdateRule::kNesterovMomentum:
        for (size_t i = begin; i < end; ++i) {
          const double v = mu * first[i] - lr * g[i];
          first[i] = static_cast<float>(v);
          p[i] = static_cast<float>(p[i] + mu * v - lr * g[i]);
        }
        return;
      case UpdateRule::kAdagrad:
        for (size_t i = begin; i < end; ++i) {
          const double a = first[i] + static_cast<double>(g[i]) * g[i];
          first[i] = static_cast<float>(a);
          p[i] = static_cast<float>(p[i] - lr * g[i] / std::sqrt(a + eps));
        }
        return;
      case UpdateRule::kRmsprop:
        for (size_t i = begin; i < end; ++i) {
          const double a = rho * first[i] + (1.0 - rho) * g[i] * g[i];
          first[i] = static_cast<float>(a);
          p[i] = static_cast<float>(p[i] - lr * g[i] / std::sqrt(a + eps));
        }
        return;
      case UpdateRule::kAdadelta:
        for (size_t i = begin; i < end; ++i) {
          const double a = rho * first[i] + (1.0 - rho) * g[i] * g[i];
          const double d = second[i];
          const double u = g[i] * std::sqrt(d + eps) / std::sqrt(a + eps);
          first[i] = static_cast<float>(a);
          second[i] = static_cast<float>(rho * d + (1.0 - rho) * u * u);
          p[i] = static_cast<float>(p[i] - lr * u);
        }
        return;
      case UpdateRule::kAdam:
        for (size_t i = begin; i < end; ++i) {
          const double m = b1 * first[i] + (1.0 - b1) * g[i];
          const double v = b2 * second[i] + (1.0 - b2) * g[i] * g[i];
          first[i] = static_cast<float>(m);
          second[i] = static_cast<float>(v);
          p[i] = static_cast<float>(p[i] - adam_lr * m / (std::sqrt(v) + eps));
        }
        return;
      case UpdateRule::kAdamax:
        for (size_t i = begin; i < end; ++i) {
          const double m = b1 * first[i] + (1.0 - b1) * g[i];
          const double u = std::max(b2 * second[i], std::fabs(static_cast<double>(g[i])));
          first[i] = static_cast<float>(m);
          second[i] = static_cast<float>(u);
          p[i] = static_cast<float>(p[i] - adamax_lr * m / (u + eps));
        }
        return;
    }
  });
}

double update_reference(const UpdateSpec& spec, double lr, double p, double g, double* first,
                        double* second, int64_t step) {
  const double t = static_cast<double>(step);
  switch (spec.rule) {
    case UpdateRule::kSgd:
      return p - lr * g;
    case UpdateRule::kMomentum:
      *first = spec.momentum * *first - lr * g;
      return p + *first;
    case UpdateRule::kNesterovMomentum:
      *first = spec.momentum * *first - lr * g;
      return p + spec.momentum * *first - lr * g;
    case UpdateRule::kAdagrad:
      *first += g * g;
      return p - lr * g / std::sqrt(*first + spec.epsilon);
    case UpdateRule::kRmsprop:
      *first = spec.rho * *first + (1 - spec.rho) * g * g;
      return p - lr * g / std::sqrt(*first + spec.epsilon);
    case UpdateRule::kAdadelta: {
      *first = spec.rho * *first + (1 - spec.rho) * g * g;
      double u = g * std::sqrt(*second + spec.epsilon) / std::sqrt(*first + spec.epsilon);
      *second = spec.rho * *second + (1 - spec.rho) * u * u;
      return p - lr * u;
    }
    case UpdateRule::kAdam: {
      *first = spec.beta1 * *first + (1 - spec.beta1) * g;
      *second = spec.beta2 * *second + (1 - spec.beta2) * g * g;
      double a = lr * std::sqrt(1 - std::pow(spec.beta2, t)) / (1 - std::pow(spec.beta1, t));
      return p - a * *first / (std::sqrt(*second) + spec.epsilon);
    }
    case UpdateRule::kAdamax: {
      *first = spec.beta1 * *first + (1 - spec.beta1) * g;
      *second = std::max(spec.beta2 * *second, std::fabs(g));
      return p - lr / (1 - std::pow(spec.beta1, t)) * *first / (*second + spec.epsilon);
    }
  }
  return p;
}

}  // namespace lamina
