#!/usr/bin/env python3
"""Reference values for the tuning tests, computed with Optuna itself.

    /usr/bin/python3 scripts/tune-fixtures.py   # writes tests/tune/fixtures/{parzen,pruners}.json
    PYTHONPATH=OPTUNA5 /usr/bin/python3 scripts/tune-fixtures.py   # writes tests/tune/fixtures/parzen5.json

The first needs Debian's python3-optuna (3.1); the second an Optuna 5.0
source tree on PYTHONPATH (e.g. `git archive v5.0.0-rc1 optuna` of
github.com/optuna/optuna; it imports with Debian's Python 3.11 and NumPy).
parzen.json: Optuna's Parzen estimator
(weights, kernel centres and bandwidths, log densities at probe points) for
float/int/log/step/categorical spaces, univariate and multivariate.
pruners.json: whole studies run step by step through Optuna's pruners; every
report's should_prune answer is recorded, so the tests replay the same
studies through ours and compare each decision.
"""
import json
import math
import os

import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import default_weights
from optuna.samplers._tpe import _truncnorm

OPTUNA5 = int(optuna.__version__.split(".")[0]) >= 5

# Optuna 3.1's truncated-normal log density leaves out the -log(scale) term,
# so its Parzen "densities" are not normalised (optuna/optuna#5109, fixed in
# #5110, Optuna 3.5). Record both: logPdf with the upstream fix applied (what
# typegrad computes) and logPdf31 as 3.1 ships it.
_logpdf31 = _truncnorm.logpdf


def _logpdf_fixed(x, a, b, loc=0, scale=1):
    return _logpdf31(x, a, b, loc, scale) - np.log(scale)

optuna.logging.set_verbosity(optuna.logging.ERROR)
OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "tune", "fixtures")


def dist_json(d):
    if isinstance(d, CategoricalDistribution):
        return {"kind": "categorical", "choices": list(d.choices)}
    if isinstance(d, FloatDistribution):
        return {"kind": "float", "low": d.low, "high": d.high, "log": d.log, "step": d.step}
    return {"kind": "int", "low": d.low, "high": d.high, "log": d.log, "step": d.step}


