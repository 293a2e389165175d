// Losses and weight penalties. Shapes: N samples, C classes or outputs of one sample.
//   categorical cross-entropy, fused with the softmax of the output layer: from the
//     pre-activations z [N, C] and the softmax outputs y [N, C], per sample
//     loss = logsumexp(z) - z[label]; gradient with respect to z: y - onehot(label)
//   squared error: (y - t)^2 for every output; gradient 2 (y - t)
//   penalties on weights W (never biases): l1 * sum |W| + l2 * sum W^2;
//     gradient l1 * sign(W) + 2 l2 W
#pragma once

#include <cstddef>
#include <cstdint>

namespace lamina {

// Returns the sum over the n samples of the loss; when dz is not null writes
// dz = (y - onehot) * grad_scale. Labels must lie in [0, classes).
double softmax_crossentropy(const float* z, const float* y, const int32_t* labels, int n,
                            int classes, float* dz, double grad_scale);

// Returns the sum over count values of (y - t)^2; when dy is not null writes
// dy = 2 (y - t) * grad_scale.
double squared_error(const float* y, const float* t, size_t count, float* dy,
                     double grad_scale);

// l1 * sum |w| + l2 * sum w^2.
double weight_penalty(const float* w, size_t count, double l1, double l2);

// g += l1 * sign(w) + 2 l2 w (sign(0) = 0).
void add_penalty_gradient(const float* w, float* g, size_t count, double l1, double l2);

// How many of the n rows of y [N, C] have their first maximum at the label.
int count_correct(const float* y, const int32_t* labels, int n, int classes);

}  // namespace lamina
