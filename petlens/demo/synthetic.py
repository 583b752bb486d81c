"""A procedurally drawn stand-in for Oxford-IIIT Pets (numpy + Pillow only).

`make_pets` writes ``images/<breed>_<n>.jpg`` exactly like the real data set, so fastbook
chapter 5's `DataBlock` (``RegexLabeller(r'(.+)_\\d+.jpg$')``) works unchanged, plus a
binary mask per image in ``masks/<breed>_<n>.png`` (beside, not inside, ``images/``).

Each image is a side-view animal on a random background; the class is decided by the
animal alone. Cats have tall pointed ears and no snout, dogs have a snout and floppy,
erect or folded ears; breeds differ by coat colour and pattern, ear shape, tail, snout
length, fluffiness and body proportions. Some pairs differ in ONE subtle feature (see
`CONFUSABLE`), so a short training run confuses them first.
"""

import json
import shutil
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

__all__ = ["BREEDS", "CATS", "CONFUSABLE", "DOGS", "FORMAT_VERSION", "choose_breeds",
           "flipped_labels", "make_pets"]

CATS = ("Abyssinian", "Bengal", "Birman", "Bombay", "British_Shorthair", "Egyptian_Mau",
        "Maine_Coon", "Persian", "Ragdoll", "Russian_Blue", "Siamese", "Sphynx")
DOGS = ("american_bulldog", "american_pit_bull_terrier", "basset_hound", "beagle", "boxer",
        "chihuahua", "english_cocker_spaniel", "english_setter", "german_shorthaired",
        "great_pyrenees", "havanese", "japanese_chin", "keeshond", "leonberger",
        "miniature_pinscher", "newfoundland", "pomeranian", "pug", "saint_bernard", "samoyed",
        "scottish_terrier", "shiba_inu", "staffordshire_bull_terrier", "wheaten_terrier",
        "yorkshire_terrier")
BREEDS = tuple(sorted(CATS + DOGS))  # the order fastai's CategoryBlock gives the vocab

# Pairs that differ in a single subtle feature (the feature is in the comment).
CONFUSABLE = (
    ("Birman", "Ragdoll"),  # white socks ("gloves")
    ("american_pit_bull_terrier", "staffordshire_bull_terrier"),  # leg length
    ("British_Shorthair", "Russian_Blue"),  # silver-tipped coat
    ("basset_hound", "beagle"),  # leg length
)

# Classes are taken from the front of this list when n_classes < 37: it alternates cats and
# dogs and starts with the confusable pairs, so n_classes >= 4 always holds at least two of
# them (Birman/Ragdoll and the two bull terriers), n_classes >= 6 three, n_classes >= 10 four.
_PRIORITY = (
    "Birman", "american_pit_bull_terrier", "Ragdoll", "staffordshire_bull_terrier",
    "Russian_Blue", "British_Shorthair", "samoyed", "Siamese", "beagle", "basset_hound",
    "Bengal", "pug", "Persian", "shiba_inu", "Bombay", "german_shorthaired", "Sphynx",
    "english_setter", "Abyssinian", "newfoundland", "Maine_Coon", "chihuahua", "Egyptian_Mau",
    "boxer", "american_bulldog", "english_cocker_spaniel", "great_pyrenees", "havanese",
    "japanese_chin", "keeshond", "leonberger", "miniature_pinscher", "pomeranian",
    "saint_bernard", "scottish_terrier", "wheaten_terrier", "yorkshire_terrier",
)

FORMAT_VERSION = 1
_MARKER = "petlens-synthetic.json"

_WHITE, _BLACK, _TAN = (240, 238, 230), (28, 26, 26), (175, 115, 60)
_DEFAULTS = dict(pattern="solid", c2=_WHITE, ears="pointed", ear=1.0, snout=0.0, tail="long",
                 fluff=0.0, legs=1.0, body=1.0, height=1.0, head=1.0, eye=(90, 170, 70),
                 gloves=False, mask=False)


