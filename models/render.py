"""The training world: a procedural renderer of cartoon busts driven by exactly the genome.

A portrait is a pure function of (code, attrs):
  code  — 32 floats on the standard-normal scale (the z of each code gene's main level); each one
          drives one continuous drawing setting, listed in CODE_SETTINGS below (and in README.md);
  attrs — 8 ints in 0..15, the main value of each named attribute slot (docs/genome.md).

Everything is drawn as polygons in a head-local frame at SS x the output size, then box-filtered
down (antialiasing). The renderer also draws a mask of the small features (eyes, brows, mouth,
accessory, the small parts of headwear, braids) that the generator's loss weights up.

    python render.py --n 60000 --size 128 --out data/train128 --seed 0     # the training set
    python render.py --preview preview.png --size 128                      # a sheet to look at
"""
import argparse
import colorsys
import math
import os
import time
from multiprocessing import Pool

import numpy as np
from PIL import Image, ImageDraw

# ---------------------------------------------------------------------------------------------
# The genome's vocabulary (docs/genome.md, in slot order; index = attribute value)
SLOTS = {
    "hair_colour": "black dark_brown chestnut auburn red copper golden blonde platinum silver white pink lavender blue teal green",
    "hair_style": "bald buzz_cut short bob long ponytail twin_tails top_bun mohawk afro curly spiky side_swept braids wavy pixie",
    "eye_colour": "brown dark_brown hazel amber green emerald blue sky_blue grey violet red gold teal pink black ice",
    "skin_tone": "porcelain fair light beige tan olive caramel brown umber ebony rose lilac mint sky ash gold",
    "expression": "neutral smile grin laugh smirk surprised sad angry wink sleepy blush pout tongue_out worried determined shy",
    "headwear": "none cap beanie top_hat crown bow headband flower horns cat_ears bunny_ears halo helmet beret wizard_hat tiara",
    "accessory": "none round_glasses square_glasses sunglasses monocle eye_patch goggles visor heart_glasses star_glasses mask face_paint bandage freckles earrings scar",
    "background": "cream sky mint peach lavender rose lemon slate navy forest crimson charcoal stripes dots sunburst gradient",
}
SLOT_NAMES = list(SLOTS)
VALUE_NAMES = [SLOTS[s].split() for s in SLOT_NAMES]
assert all(len(v) == 16 for v in VALUE_NAMES)

# z of each level: Φ⁻¹((v + 0.5) / 16), the table of docs/genome.md
LEVEL_Z = np.array([-1.8627, -1.3180, -1.0100, -0.7764, -0.5791, -0.4023, -0.2372, -0.0784,
                    0.0784, 0.2372, 0.4023, 0.5791, 0.7764, 1.0100, 1.3180, 1.8627], np.float32)

# The 32 code genes: index -> (setting, what it changes). The amplitudes live in `settings()`.
CODE_SETTINGS = [
    ("face_width", "half-width of the face"),
    ("face_length", "half-height of the face"),
    ("chin_taper", "round jaw (low) to pointed chin (high)"),
    ("head_tilt", "rotation of the whole head about the neck, about ±12°"),
    ("head_x", "horizontal position of the character"),
    ("head_y", "vertical position of the head (the neck stretches)"),
    ("head_scale", "size of the head"),
    ("eye_size", "size of both eyes"),
    ("eye_spacing", "distance between the eyes"),
    ("eye_height", "vertical position of the eyes"),
    ("iris_size", "iris radius relative to the eye"),
    ("brow_weight", "eyebrow thickness"),
    ("brow_height", "eyebrow distance above the eyes"),
    ("nose_size", "nose size"),
    ("nose_width", "narrow long nose (low) to wide short nose (high)"),
    ("mouth_width", "mouth width"),
    ("mouth_height", "vertical position of the mouth"),
    ("ear_size", "ear size"),
    ("neck_width", "neck width"),
    ("shoulder_width", "shoulder width"),
    ("clothing_hue", "clothing hue, Φ(z) around the colour wheel"),
    ("clothing_shade", "clothing lightness"),
    ("clothing_saturation", "clothing saturation"),
    ("neckline", "depth of the V neckline"),
    ("hair_length", "length of the long styles (bob, long, wavy, braids, tails)"),
    ("hair_volume", "how far the hair stands off the head"),
    ("fringe_depth", "how far the fringe comes down the forehead"),
    ("hair_part", "sideways offset of the part / fringe"),
    ("cheek_shadow", "strength of the shadow on the face's right side"),
    ("background_light", "soft light behind the head (darker to brighter)"),
    ("line_weight", "outline thickness"),
    ("eye_shape", "narrow (low) to round (high) eyes"),
]
assert len(CODE_SETTINGS) == 32

# ---------------------------------------------------------------------------------------------
# Palettes (RGB). Chosen far apart so that every value survives at 64-128 px.
HAIR = [(22, 22, 26), (72, 44, 26), (128, 62, 30), (150, 40, 40), (214, 50, 28), (206, 110, 46),
        (222, 170, 40), (248, 226, 130), (236, 236, 206), (160, 168, 186), (252, 252, 252),
        (252, 120, 190), (184, 150, 232), (40, 90, 220), (0, 150, 150), (40, 160, 60)]
EYES = [(150, 86, 36), (76, 42, 18), (140, 128, 50), (228, 132, 0), (110, 200, 40), (0, 120, 70),
        (30, 60, 220), (100, 190, 255), (128, 132, 138), (150, 60, 220), (225, 20, 30),
        (250, 215, 40), (0, 170, 170), (255, 110, 190), (12, 12, 12), (205, 240, 255)]
SKIN = [(255, 238, 228), (250, 218, 190), (236, 196, 156), (222, 184, 140), (204, 150, 100),
        (178, 160, 96), (180, 116, 64), (136, 86, 54), (100, 62, 38), (62, 40, 28),
        (246, 160, 176), (196, 166, 232), (160, 228, 184), (150, 196, 246), (160, 160, 160),
        (232, 190, 50)]
BACKGROUND = [(250, 240, 214), (140, 200, 246), (176, 240, 204), (255, 196, 160), (204, 184, 244),
              (244, 160, 186), (250, 240, 120), (104, 120, 144), (28, 42, 104), (30, 92, 50),
              (168, 18, 40), (48, 48, 54)]
INK = (34, 24, 28)          # outline colour
UNIT = 0.19                 # canvas size of one head-local unit (the face is about 2 units wide)
WHITE = (255, 255, 255)


def phi(z):
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def settings(code):
    """The drawing settings of one code vector (32 z values). Amplitudes are per unit of z."""
    z = [max(-2.5, min(2.5, float(v))) for v in code]
    s = {}
    s["face_w"] = 1.0 + 0.07 * z[0]
    s["face_h"] = 1.18 + 0.06 * z[1]
    s["chin"] = 0.22 + 0.08 * z[2]
    s["tilt"] = math.radians(6.5 * z[3])
    s["head_x"] = 0.5 + 0.028 * z[4]
    s["head_y"] = 0.53 + 0.018 * z[5]
    s["scale"] = 1.0 + 0.045 * z[6]
    s["eye_w"] = 0.29 * (1.0 + 0.07 * z[7])
    s["eye_dx"] = 0.42 + 0.035 * z[8]
    s["eye_y"] = 0.02 + 0.04 * z[9]
    s["iris"] = 0.80 + 0.05 * z[10]
    s["brow_t"] = 0.09 * (1.0 + 0.2 * z[11])
    s["brow_gap"] = 0.14 + 0.035 * z[12]
    s["nose"] = 0.11 * (1.0 + 0.15 * z[13])
    s["nose_wide"] = 0.5 + 0.2 * z[14]
    s["mouth_w"] = 0.27 * (1.0 + 0.09 * z[15])
    s["mouth_y"] = 0.60 + 0.035 * z[16]
    s["ear"] = 1.0 + 0.12 * z[17]
    s["neck_w"] = 0.40 * (1.0 + 0.1 * z[18])
    s["shoulder"] = 0.36 * (1.0 + 0.07 * z[19])
    s["cloth"] = colorsys.hsv_to_rgb(phi(z[20]), 0.35 + 0.5 * phi(z[22]), 0.3 + 0.6 * phi(z[21]))
    s["neckline"] = 0.25 + 0.12 * z[23]
    s["hair_len"] = 0.5 * z[24]
    s["hair_vol"] = 1.0 + 0.12 * z[25]
    s["fringe"] = 0.1 * z[26]
    s["part"] = 0.12 * z[27]
    s["shadow"] = 0.10 + 0.06 * z[28]
    s["bg_light"] = 0.06 * z[29]
    s["lw"] = 0.05 * (1.0 + 0.15 * z[30])
    s["eye_round"] = 0.82 + 0.07 * z[31]
    return s


