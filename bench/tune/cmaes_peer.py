#!/usr/bin/env python3
"""Optuna's side of the CMA-ES benchmark (bench/tune/cmaes.ts starts it):
CmaEsSampler (with Debian's python3-cmaes) on the tuning problems.

    /usr/bin/python3 bench/tune/cmaes_peer.py TRIALS SEEDS

Prints JSON: for each problem, the best value after each trial for every seed.
"""
import json
import sys
import warnings

import optuna

from optuna_peer import PROBLEMS, run

warnings.simplefilter("ignore")  # ExperimentalWarning and the independent-sampling notes
optuna.logging.set_verbosity(optuna.logging.ERROR)

if __name__ == "__main__":
    trials, seeds = int(sys.argv[1]), int(sys.argv[2])
    results = {p["name"]: [run(p, optuna.samplers.CmaEsSampler(seed=s), trials) for s in range(seeds)] for p in PROBLEMS}
    print(json.dumps({"version": optuna.__version__, "results": results}))
