#!/usr/bin/env python3
"""The preference engine against scikit-learn's LogisticRegression, on the same labels, in one run.

    python3 benches/sklearn_compare.py [LABELS]

It installs scikit-learn into .tools/sklearn-venv (git-ignored) the first time, runs
`cargo run --release --example sklearn_labels` to write one simulated owner's swipes and a
held-out set as CSV and to time this engine's fit, then fits scikit-learn on the same rows with the
same objective (L2, C = 1/l2, unpenalised intercept) and prints accuracy and fit time side by side.
Goal: equal accuracy within 1 point, this engine at least 10x faster.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, ".tools", "sklearn-venv")
VENV_PYTHON = os.path.join(VENV, "bin", "python")


def ensure_sklearn():
    """Re-run this script inside a venv that has scikit-learn, creating it if needed."""
    try:
        import numpy  # noqa: F401
        import sklearn  # noqa: F401
        return
    except ImportError:
        pass
    if os.path.abspath(sys.executable) == os.path.abspath(VENV_PYTHON):
        sys.exit("scikit-learn is still missing inside .tools/sklearn-venv; delete the folder and rerun")
    if not os.path.exists(VENV_PYTHON):
        print("installing scikit-learn into .tools/sklearn-venv ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([VENV_PYTHON, "-m", "pip", "install", "-q", "scikit-learn", "numpy"], check=True)
    os.execv(VENV_PYTHON, [VENV_PYTHON, os.path.abspath(__file__)] + sys.argv[1:])


def median_ms(fit, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fit()
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    return times[len(times) // 2]


def main():
    ensure_sklearn()
    import numpy as np
    import sklearn
    from sklearn.linear_model import LogisticRegression

    labels = sys.argv[1] if len(sys.argv) > 1 else "1000"
    with tempfile.TemporaryDirectory() as out:
        run = subprocess.run(
            ["cargo", "run", "--release", "--quiet", "--example", "sklearn_labels", "--", out, labels],
            cwd=ROOT, check=True, capture_output=True, text=True,
        )
        rust = json.loads(run.stdout.strip().splitlines()[-1])
        train = np.loadtxt(os.path.join(out, "train.csv"), delimiter=",")
        test = np.loadtxt(os.path.join(out, "test.csv"), delimiter=",")
    x, y = train[:, :-1], train[:, -1]
    xt, yt = test[:, :-1], test[:, -1]
    c = 1.0 / rust["l2"]

    rows = []
    for solver in ["lbfgs", "newton-cholesky"]:
        make = lambda: LogisticRegression(C=c, solver=solver, max_iter=1000, tol=1e-6)
        model = make().fit(x, y)
        accuracy = float((model.predict(xt) == yt).mean())
        ms = median_ms(lambda: make().fit(x, y), 21)
        rows.append((f"scikit-learn {sklearn.__version__} ({solver})", accuracy, ms))

    print(f"{rust['labels']} swipes of random characters, 160 features, L2 with C = {c:g}; accuracy on 4000 held-out characters")
    print("| fit | held-out accuracy | fit time (median) |")
    print("|---|---|---|")
    print(f"| chimera (Newton, {rust['newton_steps']} steps) | {rust['accuracy']:.4f} | {rust['fit_ms_median']:.2f} ms |")
    for name, accuracy, ms in rows:
        print(f"| {name} | {accuracy:.4f} | {ms:.2f} ms |")
    best = min(rows, key=lambda r: r[2])
    diff = abs(rust["accuracy"] - best[1]) * 100
    ratio = best[2] / rust["fit_ms_median"]
    print(f"accuracy difference vs the fastest scikit-learn solver: {diff:.2f} points (goal ≤ 1); "
          f"speed-up: {ratio:.1f}x (goal ≥ 10x)")


if __name__ == "__main__":
    main()