# ---------------------------------------------------------------------------------------------
# Geometry helpers: shapes are lists of (x, y) in a local frame; `Pen` maps them to pixels.

def ellipse(cx, cy, rx, ry, rot=0.0, n=40, a0=0.0, a1=2 * math.pi):
    c, s = math.cos(rot), math.sin(rot)
    pts = []
    for i in range(n + 1 if a1 - a0 < 2 * math.pi - 1e-6 else n):
        a = a0 + (a1 - a0) * i / (n if a1 - a0 < 2 * math.pi - 1e-6 else n)
        x, y = rx * math.cos(a), ry * math.sin(a)
        pts.append((cx + c * x - s * y, cy + s * x + c * y))
    return pts


def star(cx, cy, r_out, r_in, k=5, rot=-math.pi / 2):
    return [(cx + (r_out if i % 2 == 0 else r_in) * math.cos(rot + i * math.pi / k),
             cy + (r_out if i % 2 == 0 else r_in) * math.sin(rot + i * math.pi / k)) for i in range(2 * k)]


def clip_circle(x, y, r, cx, cy, a, b, n=28):
    """The circle (x, y, r) cut to the ellipse (cx, cy, a, b); (x, y) must lie inside the ellipse."""
    u, v = (x - cx) / a, (y - cy) / b
    pts = []
    for i in range(n):
        t = 2 * math.pi * i / n
        du, dv = math.cos(t) / a, math.sin(t) / b
        A, B, C = du * du + dv * dv, 2 * (u * du + v * dv), u * u + v * v - 1
        reach = (-B + math.sqrt(max(0.0, B * B - 4 * A * C))) / (2 * A)
        d = min(r, reach)
        pts.append((x + d * math.cos(t), y + d * math.sin(t)))
    return pts


def heart(cx, cy, r, n=40):
    pts = []
    for i in range(n):
        t = 2 * math.pi * i / n
        x = 16 * math.sin(t) ** 3
        y = -(13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t))
        pts.append((cx + r * x / 16, cy + r * (y + 2) / 16))
    return pts


def rect(cx, cy, hw, hh, rot=0.0):
    c, s = math.cos(rot), math.sin(rot)
    return [(cx + c * x - s * y, cy + s * x + c * y) for x, y in ((-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh))]


def shade(c, f):
    return tuple(max(0, min(255, int(round(v * f)))) for v in c)


def mix(a, b, t):
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))


class Pen:
    """Draws local-frame shapes onto the image (and, when asked, onto the detail mask)."""

    def __init__(self, img, mask, res):
        self.d = ImageDraw.Draw(img, "RGBA")
        self.m = ImageDraw.Draw(mask)
        self.res = res
        self.frame(0.0, 0.0, 1.0, 0.0)
        self.lw = 0.05

    def frame(self, ox, oy, unit, rot):
        """Local (x, y) -> canvas (ox, oy) + unit * R(rot) (x, y); canvas is the unit square."""
        self.ox, self.oy, self.unit, self.c, self.s = ox, oy, unit, math.cos(rot), math.sin(rot)

    def px(self, pts):
        r, u = self.res, self.unit
        return [((self.ox + u * (self.c * x - self.s * y)) * r, (self.oy + u * (self.s * x + self.c * y)) * r) for x, y in pts]

    def width(self, w):
        return max(1, int(round(w * self.unit * self.res)))

    def poly(self, pts, fill, outline=True, mask=False, lw=None):
        p = self.px(pts)
        self.d.polygon(p, fill=fill)
        if outline:
            w = self.width(self.lw if lw is None else lw)
            self.d.line(p + [p[0]], fill=INK, width=w, joint="curve")
        if mask:
            self.m.polygon(p, fill=255)
            self.m.line(p + [p[0]], fill=255, width=self.width(0.06))

    def line(self, pts, color=INK, w=None, mask=False, closed=False):
        p = self.px(pts)
        if closed:
            p = p + [p[0]]
        ww = self.width(self.lw if w is None else w)
        self.d.line(p, fill=color, width=ww, joint="curve")
        if mask:
            self.m.line(p, fill=255, width=ww + self.width(0.06))

    def dot(self, x, y, r, fill, mask=False, outline=False):
        self.poly(ellipse(x, y, r, r, n=16), fill, outline=outline, mask=mask)


# ---------------------------------------------------------------------------------------------
# The parts of a bust, back to front.

def draw_background(img, bg, s, res):
    d = ImageDraw.Draw(img)
    if bg < 12:
        d.rectangle([0, 0, res, res], fill=BACKGROUND[bg])
    elif bg == 12:  # stripes: diagonal teal on white
        d.rectangle([0, 0, res, res], fill=(250, 246, 236))
        step = res / 7
        for k in range(-8, 9):
            x0 = k * step
            d.polygon([(x0, 0), (x0 + step / 2, 0), (x0 + step / 2 + res, res), (x0 + res, res)], fill=(90, 190, 190))
    elif bg == 13:  # dots: yellow dots on orange
        d.rectangle([0, 0, res, res], fill=(240, 116, 56))
        step = res / 6
        for j in range(7):
            for i in range(7):
                cx = (i + (0.5 if j % 2 else 0)) * step
                cy = j * step
                r = step * 0.24
                d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(252, 220, 70))
    elif bg == 14:  # sunburst: rays from behind the head
        d.rectangle([0, 0, res, res], fill=(255, 210, 110))
        cx, cy = res * s["head_x"], res * 0.45
        for k in range(0, 16, 2):
            a0, a1 = k * math.pi / 8, (k + 1) * math.pi / 8
            d.polygon([(cx, cy), (cx + 2 * res * math.cos(a0), cy + 2 * res * math.sin(a0)),
                       (cx + 2 * res * math.cos(a1), cy + 2 * res * math.sin(a1))], fill=(250, 150, 60))
    else:  # gradient: violet top to peach bottom
        top, bot = np.array([80, 50, 170], np.float32), np.array([252, 160, 100], np.float32)
        t = np.linspace(0, 1, res, dtype=np.float32)[:, None, None]
        grad = (top + (bot - top) * t).repeat(res, axis=1)
        img.paste(Image.fromarray(grad.astype(np.uint8)))
    # soft light (or shade) behind the head
    a = int(abs(s["bg_light"]) * 255 * 1.2)
    if a > 0:
        glow = Image.new("L", (res, res), 0)
        gd = ImageDraw.Draw(glow)
        cx, cy, rr = res * s["head_x"], res * 0.42, res * 0.42
        for i in range(8):
            r = rr * (1 - i / 8)
            gd.ellipse([cx - r, cy - r, cx + r, cy + r], fill=int(a * (i + 1) / 8))
        over = Image.new("RGB", (res, res), (255, 255, 255) if s["bg_light"] > 0 else (0, 0, 0))
        img.paste(over, (0, 0), glow)