def sample_internal(rng, d, n):
    if isinstance(d, CategoricalDistribution):
        return rng.randint(0, len(d.choices), size=n)
    if isinstance(d, FloatDistribution):
        if d.log:
            return np.exp(rng.uniform(np.log(d.low), np.log(d.high), size=n))
        if d.step is not None:
            k = rng.randint(0, int(round((d.high - d.low) / d.step)) + 1, size=n)
            return np.round(d.low + k * d.step, 10)
        return rng.uniform(d.low, d.high, size=n)
    if d.log:
        return np.clip(np.round(np.exp(rng.uniform(np.log(d.low), np.log(d.high), size=n))), d.low, d.high).astype(float)
    k = rng.randint(0, (d.high - d.low) // d.step + 1, size=n)
    return (d.low + k * d.step).astype(float)


# One space per kind of distribution, shared by the 3.1 and 5.0 estimator cases.
ONE_PARAM_SPACES = [
    {"x": FloatDistribution(-5.0, 10.0)},
    {"x": FloatDistribution(1e-5, 1e-1, log=True)},
    {"x": FloatDistribution(0.0, 1.0, step=0.1)},
    {"x": IntDistribution(1, 9)},
    {"x": IntDistribution(0, 20, step=4)},
    {"x": IntDistribution(1, 1024, log=True)},
    {"x": CategoricalDistribution(["sgd", "adam", "rmsprop"])},
]


def parzen_cases():
    rng = np.random.RandomState(0)
    spaces = ONE_PARAM_SPACES + [
        {"a": FloatDistribution(0.0, 1.0), "b": IntDistribution(1, 5), "c": CategoricalDistribution(["p", "q"])},
    ]
    cases = []
    for space in spaces:
        for n in (0, 1, 3, 12, 30):
            for endpoints in (False, True):
                multis = (False, True) if len(space) > 1 else (False,)
                for multivariate in multis:
                    obs = {k: sample_internal(rng, d, n).astype(float) for k, d in space.items()}
                    params = _ParzenEstimatorParameters(True, 1.0, True, endpoints, default_weights, multivariate)
                    if len(space) > 1 and not multivariate:
                        continue
                    pe = _ParzenEstimator(obs, space, params)
                    probes = {k: sample_internal(rng, d, 7) for k, d in space.items()}
                    logpdf31 = pe.log_pdf({k: v.copy() for k, v in probes.items()})
                    _truncnorm.logpdf = _logpdf_fixed
                    try:
                        logpdf = pe.log_pdf({k: v.copy() for k, v in probes.items()})
                    finally:
                        _truncnorm.logpdf = _logpdf31
                    cases.append({
                        "space": {k: dist_json(d) for k, d in space.items()},
                        "observations": {k: v.tolist() for k, v in obs.items()},
                        "considerEndpoints": endpoints,
                        "multivariate": multivariate,
                        "weights": pe._weights.tolist(),
                        "mus": {k: (None if v is None else v.tolist()) for k, v in pe._mus.items()},
                        "sigmas": {k: (None if v is None else v.tolist()) for k, v in pe._sigmas.items()},
                        "categoricalWeights": {k: (None if v is None else v.tolist()) for k, v in pe._categorical_weights.items()},
                        "probes": {k: v.tolist() for k, v in probes.items()},
                        "logPdf": logpdf.tolist(),
                        "logPdf31": logpdf31.tolist(),
                    })
    return cases


def parzen5_cases():
    """Optuna 5.0's estimator: neighbour bandwidths in both modes, the prior
    left out of the neighbours, true densities, log ints scored by cell mass."""
    rng = np.random.RandomState(5)
    spaces = ONE_PARAM_SPACES + [
        {"a": FloatDistribution(0.0, 1.0), "b": IntDistribution(1, 5), "c": CategoricalDistribution(["p", "q"]),
         "d": IntDistribution(2, 64, log=True), "e": FloatDistribution(1e-3, 1.0, log=True)},
    ]
    cases = []
    for space in spaces:
        for n in (0, 1, 2, 3, 12, 30):
            for endpoints in (False, True):
                multivariate = len(space) > 1
                obs = {k: sample_internal(rng, d, n).astype(float) for k, d in space.items()}
                params = _ParzenEstimatorParameters(1.0, True, endpoints, default_weights, multivariate)
                pe = _ParzenEstimator(obs, space, params)
                probes = {k: sample_internal(rng, d, 7) for k, d in space.items()}
                logpdf = pe.log_pdf({k: v.copy() for k, v in probes.items()})
                mix = pe._mixture_distribution
                dists = dict(zip(space.keys(), mix.distributions))
                cat = {k: isinstance(d, CategoricalDistribution) for k, d in space.items()}
                cases.append({
                    "space": {k: dist_json(d) for k, d in space.items()},
                    "observations": {k: v.tolist() for k, v in obs.items()},
                    "considerEndpoints": endpoints,
                    "multivariate": multivariate,
                    "weights": mix.weights.tolist(),
                    "mus": {k: (None if cat[k] else dists[k].mu.tolist()) for k in space},
                    "sigmas": {k: (None if cat[k] else dists[k].sigma.tolist()) for k in space},
                    "categoricalWeights": {k: (dists[k].weights.tolist() if cat[k] else None) for k in space},
                    "probes": {k: v.tolist() for k, v in probes.items()},
                    "logPdf": logpdf.tolist(),
                })
    return cases


def curves(rng, n_trials, n_steps, nan_rate=0.003, skip_rate=0.0):
    out = []
    for _ in range(n_trials):
        level = rng.uniform(0.2, 2.0)
        steps, values = [], []
        v = level
        for s in range(n_steps):
            if skip_rate and rng.rand() < skip_rate:
                continue
            v = v * rng.uniform(0.85, 1.02) + rng.normal(0, 0.02)
            steps.append(s)
            values.append(float("nan") if rng.rand() < nan_rate else float(v))
        out.append({"steps": steps, "values": values, "final": float(v)})
    return out


def make_pruner(spec):
    k, o = spec["kind"], spec.get("options", {})
    if k == "median":
        return optuna.pruners.MedianPruner(n_startup_trials=o.get("nStartupTrials", 5), n_warmup_steps=o.get("nWarmupSteps", 0), interval_steps=o.get("intervalSteps", 1), n_min_trials=o.get("nMinTrials", 1))
    if k == "percentile":
        return optuna.pruners.PercentilePruner(spec["percentile"], n_startup_trials=o.get("nStartupTrials", 5), n_warmup_steps=o.get("nWarmupSteps", 0), interval_steps=o.get("intervalSteps", 1), n_min_trials=o.get("nMinTrials", 1))
    if k == "successiveHalving":
        return optuna.pruners.SuccessiveHalvingPruner(min_resource=o.get("minResource", "auto"), reduction_factor=o.get("reductionFactor", 4), min_early_stopping_rate=o.get("minEarlyStoppingRate", 0), bootstrap_count=o.get("bootstrapCount", 0))
    if k == "hyperband":
        return optuna.pruners.HyperbandPruner(min_resource=o.get("minResource", 1), max_resource=o.get("maxResource", "auto"), reduction_factor=o.get("reductionFactor", 3), bootstrap_count=o.get("bootstrapCount", 0))
    raise ValueError(k)


def pruner_cases():
    specs = [
        {"kind": "median", "options": {}},
        {"kind": "median", "options": {"nStartupTrials": 2, "nWarmupSteps": 2, "intervalSteps": 3}},
        {"kind": "percentile", "percentile": 25.0, "options": {"nStartupTrials": 3}},
        {"kind": "percentile", "percentile": 75.0, "options": {"nStartupTrials": 1, "nMinTrials": 3, "intervalSteps": 2}},
        {"kind": "successiveHalving", "options": {}},
        {"kind": "successiveHalving", "options": {"minResource": 1, "reductionFactor": 2, "minEarlyStoppingRate": 1}},
        {"kind": "successiveHalving", "options": {"minResource": 2, "reductionFactor": 3, "bootstrapCount": 2}},
        {"kind": "hyperband", "options": {}},
        {"kind": "hyperband", "options": {"minResource": 1, "maxResource": 27, "reductionFactor": 3}},
        {"kind": "hyperband", "options": {"minResource": 2, "maxResource": 40, "reductionFactor": 2}},
    ]
    rng = np.random.RandomState(1)
    cases = []
    for spec in specs:
        for direction in ("minimize", "maximize"):
            skip = 0.2 if spec["kind"] in ("median", "percentile") else 0.0
            trials = curves(rng, 24, 30, skip_rate=skip)
            if direction == "maximize":
                for t in trials:
                    t["values"] = [-v for v in t["values"]]
                    t["final"] = -t["final"]
            name = f"fixture-{len(cases)}"
            study = optuna.create_study(direction=direction, pruner=make_pruner(spec), study_name=name)
            decisions = []
            for t in trials:
                trial = study.ask()
                d = []
                pruned = False
                for s, v in zip(t["steps"], t["values"]):
                    trial.report(v, s)
                    p = trial.should_prune()
                    d.append(bool(p))
                    if p:
                        pruned = True
                        break
                if pruned:
                    study.tell(trial, state=optuna.trial.TrialState.PRUNED)
                else:
                    study.tell(trial, t["final"])
                decisions.append(d)
            cases.append({"pruner": spec, "direction": direction, "studyName": name, "trials": trials, "decisions": decisions})
    return cases


def nan_to_none(x):
    if isinstance(x, float) and math.isnan(x):
        return None
    if isinstance(x, list):
        return [nan_to_none(v) for v in x]
    if isinstance(x, dict):
        return {k: nan_to_none(v) for k, v in x.items()}
    return x


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    if OPTUNA5:
        with open(os.path.join(OUT, "parzen5.json"), "w") as f:
            json.dump({"optuna": optuna.__version__, "cases": nan_to_none(parzen5_cases())}, f)
        print("wrote", OUT)
        raise SystemExit(0)
    with open(os.path.join(OUT, "parzen.json"), "w") as f:
        json.dump({"optuna": optuna.__version__, "cases": nan_to_none(parzen_cases())}, f)
    with open(os.path.join(OUT, "pruners.json"), "w") as f:
        json.dump({"optuna": optuna.__version__, "cases": nan_to_none(pruner_cases())}, f)
    print("wrote", OUT)
