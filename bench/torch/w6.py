#!/usr/bin/python3
"""W6 in PyTorch: the CNN of examples/cnn-fashion-mnist.ts (conv 1->32 3x3 pad 1,
ReLU, max-pool 2, conv 32->64 3x3 pad 1, ReLU, max-pool 2, linear 3136->128, ReLU,
linear 128->10), Adam 1e-3, batch 64, on Fashion-MNIST, with --threads torch threads.

Trains --steps steps after --warmup steps (0 steps: a whole epoch of 938) and prints
one JSON line: {"threads", "steps", "seconds", "epoch_seconds"} where epoch_seconds is
the time scaled to 938 steps.

    /usr/bin/python3 bench/torch/w6.py --threads 1 --steps 100
"""
import argparse
import gzip
import json
import os
import time

import numpy as np
import torch
import torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("--threads", type=int, default=1)
p.add_argument("--steps", type=int, default=0)
p.add_argument("--warmup", type=int, default=10)
p.add_argument("--dir", default="/usr/share/datasets/fashion-mnist")
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)


def idx(name, offset):
    path = os.path.join(a.dir, name)
    raw = gzip.open(path + ".gz").read() if os.path.exists(path + ".gz") else open(path, "rb").read()
    return np.frombuffer(raw, dtype=np.uint8, offset=offset)


x = torch.tensor(idx("train-images-idx3-ubyte", 16).reshape(-1, 1, 28, 28), dtype=torch.float32) / 255
y = torch.tensor(idx("train-labels-idx1-ubyte", 8), dtype=torch.int64)
model = nn.Sequential(
    nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10),
)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
order = torch.randperm(len(x))
batches = [order[i:i + 64] for i in range(0, len(x), 64)]


def step(i):
    b = batches[i % len(batches)]
    opt.zero_grad()
    loss = loss_fn(model(x[b]), y[b])
    loss.backward()
    opt.step()
    return loss


for i in range(a.warmup):
    step(i)
steps = a.steps or len(batches)
t0 = time.perf_counter()
for i in range(steps):
    step(i)
seconds = time.perf_counter() - t0
print(json.dumps({"threads": a.threads, "steps": steps, "seconds": seconds, "epoch_seconds": seconds * len(batches) / steps}))
