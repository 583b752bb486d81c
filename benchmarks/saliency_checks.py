"""Benchmark 9: the trust checks of the top-16 saliency maps against computing the maps.

A resnet34 (no pretrained weights) is fine-tuned briefly on the synthetic pets at ``--size``
px; a snapshot of its top ``--top`` losses is taken as PetLens takes it at a fit's end, and on
the same weights, in the same process, one after the other:

- the maps: Grad-CAM and Integrated Gradients (adaptive steps), every batch the background
  job computes (``explain_batch``);
- the checks of those maps (``CheckState.add``, as the job runs them): cascading
  randomisation (head, then the top body group; IG at 16 steps there), deletion / insertion
  curves (12 steps) against a blurred copy, with the random order's curves once per item and
  class, and localisation on the synthetic masks; the time inside randomisation and inside
  the curves is reported apart.

Target: checks <= 3x maps. With ``--agreement`` (Quantus and scikit-image importable, e.g.
``PYTHONPATH=/tmp/quantus``), the same maps' pointing game, relevance mass, SSIM and Spearman
from Quantus / scikit-image / SciPy against petlens' own, with their times (install them
apart: ``pip install --target /tmp/quantus --no-deps quantus scikit-image lazy_loader imageio
tifffile opencv-python-headless``).

    python benchmarks/saliency_checks.py --size 64
    python benchmarks/saliency_checks.py --arch small --size 48 --classes 4 --per-class 30 \
        --epochs 20 --agreement          # a minute: the agreement numbers
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from _common import SALIENCY_METHODS as METHODS
from _common import add_saliency_options, machine, saliency_dataloaders


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_saliency_options(parser)
    parser.add_argument("--arch", choices=("resnet34", "small"), default="resnet34",
                        help="small: three conv blocks and a linear head (seconds to train)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--agreement", action="store_true",
                        help="compare the metrics with Quantus / scikit-image / SciPy")
    args = parser.parse_args()

    from fastai.vision.all import (
        CrossEntropyLossFlat,
        Learner,
        ProgressCallback,
        error_rate,
        resnet34,
        vision_learner,
    )

    from petlens.saliency.check_record import CheckState
    from petlens.saliency.checks import Checker
    from petlens.saliency.record import explain_batch, take_snapshot

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from saliency_checks_support import small_cnn

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        dls = saliency_dataloaders(tmp, args)
        if args.arch == "small":
            learn = Learner(dls, small_cnn(len(dls.vocab)), metrics=error_rate, path=tmp,
                            loss_func=CrossEntropyLossFlat())
        else:
            learn = vision_learner(dls, resnet34, pretrained=False, metrics=error_rate,
                                   path=tmp)
        learn.remove_cb(ProgressCallback)
        learn.logger = lambda *_: None
        start = time.perf_counter()
        if args.arch == "small":
            learn.fit_one_cycle(args.epochs, 1e-2)
        else:
            learn.fine_tune(args.epochs, base_lr=2e-3, freeze_epochs=1)
        trained = time.perf_counter() - start
        print(f"fine_tune done in {trained:.0f} s; maps...", flush=True)
        preds, targets, losses = learn.get_preds(with_loss=True)
        decoded = preds.argmax(1)
        items = np.array([str(p) for p in learn.dls.valid_ds.items])
        snapshot = take_snapshot(learn, items, losses.numpy(), targets.numpy(), decoded.numpy(),
                                 methods=METHODS, k=args.top, smallest=128)

        # the maps, as the background job computes them
        rows, map_time = [], {}
        for method, target, indices in snapshot.batches:
            t0 = time.perf_counter()
            batch, _ = explain_batch(snapshot, method, target, indices)
            map_time[method] = map_time.get(method, 0.0) + time.perf_counter() - t0
            rows += batch
        maps_total = sum(map_time.values())
        print(f"maps done in {maps_total:.1f} s; checks...", flush=True)

        # the checks, as the job runs them after each method's maps
        state = CheckState(snapshot, phase=0, total=len(rows))
        parts = {"randomisation": 0.0, "curves": 0.0}
        for name, attr in (("randomisation", "_randomisation"), ("curves", "_faithfulness")):
            original = getattr(Checker, attr)

            def timed(self, *a, _original=original, _name=name, **k):
                t0 = time.perf_counter()
                try:
                    return _original(self, *a, **k)
                finally:
                    parts[_name] += time.perf_counter() - t0

            setattr(state.checker, attr, timed.__get__(state.checker))
        check_time = {}
        bs = len(snapshot.batches[0][2])
        for method in snapshot.methods:
            mine = [r for r in rows if r["method"] == method]
            t0 = time.perf_counter()
            for i in range(0, len(mine), bs):
                state.add(method, mine[i:i + bs])
            check_time[method] = time.perf_counter() - t0
        checks_total = sum(check_time.values())
        verdicts = {}
        for row, result in zip(state.rows, state.results, strict=True):
            verdicts.setdefault(row["method"], []).append(result["verdict"])

        print(f"machine: {machine()}, {torch.get_num_threads()} torch thread(s)", flush=True)
        print(f"{args.arch} (no pretrained weights), {args.size} px, {args.classes} synthetic "
              f"breeds x {args.per_class}, {args.epochs} epoch(s) in {trained:.0f} s; "
              f"top {args.top} losses: {len(rows)} maps ({', '.join(snapshot.methods)})")
        print(f"stages: {state.checker.stage_names}; curve steps: {state.checker.steps}")
        print("\nwall seconds        maps     checks   ratio")
        for method in snapshot.methods:
            print(f"  {method:<18}{map_time[method]:7.2f}  {check_time[method]:8.2f}  "
                  f"{check_time[method] / map_time[method]:6.2f}")
        print(f"  {'all':<18}{maps_total:7.2f}  {checks_total:8.2f}  "
              f"{checks_total / maps_total:6.2f}   (target <= 3)")
        print(f"inside the checks: randomisation {parts['randomisation']:.2f} s, deletion / "
              f"insertion curves {parts['curves']:.2f} s, the rest (masks, SSIM, Spearman, "
              f"packing the cascade) {checks_total - sum(parts.values()):.2f} s")
        for method, found in verdicts.items():
            counts = {v: found.count(v) for v in ("pass", "warn", "fail", "na")}
            print(f"verdicts {method}: {counts}")
        if args.agreement:
            agreement(state, rows)


def agreement(state, rows):
    """Quantus' PointingGame / RelevanceMassAccuracy, scikit-image's SSIM and SciPy's
    Spearman on the same maps and masks as petlens' own functions: largest differences and
    the time of each."""
    import quantus
    from scipy.stats import spearmanr
    from skimage.metrics import structural_similarity

    from petlens import saliency_metrics as sm

    maps, masks = [], []
    for row in rows:
        mask = state.mask(row["index"], row["input_map"].shape)
        if mask is not None and row.get("input_map") is not None:
            maps.append(row["input_map"].astype(np.float64))
            masks.append(mask)
    a = np.stack(maps)[:, None]
    s = np.stack(masks)[:, None].astype(float)
    n = len(a)
    x = np.zeros((n, 3, *a.shape[-2:]), np.float32)
    y = np.zeros(n, int)

    def clock(fn):
        t0 = time.perf_counter()
        out = fn()
        return out, time.perf_counter() - t0

    ours_pg, t_pg = clock(lambda: np.array([sm.pointing_game(m[0], k[0]) for m, k in
                                            zip(a, s, strict=True)]))
    ours_rm, t_rm = clock(lambda: np.array([sm.relevance_mass(m[0], k[0]) for m, k in
                                            zip(a, s, strict=True)]))
    kw = dict(disable_warnings=True, display_progressbar=False, abs=False, normalise=False)
    q_pg, tq_pg = clock(lambda: np.array(quantus.PointingGame(**kw)(
        model=None, x_batch=x, y_batch=y, a_batch=a, s_batch=s), float))
    q_rm, tq_rm = clock(lambda: np.array(quantus.RelevanceMassAccuracy(**kw)(
        model=None, x_batch=x, y_batch=y, a_batch=a, s_batch=s), float))
    rng = np.random.default_rng(0)
    other = np.clip(a + rng.normal(0, 0.2, a.shape), 0, None)
    ours_ss, t_ss = clock(lambda: np.array([sm.ssim(sm.scaled(p[0]), sm.scaled(q[0])) for p, q
                                            in zip(a, other, strict=True)]))
    sk_ss, tk_ss = clock(lambda: np.array([structural_similarity(
        sm.scaled(p[0]), sm.scaled(q[0]), data_range=1.0) for p, q in zip(a, other,
                                                                           strict=True)]))
    ours_sp, t_sp = clock(lambda: np.array([sm.spearman(p, q) for p, q in zip(a, other,
                                                                              strict=True)]))
    sc_sp, tc_sp = clock(lambda: np.array([spearmanr(p.ravel(), q.ravel())[0] for p, q in
                                           zip(a, other, strict=True)]))
    print(f"\nagreement on {n} maps with masks (quantus {quantus.__version__}):")
    for name, ours, theirs, t_ours, t_theirs in (
            ("pointing game vs Quantus PointingGame", ours_pg, q_pg, t_pg, tq_pg),
            ("relevance mass vs Quantus RelevanceMassAccuracy", ours_rm, q_rm, t_rm, tq_rm),
            ("SSIM vs skimage structural_similarity", ours_ss, sk_ss, t_ss, tk_ss),
            ("Spearman vs scipy spearmanr", ours_sp, sc_sp, t_sp, tc_sp)):
        print(f"  {name:<48} max |diff| {np.nanmax(np.abs(ours - theirs)):.2e}   "
              f"petlens {1000 * t_ours:7.1f} ms, reference {1000 * t_theirs:7.1f} ms")
    mprt(state, rows, quantus)


def mprt(state, rows, quantus):
    """Quantus' MPRT (every layer, top down) against petlens' cascade on the same IG maps."""
    from petlens.saliency.attribute import attribute_batch
    from petlens.saliency.methods import METHODS

    mine = [r for r in rows if r["method"] == "integrated_gradients"]
    snapshot, spec = state.snapshot, METHODS["integrated_gradients"]
    x = torch.stack([snapshot.inputs[r["index"]] for r in mine])
    y = np.array([r["label"] for r in mine])
    a = np.stack([r["input_map"] for r in mine])[:, None]

    def explain(model, inputs, targets, **_):
        with torch.enable_grad():
            return attribute_batch(spec, model.eval(), torch.as_tensor(inputs).float(),
                                   torch.as_tensor(targets).long(), snapshot.scale,
                                   n_steps=16)["maps"][:, None]

    t0 = time.perf_counter()
    scores = quantus.MPRT(similarity_func=quantus.similarity_func.correlation_spearman,
                          layer_order="top_down", disable_warnings=True,
                          display_progressbar=False, abs=False, normalise=False)(
        model=snapshot.model, x_batch=x.numpy(), y_batch=y, a_batch=a, explain_func=explain,
        device="cpu")
    t_quantus = time.perf_counter() - t0
    results = [{"spearman": np.full(state.checker.n_stages, np.nan),
                "ssim": np.full(state.checker.n_stages, np.nan), "randomised": []} for _ in mine]
    t0 = time.perf_counter()
    state.checker._randomisation(spec, "integrated_gradients", x, torch.as_tensor(y), a[:, 0],
                                 results)
    t_petlens = time.perf_counter() - t0
    print(f"  Quantus MPRT, IG at 16 steps, every layer top down ({len(scores) - 1} layers): "
          f"{t_quantus:.2f} s; petlens' cascade ({state.checker.n_stages} stages): "
          f"{t_petlens:.2f} s, {len(mine)} maps")


if __name__ == "__main__":
    main()