def _cat(c1, **kw):
    """A cat breed: body colour `c1` plus the features where it differs from `_DEFAULTS`."""
    return {**_DEFAULTS, "c1": c1, **kw}


def _dog(c1, **kw):
    """A dog breed: like `_cat`, but with a snout, floppy ears and dark eyes by default."""
    return {**_DEFAULTS, "ears": "floppy", "snout": 0.7, "eye": (70, 45, 25), "c1": c1, **kw}


_SPECS = {
    # cats
    "Abyssinian": _cat((185, 105, 55), pattern="ticked", c2=(90, 50, 30), ear=1.3, body=1.05),
    "Bengal": _cat((215, 150, 70), pattern="spots", c2=(60, 40, 25)),
    "Birman": _cat((232, 222, 195), pattern="points", c2=(85, 60, 45), fluff=0.4, gloves=True,
                   eye=(70, 120, 220)),
    "Bombay": _cat((30, 28, 30), eye=(220, 150, 40)),
    "British_Shorthair": _cat((125, 132, 145), height=1.15, eye=(215, 140, 40)),
    "Egyptian_Mau": _cat((185, 185, 178), pattern="spots", c2=(55, 55, 55)),
    "Maine_Coon": _cat((140, 100, 60), pattern="stripes", c2=(55, 38, 25), fluff=0.8,
                       tail="bushy", ear=1.2, body=1.15),
    "Persian": _cat((238, 225, 200), fluff=1.0, ear=0.6, head=1.2, tail="bushy",
                    eye=(220, 150, 40)),
    "Ragdoll": _cat((232, 222, 195), pattern="points", c2=(85, 60, 45), fluff=0.4,
                    eye=(70, 120, 220)),
    "Russian_Blue": _cat((125, 132, 145), pattern="ticked", c2=(200, 205, 215), height=1.15,
                          eye=(215, 140, 40)),
    "Siamese": _cat((225, 205, 170), pattern="points", c2=(45, 32, 28), ear=1.35, body=1.1,
                    height=0.85, eye=(70, 120, 220)),
    "Sphynx": _cat((225, 170, 160), pattern="wrinkles", c2=(190, 130, 125), ear=1.6,
                   tail="thin", height=0.9),
    # dogs
    "american_bulldog": _dog(_WHITE, pattern="patches", c2=(170, 110, 60), ears="folded",
                             snout=0.5, height=1.2, head=1.2),
    "american_pit_bull_terrier": _dog((150, 110, 80), pattern="bicolor", ears="folded",
                                      snout=0.6, height=1.15, head=1.15),
    "basset_hound": _dog((165, 100, 45), pattern="tricolor", ear=1.6, legs=0.55, body=1.2),
    "beagle": _dog((165, 100, 45), pattern="tricolor", ear=1.6),
    "boxer": _dog((195, 135, 70), pattern="bicolor", mask=True, snout=0.35, ears="folded",
                  tail="stub", legs=1.15),
    "chihuahua": _dog((215, 170, 110), ears="erect", ear=1.7, snout=0.35, head=1.3,
                      tail="thin", legs=0.9, body=0.85),
    "english_cocker_spaniel": _dog((200, 135, 55), ear=1.5, fluff=0.5),
    "english_setter": _dog(_WHITE, pattern="speckle", c2=(40, 35, 35), ear=1.2, snout=0.9,
                           tail="bushy", fluff=0.3),
    "german_shorthaired": _dog((105, 58, 40), pattern="speckle", c2=(235, 230, 225), snout=0.9,
                               tail="stub", legs=1.15),
    "great_pyrenees": _dog(_WHITE, fluff=0.8, tail="bushy", body=1.15, height=1.2),
    "havanese": _dog((205, 195, 175), fluff=0.9, snout=0.4, legs=0.8, tail="curled"),
    "japanese_chin": _dog(_BLACK, pattern="bicolor", snout=0.15, ear=1.3, fluff=0.6,
                          tail="curled", head=1.2),
    "keeshond": _dog((125, 125, 120), pattern="saddle", c2=(35, 35, 35), ears="erect",
                     mask=True, fluff=0.9, tail="curled", snout=0.5),
    "leonberger": _dog((195, 140, 75), mask=True, fluff=0.8, tail="bushy", body=1.15,
                       height=1.2),
    "miniature_pinscher": _dog(_BLACK, pattern="blacktan", c2=_TAN, ears="erect", ear=1.3,
                               tail="stub", legs=1.25, height=0.85),
    "newfoundland": _dog((35, 32, 32), fluff=0.8, tail="bushy", body=1.15, height=1.25),
    "pomeranian": _dog((225, 140, 55), ears="erect", ear=0.7, fluff=1.0, snout=0.3,
                       tail="curled", legs=0.7, body=0.85),
    "pug": _dog((210, 180, 130), mask=True, snout=0.1, ear=0.7, tail="curled", head=1.2,
                legs=0.85),
    "saint_bernard": _dog(_WHITE, pattern="patches", c2=(165, 75, 35), mask=True, fluff=0.4,
                          body=1.15, height=1.25, head=1.2),
    "samoyed": _dog(_WHITE, ears="erect", fluff=0.9, tail="curled"),
    "scottish_terrier": _dog(_BLACK, ears="erect", fluff=0.5, legs=0.55, snout=0.9,
                             tail="thin", body=1.1),
    "shiba_inu": _dog((205, 115, 50), pattern="bicolor", ears="erect", tail="curled"),
    "staffordshire_bull_terrier": _dog((150, 110, 80), pattern="bicolor", ears="folded",
                                       snout=0.6, height=1.15, head=1.15, legs=0.55),
    "wheaten_terrier": _dog((222, 198, 150), ears="folded", fluff=0.7, snout=0.8),
    "yorkshire_terrier": _dog((95, 100, 115), pattern="blacktan", c2=_TAN, ears="erect",
                              ear=0.8, fluff=1.0, legs=0.6, body=0.9),
}


