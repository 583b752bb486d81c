"""Numbers and verdicts of the saliency trust checks: numpy only (the reading side uses them).

The measurements (``petlens.saliency.checks`` computes them from a model) are:

- **randomisation** (Adebayo et al. 2018, cascading): Spearman rank correlation and SSIM
  between a map and the map the same method gives once the model's head, then its body layer
  groups one by one, are re-initialised. A map that survives randomisation does not
  explain the model.
- **deletion / insertion** (Petsiuk et al. 2018): the probability of the explained class as
  the most-attributed pixels are replaced by a blurred copy of the image (deletion: lower
  area under the curve is better) or revealed over it (insertion: higher is better),
  against the same curves for a random pixel order.
- **localisation** (when the data has object masks): the pointing game (the map's maximum
  lies on the object) and the relevance mass inside the object, against its area.

Every threshold is in :data:`THRESHOLDS`, and every verdict is one of :data:`VERDICTS`:
``'na'`` (not computable: no map, a NaN or all-zero map, no mask, a class the image does
not support) is never a pass.

Why our own implementation rather than Quantus (``MPRT``, ``PointingGame``,
``RelevanceMassAccuracy``) or ``captum.metrics``: measured on the same maps and masks
(``benchmarks/saliency_checks.py --agreement``; numbers in benchmarks/README.md), the numbers
agree (pointing game and relevance mass identical to Quantus 0.6's, SSIM within 4e-15 of
``skimage.metrics.structural_similarity``, Spearman within 1e-16 of ``scipy.stats.spearmanr``)
at lower cost (pointing game 0.7 ms against Quantus' 12.5 ms on 46 maps). Quantus' MPRT
re-runs the explanation for every layer through its own loop (2.3 s for a small CNN's 7
layers against 0.5 s for petlens' two cascading stages on the same 23 IG maps), cannot reuse
petlens' batching, adaptive IG steps and background snapshot, and Quantus pulls in OpenCV and
scikit-image; ``captum.metrics`` has infidelity and sensitivity only (no deletion,
randomisation or localisation). These functions are a few lines each, numpy only, so the
reading side (views, report) uses them without torch.
"""

from __future__ import annotations

import numpy as np

VERDICTS = ("pass", "warn", "fail", "na")  # "na": not computable
CHECKS = ("randomisation", "deletion", "insertion", "localisation")

THRESHOLDS = {
    # Spearman of a map to the original after the head and the first body group are
    # re-initialised (stage index 1): above "fail" the map barely depends on the model
    # (Adebayo et al. call a rank correlation this high a failed sanity check); between
    # "warn" and "fail" it depends on it only in part.
    "randomisation_stage": 1,
    "randomisation_fail": 0.5,
    "randomisation_warn": 0.3,
    # Deletion AUC (lower is better) against the random pixel order's: at or above it the
    # map orders pixels no better than chance (fail); within 10 % of it, barely (warn).
    "deletion_warn_ratio": 0.9,
    # Insertion AUC (higher is better): at or below random fails, less than 10 % above warns.
    "insertion_warn_ratio": 1.1,
    # Deletion and insertion say nothing when the image itself supports the explained class
    # no more than its blurred copy does (a class the model does not see in the image).
    "min_evidence": 0.05,
    # Relevance mass inside the mask against the mask's share of the image: below the area
    # (no better than a uniform map) fails; a pass needs 1.25x the area and a pointing-game hit.
    "localisation_pass_ratio": 1.25,
}

MEANING = {
    "randomisation": "the map changes when the model's weights are re-initialised (it "
                     "explains this model, not the image alone)",
    "deletion": "removing the most-attributed pixels first lowers the class probability "
                "faster than removing pixels in random order",
    "insertion": "revealing the most-attributed pixels first raises the class probability "
                 "faster than revealing pixels in random order",
    "localisation": "the map's maximum and most of its mass fall on the object (mask)",
}


