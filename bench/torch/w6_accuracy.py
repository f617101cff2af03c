#!/usr/bin/python3
"""Test accuracy per epoch of the W6 CNN in PyTorch, trained as
examples/cnn-fashion-mnist.ts trains it: Adam with lr 1e-3 decaying to 0 along a
cosine over the run (stepped per batch), batches of 64 reshuffled every epoch (the
last one short), PyTorch's default initialisation. For comparing the example's
accuracy with PyTorch's on the same schedule.

    /usr/bin/python3 bench/torch/w6_accuracy.py --epochs 4 [--threads 1] [--seed 0]
"""
import argparse
import gzip
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("--epochs", type=int, default=4)
p.add_argument("--threads", type=int, default=1)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--dir", default="/usr/share/datasets/fashion-mnist")
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)


def idx(name, offset):
    path = os.path.join(a.dir, name)
    raw = gzip.open(path + ".gz").read() if os.path.exists(path + ".gz") else open(path, "rb").read()
    return np.frombuffer(raw, dtype=np.uint8, offset=offset)


def images(name):
    return torch.tensor(idx(name, 16).reshape(-1, 1, 28, 28), dtype=torch.float32) / 255


def labels(name):
    return torch.tensor(idx(name, 8), dtype=torch.int64)


x, y = images("train-images-idx3-ubyte"), labels("train-labels-idx1-ubyte")
tx, ty = images("t10k-images-idx3-ubyte"), labels("t10k-labels-idx1-ubyte")
model = nn.Sequential(
    nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10),
)
per_epoch = math.ceil(len(x) / 64)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: 0.5 * (1 + math.cos(math.pi * min(t, a.epochs * per_epoch) / (a.epochs * per_epoch))))
loss_fn = nn.CrossEntropyLoss()
for epoch in range(a.epochs):
    t0 = time.perf_counter()
    order = torch.randperm(len(x))
    total = 0.0
    model.train()
    for i in range(0, len(x), 64):
        b = order[i:i + 64]
        opt.zero_grad()
        loss = loss_fn(model(x[b]), y[b])
        loss.backward()
        opt.step()
        sched.step()
        total += loss.item()
    with torch.no_grad():
        acc = (model(tx).argmax(1) == ty).float().mean().item()
    print(f"Epoch {epoch + 1}/{a.epochs}: loss {total / per_epoch:.4f}, test accuracy {acc:.4f}, {time.perf_counter() - t0:.1f}s", flush=True)