def choose_breeds(n_classes):
    """The `n_classes` breeds `make_pets` draws, sorted like fastai's vocab.

    >>> choose_breeds(4)
    ['Birman', 'Ragdoll', 'american_pit_bull_terrier', 'staffordshire_bull_terrier']
    """
    if not 2 <= n_classes <= len(BREEDS):
        raise ValueError(f"n_classes must be between 2 and {len(BREEDS)}, got {n_classes}")
    return sorted(_PRIORITY[:n_classes])


def _check(n_classes, per_class, size):
    """Raise `ValueError` on arguments `make_pets` cannot honour."""
    choose_breeds(n_classes)
    if per_class < 1:
        raise ValueError(f"per_class must be at least 1, got {per_class}")
    if size < 32:
        raise ValueError(f"size must be at least 32 pixels, got {size}")


class _Pen:
    """Draws polygons given in animal coordinates (about -1..1, x towards the head, y down)
    onto an RGB canvas and, for silhouette parts, onto the mask."""

    def __init__(self, size, centre, scale, angle, flip):
        self.img = Image.new("RGB", (size, size))
        self.mask = Image.new("L", (size, size))
        self._rgb, self._alpha = ImageDraw.Draw(self.img), ImageDraw.Draw(self.mask)
        c, s = np.cos(angle), np.sin(angle)
        self._m = scale * np.array([[c, -s], [s, c]]) @ np.diag([-1.0 if flip else 1.0, 1.0])
        self._t, self.scale = np.asarray(centre, float), scale

    def _xy(self, pts):
        return [tuple(p) for p in (np.asarray(pts, float) @ self._m.T + self._t)]

    def poly(self, pts, colour, silhouette=True):
        self._rgb.polygon(self._xy(pts), fill=tuple(int(v) for v in colour))
        if silhouette:
            self._alpha.polygon(self._xy(pts), fill=255)

    def line(self, pts, width, colour):
        w = max(1, round(width * self.scale))
        self._rgb.line(self._xy(pts), fill=tuple(int(v) for v in colour), width=w, joint="curve")
        self._alpha.line(self._xy(pts), fill=255, width=w, joint="curve")