def ranks(values: np.ndarray) -> np.ndarray:
    """Ranks from 1, ties given their average rank (as ``scipy.stats.rankdata``).

    >>> ranks(np.array([3., 1., 3., 2.])).tolist()
    [3.5, 1.0, 3.5, 2.0]
    """
    flat = np.asarray(values, dtype=np.float64).ravel()
    order = np.argsort(flat, kind="stable")
    sorted_ = flat[order]
    starts = np.r_[True, sorted_[1:] != sorted_[:-1]]
    group = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    last = np.r_[first[1:], len(flat)] - 1
    average = (first + last) / 2 + 1
    out = np.empty(len(flat))
    out[order] = average[group]
    return out


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman rank correlation of two maps (flattened); ``nan`` when both are constant,
    0 when only one is (it shares no ordering with the other).

    >>> round(spearman(np.array([1., 2., 3.]), np.array([1., 4., 9.])), 3)
    1.0
    >>> spearman(np.zeros(3), np.array([1., 2., 3.]))
    0.0
    """
    a, b = np.asarray(a, np.float64).ravel(), np.asarray(b, np.float64).ravel()
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        return float("nan")
    flat_a, flat_b = np.ptp(a) == 0, np.ptp(b) == 0
    if flat_a and flat_b:
        return float("nan")
    if flat_a or flat_b:
        return 0.0
    ra, rb = ranks(a), ranks(b)
    ra, rb = ra - ra.mean(), rb - rb.mean()
    return float((ra * rb).sum() / np.sqrt((ra * ra).sum() * (rb * rb).sum()))


def _box_mean(image: np.ndarray, win: int) -> np.ndarray:
    """Mean over every ``win`` x ``win`` window lying wholly inside ``image`` (valid part)."""
    c = np.pad(np.cumsum(np.cumsum(image, 0), 1), ((1, 0), (1, 0)))
    total = c[win:, win:] - c[:-win, win:] - c[win:, :-win] + c[:-win, :-win]
    return total / (win * win)


def ssim(a: np.ndarray, b: np.ndarray, *, data_range: float = 1.0, win: int = 7) -> float:
    """Structural similarity of two maps as ``skimage.metrics.structural_similarity`` computes
    it by default (7x7 uniform window, sample covariance, K1 = 0.01, K2 = 0.03, the mean over
    the windows inside the image); ``nan`` for maps smaller than the window or not finite.

    >>> x = np.linspace(0, 1, 64).reshape(8, 8)
    >>> ssim(x, x), round(ssim(x, 1 - x), 2)
    (1.0, -0.95)
    """
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if min(a.shape) < win or not (np.isfinite(a).all() and np.isfinite(b).all()):
        return float("nan")
    n = win * win
    cov = n / (n - 1)
    ux, uy = _box_mean(a, win), _box_mean(b, win)
    vx = cov * (_box_mean(a * a, win) - ux * ux)
    vy = cov * (_box_mean(b * b, win) - uy * uy)
    vxy = cov * (_box_mean(a * b, win) - ux * uy)
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    s = ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2))
    return float(s.mean())


def scaled(m: np.ndarray) -> np.ndarray:
    """A map divided by its maximum (SSIM compares maps on one 0..1 scale)."""
    m = np.asarray(m, np.float64)
    top = np.max(m) if m.size else 0.0
    return m / top if top > 0 else m


def auc(curve: np.ndarray) -> np.ndarray:
    """Area under curves sampled at evenly spaced fractions 0..1 (trapezoid), per row.

    >>> auc(np.array([[1., 0.], [1., 1.]])).tolist()
    [0.5, 1.0]
    """
    y = np.asarray(curve, np.float64)
    n = y.shape[-1] - 1
    return (y[..., 1:] + y[..., :-1]).sum(-1) / (2 * n)


def pointing_game(m: np.ndarray, mask: np.ndarray) -> float:
    """1.0 when a maximum of map ``m`` lies inside ``mask`` (as Quantus' ``PointingGame``),
    0.0 when none does; ``nan`` when the map is not usable or the mask is empty or full."""
    m, mask = np.asarray(m, np.float64), np.asarray(mask, bool)
    if not usable_map(m) or not 0 < mask.sum() < mask.size:
        return float("nan")
    return float(mask[m == m.max()].any())


def relevance_mass(m: np.ndarray, mask: np.ndarray) -> float:
    """Share of the map's total inside ``mask`` (Quantus' ``RelevanceMassAccuracy``); ``nan``
    when the map is not usable or the mask is empty or full.

    >>> relevance_mass(np.array([[1., 3.]]), np.array([[False, True]]))
    0.75
    """
    m, mask = np.asarray(m, np.float64), np.asarray(mask, bool)
    if not usable_map(m) or not 0 < mask.sum() < mask.size:
        return float("nan")
    return float(m[mask].sum() / m.sum())


def usable_map(m: np.ndarray) -> bool:
    """A map the checks can measure: finite, not negative, not all zero (a constant map
    orders no pixel before another)."""
    m = np.asarray(m, np.float64)
    return bool(m.size and np.isfinite(m).all() and m.min() >= 0 and np.ptp(m) > 0)


# -- verdicts --------------------------------------------------------------------------
def randomisation_verdict(spearman_by_stage) -> tuple[str, str]:
    """From the Spearman correlations after each cascading stage (NaN: not measured)."""
    values = np.asarray(spearman_by_stage, np.float64)
    stage = min(THRESHOLDS["randomisation_stage"], len(values) - 1)  # a model of one stage
    if stage < 0 or not np.isfinite(values[stage]):
        return "na", "the randomised maps could not be compared"
    rho = values[stage]
    if rho > THRESHOLDS["randomisation_fail"]:
        return "fail", f"Spearman {rho:.2f} after randomisation: the map barely changes"
    if rho > THRESHOLDS["randomisation_warn"]:
        return "warn", f"Spearman {rho:.2f} after randomisation: the map changes in part"
    return "pass", f"Spearman {rho:.2f} after randomisation"


def faithfulness_verdict(kind: str, area: float, random_area: float,
                         evidence: float) -> tuple[str, str]:
    """``kind`` 'deletion' or 'insertion': its AUC against the random order's; ``evidence``:
    the explained class's probability on the image minus on its blurred copy."""
    if not (np.isfinite(area) and np.isfinite(random_area) and np.isfinite(evidence)):
        return "na", f"{kind} could not be measured"
    if evidence < THRESHOLDS["min_evidence"]:
        return "na", (f"the image supports the class no more than its blurred copy "
                      f"(+{max(evidence, 0):.2f}): {kind} says nothing")
    text = f"{kind} AUC {area:.3f} vs random {random_area:.3f}"
    if kind == "deletion":
        if area >= random_area:
            return "fail", text
        return ("warn" if area > THRESHOLDS["deletion_warn_ratio"] * random_area
                else "pass"), text
    if area <= random_area:
        return "fail", text
    return ("warn" if area < THRESHOLDS["insertion_warn_ratio"] * random_area
            else "pass"), text


