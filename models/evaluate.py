"""Measure the exported generator against the renderer, with the recognizer as the judge, and draw
the contact sheet. Works on the ONNX files alone (onnxruntime on the CPU), so anyone can re-check
the committed models:

    python evaluate.py                       # generator.onnx, recognizer.onnx beside this file
    python evaluate.py --n 300 --quick       # a fast look

Random genomes are uniform random bytes: each code gene's main level is uniform in 0..15 and its
z comes from the level table; each attribute is uniform in 0..15. The metrics:
  1. fidelity  — the recognizer reads each slot's intended value from generated portraits;
  2. heredity  — child -> nearest parent distance over child -> random other portrait, on the
                 (matron, sire, child) triples of tests/vectors/breed.hex;
  3. diversity — mean pairwise distance of generated portraits over that of the renderer's, plus
                 per-slot and per-code-gene sweeps that would show a collapsed input;
  4. L1        — generated vs rendered portrait of the same held-out genome.
"""
import argparse
import json
import os
import time

import numpy as np
import onnxruntime as ort
from PIL import Image, ImageDraw

import render

HERE = os.path.dirname(os.path.abspath(__file__))


class Models:
    def __init__(self, gen_path, rec_path, threads):
        so = ort.SessionOptions()
        if threads:
            so.intra_op_num_threads = threads
        self.g = ort.InferenceSession(gen_path, so, providers=["CPUExecutionProvider"])
        self.r = ort.InferenceSession(rec_path, so, providers=["CPUExecutionProvider"])

    def generate(self, code, attrs, bs=64):
        out = [self.g.run(["image"], {"code": code[i:i + bs].astype(np.float32), "attrs": attrs[i:i + bs].astype(np.int64)})[0]
               for i in range(0, len(code), bs)]
        return np.concatenate(out)

    def logits(self, images, bs=128):
        return np.concatenate([self.r.run(["logits"], {"image": images[i:i + bs].astype(np.float32)})[0]
                               for i in range(0, len(images), bs)])


def to_float(images_u8):
    return images_u8.transpose(0, 3, 1, 2).astype(np.float32) / 255.0


def genome_from_hex(h):
    """(code z [32], attrs [8]) from 80 hex digits; the generator sees main values only."""
    h = h[2:] if h.lower().startswith("0x") else h
    assert len(h) == 80, f"genome hex must be 80 hex digits, got {len(h)}"
    main = np.frombuffer(bytes.fromhex(h), np.uint8) >> 4
    return render.LEVEL_Z[main[:32]], main[32:].astype(np.int64)


def read_vectors(path):
    cases = []
    with open(path) as f:
        for line in f:
            if line.strip():
                m, s, _seed, c = line.split()
                cases.append((genome_from_hex(m), genome_from_hex(s), genome_from_hex(c)))
    return cases


def simulate_breed(n, rng):
    """Stand-in when breed.hex is absent: the on-chain law (p_main 6/8, mutation 1/32) with numpy
    randomness instead of keccak. Same statistics, not the same bytes."""
    def gen(genes):
        main = genes >> 4
        return render.LEVEL_Z[main[:32]], main[32:].astype(np.int64)
    cases = []
    for _ in range(n):
        m, s = rng.randint(0, 256, 40), rng.randint(0, 256, 40)
        child = np.zeros(40, np.int64)
        for g in range(40):
            a = m[g] >> 4 if rng.randint(8) < 6 else m[g] & 15
            b = s[g] >> 4 if rng.randint(8) < 6 else s[g] & 15
            main, sub = (a, b) if rng.randint(2) == 0 else (b, a)
            if rng.randint(32) < 1:
                d = rng.randint(32)
                v = d >> 1
                if g < 32 and d & 1 == 0:
                    main = (main + (1 if v & 1 else -1)) if 0 < main < 15 else (1 if main == 0 else 14)
                else:
                    main = v
            child[g] = main << 4 | sub
        cases.append((gen(m), gen(s), gen(child)))
    return cases