def face_outline(s, n=64):
    """The face polygon: an ellipse whose lower half narrows towards the chin."""
    W, H, k = s["face_w"], s["face_h"], s["chin"]
    pts = []
    for i in range(n):
        a = 2 * math.pi * i / n
        x, y = W * math.cos(a), H * math.sin(a)
        if y > 0:
            x *= 1 - k * (y / H) ** 2
        pts.append((x, y))
    return pts


def face_half_width(s, y):
    W, H = s["face_w"], s["face_h"]
    return W * math.sqrt(max(0.0, 1 - (y / H) ** 2))


def hair_top(style, s, headwear):
    """How far above the face's centre the hair reaches (local units): where headwear sits. Hats
    perch on a crest or bun; ears, horns, bows and bands sit on the skull beside it."""
    H, v = s["face_h"], s["hair_vol"]
    if headwear in (5, 6, 7, 8, 9, 10, 15) and style in (7, 8):
        return -(H + 0.1 * v)
    extra = {0: 0.0, 1: 0.06, 2: 0.2, 3: 0.22, 4: 0.2, 5: 0.1, 6: 0.1, 7: 0.62, 8: 0.72, 9: 0.6,
             10: 0.32, 11: 0.6, 12: 0.28, 13: 0.12, 14: 0.24, 15: 0.14}[style]
    return -(H + extra * v)


def cap_polygon(s, vol, side_y, fringe):
    """Hair covering the top of the head: an outer arc `vol` off the skull down to `side_y` on both
    sides, closed along `fringe` (points from the right side to the left, across the forehead)."""
    W, H = s["face_w"], s["face_h"]
    outer = []
    a_side = math.asin(max(-1.0, min(1.0, side_y / (H + vol))))
    for i in range(33):  # from the left side over the top to the right side
        a = (math.pi - a_side) + (math.pi + 2 * a_side) * i / 32
        outer.append(((W + vol) * math.cos(a), (H + vol) * math.sin(a)))
    return outer + fringe


def fringe_line(s, hairline, side_y, kind, part=0.0, n=24):
    """The inner edge of the hair, from the right temple across the forehead to the left temple."""
    W = s["face_w"]
    lowest = s["eye_y"] - s["eye_w"] * s["eye_round"] * 1.15 - s["brow_gap"] - 0.1  # brows stay visible
    pts = [(face_half_width(s, side_y) * 0.98, side_y)]
    for i in range(n + 1):
        t = i / n
        x = W * 0.98 * (1 - 2 * t)
        y = hairline
        if kind == "scallop":
            y += 0.16 * abs(math.sin(3 * math.pi * t))
        elif kind == "straight":
            y += 0.0
        elif kind == "swoop":  # long diagonal sweep, deepest on the left
            y += 0.45 * t ** 1.5 - 0.1
        elif kind == "wisps":
            y += 0.22 * (1 - abs(((t * 5) % 1) * 2 - 1)) * (0.4 + 0.6 * t)
        elif kind == "part":
            y -= 0.35 * math.exp(-((x - part) / 0.18) ** 2)
        elif kind == "high":
            y -= 0.12 * (1 - (2 * t - 1) ** 2)
        pts.append((x, min(y, lowest)))
    pts.append((-face_half_width(s, side_y) * 0.98, side_y))
    return pts


def draw_back_hair(pen, style, col, s):
    W, H, v, L = s["face_w"], s["face_h"], s["hair_vol"], s["hair_len"]
    dark = shade(col, 0.78)
    if style == 3:  # bob: rounded block to the jaw
        bottom = 0.85 + 0.15 * L
        pts = ellipse(0, -0.15, (W + 0.3) * v, H + 0.25, a0=math.pi, a1=2 * math.pi, n=24)
        pts = [(pts[-1][0], bottom)] + [(x, y) for x, y in reversed(pts)] + [(pts[0][0], bottom)]
        pen.poly(pts, col)
    elif style == 4:  # long: straight curtain down past the shoulders
        bottom = 2.3 + 0.3 * L
        pts = ellipse(0, -0.1, (W + 0.25) * v, H + 0.25, a0=math.pi, a1=2 * math.pi, n=24)
        pts = [(pts[-1][0] + 0.1, bottom)] + list(reversed(pts)) + [(pts[0][0] - 0.1, bottom)]
        pen.poly(pts, col)
        for x in (-0.9, -0.6, 0.6, 0.9):
            pen.line([(x * v * 1.2, 0.5), (x * v * 1.25, bottom - 0.1)], dark, w=0.04)
    elif style == 5:  # ponytail: a tail out to the right, tied
        tail = [(0.7, -0.9), (1.45, -0.8), (1.75, -0.2), (1.7, 0.7 + 0.3 * L), (1.45, 1.3 + 0.4 * L),
                (1.3, 0.7), (1.1, 0.0), (0.8, -0.4)]
        pen.poly([(x * v ** 0.5, y) for x, y in tail], col)
    elif style == 6:  # twin tails: one each side, tied high
        for sx in (-1, 1):
            tail = [(0.75, -0.85), (1.3, -0.95), (1.75, -0.4), (1.85, 0.5 + 0.3 * L), (1.6, 1.3 + 0.4 * L),
                    (1.45, 0.6), (1.2, -0.1), (0.9, -0.5)]
            pen.poly([(sx * x * v ** 0.5, y) for x, y in tail], col)
    elif style == 9:  # afro: a big cloud of bumps
        R = 1.55 * v
        cy = -0.45
        pen.poly(ellipse(0, cy, R, R * 0.95, n=48), col, outline=False)
        for i in range(18):
            a = 2 * math.pi * i / 18
            pen.dot(R * math.cos(a) * 0.92, cy + R * 0.9 * math.sin(a), 0.3, col, outline=False)
        outer = []
        for i in range(90):
            a = 2 * math.pi * i / 90
            r = R + 0.22 + 0.07 * math.cos(18 * a)
            outer.append((r * math.cos(a), cy + 0.95 * r * math.sin(a)))
        pen.poly(outer, col)
    elif style == 10:  # curly: ringlets around the head down to the ears
        for i in range(15):
            a = math.pi * 0.92 + math.pi * 1.16 * i / 14
            x, y = (W + 0.18 * v) * math.cos(a), (H + 0.15 * v) * math.sin(a)
            pen.dot(x, y, 0.28, col, outline=True)
        for sx in (-1, 1):
            for j in range(3):
                pen.dot(sx * (W + 0.12), 0.1 + 0.35 * j, 0.26, col, outline=True)
    elif style == 13:  # braids: a back mass to the jaw (the braids themselves are drawn in front)
        pts = ellipse(0, -0.1, W + 0.2, H + 0.2, a0=math.pi, a1=2 * math.pi, n=24)
        pts = [(pts[-1][0], 0.6)] + list(reversed(pts)) + [(pts[0][0], 0.6)]
        pen.poly(pts, col)
    elif style == 14:  # wavy: shoulder length with rippling edges
        bottom = 1.6 + 0.3 * L
        left, right = [], []
        for i in range(21):
            y = -0.3 + (bottom + 0.3) * i / 20
            wob = 0.14 * math.sin(2 * math.pi * i / 5)
            left.append((-(W + 0.3) * v - 0.1 * i / 20 + wob, y))
            right.append(((W + 0.3) * v + 0.1 * i / 20 + wob, y))
        top = ellipse(0, -0.3, (W + 0.3) * v, H + 0.2, a0=math.pi, a1=2 * math.pi, n=20)
        pen.poly(top + right + list(reversed(left)), col)
        for k in range(9):
            x = -0.9 + 0.225 * k
            if abs(x) > 0.75:
                pen.line([(x * v * 1.15 + 0.1 * math.sin(j), 0.2 + 0.25 * j) for j in range(7)], dark, w=0.04)