def _ellipse(cx, cy, rx, ry, angle=0.0, fluff=0.0, rng=None, n=32):
    """Polygon of an ellipse; `fluff` > 0 makes a spiky, furry outline."""
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    r = np.ones(n)
    if fluff:
        r = 1 + 0.18 * fluff * np.where(np.arange(n) % 2 == 0, rng.uniform(0.4, 1.0, n), -0.3)
    x, y = rx * r * np.cos(t), ry * r * np.sin(t)
    c, s = np.cos(angle), np.sin(angle)
    return np.stack([cx + c * x - s * y, cy + s * x + c * y], axis=1)


def _jitter(colour, rng, amount=0.12):
    """Colour jitter: a shared brightness factor and a small per-channel one."""
    c = np.asarray(colour, float) * rng.uniform(1 - amount, 1 + amount)
    return np.clip(c * rng.uniform(1 - amount / 3, 1 + amount / 3, 3) + rng.normal(0, 4, 3), 0, 255)


def _palette(spec, rng):
    """Colour of each body part for this image, after the breed's pattern."""
    c1, c2 = _jitter(spec["c1"], rng), _jitter(spec["c2"], rng)
    pal = dict.fromkeys(("body", "head", "legs", "ears", "tail", "snout", "paws"), c1)
    if spec["pattern"] == "points":
        pal.update(ears=c2, tail=c2, legs=c2, snout=c2, paws=c2)
    elif spec["pattern"] == "tricolor":
        pal.update(legs=_jitter(_WHITE, rng), paws=_jitter(_WHITE, rng), snout=_jitter(_WHITE, rng))
    elif spec["pattern"] == "blacktan":
        pal.update(legs=c2, paws=c2, snout=c2)
    elif spec["pattern"] == "bicolor":
        pal.update(paws=_jitter(_WHITE, rng), snout=c1)
    if spec["gloves"]:
        pal["paws"] = _jitter(_WHITE, rng)
    if spec["mask"]:
        pal["snout"] = _jitter(_BLACK, rng)
    pal.update(shade=pal["legs"] * 0.7, c2=c2, eye=_jitter(spec["eye"], rng, 0.08))
    return pal


def _pose(spec, rng):
    """Random per-image geometry in animal coordinates (body centred at the origin)."""
    blen, bh = 0.55 * spec["body"], 0.2 * spec["height"]
    hr = 0.17 * spec["head"]
    tilt = rng.uniform(-0.08, 0.06)
    return dict(blen=blen, bh=bh, hr=hr, leg=0.32 * spec["legs"], swing=rng.uniform(-0.3, 0.3),
                head=(blen * 0.9 + hr * 0.3, -bh - hr * 0.6 + tilt), tail=rng.uniform(-0.6, 0.6))


def _draw_legs(pen, spec, pal, g, near):
    """Two legs (front and back); the far pair is drawn darker, behind the body."""
    colour = pal["legs"] if near else pal["shade"]
    paw = pal["paws"] if near else pal["paws"] * 0.8
    w = 0.075 * (1.15 if spec["species"] == "dog" else 1.0) * spec["height"] ** 0.5
    for x0, sgn in ((0.62 * g["blen"], 1), (-0.62 * g["blen"], -1)):
        x0 += 0.05 if near else -0.02
        dx = sgn * g["swing"] * g["leg"] * (1 if near else -1)
        top, foot = g["bh"] * 0.3, g["bh"] * 0.55 + g["leg"]
        pen.poly([(x0 - w, top), (x0 + w, top), (x0 + dx + w * 0.8, foot),
                  (x0 + dx - w * 0.8, foot)], colour)
        if spec["gloves"]:  # white socks over the lower third of the leg
            k = 0.35
            pen.poly([(x0 + dx * (1 - k) - w * 0.87, foot - k * (foot - top)),
                      (x0 + dx * (1 - k) + w * 0.87, foot - k * (foot - top)),
                      (x0 + dx + w * 0.8, foot), (x0 + dx - w * 0.8, foot)], paw)
        pen.poly(_ellipse(x0 + dx + w * 0.3, foot, w * 1.15, w * 0.6), paw)


