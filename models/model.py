"""The two networks: the portrait generator (genome -> image) and the attribute recognizer (image ->
logits), plus their ONNX export. Shapes are the ones docs/genome.md fixes:

    Generator:  code f32[N, 32], attrs i64[N, 8]  ->  image f32[N, 3, H, W] in 0..1
    Recognizer: image f32[N, 3, H, W]             ->  logits f32[N, 8, 16]
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

N_CODE, N_SLOTS, N_VALUES = 32, 8, 16


class FiLMConv(nn.Module):
    """3x3 conv, then a per-channel scale and shift computed from the style vector, then SiLU."""

    def __init__(self, cin, cout, style_dim):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)
        self.film = nn.Linear(style_dim, 2 * cout)
        nn.init.zeros_(self.film.weight)
        nn.init.zeros_(self.film.bias)

    def forward(self, x, style):
        gamma, beta = self.film(style).unsqueeze(-1).unsqueeze(-1).chunk(2, dim=1)
        return F.silu(self.conv(x) * (1 + gamma) + beta)


class Generator(nn.Module):
    """A conditional decoder. The genome enters three ways:
      - a style vector w = MLP(code, attribute embeddings) that modulates every conv (FiLM);
      - an 8x8 map linearly projected from w (where things are: the code's geometry);
      - per-attribute learned templates: each (slot, value) owns a spatial feature map at 8x8 and
        16x16, summed over the 8 slots and fed in beside the features (what things look like)."""

    def __init__(self, size=128, widths=(192, 160, 112, 64, 32), style_dim=256, film_dim=128,
                 emb_dim=32, proj_ch=16, tmpl_ch=(32, 16)):
        super().__init__()
        self.size = size
        n_up = int(math.log2(size // 8))
        assert 8 * 2 ** n_up == size and n_up + 1 <= len(widths), "size must be 8 * 2^k with enough widths"
        widths = widths[len(widths) - (n_up + 1):] if n_up + 1 < len(widths) else widths
        self.embed = nn.Embedding(N_SLOTS * N_VALUES, emb_dim)
        self.mlp = nn.Sequential(nn.Linear(N_CODE + N_SLOTS * emb_dim, 512), nn.SiLU(),
                                 nn.Linear(512, style_dim), nn.SiLU())
        self.to_film = nn.Linear(style_dim, film_dim)
        self.proj_ch = proj_ch
        self.proj = nn.Linear(style_dim, proj_ch * 64)
        self.tmpl8 = nn.Parameter(torch.randn(N_SLOTS * N_VALUES, tmpl_ch[0], 8, 8) * 0.1)
        self.tmpl16 = nn.Parameter(torch.randn(N_SLOTS * N_VALUES, tmpl_ch[1], 16, 16) * 0.1)
        ys, xs = torch.meshgrid(torch.linspace(-1, 1, 8), torch.linspace(-1, 1, 8), indexing="ij")
        self.register_buffer("coords", torch.stack([xs, ys])[None], persistent=False)
        self.register_buffer("slot_offset", torch.arange(N_SLOTS) * N_VALUES, persistent=False)
        blocks = [nn.ModuleList([FiLMConv(proj_ch + tmpl_ch[0] + 2, widths[0], film_dim),
                                 FiLMConv(widths[0], widths[0], film_dim)])]
        for i in range(1, n_up + 1):
            cin = widths[i - 1] + (tmpl_ch[1] if i == 1 else 0)
            blocks.append(nn.ModuleList([FiLMConv(cin, widths[i], film_dim), FiLMConv(widths[i], widths[i], film_dim)]))
        self.blocks = nn.ModuleList(blocks)
        self.to_rgb = nn.Conv2d(widths[n_up], 3, 1)

    def raw(self, code, attrs):
        """The unclamped image (training uses this; gradients do not vanish at 0 and 1)."""
        n = code.shape[0]
        idx = attrs + self.slot_offset  # [N, 8] rows of the (slot, value) tables
        emb = self.embed(idx).reshape(n, -1)
        w = self.mlp(torch.cat([code, emb], dim=1))
        f = self.to_film(w)
        t8 = self.tmpl8[idx].sum(dim=1)
        t16 = self.tmpl16[idx].sum(dim=1)
        x = torch.cat([self.proj(w).reshape(n, self.proj_ch, 8, 8), t8, self.coords.expand(n, -1, -1, -1)], dim=1)
        for i, (a, b) in enumerate(self.blocks):
            if i > 0:
                x = F.interpolate(x, scale_factor=2.0, mode="nearest")
            if i == 1:
                x = torch.cat([x, t16], dim=1)
            x = b(a(x, f), f)
        return self.to_rgb(x) + 0.5

    def forward(self, code, attrs):
        return self.raw(code, attrs).clamp(0.0, 1.0)


class Recognizer(nn.Module):
    """A small VGG-style CNN: four conv stages with pooling, global average, one linear head."""

    def __init__(self, widths=(32, 64, 128, 192, 256)):
        super().__init__()
        layers, cin = [], 3
        for i, c in enumerate(widths):
            layers += [nn.Conv2d(cin, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU(inplace=True),
                       nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU(inplace=True)]
            if i < len(widths) - 1:
                layers.append(nn.MaxPool2d(2))
            cin = c
        self.features = nn.Sequential(*layers)
        self.head = nn.Linear(cin, N_SLOTS * N_VALUES)

    def forward(self, image):
        x = self.features(image).mean(dim=(2, 3))
        return self.head(x).reshape(-1, N_SLOTS, N_VALUES)


def n_params(model):
    return sum(p.numel() for p in model.parameters())


def export_generator(model, path, opset=17):
    model = model.float().eval().cpu()
    code = torch.zeros(2, N_CODE)
    attrs = torch.zeros(2, N_SLOTS, dtype=torch.int64)
    torch.onnx.export(model, (code, attrs), path, input_names=["code", "attrs"], output_names=["image"],
                      dynamic_axes={"code": {0: "N"}, "attrs": {0: "N"}, "image": {0: "N"}},
                      opset_version=opset, dynamo=False)


def export_recognizer(model, path, size, opset=17):
    model = model.float().eval().cpu()
    image = torch.zeros(2, 3, size, size)
    torch.onnx.export(model, (image,), path, input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "N"}, "logits": {0: "N"}}, opset_version=opset, dynamo=False)
    fix_logits_shape(path)


def fix_logits_shape(path):
    """The exporter leaves the reshaped output's dims symbolic; write down [N, 8, 16]."""
    import onnx
    m = onnx.load(path)
    dims = m.graph.output[0].type.tensor_type.shape.dim
    dims[1].dim_value, dims[2].dim_value = N_SLOTS, N_VALUES
    onnx.checker.check_model(m)
    onnx.save(m, path)
