#!/usr/bin/env python3
"""Optuna's side of the tuning benchmark (bench/tune/run.ts starts it).

    /usr/bin/python3 bench/tune/optuna_peer.py TRIALS SEEDS ASK_HISTORY

Prints JSON: for each problem and sampler (tpe, random), the best value
after each trial for every seed; and the mean seconds per ask (ask plus the
suggestions of the mixed problem) with ASK_HISTORY complete trials.
"""
import json
import math
import os
import sys
import time
import warnings

import optuna

warnings.simplefilter("ignore")  # Optuna 5.0's FutureWarnings about deprecated TPE options

optuna.logging.set_verbosity(optuna.logging.ERROR)
HERE = os.path.dirname(os.path.abspath(__file__))
PROBLEMS = json.load(open(os.path.join(HERE, "problems.json")))["problems"]

A6 = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P6 = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
      [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]
ALPHA6 = [1.0, 1.2, 3.0, 3.2]
OPT_COST = {"sgd": 1.0, "adam": 0.0, "rmsprop": 0.3, "adagrad": 0.8}


def value(name, p):
    if name == "branin":
        x1, x2 = p["x1"], p["x2"]
        b, c, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
        return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10
    if name == "hartmann6":
        x = [p[f"x{i}"] for i in range(6)]
        return -sum(ALPHA6[i] * math.exp(-sum(A6[i][j] * (x[j] - P6[i][j] * 1e-4) ** 2 for j in range(6))) for i in range(4))
    if name == "rosenbrock4":
        x = [p[f"x{i}"] for i in range(4)]
        return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(3))
    if name == "mixed":
        return ((math.log10(p["lr"]) + 3) ** 2 / 4 + (math.log2(p["units"]) - 7) ** 2 / 9
                + (p["layers"] - 3) ** 2 / 4 + 10 * (p["dropout"] - 0.2) ** 2 + OPT_COST[p["optimizer"]])
    raise ValueError(name)


def suggest(trial, spec):
    k = spec["kind"]
    if k == "float":
        if spec.get("log"):
            return trial.suggest_float(spec["name"], spec["low"], spec["high"], log=True)
        if "step" in spec:
            return trial.suggest_float(spec["name"], spec["low"], spec["high"], step=spec["step"])
        return trial.suggest_float(spec["name"], spec["low"], spec["high"])
    if k == "int":
        return trial.suggest_int(spec["name"], spec["low"], spec["high"], log=bool(spec.get("log")))
    return trial.suggest_categorical(spec["name"], spec["choices"])


def run(problem, sampler, trials):
    study = optuna.create_study(sampler=sampler)
    study.optimize(lambda t: value(problem["name"], {s["name"]: suggest(t, s) for s in problem["params"]}), n_trials=trials)
    best, out = math.inf, []
    for t in study.trials:
        if t.value is not None:
            best = min(best, t.value)
        out.append(best)
    return out


def ask_time(history):
    mixed = next(p for p in PROBLEMS if p["name"] == "mixed")
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    study.optimize(lambda t: value("mixed", {s["name"]: suggest(t, s) for s in mixed["params"]}), n_trials=history)
    study.sampler = optuna.samplers.TPESampler(seed=0)
    n, start = 10, time.perf_counter()
    for _ in range(n):
        t = study.ask()
        v = value("mixed", {s["name"]: suggest(t, s) for s in mixed["params"]})
        study.tell(t, v)
    return (time.perf_counter() - start) / n


if __name__ == "__main__":
    trials, seeds, history = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    results = {}
    for problem in PROBLEMS:
        results[problem["name"]] = {
            "tpe": [run(problem, optuna.samplers.TPESampler(seed=s), trials) for s in range(seeds)],
            "random": [run(problem, optuna.samplers.RandomSampler(seed=s), trials) for s in range(seeds)],
        }
    print(json.dumps({"version": optuna.__version__, "results": results, "askSeconds": ask_time(history) if history > 0 else None}))