def draw_front_hair(pen, style, col, s):
    W, H, v, L, f, part = s["face_w"], s["face_h"], s["hair_vol"], s["hair_len"], s["fringe"], s["part"]
    dark = shade(col, 0.72)
    if style == 0:  # bald: a shine on the scalp
        pen.poly(ellipse(-0.35, -0.85, 0.22, 0.1, rot=-0.5), (255, 255, 255, 110), outline=False)
        return
    if style == 1:  # buzz cut: tight, high straight hairline, stubble texture
        pts = cap_polygon(s, 0.06, -0.25, fringe_line(s, -0.72 - 0.5 * f, -0.25, "high"))
        pen.poly(pts, mix(col, (128, 128, 128), 0.12))
        for i in range(14):
            a = math.pi * 1.15 + math.pi * 0.7 * i / 13
            pen.dot(0.8 * W * math.cos(a), -0.55 + 0.5 * H * math.sin(a), 0.035, dark)
        return
    if style == 2:  # short: scalloped fringe, sideburns
        pen.poly(cap_polygon(s, 0.2 * v, 0.05, fringe_line(s, -0.62 + f, 0.05, "scallop")), col)
    elif style == 3:  # bob: straight-cut bangs and curtains over the ears
        pen.poly(cap_polygon(s, 0.28 * v, 0.55, fringe_line(s, -0.42 + f, 0.55, "straight")), col)
    elif style == 4:  # long: middle part, forehead visible
        pen.poly(cap_polygon(s, 0.22 * v, 0.9, fringe_line(s, -0.55 + 0.5 * f, 0.9, "part", part)), col)
        pen.line([(part, -H - 0.2), (part, -0.85)], dark, w=0.05)
    elif style in (5, 6, 13):  # slicked back for tails and braids
        pen.poly(cap_polygon(s, 0.1 * v, -0.1, fringe_line(s, -0.7 + 0.5 * f, -0.1, "part", part)), col)
        for k in (-0.4, 0.0, 0.4):
            pen.line([(k + part * 0.3, -0.95), (k * 1.5 + part * 0.3, -H - 0.05)], dark, w=0.035)
        if style == 5:
            pen.poly(rect(1.08 * v ** 0.5, -0.62, 0.13, 0.1, rot=0.7), (230, 40, 60))
        if style == 6:
            for sx in (-1, 1):
                pen.poly(rect(sx * 1.0 * v ** 0.5, -0.72, 0.13, 0.1, rot=-0.6 * sx), (230, 40, 60))
        if style == 13:  # two braids down the front of the shoulders
            for sx in (-1, 1):
                n = 6 + int(round(max(-2, min(2, 2 * L))))
                for j in range(n):
                    cx = sx * (W * 0.95 + 0.05 * j)
                    pen.poly(ellipse(cx, 0.3 + 0.3 * j, 0.19, 0.2, rot=0.4 * (1 if j % 2 else -1)), col, mask=True)
                pen.poly(rect(sx * (W * 0.95 + 0.05 * n), 0.2 + 0.3 * n, 0.12, 0.07), (230, 40, 60), mask=True)
    elif style == 7:  # top bun
        pen.poly(cap_polygon(s, 0.1 * v, -0.1, fringe_line(s, -0.7 + 0.5 * f, -0.1, "high")), col)
        pen.dot(0, -H - 0.35 * v, 0.36 * v, col, outline=True)
        pen.line(ellipse(0, -H - 0.05, 0.25, 0.06, a0=0, a1=math.pi, n=10), dark, w=0.05)
    elif style == 8:  # mohawk: shaved sides, a tall crest of spikes
        pen.poly(cap_polygon(s, 0.03, -0.3, fringe_line(s, -0.8, -0.3, "high")), mix(col, (255, 255, 255), 0.55), outline=False)
        crest = [(-0.28, -H + 0.35)]
        for i in range(5):
            x0 = -0.28 + 0.112 * i
            crest += [(x0 + 0.056, -H - 0.72 * v * (1 - 0.12 * abs(i - 2))), (x0 + 0.112, -H - 0.15)]
        crest += [(0.28, -H + 0.35)]
        pen.poly(crest, col)
    elif style == 9:  # afro: hairline only (the mass is behind)
        pen.poly(cap_polygon(s, 0.1, -0.1, fringe_line(s, -0.6 + 0.5 * f, -0.1, "high")), col, outline=False)
    elif style == 10:  # curly: curls across the forehead
        pen.poly(cap_polygon(s, 0.16 * v, -0.05, fringe_line(s, -0.72 + f, -0.05, "high")), col)
        for i in range(5):
            pen.dot(-0.64 + 0.32 * i, -0.72 + f, 0.2, col, outline=True)
            pen.line(ellipse(-0.64 + 0.32 * i, -0.72 + f, 0.09, 0.09, a0=0.5, a1=4.5, n=8), dark, w=0.035)
    elif style == 11:  # spiky: spikes radiating off the crown
        pen.poly(cap_polygon(s, 0.15, 0.0, fringe_line(s, -0.6 + f, 0.0, "wisps")), col)
        spikes = []
        for i in range(9):
            a0 = math.pi * 1.0 + math.pi * i / 9
            a1 = a0 + math.pi / 18
            a2 = a0 + math.pi / 9
            r0, r1 = 1.0, 1.0 + 0.62 * v
            spikes += [((W + 0.1) * r0 * math.cos(a0), (H + 0.1) * r0 * math.sin(a0)),
                       ((W + 0.1) * r1 * math.cos(a1), (H + 0.1) * r1 * math.sin(a1)),
                       ((W + 0.1) * r0 * math.cos(a2), (H + 0.1) * r0 * math.sin(a2))]
        pen.poly(spikes + [(W * 0.9, 0.0), (-W * 0.9, 0.0)], col)
        pen.poly(cap_polygon(s, 0.1, 0.0, fringe_line(s, -0.6 + f, 0.0, "wisps")), col, outline=False)
    elif style == 12:  # side swept: a long smooth swoop over the forehead
        pen.poly(cap_polygon(s, 0.25 * v, 0.1, fringe_line(s, -0.7 + f * 0.5 + part * 0.3, 0.1, "swoop")), col)
        pen.line([(0.7, -1.1), (0.1, -0.85), (-0.6, -0.5)], dark, w=0.04)
    elif style == 14:  # wavy: side part with soft waves
        pts = cap_polygon(s, 0.26 * v, 0.7, fringe_line(s, -0.62 + 0.5 * f, 0.7, "part", 0.35 + part))
        pen.poly(pts, col)
        for sx in (-1, 1):
            pen.line([(sx * (0.55 + 0.08 * math.sin(j * 1.6)), -1.0 + 0.2 * j) for j in range(5)], dark, w=0.04)
    elif style == 15:  # pixie: cropped, pointed wisps swept to one side, pointed sideburns
        pen.poly(cap_polygon(s, 0.12 * v, 0.25, fringe_line(s, -0.62 + f, 0.25, "wisps")), col)
        for sx in (-1, 1):
            pen.poly([(sx * W * 0.93, -0.1), (sx * W * 0.99, 0.4), (sx * W * 0.8, -0.05)], col)
    # sideburns for the short styles
    if style in (2, 12):
        for sx in (-1, 1):
            pen.poly(rect(sx * (face_half_width(s, 0.15) - 0.05), 0.1, 0.07, 0.15), col, outline=False)


