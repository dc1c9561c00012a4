#!/usr/bin/env python3
"""The portrait generator against onnxruntime-python and PyTorch eager, on the same model and the
same inputs, in one run.

    python3 benches/generator_compare.py [--threads 2] [--seconds 3] [--rounds 3] [--latency-seconds 10]

The first time, it makes a venv in .tools/bench-venv (git-ignored) with onnxruntime pinned to
scripts/setup_onnxruntime.sh's version, torch (the CPU wheel index when reachable, else PyPI) and
onnx2torch, which turns models/generator.onnx itself into a PyTorch module: no other weights.
Then it builds `examples/generator_throughput.rs` (release) and:

1. writes 64 seeded random genomes; the example dumps the model inputs the library builds from
   them, the raw output of one run and the RGB8 portraits `Model::run` returns. Every
   implementation below runs on exactly those inputs.
2. numerical check: onnxruntime-python (and PyTorch) on the same inputs, max abs diff against the
   Rust output; the library's RGB8 portraits against onnxruntime-python's output quantised alike.
3. throughput at batch 1, 16, 64: `--rounds` rounds; in each, per batch size, every
   implementation runs for `--seconds` (after a warm-up run), in an order rotated from one batch
   size to the next so machine load falls on all alike. The table shows the median images/s over
   rounds and the ratios rust/ort-python and rust/torch; "rust, bare session" is one plain `ort`
   session on the same inputs, which shows what the library adds.
4. latency: 16 concurrent requesters through `Generator`, with dynamic batching and without.

Every implementation gets the same intra-op thread count (`--threads`): `GeneratorConfig.threads`
and `with_intra_threads` in Rust, `SessionOptions.intra_op_num_threads` in onnxruntime-python,
`torch.set_num_threads` in PyTorch. Load averages are printed with the figures: on a busy machine
the ratios stay meaningful, the absolute figures less so.
Goal: rust >= 1.0x onnxruntime-python and >= 2x PyTorch eager.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, ".tools", "bench-venv")
VENV_PYTHON = os.path.join(VENV, "bin", "python")
MODEL = os.path.join(ROOT, "models", "generator.onnx")
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
BATCHES = [1, 16, 64]
GENOME_BYTES = 40


def ort_version():
    """The onnxruntime version the Rust build loads: the setup script's pin."""
    with open(os.path.join(ROOT, "scripts", "setup_onnxruntime.sh")) as f:
        return re.search(r'^ORT_VERSION="([^"]+)"', f.read(), re.M).group(1)


def reachable(url):
    try:
        urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=5)
        return True
    except Exception:
        return False


def ensure_venv():
    """Re-run this script inside .tools/bench-venv, creating it and installing what it needs the
    first time."""
    inside = os.path.abspath(sys.executable) == os.path.abspath(VENV_PYTHON)
    if not inside and os.path.exists(VENV_PYTHON):
        os.execv(VENV_PYTHON, [VENV_PYTHON, os.path.abspath(__file__)] + sys.argv[1:])
    try:
        import numpy  # noqa: F401
        import onnx  # noqa: F401
        import onnx2torch  # noqa: F401
        import onnxruntime
        import torch  # noqa: F401
        if onnxruntime.__version__ == ort_version():
            return
    except ImportError:
        pass
    if os.environ.get("CHIMERA_BENCH_VENV_INSTALLED"):
        sys.exit("packages are still missing inside .tools/bench-venv after installing; delete the folder and rerun")
    if not os.path.exists(VENV_PYTHON):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    pip = [VENV_PYTHON, "-m", "pip", "install", "-q"]
    print(f"installing onnxruntime=={ort_version()}, torch and onnx2torch into .tools/bench-venv ...", flush=True)
    subprocess.run(pip + [f"onnxruntime=={ort_version()}", "numpy", "onnx"], check=True)
    if reachable(TORCH_CPU_INDEX + "/torch/"):
        subprocess.run(pip + ["torch", "torchvision", "--index-url", TORCH_CPU_INDEX], check=True)
    else:
        print(f"{TORCH_CPU_INDEX} is not reachable: torch from PyPI (the CUDA build; it runs on the CPU here)", flush=True)
        subprocess.run(pip + ["torch", "torchvision"], check=True)
    subprocess.run(pip + ["onnx2torch"], check=True)
    os.environ["CHIMERA_BENCH_VENV_INSTALLED"] = "1"
    os.execv(VENV_PYTHON, [VENV_PYTHON, os.path.abspath(__file__)] + sys.argv[1:])


