"""Train the portrait generator by direct regression onto the renderer's images, then export ONNX.

    python render.py --n 100000 --size 128 --out data/train128
    python train_generator.py --data_dir=data/train128 --minutes=7          # GPU
    python train_generator.py --preset=quick                                # CPU smoke test

The code IS the renderer's settings, so there is nothing to infer: the loss is a per-pixel L1,
weighted up on the renderer's detail mask (eyes, brows, mouth, accessory, small headwear parts)
and on the target's edges, so that small details come out sharp.
Training runs for a fixed wall-clock budget with a cosine learning rate over that budget.
"""
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

from model import Generator, export_generator, n_params

# ---- config (override with --name=value) ----
data_dir = "data/train128"
out_dir = "out"
size = 128
batch_size = 256
lr = 2e-3
weight_decay = 0.0
warmup_steps = 300
minutes = 7.0              # wall-clock training budget
detail_weight = 6.0        # extra L1 weight on masked detail pixels (mask in 0..1)
edge_weight = 4.0          # extra L1 weight on pixels where the target has an edge (any small detail)
val_fraction = 0.01
device = "cuda" if torch.cuda.is_available() else "cpu"
compile = False
resume = ""                # a checkpoint to continue from
seed = 0
log_every_s = 20.0
ckpt_every_s = 60.0
PRESETS = {"quick": dict(data_dir="data/quick64", out_dir="out_quick", size=64, batch_size=32, minutes=3.0,
                         warmup_steps=50, log_every_s=15.0)}
exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "configurator.py")).read())
# ---------------------------------------------

torch.manual_seed(seed)
os.makedirs(out_dir, exist_ok=True)
if device == "cpu":
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
use_bf16 = device == "cuda"
torch.backends.cudnn.benchmark = True
torch.backends.cuda.matmul.allow_tf32 = True
torch.backends.cudnn.allow_tf32 = True

# data: everything lives on the device as uint8
images = torch.from_numpy(np.load(os.path.join(data_dir, "images.npy"))).to(device)  # [N, H, W, 3]
masks = torch.from_numpy(np.load(os.path.join(data_dir, "masks.npy"))).to(device)    # [N, H, W]
code = torch.from_numpy(np.load(os.path.join(data_dir, "code.npy"))).to(device)
attrs = torch.from_numpy(np.load(os.path.join(data_dir, "attrs.npy"))).long().to(device)
assert images.shape[1] == size, f"data is {images.shape[1]}px, config says size={size}"
n_val = max(64, int(len(images) * val_fraction))
n_train = len(images) - n_val
print(f"data: {n_train} train / {n_val} val portraits at {size}px from {data_dir}")


def batch(idx):
    x = images[idx].permute(0, 3, 1, 2).float().div_(255).contiguous(memory_format=torch.channels_last)
    m = masks[idx].unsqueeze(1).float().div_(255)
    return code[idx], attrs[idx], x, m


model = Generator(size).to(device).to(memory_format=torch.channels_last)
print(f"generator: {n_params(model) / 1e6:.2f}M parameters")
opt = torch.optim.AdamW(model.parameters(), lr=lr, betas=(0.9, 0.99), weight_decay=weight_decay)
trained_s, samples, step = 0.0, 0, 0
if resume:
    ck = torch.load(resume, map_location=device)
    model.load_state_dict(ck["model"])
    trained_s, samples = ck["trained_s"], ck["samples"]
    print(f"resumed from {resume}: {samples} samples, {trained_s:.0f}s so far")
fwd = torch.compile(model.raw) if compile else model.raw


def loss_fn(pred, x, m):
    edge = (x - F.avg_pool2d(x, 3, 1, 1, count_include_pad=False)).abs().sum(1, keepdim=True).mul(4).clamp(max=1)
    w = 1.0 + detail_weight * m + edge_weight * edge
    return (w * (pred.float() - x).abs()).mean() / w.mean()


@torch.no_grad()
def validate():
    model.eval()
    l1, l1_detail = [], []
    for i in range(n_train, len(images), 256):
        idx = torch.arange(i, min(i + 256, len(images)), device=device)
        c, a, x, m = batch(idx)
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=use_bf16):
            pred = model(c, a).float()
        err = (pred - x).abs()
        l1.append(err.mean().item())
        l1_detail.append(((err * m).sum() / (m.sum() * 3 + 1e-6)).item())
    model.train()
    return float(np.mean(l1)), float(np.mean(l1_detail))


def save(path):
    torch.save({"model": model.state_dict(), "size": size, "trained_s": trained_s, "samples": samples,
                "device": torch.cuda.get_device_name() if device == "cuda" else f"cpu x{torch.get_num_threads()}"}, path)


budget = minutes * 60
t_start = time.time()
t_log = t_ckpt = t_start
seen_since_log = 0
while True:
    elapsed = time.time() - t_start
    if elapsed >= budget:
        break
    frac = elapsed / budget
    cur_lr = lr * min(1.0, (step + 1) / warmup_steps) * (0.02 + 0.98 * 0.5 * (1 + np.cos(np.pi * frac)))
    for g in opt.param_groups:
        g["lr"] = cur_lr
    idx = torch.randint(0, n_train, (batch_size,), device=device)
    c, a, x, m = batch(idx)
    with torch.autocast("cuda", dtype=torch.bfloat16, enabled=use_bf16):
        pred = fwd(c, a)
    loss = loss_fn(pred, x, m)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    step += 1
    samples += batch_size
    seen_since_log += batch_size
    now = time.time()
    if now - t_log >= log_every_s:
        print(f"step {step:6d}  {elapsed / 60:5.2f} min  loss {loss.item():.4f}  lr {cur_lr:.2e}  "
              f"{seen_since_log / (now - t_log):.0f} img/s", flush=True)
        t_log, seen_since_log = now, 0
    if now - t_ckpt >= ckpt_every_s:
        trained_s += now - t_ckpt
        save(os.path.join(out_dir, "generator.pt"))
        t_ckpt = now

trained_s += time.time() - t_ckpt
val_l1, val_detail = validate()
print(f"done: {step} steps, {samples} samples seen in total, {trained_s / 60:.1f} min of training; "
      f"val L1 {val_l1:.4f}, detail-region L1 {val_detail:.4f}")
save(os.path.join(out_dir, "generator.pt"))
export_generator(model, os.path.join(out_dir, "generator.onnx"))
print(f"exported {os.path.join(out_dir, 'generator.onnx')}")