def _draw_tail(pen, spec, pal, g):
    """A stub, a curl over the back, or a long (thin / bushy) tail at a random angle."""
    x0, y0, a = -g["blen"] * 0.92, -g["bh"] * 0.35, g["tail"]
    kind = spec["tail"]
    if kind == "stub":
        pen.line([(x0 + 0.05, y0), (x0 - 0.09, y0 - 0.06)], 0.07, pal["tail"])
    elif kind == "curled":
        t = np.linspace(0, 1.6 * np.pi, 14)
        r = 0.13 * (1 - 0.35 * t / t[-1])
        pts = np.stack([x0 + 0.1 - r * np.cos(t + a * 0.3), y0 - 0.13 - r * np.sin(t + a * 0.3)], 1)
        pen.line(pts, 0.05 + 0.06 * spec["fluff"], pal["tail"])
    else:
        t = np.linspace(0, 1, 8)
        ang = np.pi + 0.6 + a + 0.9 * t * np.sign(a + 1e-3)
        seg = (0.5 if kind != "bushy" else 0.45) / 7
        pts = np.cumsum(np.stack([seg * np.cos(ang), -seg * np.abs(np.sin(ang))], 1), 0)
        pts = np.vstack([np.zeros((1, 2)), pts]) + np.array([x0, y0])
        width = {"thin": 0.03, "long": 0.045, "bushy": 0.1}[kind] + 0.04 * spec["fluff"]
        pen.line(pts, width, pal["tail"])


def _draw_body(pen, spec, pal, g, rng):
    """Body, neck and coat pattern."""
    pen.poly(_ellipse(0, 0, g["blen"], g["bh"], fluff=spec["fluff"], rng=rng, n=48), pal["body"])
    hx, hy = g["head"]
    neck = [(g["blen"] * 0.45, -g["bh"] * 0.7), (hx - g["hr"] * 0.5, hy),
            (hx + g["hr"] * 0.2, hy + g["hr"] * 0.6), (g["blen"] * 0.95, g["bh"] * 0.1)]
    pen.poly(neck, pal["body"])
    _draw_pattern(pen, spec, pal, g, rng)


def _draw_pattern(pen, spec, pal, g, rng):
    """Coat markings drawn over the body (not part of the silhouette)."""
    pattern, blen, bh = spec["pattern"], g["blen"], g["bh"]

    def inside(n):
        t, r = rng.uniform(0, 2 * np.pi, n), np.sqrt(rng.uniform(0, 0.8, n))
        return blen * r * np.cos(t), bh * r * np.sin(t)

    if pattern in ("spots", "speckle", "ticked"):
        n, rad = {"spots": (16, 0.045), "speckle": (40, 0.02), "ticked": (60, 0.02)}[pattern]
        for x, y in zip(*inside(n), strict=True):
            r = rad * rng.uniform(0.6, 1.3)
            pen.poly(_ellipse(x, y, r, r * rng.uniform(0.6, 1), n=10), _jitter(pal["c2"], rng),
                     silhouette=False)
    elif pattern == "stripes":
        for x in np.linspace(-0.8 * blen, 0.7 * blen, 7) + rng.uniform(-0.03, 0.03):
            pen.poly([(x - 0.02, -bh * 0.95), (x + 0.025, -bh * 0.95), (x + 0.05, bh * 0.4),
                      (x + 0.02, bh * 0.4)], pal["c2"], silhouette=False)
    elif pattern == "wrinkles":
        for x in np.linspace(0.2 * blen, 0.8 * blen, 4):
            pen.line([(x, -bh * 0.7), (x + 0.03, -bh * 0.1), (x, bh * 0.5)], 0.012, pal["c2"])
    elif pattern == "patches":
        for x, y in zip(*inside(3), strict=True):
            pen.poly(_ellipse(x, y, blen * 0.35, bh * 0.55, rng.uniform(0, np.pi),
                              fluff=1.0, rng=rng), pal["c2"], silhouette=False)
    elif pattern in ("saddle", "tricolor"):
        colour = pal["c2"] if pattern == "saddle" else _jitter(_BLACK, rng)
        pen.poly(_ellipse(-0.1 * blen, -0.55 * bh, 0.7 * blen, 0.5 * bh), colour, silhouette=False)
    if pattern in ("bicolor", "tricolor", "blacktan"):
        belly = _jitter(_TAN if pattern == "blacktan" else _WHITE, rng)
        pen.poly(_ellipse(0.55 * blen, 0.45 * bh, 0.45 * blen, 0.5 * bh), belly, silhouette=False)