def draw_torso(pen, s, skin):
    x0, y0 = s["head_x"], s["head_y"] + UNIT * s["scale"] * (s["face_h"] + 0.45)
    cloth = tuple(int(255 * c) for c in s["cloth"])
    sw = s["shoulder"]
    pen.frame(x0, 0.0, 1.0, 0.0)
    top = max(y0, 0.80)
    body = [(-sw, 1.05), (-sw, top + 0.1), (-sw + 0.07, top + 0.01), (-0.06, top - 0.005), (0.06, top - 0.005),
            (sw - 0.07, top + 0.01), (sw, top + 0.1), (sw, 1.05)]
    pen.lw = s["lw"] * UNIT
    pen.poly(body, cloth)
    pen.poly([(-sw * 0.55, top + 0.09), (-sw * 0.5, 1.05), (-sw * 0.62, 1.05)], shade(cloth, 0.75), outline=False)
    # neck (stretches down from the head) and neckline
    nw = s["neck_w"] * UNIT * s["scale"]
    pen.poly([(-nw, s["head_y"] + 0.05), (nw, s["head_y"] + 0.05), (nw, top + 0.02), (-nw, top + 0.02)], skin)
    depth = s["neckline"] * UNIT
    pen.poly([(-nw * 1.25, top - 0.004), (nw * 1.25, top - 0.004), (0, top + max(0.012, depth))], skin, outline=False)
    pen.line([(-nw * 1.4, top - 0.006), (0, top + max(0.012, depth)), (nw * 1.4, top - 0.006)], w=pen.lw * 1.1)
    pen.poly([(-nw * 0.95, top - 0.03), (nw * 0.95, top - 0.03), (nw * 0.95, top - 0.005), (-nw * 0.95, top - 0.005)],
             shade(skin, 0.85), outline=False)


def eye_box(s, expr):
    ew = s["eye_w"] * (1.15 if expr == 5 else 1.0)
    eh = ew * s["eye_round"] * (1.15 if expr == 5 else 1.0)
    return ew, eh


def draw_eyes(pen, s, eye_col, expr, skin):
    ew, eh = eye_box(s, expr)
    ir = min(ew, eh) * s["iris"] * (0.85 if expr == 5 else 1.0)
    for sx in (-1, 1):
        cx, cy = sx * s["eye_dx"], s["eye_y"]
        if expr == 8 and sx == -1:  # wink: the left eye is closed, a sparkle below it (seen past an eye patch)
            pen.line(ellipse(cx, cy + 0.02, ew * 0.9, eh * 0.6, a0=math.pi * 1.1, a1=math.pi * 1.9, n=12), w=0.07, mask=True)
            pen.poly(star(cx - 0.1, cy + max(ew, eh) * 1.3 + 0.2, 0.17, 0.06, k=4), (255, 210, 0), mask=True, lw=0.03)
            continue
        pen.poly(ellipse(cx, cy, ew, eh), WHITE, mask=True)
        gx, gy = (-0.35 * ew, 0.3 * eh) if expr == 15 else (0.0, 0.0)  # shy: looking down and away
        ix, iy = cx + gx, cy + gy
        inside = lambda x, y, r: clip_circle(x, y, r, cx, cy, ew, eh)  # iris parts stay in the eye
        pen.poly(inside(ix, iy, ir), eye_col, lw=0.035)
        pen.poly(inside(ix, iy, ir * 0.42), (8, 8, 10), outline=False)
        pen.poly(inside(ix - ir * 0.38, iy - ir * 0.38, ir * 0.22), WHITE, outline=False)
        pen.line(ellipse(cx, cy, ew, eh), w=0.05, closed=True)
        if expr == 9:  # sleepy: heavy upper lids over half the eye
            lid = ellipse(cx, cy, ew * 1.04, eh * 1.04, a0=math.pi, a1=2 * math.pi, n=20)
            pen.poly(lid + [(cx + ew * 1.04, cy + 0.05 * eh), (cx - ew * 1.04, cy + 0.05 * eh)], shade(skin, 0.92), outline=False)
            pen.line([(cx - ew * 1.04, cy + 0.05 * eh), (cx + ew * 1.04, cy + 0.05 * eh)], w=0.06)
        else:  # upper lash line
            pen.line(ellipse(cx, cy, ew, eh, a0=math.pi * 1.05, a1=math.pi * 1.95, n=14), w=0.07)


BROWS = {  # expression -> (inner dy, outer dy): negative = up
    5: (-0.12, -0.12), 6: (-0.1, 0.05), 13: (-0.12, 0.04), 7: (0.1, -0.1), 14: (0.08, -0.07),
    3: (-0.07, -0.07), 2: (-0.03, -0.03), 9: (0.03, 0.03),
}


def draw_brows(pen, s, expr, hair_col, skin):
    ew, eh = eye_box(s, expr)
    di, do = BROWS.get(expr, (0.0, 0.0))
    for sx in (-1, 1):  # brows in the hair colour, inked round: they carry the colour when bald
        cx = sx * s["eye_dx"]
        y = s["eye_y"] - eh - s["brow_gap"]
        inner = (cx - sx * ew * 0.8, y + di)
        outer = (cx + sx * ew * 0.9, y + do)
        mid = ((inner[0] + outer[0]) / 2, (inner[1] + outer[1]) / 2 - 0.04)
        w = s["brow_t"] * (1.35 if expr in (7, 14) else 1.0)
        pen.line([inner, mid, outer], INK, w=w + 0.06, mask=True)
        pen.line([inner, mid, outer], hair_col, w=w)