def load():
    one, five, _ = os.getloadavg()
    return f"{one:.2f}/{five:.2f}"


class Rust:
    """The example binary, built once and copied out of target/ so that other builds in the
    checkout cannot swap it mid-run."""

    def __init__(self, workdir, threads):
        subprocess.run(["bash", os.path.join(ROOT, "scripts", "setup_onnxruntime.sh")], check=True, stdout=subprocess.DEVNULL)
        print("building examples/generator_throughput (release) ...", flush=True)
        build = subprocess.run(["cargo", "build", "--release", "--example", "generator_throughput"],
                               cwd=ROOT, capture_output=True, text=True)
        if build.returncode != 0:
            sys.exit(build.stderr)
        self.binary = os.path.join(workdir, "generator_throughput")
        shutil.copy(os.path.join(ROOT, "target", "release", "examples", "generator_throughput"), self.binary)
        self.env = dict(os.environ, CHIMERA_GENERATOR_MODEL=MODEL,
                        ORT_DYLIB_PATH=os.path.join(ROOT, ".tools", "onnxruntime", "onnxruntime", "capi",
                                                    f"libonnxruntime.so.{ort_version()}"))
        self.threads = threads

    def __call__(self, *args):
        """Run one mode; its JSON lines."""
        run = subprocess.run([self.binary, *map(str, args), "--threads", str(self.threads)],
                             cwd=ROOT, env=self.env, check=True, capture_output=True, text=True)
        return [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]


def images_per_s(run, batch, seconds):
    run()  # warm-up
    start, runs = time.perf_counter(), 0
    while time.perf_counter() - start < seconds:
        run()
        runs += 1
    return runs * batch / (time.perf_counter() - start)