def _draw_head(pen, spec, pal, g, rng):
    """Head with ears, snout (dogs), nose and eye."""
    hx, hy = g["head"]
    hr, dog = g["hr"], spec["species"] == "dog"
    _draw_ears(pen, spec, pal, g, rng, far=True)
    pen.poly(_ellipse(hx, hy, hr * (1.1 if dog else 1.0), hr, fluff=spec["fluff"] * 0.7, rng=rng),
             pal["head"])
    tip = (hx + hr * 0.95, hy + hr * 0.25)
    if dog:
        sl = 0.05 + 0.2 * spec["snout"]
        sx = hx + hr * 0.7 + sl * 0.5
        pen.poly(_ellipse(sx, hy + hr * 0.3, sl * 0.55 + 0.03, hr * 0.42), pal["snout"])
        tip = (sx + sl * 0.5 + 0.02, hy + hr * 0.18)
    elif spec["pattern"] == "points":
        pen.poly(_ellipse(hx + hr * 0.5, hy + hr * 0.25, hr * 0.55, hr * 0.55), pal["snout"],
                 silhouette=False)
    pen.poly(_ellipse(*tip, 0.028, 0.02), (40, 25, 25) if dog else (200, 120, 120))
    ex, ey, er = hx + hr * 0.45, hy - hr * 0.2, 0.034 * (1 + 0.2 * (spec["head"] - 1))
    pen.poly(_ellipse(ex, ey, er, er), pal["eye"] if not dog else (245, 240, 230),
             silhouette=False)
    pen.poly(_ellipse(ex + er * 0.25, ey, er * 0.45, er * 0.7), (15, 12, 12), silhouette=False)
    _draw_ears(pen, spec, pal, g, rng, far=False)


def _draw_ears(pen, spec, pal, g, rng, far):
    """The far (darker, behind the head) or near ear: pointed, erect, floppy or folded."""
    hx, hy = g["head"]
    hr, size, kind = g["hr"], spec["ear"], spec["ears"]
    colour = pal["ears"] * (0.75 if far else 1.0)
    bx = hx + (hr * 0.25 if far else -hr * 0.2)
    if kind in ("pointed", "erect"):
        h = hr * (0.9 if kind == "pointed" else 0.75) * size
        w = hr * (0.38 if kind == "pointed" else 0.5)
        lean = rng.uniform(-0.1, 0.15) * hr
        top = hy - hr * 0.75
        pts = [(bx - w, top + 0.04), (bx + lean, top - h), (bx + w, top + 0.04)]
        if kind == "erect":  # dogs: rounded tip
            pts[1:2] = [(bx + lean - w * 0.25, top - h), (bx + lean + w * 0.25, top - h * 0.97)]
        pen.poly(pts, colour)
    elif kind == "floppy":
        if not far:
            length = hr * 0.85 * size
            pen.poly(_ellipse(bx - hr * 0.1, hy - hr * 0.3 + length * 0.5, hr * 0.33, length * 0.6,
                              angle=rng.uniform(-0.25, 0.15), fluff=spec["fluff"], rng=rng),
                     colour)
    else:  # folded ("rose") ears: small flap tipping forwards
        top = hy - hr * 0.7
        pen.poly([(bx - hr * 0.35, top + 0.02), (bx - hr * 0.05, top - hr * 0.45),
                  (bx + hr * 0.4, top - hr * 0.05)], colour)