def draw_mouth(pen, s, expr, skin):
    mw, my = s["mouth_w"], s["mouth_y"]
    dark, red, teeth, tongue = (90, 20, 30), (200, 50, 70), (255, 255, 250), (240, 100, 120)
    m = dict(mask=True)
    if expr == 0:  # neutral
        pen.line([(-mw * 0.6, my), (mw * 0.6, my)], w=0.06, **m)
    elif expr in (1, 8, 10):  # smile (also wink, blush)
        pen.line([(x, my - 0.1 * (x / mw) ** 2 + 0.02) for x in np.linspace(-mw, mw, 12)], w=0.065, **m)
    elif expr == 2:  # grin: wide, teeth showing
        top = [(x, my - 0.06 - 0.06 * (x / (mw * 1.2)) ** 2) for x in np.linspace(-mw * 1.2, mw * 1.2, 12)]
        bot = [(x, my - 0.12 + 0.2 * (1 - (x / (mw * 1.2)) ** 2) ** 0.7) for x in np.linspace(mw * 1.2, -mw * 1.2, 12)]
        pen.poly(top + bot, teeth, **m)
        pen.line([(-mw * 1.1, my - 0.02), (mw * 1.1, my - 0.02)], (150, 150, 150), w=0.03)
    elif expr == 3:  # laugh: big open mouth, tongue
        top = [(-mw * 1.05, my - 0.08), (mw * 1.05, my - 0.08)]
        bot = [(mw * 1.05 * math.cos(a), my - 0.08 + 0.38 * math.sin(a)) for a in np.linspace(0, math.pi, 16)]
        pen.poly(top + bot, dark, **m)
        pen.poly(ellipse(0, my + 0.2, mw * 0.55, 0.1, a0=math.pi, a1=2 * math.pi, n=12)
                 + [(mw * 0.5, my + 0.26), (-mw * 0.5, my + 0.26)], tongue, outline=False)
        pen.poly(rect(0, my - 0.045, mw * 0.85, 0.035), teeth, outline=False)
    elif expr == 4:  # smirk: lopsided
        pen.line([(-mw * 0.6, my + 0.02), (mw * 0.2, my + 0.01), (mw * 0.6, my - 0.06), (mw * 0.8, my - 0.14)], w=0.065, **m)
        pen.line([(mw * 0.8, my - 0.2), (mw * 0.9, my - 0.08)], w=0.04)
    elif expr == 5:  # surprised: O
        pen.poly(ellipse(0, my + 0.02, 0.12, 0.16), dark, **m)
    elif expr == 6:  # sad: frown
        pen.line([(x, my - 0.02 + 0.11 * (x / mw) ** 2) for x in np.linspace(-mw * 0.9, mw * 0.9, 12)], w=0.065, **m)
        pen.poly([(0.72, -0.02), (0.66, 0.14), (0.72, 0.2), (0.78, 0.14)], (110, 190, 255), **m)  # tear
    elif expr == 7:  # angry: gritted teeth, a vein
        pen.poly(rect(0, my, mw * 0.95, 0.1), teeth, **m)
        pen.line([(-mw * 0.95, my), (mw * 0.95, my)], (120, 120, 120), w=0.025)
        for k in range(-2, 3):
            pen.line([(k * mw * 0.35, my - 0.1), (k * mw * 0.35, my + 0.1)], (120, 120, 120), w=0.025)
        vx, vy = 0.62, -0.72
        for a in (0.8, 2.4, 3.9, 5.5):
            pen.line([(vx + 0.05 * math.cos(a), vy + 0.05 * math.sin(a)), (vx + 0.15 * math.cos(a), vy + 0.15 * math.sin(a))],
                     (220, 30, 40), w=0.05, mask=True)
    elif expr == 9:  # sleepy: small slack mouth
        pen.poly(ellipse(0, my + 0.01, mw * 0.35, 0.06), (150, 60, 70), **m)
    elif expr == 11:  # pout: puckered lips
        pen.poly(ellipse(0.03, my - 0.01, 0.13, 0.075), (225, 70, 100), **m)
        pen.poly(ellipse(0.03, my + 0.08, 0.11, 0.07), (225, 70, 100), **m)
    elif expr == 12:  # tongue out
        pen.poly(ellipse(0.04, my + 0.1, 0.13, 0.17, a0=0, a1=math.pi, n=14) + [(-0.09, my + 0.1), (0.17, my + 0.1)],
                 tongue, **m)
        pen.line([(0.04, my + 0.06), (0.04, my + 0.2)], (190, 60, 80), w=0.03)
        pen.line([(x, my - 0.08 * (x / mw) ** 2 + 0.05) for x in np.linspace(-mw, mw, 12)], w=0.065, **m)
    elif expr == 13:  # worried: wavy mouth, a sweat drop
        pen.line([(x, my + 0.035 * math.sin(3 * math.pi * x / mw)) for x in np.linspace(-mw * 0.8, mw * 0.8, 16)], w=0.06, **m)
        pen.poly([(0.95, -0.95), (0.85, -0.7), (0.95, -0.6), (1.05, -0.7)], (110, 200, 255), **m)
    elif expr == 14:  # determined: firm thick line, corners down
        pen.line([(-mw * 0.75, my + 0.05), (-mw * 0.55, my), (mw * 0.55, my), (mw * 0.75, my + 0.05)], w=0.09, **m)
    elif expr == 15:  # shy: tiny smile
        pen.line([(x, my - 0.05 * (x / (mw * 0.45)) ** 2) for x in np.linspace(-mw * 0.45, mw * 0.45, 8)], w=0.055, **m)
    if expr in (10, 15):  # blush (strong) / shy (light)
        strong = expr == 10
        for sx in (-1, 1):
            cx, cy = sx * (s["eye_dx"] + 0.12), s["eye_y"] + 0.34
            pen.poly(ellipse(cx, cy, 0.22 if strong else 0.15, 0.11 if strong else 0.07),
                     (255, 80, 110, 190 if strong else 110), outline=False, mask=True)
            if strong:
                for k in (-1, 0, 1):
                    pen.line([(cx + k * 0.09 - 0.03, cy + 0.05), (cx + k * 0.09 + 0.03, cy - 0.05)], (200, 40, 70), w=0.03)


def draw_nose(pen, s, skin):
    n, w = s["nose"], s["nose_wide"]
    y = (s["eye_y"] + s["mouth_y"]) / 2 + 0.06
    col = shade(skin, 0.62)
    pen.line([(-n * (0.5 + 0.6 * w), y + n * 0.2), (0, y + n * (0.6 - 0.3 * w)), (n * (0.5 + 0.6 * w), y + n * 0.2)], col, w=0.05)


def draw_face_marks(pen, s, acc, expr, skin):
    """Accessories under the eyes: domino mask, face paint, bandage, freckles, scar."""
    ey = s["eye_y"]
    if acc == 11:  # face paint: two blue stripes under each eye
        for sx in (-1, 1):
            for k in (0, 1):
                y = ey + 0.32 + 0.16 * k
                pen.poly([(sx * 0.2, y), (sx * 0.82, y - 0.04), (sx * 0.82, y + 0.05), (sx * 0.2, y + 0.07)],
                         (40, 90, 235), outline=False, mask=True)
    elif acc == 10:  # domino mask (the eyes are drawn over it, through its holes)
        ew, eh = eye_box(s, expr)
        r = max(ew, eh) * 1.22
        pen.poly(ellipse(0, ey, s["eye_dx"] + r * 1.15, r * 1.05, n=48), (30, 30, 40), mask=True)
    elif acc == 12:  # bandage on the right cheek
        cx, cy = 0.55, ey + 0.42
        pen.poly(rect(cx, cy, 0.28, 0.1, rot=-0.5), (250, 232, 200), mask=True, lw=0.035)
        pen.poly(rect(cx, cy, 0.09, 0.09, rot=-0.5), (230, 190, 150), outline=False)
    elif acc == 13:  # freckles
        lum = 0.3 * skin[0] + 0.59 * skin[1] + 0.11 * skin[2]
        col = mix(skin, (96, 40, 16), 0.7) if lum > 125 else mix(skin, (240, 170, 120), 0.7)
        rng = np.random.RandomState(7)
        for sx in (-1, 1):
            for _ in range(9):
                x = sx * (s["eye_dx"] + rng.uniform(-0.25, 0.25))
                y = ey + 0.3 + rng.uniform(-0.06, 0.18)
                pen.dot(x, y, 0.05, col, mask=True)
    elif acc == 15:  # scar with stitches, left cheek
        a, b = (-0.85, ey + 0.22), (-0.3, ey + 0.62)
        pen.line([a, b], (190, 40, 60), w=0.06, mask=True)
        for t in (0.25, 0.5, 0.75):
            x, y = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
            pen.line([(x - 0.08, y + 0.07), (x + 0.08, y - 0.07)], (190, 40, 60), w=0.035, mask=True)


