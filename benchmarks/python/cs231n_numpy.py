"""The peer `pnpm bench` compares against: CS231n's vectorized softmax and SVM losses in numpy,
float32, one thread, on the same matrices as descent (.npy files the bench writes) and the same
protocol (medians of repeats after a warm-up). Prints one JSON object.

  python3 cs231n_numpy.py '{"full": {"x": "x.npy", "y": "y.npy", "repeats": 5},
                            "steps": [{"x": ..., "y": ..., "batch": 200, "repeats": 5, "per": 20}],
                            "train": {"train": {"x", "y"}, "test": {"x", "y"}, "learningRate": 0.1,
                                      "momentum": 0.9, "batch": 500, "reg": 1e-4, "initScale": 1e-3,
                                      "target": 0.84, "maxEpochs": 10, "checkEvery": 0.5, "seeds": [1, 2]}}'

Threads are pinned before numpy loads (OPENBLAS/OMP/MKL): to one, as the bench times descent on
one thread too, unless DESCENT_PEER_THREADS says otherwise (`pnpm bench:gpu` on many cores).
"""
import os
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = os.environ.get("DESCENT_PEER_THREADS", "1")
import json
import sys
import time

import numpy as np


def softmax_loss_vectorized(W, X, y, reg):
    # CS231n assignment 1, softmax.py (vectorized), float32 throughout.
    num_train = X.shape[0]
    scores = X.dot(W)
    scores -= scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    probs = exp / exp.sum(axis=1, keepdims=True)
    loss = -np.log(probs[np.arange(num_train), y]).sum() / num_train + reg * np.sum(W * W)
    dscores = probs
    dscores[np.arange(num_train), y] -= 1
    dW = X.T.dot(dscores) / num_train + 2 * reg * W
    return loss, dW


def svm_loss_vectorized(W, X, y, reg, delta=1.0):
    # CS231n assignment 1, linear_svm.py (vectorized).
    num_train = X.shape[0]
    scores = X.dot(W)
    correct = scores[np.arange(num_train), y][:, None]
    margins = np.maximum(0, scores - correct + delta)
    margins[np.arange(num_train), y] = 0
    loss = margins.sum() / num_train + reg * np.sum(W * W)
    mask = (margins > 0).astype(X.dtype)
    mask[np.arange(num_train), y] = -mask.sum(axis=1)
    dW = X.T.dot(mask) / num_train + 2 * reg * W
    return loss, dW


_loaded = {}


def data(spec):
    """X (float32), y (int64) from the bench's files, loaded once per file; W = 1e-4·N(0,1)."""
    key = (spec["x"], spec["y"])
    if key not in _loaded:
        _loaded[key] = (np.load(spec["x"]), np.load(spec["y"]).astype(np.int64))
    X, y = _loaded[key]
    W = (1e-4 * np.random.default_rng(1).standard_normal((X.shape[1], int(y.max()) + 1))).astype(np.float32)
    return X, y, W


def median(xs):
    s = sorted(xs)
    m = len(s) // 2
    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2


def full(spec, losses=("softmax", "svm")):
    X, y, W = data(spec)
    out = {}
    for name, f in (("softmax", softmax_loss_vectorized), ("svm", svm_loss_vectorized)):
        if name not in losses:
            continue
        times = []
        for r in range(spec["repeats"] + 1):
            t0 = time.perf_counter()
            f(W, X, y, 1e-4)
            ms = (time.perf_counter() - t0) * 1e3
            if r > 0:
                times.append(ms)
        out[name] = median(times)
    return out


def steps(spec):
    """Minibatch SGD with momentum as CS231n trains: X[idx] (shuffled each epoch), loss + gradient, update."""
    X, y, W = data(spec)
    n, batch = X.shape[0], spec["batch"]
    v = np.zeros_like(W)
    rng = np.random.default_rng(2)
    order = rng.permutation(n)
    at = 0
    times = []
    for r in range(spec["repeats"] + 1):
        t0 = time.perf_counter()
        for _ in range(spec["per"]):
            if at + batch > n:
                order = rng.permutation(n)
                at = 0
            idx = order[at:at + batch]
            at += batch
            Xb, yb = X[idx], y[idx]
            loss, dW = softmax_loss_vectorized(W, Xb, yb, 1e-4)
            v = 0.9 * v - 1e-7 * dW
            W += v
        ms = (time.perf_counter() - t0) * 1e3 / spec["per"]
        if r > 0:
            times.append(ms)
    return median(times)


def train(spec):
    """Time to the target test accuracy, per seed: W = initScale·N(0,1), shuffled each epoch,
    momentum (v = μv − lr·dW, W += v), test accuracy every checkEvery epochs with the clock
    stopped, as the bench trains descent."""
    X, y, _ = data(spec["train"])
    Xt, yt, _ = data(spec["test"])
    n, d = X.shape
    c = int(y.max()) + 1
    batch, lr, mu, reg = spec["batch"], spec["learningRate"], spec["momentum"], spec["reg"]
    per_epoch = -(-n // batch)
    per_check = max(1, round(spec["checkEvery"] * per_epoch))
    runs = []
    for seed in spec["seeds"]:
        rng = np.random.default_rng(seed)
        W = (spec["initScale"] * rng.standard_normal((d, c))).astype(np.float32)
        v = np.zeros_like(W)
        ms, steps, reached, acc = 0.0, 0, None, 0.0
        order, at = rng.permutation(n), 0
        while steps < spec["maxEpochs"] * per_epoch:
            t0 = time.perf_counter()
            for _ in range(per_check):
                if at >= n:
                    order, at = rng.permutation(n), 0
                idx = order[at:at + batch]
                at += batch
                _, dW = softmax_loss_vectorized(W, X[idx], y[idx], reg)
                v = mu * v - lr * dW
                W += v
                steps += 1
            ms += (time.perf_counter() - t0) * 1e3
            acc = float((Xt.dot(W).argmax(axis=1) == yt).mean())
            if acc >= spec["target"]:
                reached = steps / per_epoch
                break
        runs.append({"seed": seed, "ms": ms if reached is not None else None, "steps": steps, "epoch": reached, "accuracy": acc})
    return runs


def blas_library():
    """The BLAS numpy loaded, from the process's own mappings (Debian's numpy links whichever
    libblas.so.3 the alternatives system points at: OpenBLAS, or the slow reference BLAS)."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.lower() and ".so" in line}
        return ", ".join(sorted(paths)) or "none found"
    except OSError:
        return "unknown"


def main():
    spec = json.loads(sys.argv[1])
    result = {"numpy": np.__version__, "python": sys.version.split()[0], "executable": sys.executable,
              "threads": int(os.environ["OPENBLAS_NUM_THREADS"])}
    result["blas"] = blas_library()
    if "full" in spec:
        result["full"] = full(spec["full"])
    if "probe" in spec:
        result["probe"] = full(spec["probe"], ("softmax",))["softmax"]
    result["steps"] = [steps(s) for s in spec.get("steps", [])]
    if "train" in spec:
        result["train"] = train(spec["train"])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