def _background(size, rng):
    """A random, class-independent background, float array (size, size, 3)."""
    kind = rng.integers(5)
    c0, c1 = rng.uniform(0, 255, 3), rng.uniform(0, 255, 3)
    yy, xx = np.mgrid[0:size, 0:size] / size
    if kind == 0:  # linear gradient
        a = rng.uniform(0, 2 * np.pi)
        t = np.clip((np.cos(a) * xx + np.sin(a) * yy + 1) / 2, 0, 1)
    elif kind == 1:  # stripes
        a, f = rng.uniform(0, np.pi), rng.uniform(2, 10)
        t = (np.sin(2 * np.pi * f * (np.cos(a) * xx + np.sin(a) * yy)) > 0) * 1.0
    elif kind == 2:  # checkerboard
        f = rng.integers(2, 8)
        t = ((np.floor(xx * f) + np.floor(yy * f)) % 2) * 1.0
    elif kind == 3:  # soft blobs
        t = np.zeros((size, size))
        for _ in range(rng.integers(3, 8)):
            (cx, cy), r = rng.uniform(0, 1, 2), rng.uniform(0.05, 0.3)
            t += np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r))
        t = np.clip(t, 0, 1)
    else:  # smooth noise
        small = rng.uniform(0, 1, (rng.integers(3, 9),) * 2)
        t = np.asarray(Image.fromarray((small * 255).astype(np.uint8)).resize(
            (size, size), Image.BICUBIC), float) / 255
    bg = c0 + t[..., None] * (c1 - c0)
    return bg + rng.normal(0, rng.uniform(0, 12), (size, size, 3))


def _render(breed, size, rng):
    """One (RGB uint8 array, mask uint8 array) pair for `breed`."""
    spec = dict(_SPECS[breed], species="cat" if breed in CATS else "dog")
    ss = 2 * size  # supersample, then downscale: antialiased edges
    scale = ss * rng.uniform(0.45, 0.62)
    centre = ss * (0.5 + rng.uniform(-0.1, 0.1, 2)) + (0, 0.04 * ss)
    pen = _Pen(ss, centre, scale, rng.uniform(-0.2, 0.2), rng.random() < 0.5)
    pal, g = _palette(spec, rng), _pose(spec, rng)
    _draw_legs(pen, spec, pal, g, near=False)
    _draw_tail(pen, spec, pal, g)
    _draw_body(pen, spec, pal, g, rng)
    _draw_legs(pen, spec, pal, g, near=True)
    _draw_head(pen, spec, pal, g, rng)
    alpha = np.asarray(pen.mask.resize((size, size), Image.BOX), float)[..., None] / 255
    animal = np.asarray(pen.img.resize((size, size), Image.BOX), float)
    img = _background(size, rng) * (1 - alpha) + animal * alpha
    img += rng.normal(0, rng.uniform(1, 6), img.shape)
    mask = np.where(alpha[..., 0] >= 0.5, 255, 0).astype(np.uint8)
    return np.clip(img, 0, 255).astype(np.uint8), mask


def _write(path, breeds, per_class, size, seed):
    """Render every image and mask; image i of a breed depends only on (seed, breed, i)."""
    (path / "images").mkdir(parents=True)
    (path / "masks").mkdir()
    for breed in breeds:
        for i in range(1, per_class + 1):
            rng = np.random.default_rng([seed, BREEDS.index(breed), i])
            img, mask = _render(breed, size, rng)
            Image.fromarray(img).save(path / "images" / f"{breed}_{i}.jpg", quality=90)
            Image.fromarray(mask, "L").save(path / "masks" / f"{breed}_{i}.png")