def draw_eyewear(pen, s, acc, expr, skin):
    ew, eh = eye_box(s, expr)
    dx, ey, W = s["eye_dx"], s["eye_y"], s["face_w"]
    m = dict(mask=True)
    r = max(ew, eh) * 1.22
    if acc == 1:  # round glasses
        for sx in (-1, 1):
            pen.poly(ellipse(sx * dx, ey, r, r), (255, 255, 255, 40), outline=False)
            pen.line(ellipse(sx * dx, ey, r, r), (30, 30, 30), w=0.075, closed=True, **m)
        pen.line([(-dx + r, ey), (dx - r, ey)], (30, 30, 30), w=0.06, **m)
    elif acc == 2:  # square glasses
        for sx in (-1, 1):
            pen.poly(rect(sx * dx, ey, r * 1.05, r * 0.8), (255, 255, 255, 40), outline=False)
            pen.line(rect(sx * dx, ey, r * 1.05, r * 0.8), (130, 30, 30), w=0.09, closed=True, **m)
        pen.line([(-dx + r * 1.05, ey - 0.05), (dx - r * 1.05, ey - 0.05)], (130, 30, 30), w=0.07, **m)
    elif acc == 3:  # sunglasses: dark tinted lenses
        for sx in (-1, 1):
            lens = ellipse(sx * dx, ey + 0.02, r * 1.1, r * 0.85, n=32)
            pen.poly(lens, (10, 10, 20, 95), outline=False, **m)
            pen.line(lens, (10, 10, 10), w=0.09, closed=True, **m)
        pen.line([(-dx - r * 1.1, ey - 0.06), (dx + r * 1.1, ey - 0.06)], (10, 10, 10), w=0.08, **m)
    elif acc == 4:  # monocle on the right eye, with a chain
        pen.poly(ellipse(dx, ey, r, r), (255, 255, 255, 50), outline=False)
        pen.line(ellipse(dx, ey, r, r), (220, 170, 30), w=0.08, closed=True, **m)
        pen.line([(dx + r * 0.7, ey + r * 0.7), (dx + 0.45, ey + 0.8), (dx + 0.35, 1.4)], (220, 170, 30), w=0.035, **m)
    elif acc == 5:  # eye patch over the left eye
        pen.line([(-W - 0.1, -0.55), (W + 0.1, -0.75)], (20, 20, 20), w=0.06, **m)
        pen.poly(ellipse(-dx, ey, r * 1.05, r * 0.95), (20, 20, 20), **m)
    elif acc == 6:  # goggles: brass rims, amber lenses, a strap
        pen.line([(-W - 0.12, ey - 0.08), (W + 0.12, ey - 0.08)], (80, 50, 30), w=0.14, **m)
        for sx in (-1, 1):
            pen.poly(ellipse(sx * dx, ey, r * 1.05, r * 1.05), (255, 170, 40, 70), outline=False, **m)
            pen.line(ellipse(sx * dx, ey, r * 1.05, r * 1.05), (190, 130, 40), w=0.12, closed=True, **m)
    elif acc == 7:  # visor: translucent cyan band over both eyes
        band = rect(0, ey, dx + r * 1.2, eh * 1.3)
        pen.poly(band, (60, 220, 255, 80), outline=False, **m)
        pen.line(band, (30, 140, 200), w=0.06, closed=True, **m)
        pen.line([(-dx - r, ey - eh * 1.05), (dx + r, ey - eh * 1.05)], (230, 255, 255), w=0.04)
    elif acc == 8:  # heart glasses
        for sx in (-1, 1):
            h = heart(sx * dx, ey - 0.02, r * 1.12)
            pen.poly(h, (255, 120, 160, 60), outline=False)
            pen.line(h, (230, 20, 90), w=0.08, closed=True, **m)
        pen.line([(-dx + r * 0.8, ey - 0.1), (dx - r * 0.8, ey - 0.1)], (230, 20, 90), w=0.06, **m)
    elif acc == 9:  # star glasses
        for sx in (-1, 1):
            st = star(sx * dx, ey, r * 1.45, r * 0.85)
            pen.poly(st, (255, 230, 90, 50), outline=False)
            pen.line(st, (240, 180, 0), w=0.08, closed=True, **m)
    elif acc == 14:  # earrings: gold hoops with a red drop
        for sx in (-1, 1):
            x = sx * (face_half_width(s, 0.35) + 0.06)
            pen.line(ellipse(x, 0.55, 0.12, 0.14), (245, 190, 20), w=0.07, closed=True, **m)
            pen.poly([(x, 0.69), (x - 0.07, 0.8), (x, 0.92), (x + 0.07, 0.8)], (220, 30, 60), **m)


def draw_headwear(pen, hw, s, top):
    """Headwear perched on top of the hair at local height `top`."""
    W = s["face_w"]
    b = top + 0.18  # base line, slightly into the hair
    if hw == 1:  # cap: blue dome, brim to the right
        pen.poly(ellipse(0, b, W * 1.0, 0.62, a0=math.pi, a1=2 * math.pi, n=24), (30, 100, 220))
        pen.poly(ellipse(W * 0.95, b - 0.02, 0.62, 0.12), (20, 70, 170))
        pen.dot(0, b - 0.62, 0.08, (255, 255, 255))
    elif hw == 2:  # beanie: orange dome with ribbed cuff and pompom
        pen.poly(ellipse(0, b - 0.1, W * 1.02, 0.72, a0=math.pi, a1=2 * math.pi, n=24), (235, 95, 40))
        pen.poly(rect(0, b, W * 1.05, 0.13), (200, 70, 30))
        for k in range(-4, 5):
            pen.line([(k * W * 0.22, b - 0.11), (k * W * 0.22, b + 0.11)], (150, 50, 20), w=0.03)
        pen.dot(0, b - 0.85, 0.2, (255, 255, 255))
    elif hw == 3:  # top hat: black cylinder, red band
        pen.poly(ellipse(0, b, W * 1.05, 0.14), (25, 25, 30))
        pen.poly([(-0.6, b), (-0.55, b - 1.0), (0.55, b - 1.0), (0.6, b)], (25, 25, 30))
        pen.poly(rect(0, b - 0.18, 0.59, 0.09), (210, 30, 40), outline=False)
    elif hw == 4:  # crown: gold points, three gems
        pts = [(-0.75, b), (-0.8, b - 0.55), (-0.4, b - 0.3), (0, b - 0.65), (0.4, b - 0.3), (0.8, b - 0.55), (0.75, b)]
        pen.poly(pts, (250, 200, 30))
        for x, c in ((-0.4, (220, 30, 40)), (0, (40, 90, 230)), (0.4, (40, 180, 80))):
            pen.dot(x, b - 0.14, 0.08, c, mask=True)
    elif hw == 5:  # bow: pink ribbon on the upper right
        cx, cy = 0.55, b + 0.1
        pen.poly([(cx, cy), (cx - 0.5, cy - 0.32), (cx - 0.5, cy + 0.28)], (250, 90, 160), mask=True)
        pen.poly([(cx, cy), (cx + 0.5, cy - 0.32), (cx + 0.5, cy + 0.28)], (250, 90, 160), mask=True)
        pen.dot(cx, cy, 0.11, (220, 50, 120), outline=True)
    elif hw == 6:  # headband: lime band over the crown
        band = ellipse(0, b + 0.55, W + 0.2, 0.95, a0=math.pi * 1.08, a1=math.pi * 1.92, n=24)
        pen.line(band, (150, 220, 40), w=0.2)
        pen.line(ellipse(0, b + 0.55, W + 0.2, 0.85, a0=math.pi * 1.08, a1=math.pi * 1.92, n=24), (90, 150, 20), w=0.035)
    elif hw == 7:  # flower: white petals, orange heart, upper left
        cx, cy = -0.62, b + 0.1
        for k in range(5):
            a = 2 * math.pi * k / 5
            pen.dot(cx + 0.2 * math.cos(a), cy + 0.2 * math.sin(a), 0.17, (255, 255, 255), outline=True, mask=True)
        pen.dot(cx, cy, 0.13, (250, 150, 20), outline=True, mask=True)
    elif hw == 8:  # horns: red, curved outwards
        for sx in (-1, 1):
            pen.poly([(sx * 0.35, b + 0.05), (sx * 0.55, b - 0.35), (sx * 0.85, b - 0.6), (sx * 0.75, b - 0.3), (sx * 0.68, b + 0.05)],
                     (200, 25, 25))
    elif hw == 9:  # cat ears: charcoal with pink insides
        for sx in (-1, 1):
            pen.poly([(sx * 0.25, b + 0.05), (sx * 0.62, b - 0.65), (sx * 0.88, b + 0.1)], (70, 70, 80))
            pen.poly([(sx * 0.38, b), (sx * 0.62, b - 0.45), (sx * 0.76, b + 0.03)], (250, 150, 180), outline=False)
    elif hw == 10:  # bunny ears: tall white ears
        for sx in (-1, 1):
            pen.poly(ellipse(sx * 0.38, b - 0.62, 0.17, 0.65, rot=sx * 0.12), (255, 255, 255))
            pen.poly(ellipse(sx * 0.38, b - 0.58, 0.08, 0.48, rot=sx * 0.12), (250, 160, 190), outline=False)
    elif hw == 11:  # halo: golden ring floating above
        pen.line(ellipse(0, b - 0.42, 0.7, 0.17), (120, 90, 0), w=0.2, closed=True)
        pen.line(ellipse(0, b - 0.42, 0.7, 0.17), (255, 225, 60), w=0.13, closed=True)
    elif hw == 12:  # helmet: silver dome with a ridge
        pen.poly(ellipse(0, b + 0.12, W * 1.1, 0.82, a0=math.pi, a1=2 * math.pi, n=24), (170, 180, 192))
        pen.poly(rect(0, b + 0.06, W * 1.12, 0.08), (110, 115, 130))
        pen.poly(rect(0, b - 0.38, 0.09, 0.38), (120, 125, 140))
        pen.poly(ellipse(-0.45, b - 0.35, 0.18, 0.08, rot=-0.6), (255, 255, 255, 150), outline=False)
    elif hw == 13:  # beret: burgundy, tilted, with a stalk
        pen.poly(ellipse(0.12, b - 0.12, W * 1.05, 0.3, rot=-0.15), (150, 20, 60))
        pen.line([(0.15, b - 0.42), (0.2, b - 0.55)], (150, 20, 60), w=0.07)
    elif hw == 14:  # wizard hat: purple cone with stars
        pen.poly(ellipse(0, b, W * 1.15, 0.16), (90, 50, 170))
        pen.poly([(-0.65, b), (0.15, b - 1.15), (0.35, b - 1.05), (0.65, b)], (90, 50, 170))
        pen.poly(star(-0.05, b - 0.4, 0.16, 0.07), (255, 230, 60), outline=False, mask=True)
        pen.poly(star(0.3, b - 0.18, 0.1, 0.045), (255, 230, 60), outline=False, mask=True)
    elif hw == 15:  # tiara: small silver arc with a blue gem
        pts = [(-0.75, b + 0.08), (-0.45, b - 0.12), (-0.25, b - 0.3), (0, b - 0.5), (0.25, b - 0.3), (0.45, b - 0.12),
               (0.75, b + 0.08), (0, b - 0.06)]
        pen.poly(pts, (225, 230, 240), mask=True)
        pen.poly([(0, b - 0.42), (-0.12, b - 0.25), (0, b - 0.1), (0.12, b - 0.25)], (40, 130, 250))


