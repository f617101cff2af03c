#!/usr/bin/python3
"""W1, W2, W4, W5 and V2 in PyTorch (Debian's python3-torch, CPU), as the
typegrad workloads define them (bench/workloads/w1.ts ... w5.ts, v-typegrad.ts),
with --threads torch threads. Prints one JSON line: {"workload", "threads", "value", "unit", ...}.

    /usr/bin/python3 bench/torch/peers.py --workload W1 --threads 1
"""
import argparse
import gzip
import json
import os
import statistics
import time

import numpy as np
import torch

p = argparse.ArgumentParser()
p.add_argument("--workload", required=True, choices=["W1", "W2", "V2", "W4", "W5"])
p.add_argument("--threads", type=int, default=1)
p.add_argument("--quick", action="store_true")
p.add_argument("--data", default="")  # W1: a JSON file with trainX, trainY, features
p.add_argument("--dir", default="/usr/share/datasets/fashion-mnist")
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)


def calls_for(fn, min_seconds):
    """After one warm-up call, how many calls of fn last min_seconds (at least 1)."""
    fn()
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < min_seconds:
        fn()
        n += 1
    return max(1, n)


def median_time(fn, samples, min_seconds):
    """Median seconds per call over `samples` samples of enough calls to last min_seconds."""
    inner = calls_for(fn, min_seconds)
    out = []
    for _ in range(samples):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        out.append((time.perf_counter() - t0) / inner)
    return statistics.median(out)


samples = 5 if a.quick else 15
result = {"workload": a.workload, "threads": a.threads}

if a.workload == "W1":
    d = json.load(open(a.data))
    n, f = len(d["trainY"]), d["features"]
    x = torch.tensor(d["trainX"], dtype=torch.float32).reshape(n, f)
    y = torch.tensor(d["trainY"], dtype=torch.float32).reshape(n, 1)
    model = torch.nn.Linear(f, 1)
    torch.nn.init.zeros_(model.weight)
    torch.nn.init.zeros_(model.bias)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = torch.nn.BCELoss()

    def epoch():
        opt.zero_grad()
        loss = loss_fn(torch.sigmoid(model(x)), y)
        loss.backward()
        opt.step()
        return loss

    result.update(value=median_time(epoch, samples, 0.04) * 1e6, unit="us", case=f"epoch, {n}x{f}")

elif a.workload == "W4":
    x = torch.rand(1 << 20, dtype=torch.float32) * 8 - 4
    result.update(value=median_time(lambda: torch.tanh(x * 1.5 + 0.5) * torch.sigmoid(x), samples, 0.05) * 1e3, unit="ms", case="2^20 floats")

elif a.workload == "W5":
    w = torch.tensor(0.5, requires_grad=True)
    xs, ys = torch.tensor(2.0), torch.tensor(6.0)

    def step():
        global w
        loss = (w * xs - ys) ** 2
        (g,) = torch.autograd.grad(loss, w)
        with torch.no_grad():
            w = (w - 0.01 * g).requires_grad_()

    result.update(value=median_time(step, samples, 0.04) * 1e6, unit="us", case="one step")

elif a.workload == "V2":
    # Per-example gradients through the W2 MLP (functorch's vmap(grad), as torch.func names it since 2.0)
    # against one gradient of the batch's mean loss, timed in alternation; the ratio is the median of
    # per-round ratios, as bench/harness.ts measurePaired takes it.
    model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    try:  # torch 2: torch.func; torch 1.13 (Debian 12): functorch, with the module made functional
        from torch.func import functional_call, grad, vmap
        params = {k: v.detach() for k, v in model.named_parameters()}

        def apply(p, xs):
            return functional_call(model, p, (xs,))
    except ImportError:
        from functorch import grad, make_functional, vmap
        apply, params = make_functional(model)
    x, y = torch.randn(64, 784), torch.randint(0, 10, (64,))
    ce = torch.nn.functional.cross_entropy

    def loss_one(p, xi, yi):
        return ce(apply(p, xi[None]), yi[None])

    def loss_batch(p, xs, ys):
        return ce(apply(p, xs), ys)

    per_example, batch_grad = vmap(grad(loss_one), in_dims=(None, 0, 0)), grad(loss_batch)
    pe, g = per_example(params, x, y), batch_grad(params, x, y)
    pairs = zip(pe.values(), g.values()) if isinstance(g, dict) else zip(pe, g)
    err = max(float((e.mean(0) - b).abs().max()) for e, b in pairs)
    if err > 1e-5:
        raise SystemExit(f"V2: the mean per-example gradient is {err} from the batch gradient")

    one, per = (lambda: batch_grad(params, x, y)), (lambda: per_example(params, x, y))
    n_one, n_per = calls_for(one, 0.1), calls_for(per, 0.1)

    def timed(fn, n):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        return (time.perf_counter() - t0) / n

    ts_one, ts_per, ratios = [], [], []
    for r in range(5 if a.quick else 25):
        if r % 2 == 0:
            t1 = timed(one, n_one)
            t2 = timed(per, n_per)
        else:
            t2 = timed(per, n_per)
            t1 = timed(one, n_one)
        ts_one.append(t1)
        ts_per.append(t2)
        ratios.append(t2 / t1)
    result.update(value=statistics.median(ts_per) * 1e3, batch=statistics.median(ts_one) * 1e3,
                  ratio=statistics.median(ratios), unit="ms", case="per-example grads, batch 64 (vmap)")

else:  # W2: MLP 784-128-10, Adam 1e-3, batch 64, one epoch of Fashion-MNIST
    def idx(name, offset):
        path = os.path.join(a.dir, name)
        raw = gzip.open(path + ".gz").read() if os.path.exists(path + ".gz") else open(path, "rb").read()
        return np.frombuffer(raw, dtype=np.uint8, offset=offset)

    x = torch.tensor(idx("train-images-idx3-ubyte", 16).reshape(-1, 784), dtype=torch.float32) / 255
    y = torch.tensor(idx("train-labels-idx1-ubyte", 8), dtype=torch.int64)
    tx = torch.tensor(idx("t10k-images-idx3-ubyte", 16).reshape(-1, 784), dtype=torch.float32) / 255
    ty = torch.tensor(idx("t10k-labels-idx1-ubyte", 8), dtype=torch.int64)
    model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    steps = 100 if a.quick else (len(x) + 63) // 64
    order = torch.randperm(len(x))
    t0 = time.perf_counter()
    for i in range(steps):
        b = order[i * 64:(i + 1) * 64]
        opt.zero_grad()
        loss = loss_fn(model(x[b]), y[b])
        loss.backward()
        opt.step()
    seconds = time.perf_counter() - t0
    with torch.no_grad():
        acc = (model(tx).argmax(1) == ty).float().mean().item()
    result.update(value=seconds, unit="s", steps=steps, accuracy=acc)

print(json.dumps(result))