def main():
    ensure_venv()
    warnings.filterwarnings("ignore", message="Using a non-tuple sequence")  # inside onnx2torch's Slice
    import numpy as np
    import onnx
    import onnxruntime as ort
    import torch
    from onnx2torch import convert

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=2, help="intra-op threads for every implementation")
    parser.add_argument("--seconds", type=float, default=3.0, help="per implementation, batch size and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--latency-seconds", type=float, default=10.0, help="per latency mode")
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(MODEL, options, providers=["CPUExecutionProvider"])
    module = convert(onnx.load(MODEL)).eval()

    with tempfile.TemporaryDirectory() as work:
        rust = Rust(work, args.threads)
        genomes = os.path.join(work, "genomes.bin")
        np.random.default_rng(2024).integers(0, 256, (max(BATCHES), GENOME_BYTES), dtype=np.uint8).tofile(genomes)
        dump = rust("dump", genomes, os.path.join(work, "dump"))[0]
        n, size = dump["dump"], dump["size"]
        read = lambda name, dtype: np.fromfile(os.path.join(work, "dump", name), dtype=dtype)
        code = read("code.f32", "<f4").reshape(n, 32)
        attrs = read("attrs.i64", "<i8").reshape(n, 8)
        rust_image = read("image.f32", "<f4").reshape(n, 3, size, size)
        rust_rgb = read("rgb.u8", np.uint8).reshape(n, size, size, 3)

        def ort_run(b):
            return session.run(["image"], {"code": code[:b], "attrs": attrs[:b]})[0]

        torch_code, torch_attrs = torch.from_numpy(code), torch.from_numpy(attrs)

        def torch_run(b):
            with torch.inference_mode():
                return module(torch_code[:b], torch_attrs[:b])

        # --- numerical check ---
        ort_image = ort_run(n)
        torch_image = torch_run(n).numpy()
        ort_single = np.concatenate([session.run(["image"], {"code": code[i:i + 1], "attrs": attrs[i:i + 1]})[0]
                                     for i in range(4)])
        # RgbImage::from_planes: (clamp(v, 0, 1) * 255).round() in f32, half away from zero.
        scaled = np.clip(ort_image, 0, 1).astype(np.float32) * np.float32(255)
        ort_rgb = np.floor(scaled.astype(np.float64) + 0.5).astype(np.uint8).transpose(0, 2, 3, 1)
        rgb_diff = np.abs(ort_rgb.astype(np.int16) - rust_rgb.astype(np.int16))
        numerics = {
            "rust_vs_ort": float(np.abs(rust_image - ort_image).max()),
            "torch_vs_ort": float(np.abs(torch_image - ort_image).max()),
            "ort_batch1_vs_batch64": float(np.abs(ort_single - ort_image[:4]).max()),
            "rgb_channels_differing": int((rgb_diff != 0).sum()),
            "rgb_worst": int(rgb_diff.max()),
        }

        # --- throughput: per round and batch size every implementation, in a rotated order ---
        impls = ["rust", "ort-python", "torch"]
        rates = {}  # (impl, batch) -> [images/s per round]
        loads = [load()]
        for r in range(args.rounds):
            for i, b in enumerate(BATCHES):
                k = (r * len(BATCHES) + i) % len(impls)
                for name in impls[k:] + impls[:k]:
                    if name == "rust":
                        for line in rust("throughput", genomes, "--seconds", args.seconds, "--bare", 1, "--batches", b):
                            rates.setdefault((line["impl"], b), []).append(line["images_per_s"])
                    else:
                        run = ort_run if name == "ort-python" else torch_run
                        rates.setdefault((name, b), []).append(images_per_s(lambda: run(b), b, args.seconds))
            loads.append(load())
            print(f"round {r + 1}/{args.rounds} done, load average {loads[-1]}", flush=True)

        # --- latency ---
        latency = rust("latency", "--seconds", args.latency_seconds, "--clients", args.clients)
        loads.append(load())

    median = {key: statistics.median(values) for key, values in rates.items()}
    print()
    print(f"models/generator.onnx ({size}x{size}), {args.threads} intra-op threads each, {os.cpu_count()} cores; "
          f"onnxruntime {ort.__version__} (Rust: the same library via ort), torch {torch.__version__} + onnx2torch; "
          f"median of {args.rounds} rounds x {args.seconds:g} s; load average (1/5 min) per round: {', '.join(loads)}")
    print()
    print("| batch | rust (Model::run) | rust, bare session | onnxruntime-python | PyTorch eager | rust / ort-python | rust / torch |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for b in BATCHES:
        rs, bare, op, tp = (median[(k, b)] for k in ("rust-ort", "rust-ort-session", "ort-python", "torch"))
        spread = lambda k: "–".join(f"{v:.1f}" for v in (min(rates[(k, b)]), max(rates[(k, b)])))
        print(f"| {b} | {rs:.1f} ({spread('rust-ort')}) | {bare:.1f} | {op:.1f} ({spread('ort-python')}) "
              f"| {tp:.1f} ({spread('torch')}) | {rs / op:.2f}x | {rs / tp:.2f}x |")
    print("images/s, median (min–max over rounds). `Model::run` decodes a lone genome as a pair (bit-identical "
          "pixels in any batch), so its batch 1 costs about two images.")
    print()
    print(f"Latency of one portrait, {args.clients} concurrent requesters through Generator, {args.latency_seconds:g} s per mode:")
    print()
    print("| mode | max batch | max wait | requests | images/s | mean batch | p50 | p99 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for line in latency:
        print(f"| {line['mode']} | {line['max_batch']} | {line['max_wait_ms']:g} ms | {line['requests']} | "
              f"{line['images_per_s']:.1f} | {line['mean_batch']:.1f} | {line['p50_ms']:.0f} ms | {line['p99_ms']:.0f} ms |")
    print()
    print(f"Numerical check on {n} genomes (batch {n}), image values in 0..1: max |rust - onnxruntime-python| = "
          f"{numerics['rust_vs_ort']:.3g}; max |torch - onnxruntime-python| = {numerics['torch_vs_ort']:.3g}; "
          f"onnxruntime-python batch 1 vs batch {n}: {numerics['ort_batch1_vs_batch64']:.3g}. "
          f"RGB8 portraits from Model::run vs onnxruntime-python quantised alike: "
          f"{numerics['rgb_channels_differing']} of {rust_rgb.size} channel values differ (worst by {numerics['rgb_worst']}).")
    print(json.dumps({"throughput": {f"{k}/{b}": v for (k, b), v in median.items()},
                      "latency": latency, "numerics": numerics, "load": loads}))


if __name__ == "__main__":
    main()
