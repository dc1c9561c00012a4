"""Train the attribute recognizer, the generator's independent judge, on renderer images only.

    python train_recognizer.py --data_dir=data/train128 --minutes=2      # GPU
    python train_recognizer.py --preset=quick                            # CPU smoke test

It never sees a generated image. Augmentation (a random Gaussian blur, pixel noise, a shift of a
couple of pixels, one blanked patch) keeps it from keying on renderer-exact edges or on one tiny
cue, so a slightly soft but correct portrait is still read correctly; colours are never jittered,
since colour is what many slots are.
"""
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

from model import N_SLOTS, Recognizer, export_recognizer, n_params

# ---- config (override with --name=value) ----
data_dir = "data/train128"
out_dir = "out"
size = 128
batch_size = 256
lr = 2e-3
weight_decay = 5e-4
warmup_steps = 200
minutes = 2.0
label_smoothing = 0.05
max_blur = 0.8             # Gaussian sigma in pixels, drawn per batch from [0, max_blur]
noise = 0.02
max_shift = 3              # pixels
cutout = 0.5               # probability of blanking one random patch (so no single cue is relied on)
cutout_max = 24            # largest patch side in pixels
val_fraction = 0.02
device = "cuda" if torch.cuda.is_available() else "cpu"
seed = 1
log_every_s = 20.0
PRESETS = {"quick": dict(data_dir="data/quick64", out_dir="out_quick", size=64, batch_size=64, minutes=1.5,
                         warmup_steps=50, log_every_s=15.0)}
exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "configurator.py")).read())
# ---------------------------------------------

torch.manual_seed(seed)
os.makedirs(out_dir, exist_ok=True)
use_bf16 = device == "cuda"
torch.backends.cudnn.benchmark = True
images = torch.from_numpy(np.load(os.path.join(data_dir, "images.npy"))).to(device)
attrs = torch.from_numpy(np.load(os.path.join(data_dir, "attrs.npy"))).long().to(device)
assert images.shape[1] == size, f"data is {images.shape[1]}px, config says size={size}"
n_val = max(64, int(len(images) * val_fraction))
n_train = len(images) - n_val
print(f"data: {n_train} train / {n_val} val portraits at {size}px")


def batch(idx):
    return images[idx].permute(0, 3, 1, 2).float().div_(255).contiguous(memory_format=torch.channels_last), attrs[idx]


def augment(x):
    sigma = float(np.random.uniform(0, max_blur))
    if sigma > 0.25:
        r = int(np.ceil(2 * sigma))
        k = torch.exp(-torch.arange(-r, r + 1, device=x.device, dtype=x.dtype) ** 2 / (2 * sigma ** 2))
        k = (k / k.sum()).view(1, 1, 1, -1).repeat(3, 1, 1, 1)
        x = F.conv2d(F.pad(x, (r, r, 0, 0), mode="replicate"), k, groups=3)
        x = F.conv2d(F.pad(x, (0, 0, r, r), mode="replicate"), k.transpose(2, 3), groups=3)
    if np.random.uniform() < cutout:
        n, _, h, w = x.shape
        side = np.random.randint(6, cutout_max + 1)
        y0, x0 = np.random.randint(0, h - side), np.random.randint(0, w - side)
        x = x.clone()
        x[:, :, y0:y0 + side, x0:x0 + side] = torch.rand(n, 3, 1, 1, device=x.device, dtype=x.dtype)
    dx, dy = np.random.randint(-max_shift, max_shift + 1, size=2)
    x = torch.roll(x, shifts=(int(dy), int(dx)), dims=(2, 3))
    return (x + noise * np.random.uniform() * torch.randn_like(x)).clamp(0, 1)


model = Recognizer().to(device).to(memory_format=torch.channels_last)
print(f"recognizer: {n_params(model) / 1e6:.2f}M parameters")
opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)


@torch.no_grad()
def validate():
    model.eval()
    correct = torch.zeros(N_SLOTS, device=device)
    for i in range(n_train, len(images), 512):
        idx = torch.arange(i, min(i + 512, len(images)), device=device)
        x, a = batch(idx)
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=use_bf16):
            correct += (model(x).argmax(-1) == a).float().sum(0)
    model.train()
    return (correct / n_val).cpu().numpy()


budget, t_start, step = minutes * 60, time.time(), 0
t_log = t_start
while time.time() - t_start < budget:
    frac = (time.time() - t_start) / budget
    cur_lr = lr * min(1.0, (step + 1) / warmup_steps) * 0.5 * (1 + np.cos(np.pi * frac))
    for g in opt.param_groups:
        g["lr"] = cur_lr
    x, a = batch(torch.randint(0, n_train, (batch_size,), device=device))
    with torch.autocast("cuda", dtype=torch.bfloat16, enabled=use_bf16):
        logits = model(augment(x))
    loss = F.cross_entropy(logits.float().reshape(-1, 16), a.reshape(-1), label_smoothing=label_smoothing)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    step += 1
    if time.time() - t_log >= log_every_s:
        print(f"step {step:6d}  {(time.time() - t_start) / 60:5.2f} min  loss {loss.item():.4f}", flush=True)
        t_log = time.time()

acc = validate()
print(f"done: {step} steps in {(time.time() - t_start) / 60:.1f} min; held-out accuracy per slot: "
      + " ".join(f"{a:.4f}" for a in acc))
torch.save({"model": model.state_dict(), "size": size, "val_acc": acc.tolist()}, os.path.join(out_dir, "recognizer.pt"))
export_recognizer(model, os.path.join(out_dir, "recognizer.onnx"), size)
print(f"exported {os.path.join(out_dir, 'recognizer.onnx')}")