def localisation_verdict(hit: float, mass: float, area: float) -> tuple[str, str]:
    """From the pointing game (1 / 0, or the share of hits), the relevance mass inside the
    mask and the mask's share of the image."""
    if not (np.isfinite(hit) and np.isfinite(mass) and np.isfinite(area)):
        return "na", "no object mask"
    text = f"mass in mask {mass:.2f} vs area {area:.2f}, pointing {hit:.2f}"
    if mass < area:
        return "fail", text
    if hit >= 0.5 and mass >= THRESHOLDS["localisation_pass_ratio"] * area:
        return "pass", text
    return "warn", text


def overall(verdicts) -> str:
    """The worst computed verdict ('fail' > 'warn' > 'pass'); 'na' when none was computed.

    >>> overall(['pass', 'na', 'warn']), overall(['na', 'na'])
    ('warn', 'na')
    """
    computed = [v for v in verdicts if v != "na"]
    if not computed:
        return "na"
    return max(computed, key=("pass", "warn", "fail").index)


def summary(spearman_rows: np.ndarray, ssim_rows: np.ndarray, aucs: np.ndarray,
            evidence: np.ndarray, localisation: np.ndarray) -> dict:
    """Per-method medians over its maps and their verdicts (the same thresholds as a map's).

    ``spearman_rows`` / ``ssim_rows`` [maps x stages], ``aucs`` [maps x 4] (deletion,
    insertion, random deletion, random insertion), ``evidence`` [maps], ``localisation``
    [maps x 3] (hit, mass, area); NaN where not measured.
    """
    def median(values, axis=0):
        values = np.asarray(values, np.float64)
        if values.size == 0:
            return np.full(values.shape[1:], np.nan) if values.ndim > 1 else float("nan")
        finite = np.isfinite(values)
        counts = finite.sum(axis=axis)
        with np.errstate(all="ignore"):
            filled = np.where(finite, values, np.nan)
            out = np.nanmedian(filled, axis=axis) if counts.any() else np.full(
                np.shape(counts), np.nan)
        return np.where(counts > 0, out, np.nan)

    rho, sim = median(spearman_rows), median(ssim_rows)
    informative = np.asarray(evidence, np.float64) >= THRESHOLDS["min_evidence"]
    area = median(np.asarray(aucs)[informative]) if np.asarray(aucs).size else np.full(4, np.nan)
    area = np.broadcast_to(area, (4,))
    loc = median(localisation) if np.asarray(localisation).size else np.full(3, np.nan)
    loc = np.broadcast_to(loc, (3,))
    verdicts = {
        "randomisation": randomisation_verdict(rho),
        "deletion": faithfulness_verdict("deletion", area[0], area[2],
                                         1.0 if informative.any() else 0.0),
        "insertion": faithfulness_verdict("insertion", area[1], area[3],
                                          1.0 if informative.any() else 0.0),
        "localisation": localisation_verdict(*loc),
    }
    return {
        "spearman": [_number(v) for v in np.atleast_1d(rho)],
        "ssim": [_number(v) for v in np.atleast_1d(sim)],
        "deletion_auc": _number(area[0]), "insertion_auc": _number(area[1]),
        "random_deletion_auc": _number(area[2]), "random_insertion_auc": _number(area[3]),
        "pointing": _number(loc[0]), "mass": _number(loc[1]), "area": _number(loc[2]),
        "n_maps": len(evidence), "n_informative": int(informative.sum()),
        "verdicts": {k: v for k, (v, _) in verdicts.items()},
        "reasons": {k: r for k, (_, r) in verdicts.items()},
        "verdict": overall([v for v, _ in verdicts.values()]),
    }


def _number(value) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None