def l1(a, b):
    return np.abs(a - b).mean(axis=(1, 2, 3))


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def contact_sheet(models, path, rng, size):
    """Rows 1-8: one slot swept over its 16 values (generator, one random genome per row);
    rows 9-10: the renderer and the generator on the same 16 random genomes."""
    label_w, cap = 112, 12
    rows, names = [], []
    for slot in range(8):
        code, attrs = render.random_genomes(1, rng, levels=True)
        code, attrs = np.repeat(code, 16, 0), np.repeat(attrs, 16, 0)
        attrs[:, slot] = np.arange(16)
        rows.append(models.generate(code, attrs))
        names.append((render.SLOT_NAMES[slot], render.VALUE_NAMES[slot]))
    code, attrs = render.random_genomes(16, rng, levels=True)
    rows.append(to_float(render.render_many(code, attrs, size)[0]))
    names.append(("renderer", [""] * 16))
    rows.append(models.generate(code, attrs))
    names.append(("generator", [""] * 16))
    sheet = Image.new("RGB", (label_w + 16 * size, len(rows) * (size + cap)), (255, 255, 255))
    d = ImageDraw.Draw(sheet)
    for r, (imgs, (title, values)) in enumerate(zip(rows, names)):
        y = r * (size + cap)
        d.text((6, y + size // 2 - 6), title, fill=(0, 0, 0))
        for c in range(16):
            tile = (np.clip(imgs[c].transpose(1, 2, 0), 0, 1) * 255).round().astype(np.uint8)
            sheet.paste(Image.fromarray(tile), (label_w + c * size, y))
            d.text((label_w + c * size + 3, y + size), values[c][:21], fill=(0, 0, 0))
    sheet.save(path, optimize=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--generator", default=os.path.join(HERE, "generator.onnx"))
    ap.add_argument("--recognizer", default=os.path.join(HERE, "recognizer.onnx"))
    ap.add_argument("--vectors", default=os.path.join(HERE, "..", "tests", "vectors", "breed.hex"))
    ap.add_argument("--n", type=int, default=1000, help="random genomes for fidelity, diversity and L1")
    ap.add_argument("--sweeps", type=int, default=6, help="base genomes per slot / code-gene sweep")
    ap.add_argument("--sheet", default=os.path.join(HERE, "contact_sheet.png"))
    ap.add_argument("--json", default=os.path.join(HERE, "metrics.json"))
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--seed", type=int, default=12345, help="held out: training data uses seeds 0..99")
    ap.add_argument("--quick", action="store_true", help="fewer sweeps and vector cases")
    a = ap.parse_args()
    t0 = time.time()
    rng = np.random.RandomState(a.seed)
    models = Models(a.generator, a.recognizer, a.threads)
    size = models.generate(np.zeros((1, 32), np.float32), np.zeros((1, 8), np.int64)).shape[-1]
    out = {"size": size, "n": a.n}

    # 1 + 4: fidelity and L1 on held-out random genomes
    code, attrs = render.random_genomes(a.n, rng, levels=True)
    gen = models.generate(code, attrs)
    ref_u8, mask_u8 = render.render_many(code, attrs, size)
    ref, mask = to_float(ref_u8), mask_u8[:, None].astype(np.float32) / 255.0
    acc_gen = (models.logits(gen).argmax(-1) == attrs).mean(0)
    acc_ref = (models.logits(ref).argmax(-1) == attrs).mean(0)
    out["fidelity"] = {s: float(v) for s, v in zip(render.SLOT_NAMES, acc_gen)}
    out["recognizer_on_renderer"] = {s: float(v) for s, v in zip(render.SLOT_NAMES, acc_ref)}
    err = np.abs(gen - ref)
    out["l1"] = float(err.mean())
    out["l1_detail"] = float((err * mask).sum() / (3 * mask.sum()))
    # L1 on continuous codes too (the training distribution, but unseen samples)
    code_c, attrs_c = render.random_genomes(min(a.n, 300), rng, levels=False)
    out["l1_continuous"] = float(np.abs(models.generate(code_c, attrs_c) - to_float(render.render_many(code_c, attrs_c, size)[0])).mean())

    # 3: diversity
    perm = rng.permutation(a.n)
    other = np.roll(perm, 1)
    d_gen, d_ref = l1(gen[perm], gen[other]).mean(), l1(ref[perm], ref[other]).mean()
    out["diversity"] = {"generated": float(d_gen), "renderer": float(d_ref), "ratio": float(d_gen / d_ref)}
    k = 3 if a.quick else a.sweeps
    slot_sweep = {}
    for slot in range(8):
        c, at = render.random_genomes(k, rng, levels=True)
        c, at = np.repeat(c, 16, 0), np.repeat(at, 16, 0)
        at[:, slot] = np.tile(np.arange(16), k)
        g = models.generate(c, at)
        r = to_float(render.render_many(c, at, size)[0])
        read = models.logits(g).argmax(-1)[:, slot]
        distinct = np.mean([len(set(read[i * 16:(i + 1) * 16].tolist())) for i in range(k)])
        spread = lambda x: np.abs(x.reshape(k, 16, -1) - x.reshape(k, 16, -1).mean(1, keepdims=True)).mean()
        slot_sweep[render.SLOT_NAMES[slot]] = {"distinct_values_read": float(distinct),
                                              "spread_ratio": float(spread(g) / spread(r))}
    out["slot_sweeps"] = slot_sweep
    code_ratio = []
    c, at = render.random_genomes(k, rng, levels=True)
    for j in range(32):
        lo, hi = c.copy(), c.copy()
        lo[:, j], hi[:, j] = render.LEVEL_Z[1], render.LEVEL_Z[14]
        both_c, both_a = np.concatenate([lo, hi]), np.concatenate([at, at])
        g = models.generate(both_c, both_a)
        r = to_float(render.render_many(both_c, both_a, size)[0])
        dr = l1(r[:k], r[k:]).mean()  # some settings only show on some genomes (hair_length on long styles)
        code_ratio.append(float(l1(g[:k], g[k:]).mean() / dr) if dr > 2e-3 else float("nan"))
    out["code_sweep_ratio"] = {render.CODE_SETTINGS[j][0]: code_ratio[j] for j in range(32)}

    # 2: heredity
    if os.path.exists(a.vectors):
        cases, source = read_vectors(a.vectors), os.path.relpath(a.vectors, HERE)
    else:
        cases, source = simulate_breed(150 if a.quick else 500, rng), "simulated (breed.hex not found)"
    if a.quick:
        cases = cases[:150]
    stack = lambda i: (np.stack([cs[i][0] for cs in cases]), np.stack([cs[i][1] for cs in cases]))
    (mc, ma), (sc, sa), (cc, ca) = stack(0), stack(1), stack(2)
    her = {"source": source, "cases": len(cases)}
    n = len(cases)
    shuffle = rng.permutation(n)
    rand_other = np.empty(n, np.int64)
    rand_other[shuffle] = np.roll(shuffle, 1)  # every child gets another case's child
    for name, draw in (("generator", models.generate),
                       ("renderer", lambda c_, a_: to_float(render.render_many(c_, a_, size)[0]))):
        im_m, im_s, im_c = draw(mc, ma), draw(sc, sa), draw(cc, ca)
        near = np.minimum(l1(im_c, im_m), l1(im_c, im_s))
        rand = l1(im_c, im_c[rand_other])
        her[f"pixel_{name}"] = {"child_to_nearest_parent": float(near.mean()), "child_to_random": float(rand.mean()),
                                "ratio": float(near.mean() / rand.mean())}
        if name == "generator":
            p_m, p_s, p_c = (softmax(models.logits(x)).reshape(n, -1) for x in (im_m, im_s, im_c))
            dist = lambda x, y: np.linalg.norm(x - y, axis=1)
            near_f = np.minimum(dist(p_c, p_m), dist(p_c, p_s))
            rand_f = dist(p_c, p_c[rand_other])
            her["recognizer_generator"] = {"child_to_nearest_parent": float(near_f.mean()),
                                           "child_to_random": float(rand_f.mean()),
                                           "ratio": float(near_f.mean() / rand_f.mean())}
    out["heredity"] = her

    contact_sheet(models, a.sheet, np.random.RandomState(7), size)
    out["seconds"] = time.time() - t0
    with open(a.json, "w") as f:
        json.dump(out, f, indent=1)

    print(f"## Evaluation ({size}px, {a.n} random genomes, {out['seconds']:.0f}s)\n")
    print("| slot | fidelity (generated) | recognizer on renderer | distinct values read in a 16-value sweep | sweep spread gen/renderer |")
    print("|---|---|---|---|---|")
    for s in render.SLOT_NAMES:
        print(f"| {s} | {out['fidelity'][s]:.1%} | {out['recognizer_on_renderer'][s]:.1%} | "
              f"{slot_sweep[s]['distinct_values_read']:.2f} / 16 | {slot_sweep[s]['spread_ratio']:.2f} |")
    print(f"\nL1 generated vs renderer (held-out genomes): {out['l1']:.4f} (detail regions {out['l1_detail']:.4f}; "
          f"continuous codes {out['l1_continuous']:.4f})")
    print(f"diversity: {d_gen:.4f} generated / {d_ref:.4f} renderer = {out['diversity']['ratio']:.2f}")
    cr = np.array(code_ratio)
    print(f"code-gene sweeps (level 1 vs 14), generated/renderer change: min {np.nanmin(cr):.2f} "
          f"({render.CODE_SETTINGS[int(np.nanargmin(cr))][0]}), median {np.nanmedian(cr):.2f}, max {np.nanmax(cr):.2f}"
          f" ({int(np.isnan(cr).sum())} genes invisible on these base genomes)")
    for name in ("pixel_generator", "pixel_renderer", "recognizer_generator"):
        h = her[name]
        print(f"heredity {name}: nearest parent {h['child_to_nearest_parent']:.4f} / random {h['child_to_random']:.4f} "
              f"= {h['ratio']:.2f}   [{her['source']}, {her['cases']} cases]")


if __name__ == "__main__":
    main()
