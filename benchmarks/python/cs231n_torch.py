"""The GPU peer of `pnpm bench:gpu`: the CS231n vectorized softmax and SVM losses of
cs231n_numpy.py written in PyTorch, float32 on the first CUDA device, on the same .npy files and
the same protocol (medians of repeats after a warm-up; the clock read after
torch.cuda.synchronize()). X and y are copied to the GPU once, outside the timing, as descent's
backends hold them resident. Prints one JSON object, or {"missing": why} without torch or CUDA.

  python3 cs231n_torch.py '{"full": {...}, "probe": {...}, "steps": [...]}'   (as cs231n_numpy.py)
"""
import json
import sys
import time

try:
    import numpy as np
    import torch
except ImportError as e:  # the bench reports why the column is empty
    print(json.dumps({"missing": f"no PyTorch here ({e})"}))
    sys.exit(0)

if not torch.cuda.is_available():
    print(json.dumps({"missing": f"PyTorch {torch.__version__} finds no CUDA device"}))
    sys.exit(0)

DEV = torch.device("cuda")
torch.backends.cuda.matmul.allow_tf32 = False  # float32 products, as every descent backend computes


def softmax_loss_vectorized(W, X, y, reg):
    num_train = X.shape[0]
    scores = X @ W
    scores = scores - scores.max(dim=1, keepdim=True).values
    exp = torch.exp(scores)
    probs = exp / exp.sum(dim=1, keepdim=True)
    rows = torch.arange(num_train, device=DEV)
    loss = -torch.log(probs[rows, y]).sum() / num_train + reg * torch.sum(W * W)
    dscores = probs
    dscores[rows, y] -= 1
    dW = X.T @ dscores / num_train + 2 * reg * W
    return loss, dW


def svm_loss_vectorized(W, X, y, reg, delta=1.0):
    num_train = X.shape[0]
    scores = X @ W
    rows = torch.arange(num_train, device=DEV)
    correct = scores[rows, y][:, None]
    margins = torch.clamp(scores - correct + delta, min=0)
    margins[rows, y] = 0
    loss = margins.sum() / num_train + reg * torch.sum(W * W)
    mask = (margins > 0).to(X.dtype)
    mask[rows, y] = -mask.sum(dim=1)
    dW = X.T @ mask / num_train + 2 * reg * W
    return loss, dW


_loaded = {}


def data(spec):
    key = (spec["x"], spec["y"])
    if key not in _loaded:
        _loaded[key] = (torch.from_numpy(np.load(spec["x"])).to(DEV), torch.from_numpy(np.load(spec["y"]).astype(np.int64)).to(DEV))
    X, y = _loaded[key]
    c = int(y.max().item()) + 1
    W = torch.from_numpy((1e-4 * np.random.default_rng(1).standard_normal((X.shape[1], c))).astype(np.float32)).to(DEV)
    return X, y, W


def median(xs):
    s = sorted(xs)
    m = len(s) // 2
    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2


def timed(f):
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    f()
    torch.cuda.synchronize()
    return (time.perf_counter() - t0) * 1e3


def full(spec, losses=("softmax", "svm")):
    X, y, W = data(spec)
    out = {}
    for name, f in (("softmax", softmax_loss_vectorized), ("svm", svm_loss_vectorized)):
        if name in losses:
            times = [timed(lambda: f(W, X, y, 1e-4)) for _ in range(spec["repeats"] + 1)][1:]
            out[name] = median(times)
    return out


def steps(spec):
    """Minibatch SGD with momentum, rows shuffled each epoch (the permutation drawn on the GPU)."""
    X, y, W = data(spec)
    n, batch = X.shape[0], spec["batch"]
    v = torch.zeros_like(W)
    gen = torch.Generator(device=DEV).manual_seed(2)
    state = {"order": torch.randperm(n, device=DEV, generator=gen), "at": 0, "W": W, "v": v}

    def block():
        for _ in range(spec["per"]):
            if state["at"] + batch > n:
                state["order"], state["at"] = torch.randperm(n, device=DEV, generator=gen), 0
            idx = state["order"][state["at"]:state["at"] + batch]
            state["at"] += batch
            _, dW = softmax_loss_vectorized(state["W"], X[idx], y[idx], 1e-4)
            state["v"] = 0.9 * state["v"] - 1e-7 * dW
            state["W"] = state["W"] + state["v"]

    times = [timed(block) / spec["per"] for _ in range(spec["repeats"] + 1)][1:]
    return median(times)


def main():
    spec = json.loads(sys.argv[1])
    result = {"torch": torch.__version__, "device": torch.cuda.get_device_name(0), "python": sys.version.split()[0]}
    if "full" in spec:
        result["full"] = full(spec["full"])
    if "probe" in spec:
        result["probe"] = full(spec["probe"], ("softmax",))["softmax"]
    result["steps"] = [steps(s) for s in spec.get("steps", [])]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