def render(code, attrs, size=128, ss=4):
    """One portrait: (rgb uint8 [size, size, 3], mask uint8 [size, size])."""
    hair_c, style, eye_c, skin_t, expr, hw, acc, bg = (int(a) for a in attrs)
    s = settings(code)
    res = size * ss
    img = Image.new("RGB", (res, res))
    mask = Image.new("L", (res, res), 0)
    draw_background(img, bg, s, res)
    pen = Pen(img, mask, res)
    skin, hair, eyes = SKIN[skin_t], HAIR[hair_c], EYES[eye_c]
    unit = UNIT * s["scale"]
    draw_torso(pen, s, skin)
    # the head frame: origin at the face centre, rotated about the neck
    pivot = (s["head_x"], s["head_y"] + unit * s["face_h"] * 0.9)
    t = s["tilt"]
    ox = pivot[0] + unit * math.sin(t) * s["face_h"] * 0.9
    oy = pivot[1] - unit * math.cos(t) * s["face_h"] * 0.9
    pen.frame(ox, oy, unit, t)
    pen.lw = s["lw"]
    draw_back_hair(pen, style, hair, s)
    for sx in (-1, 1):  # ears
        pen.poly(ellipse(sx * s["face_w"] * 0.98, 0.12, 0.16 * s["ear"], 0.25 * s["ear"]), skin)
    pen.poly(face_outline(s), skin)
    # shadow on the right side of the face
    sh = face_outline(s)
    sh = [(x, y) for x, y in sh if x > 0.55 * s["face_w"]]
    if s["shadow"] > 0.02 and len(sh) > 2:
        pen.poly([(x * 0.995, y) for x, y in sh], (0, 0, 0, int(255 * min(0.3, s["shadow"]))), outline=False)
    draw_face_marks(pen, s, acc, expr, skin)
    draw_nose(pen, s, skin)
    draw_mouth(pen, s, expr, skin)
    draw_eyes(pen, s, eyes, expr, skin)
    draw_brows(pen, s, expr, hair, skin)
    draw_front_hair(pen, style, hair, s)
    draw_eyewear(pen, s, acc, expr, skin)
    draw_headwear(pen, hw, s, hair_top(style, s, hw))
    rgb = np.asarray(img.reduce(ss))
    m = np.asarray(mask.reduce(ss))
    return rgb, m


# ---------------------------------------------------------------------------------------------
# Sampling and the data set

def random_genomes(n, rng, levels=False):
    """n random (code, attrs). levels=False: code ~ N(0, 1) (training); True: uniform genome bytes,
    so z comes from the level table (what minted genomes look like)."""
    if levels:
        code = LEVEL_Z[rng.randint(0, 16, size=(n, 32))]
    else:
        code = rng.standard_normal((n, 32)).astype(np.float32)
    attrs = rng.randint(0, 16, size=(n, 8)).astype(np.int64)
    return code.astype(np.float32), attrs


def _render_chunk(args):
    code, attrs, size, ss = args
    out = [render(c, a, size, ss) for c, a in zip(code, attrs)]
    return np.stack([o[0] for o in out]), np.stack([o[1] for o in out])


def render_many(code, attrs, size=128, ss=4, workers=None, chunk=64):
    """Render a batch in parallel: (images uint8 [N, H, W, 3], masks uint8 [N, H, W])."""
    jobs = [(code[i:i + chunk], attrs[i:i + chunk], size, ss) for i in range(0, len(code), chunk)]
    workers = workers or os.cpu_count()
    if workers == 1 or len(jobs) == 1:
        parts = [_render_chunk(j) for j in jobs]
    else:
        with Pool(workers) as pool:
            parts = pool.map(_render_chunk, jobs)
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def preview(path, size, seed):
    """A sheet: each row varies one attribute slot over its 16 values; two rows of random codes."""
    rng = np.random.RandomState(seed)
    tiles = []
    for slot in range(8):
        code, attrs = random_genomes(16, rng)
        attrs[:] = attrs[0]
        code[:] = code[0]
        attrs[:, slot] = np.arange(16)
        tiles.append(render_many(code, attrs, size, workers=1)[0])
    for _ in range(2):
        code, attrs = random_genomes(16, rng)
        tiles.append(render_many(code, attrs, size, workers=1)[0])
    rows = [np.concatenate(list(t), axis=1) for t in tiles]
    Image.fromarray(np.concatenate(rows, axis=0)).save(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=60000, help="portraits to render")
    ap.add_argument("--size", type=int, default=128, help="output resolution (square)")
    ap.add_argument("--ss", type=int, default=4, help="supersampling factor")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default="data/train128", help="folder for images.npy, masks.npy, code.npy, attrs.npy")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--preview", default=None, help="write a preview sheet to this PNG instead")
    a = ap.parse_args()
    if a.preview:
        preview(a.preview, a.size, a.seed)
        return
    rng = np.random.RandomState(a.seed)
    code, attrs = random_genomes(a.n, rng)
    t0 = time.time()
    images, masks = render_many(code, attrs, a.size, a.ss, a.workers)
    os.makedirs(a.out, exist_ok=True)
    for name, arr in (("images", images), ("masks", masks), ("code", code), ("attrs", attrs)):
        np.save(os.path.join(a.out, name + ".npy"), arr)
    print(f"rendered {a.n} portraits at {a.size}px in {time.time() - t0:.1f}s -> {a.out}")


if __name__ == "__main__":
    main()