def _flip_labels(path, breeds, per_class, label_noise, seed):
    """Rename a random ``label_noise`` share of the images (and their masks) to another
    breed's name, numbered after that breed's own images; returns ``{new name: true breed}``."""
    rng = np.random.default_rng([seed, 1_000_003])
    files = [(b, i) for b in breeds for i in range(1, per_class + 1)]
    chosen = rng.choice(len(files), round(label_noise * len(files)), replace=False)
    flipped, next_n = {}, dict.fromkeys(breeds, per_class)
    for index in sorted(chosen.tolist()):
        breed, i = files[index]
        wrong = breeds[(breeds.index(breed) + int(rng.integers(1, len(breeds)))) % len(breeds)]
        next_n[wrong] += 1
        name = f"{wrong}_{next_n[wrong]}"
        (path / "images" / f"{breed}_{i}.jpg").rename(path / "images" / f"{name}.jpg")
        (path / "masks" / f"{breed}_{i}.png").rename(path / "masks" / f"{name}.png")
        flipped[f"{name}.jpg"] = breed
    return flipped


def flipped_labels(path):
    """``{image file name: true breed}`` of the images `make_pets` gave a wrong label
    (``label_noise``); empty for clean data."""
    return json.loads((Path(path) / _MARKER).read_text()).get("flipped", {})


def make_pets(path, n_classes=12, per_class=60, size=96, seed=0, label_noise=0.0):
    """Write a synthetic pets data set to `path` (cached) and return `path`.

    Creates ``path/images/<breed>_<n>.jpg`` (n = 1..per_class), ``path/masks/<breed>_<n>.png``
    (mode 'L', 255 where the animal is) and ``path/petlens-synthetic.json``. If that file
    records the same arguments, nothing is regenerated; otherwise ``images/`` and ``masks/``
    are deleted and rewritten; an ``images/`` folder without that file is never touched
    (`FileExistsError`). Breeds are `choose_breeds(n_classes)`. Same arguments give the same
    bytes. Read ``path/'images'`` as chapter 5 does: ``get_image_files(path)`` lists masks too.

    ``label_noise`` (0 to 1): that share of the images, chosen at random, is named after
    another breed (``<wrong breed>_<n>.jpg``, numbered after that breed's own images), as
    mislabelled data would be; `flipped_labels` says which, with their true breed.

    >>> from petlens.demo import pets_dataloaders
    >>> path = make_pets(tmp / 'pets', n_classes=4, per_class=10, size=64)
    >>> dls = pets_dataloaders(path, item_size=72, size=64, bs=16)  # chapter 5's DataBlock
    """
    _check(n_classes, per_class, size)
    path = Path(path)
    marker = path / _MARKER
    if not 0 <= label_noise < 1:
        raise ValueError(f"label_noise must be within [0, 1), got {label_noise}")
    args = dict(format=FORMAT_VERSION, n_classes=n_classes, per_class=per_class, size=size,
                seed=seed)
    if label_noise:  # clean data keeps the marker (and the bytes) it always had
        args["label_noise"] = label_noise
    if marker.exists():
        stored = json.loads(marker.read_text())
        stored.pop("flipped", None)
        if stored == dict(args, complete=True):
            return path
    elif any((path / "images").glob("*")):
        raise FileExistsError(f"{path / 'images'} holds files make_pets did not write")
    for sub in ("images", "masks"):
        shutil.rmtree(path / sub, ignore_errors=True)
    path.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps(dict(args, complete=False)))
    _write(path, choose_breeds(n_classes), per_class, size, seed)
    flipped = _flip_labels(path, choose_breeds(n_classes), per_class, label_noise, seed)
    marker.write_text(json.dumps(dict(args, complete=True, **({"flipped": flipped}
                                                               if label_noise else {}))))
    return path
