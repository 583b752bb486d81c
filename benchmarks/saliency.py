"""Benchmark 4: saliency maps of the top losses, petlens against how users compute them today.

A resnet18 (no pretrained weights) is trained on the synthetic pets at ``--size`` px; the
``--top`` highest-loss validation items are explained (their actual class, as fastai does),
per method, three ways, in one process on the same model:

- **fastai pattern** (Integrated Gradients only): what ``fastai.callback.captum``'s
  ``CaptumInterpretation.visualize(item)`` computes, one item at a time: the item decoded and
  re-encoded through the learner's transforms, then ``IntegratedGradients(model).attribute(
  enc, baseline * 0, target=label, n_steps=200)`` (200 steps are hard-coded there). The module
  itself no longer imports (it needs ``captum.insights``, removed from Captum 0.9), so its code
  path is reproduced here, with one fix: the image is batched (a batch of one) with the
  validation transforms, as its unbatched call fails with ``aug_transforms``. Its plotting is
  left out. Being slow (200 steps per image), it runs on the first ``--fastai-items`` items.
- **per-image loop**: the items encoded together (``learn.dls.test_dl(items).one_batch()``),
  then the Captum calls petlens makes (same parameters, sized for one image), one image at a
  time: ``Saliency``, ``LayerGradCam`` on the layer petlens picks (upsampled), ``Occlusion``,
  and Integrated Gradients with petlens' step schedule (``petlens.saliency.integrated``).
  Raw attributions: the maps are normalised outside the timing.
- **petlens**: ``petlens.saliency.explain(learn, indices, method, 'actual')``: all items in
  one call; loading, decoding and normalising the maps included.

Integrated Gradients is compared at its convergence delta: Captum's ``sum(attributions) -
(F(x) - F(baseline))``, reported relative to petlens' tolerance unit ``max(|F(x) -
F(baseline)|, 1 logit)``; petlens stops adding steps when it is within 0.1 of that. The maps
of petlens and the loop are checked equal (Saliency, Grad-CAM, Occlusion, IG), and petlens' IG
maps are compared with fastai's 200-step maps (Pearson r of the normalised maps).

Times are process CPU seconds with one torch thread (the default, ``--threads 1``): on a
shared machine they measure the work, not the neighbours' load. ``--threads 0`` runs with
torch's default threads and reports wall time.

    python benchmarks/saliency.py               # 128 px, top 32: about 5 minutes on 2 cores
    python benchmarks/saliency.py --size 64     # about 2 minutes
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from _common import machine, synthetic_pets

METHODS = ("integrated_gradients", "gradcam", "saliency", "occlusion")
LABELS = {"integrated_gradients": "IG", "gradcam": "GradCAM", "saliency": "Saliency",
          "occlusion": "Occlusion"}
FASTAI_STEPS = 200  # hard-coded in CaptumInterpretation._get_attributions


def train(data: Path, workdir: Path, size: int, epochs: int):
    from fastai.vision.all import (
        ProgressCallback,
        error_rate,
        resnet18,
        set_seed,
        vision_learner,
    )

    from petlens.demo import pets_dataloaders

    set_seed(0, reproducible=True)
    dls = pets_dataloaders(data, item_size=size * 5 // 4, size=size, bs=32)
    learn = vision_learner(dls, resnet18, pretrained=False, metrics=error_rate, path=workdir)
    learn.remove_cb(ProgressCallback)
    learn.logger = lambda *_: None
    learn.fit_one_cycle(epochs, 1e-2)
    return learn


def top_losses(learn, k: int) -> list[int]:
    from fastai.vision.all import ClassificationInterpretation

    _, indices = ClassificationInterpretation.from_learner(learn).top_losses(k)
    return [int(i) for i in indices]


def fastai_pattern(learn, item):
    """``CaptumInterpretation(learn).visualize(item, metric='IG')`` without the plot: the
    raw attribution, as its ``_get_enc_dec_data`` + ``_get_attributions`` compute it."""
    from captum.attr import IntegratedGradients
    from fastai.vision.all import L, TfmdLists, ifnone, to_device

    dls, valid = learn.dls, learn.dls.valid
    tls = L([TfmdLists(item, t) for t in L(ifnone(dls.tfms, [None]))])
    inp_data = next(zip(*(tls[0], tls[1]), strict=True))
    dec_data = valid.after_item(inp_data)
    # fastai runs before_batch / after_batch on the single item; a batch of one here
    enc_data = valid.after_batch(to_device(valid.create_batch(valid.before_batch([dec_data])),
                                           dls.device))
    baseline = (enc_data[0] * 0).to(dls.device)  # get_baseline_img(..., 'zeros')
    ig = IntegratedGradients(learn.model)
    attr = ig.attribute(enc_data[0], baseline, target=enc_data[1], n_steps=FASTAI_STEPS)
    return attr, (ig, enc_data, baseline)


def encode(learn, items):
    """The items as the model sees them (validation transforms), and their labels."""
    from petlens.saliency.inputs import plain

    x, y = learn.dls.test_dl(items, with_labels=True, bs=len(items)).one_batch()
    return plain(x).detach(), y.as_subclass(torch.Tensor).long()


def loop_calls(model, size, layer, params):
    """One function ``(x, y, i)`` per method: the Captum call petlens makes, for item ``i``
    alone."""
    from captum.attr import LayerAttribution, LayerGradCam, Occlusion, Saliency

    from petlens.saliency.integrated import adaptive_integrated_gradients
    from petlens.saliency.methods import PIXEL_BUDGET

    h, w = size
    per_eval = max(1, PIXEL_BUDGET // (h * w))  # petlens' budget for one image

    def saliency(x, y, i):
        return Saliency(model).attribute(x[i:i + 1].clone().requires_grad_(),
                                         target=y[i:i + 1], abs=True)

    def gradcam(x, y, i):
        attr = LayerGradCam(model, layer).attribute(x[i:i + 1], target=y[i:i + 1],
                                                    relu_attributions=True)
        return LayerAttribution.interpolate(attr, (h, w), interpolate_mode="bilinear")

    def occlusion(x, y, i):
        occl = params["occlusion"]
        return Occlusion(model).attribute(
            x[i:i + 1], target=y[i:i + 1], perturbations_per_eval=per_eval,
            sliding_window_shapes=tuple(occl["sliding_window_shapes"]),
            strides=tuple(occl["strides"]))

    def integrated_gradients(x, y, i):
        attr, info = adaptive_integrated_gradients(model, x[i:i + 1], y[i:i + 1],
                                                   internal_batch_size=per_eval)
        return attr, info

    return {"saliency": saliency, "gradcam": gradcam, "occlusion": occlusion,
            "integrated_gradients": integrated_gradients}


def clocked(fn):
    """``fn()`` timed: ``((wall seconds, process CPU seconds), result)``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return (time.perf_counter() - wall, time.process_time() - cpu), result


def pearson(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a.ravel() - a.mean(), b.ravel() - b.mean()
    return float(a @ b / max(np.sqrt((a @ a) * (b @ b)), 1e-12))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=128, help="model input size (px)")
    parser.add_argument("--top", type=int, default=32, help="top losses to explain")
    parser.add_argument("--repeats", type=int, default=3,
                        help="interleaved rounds for Saliency and Grad-CAM (IG, Occlusion: one)")
    parser.add_argument("--fastai-items", type=int, default=4,
                        help="items the fastai pattern (200 IG steps each) is timed on")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--per-class", type=int, default=50)
    parser.add_argument("--methods", default=",".join(METHODS),
                        help=f"comma-separated, of {', '.join(METHODS)}")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads (0: torch's default). With 1 the process CPU time "
                             "is the compute time, whatever else the machine runs")
    args = parser.parse_args()
    methods = [m for m in METHODS if m in args.methods.split(",")]
    if args.threads:
        torch.set_num_threads(args.threads)
    cpu_clock = torch.get_num_threads() == 1
    clock = 1 if cpu_clock else 0  # which of clocked()'s times the ratios use

    from petlens.saliency import explain
    from petlens.saliency.integrated import TOLERANCE
    from petlens.saliency.normalise import normalise

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = synthetic_pets(tmp / "pets", n_classes=args.classes, per_class=args.per_class,
                              size=args.size * 5 // 4)
        train_s, learn = clocked(lambda: train(data, tmp / "learn", args.size, args.epochs))
        error = float(learn.validate()[1])
        indices = top_losses(learn, args.top)
        items = [learn.dls.valid_ds.items[i] for i in indices]
        x, y = encode(learn, items)
        model = learn.model.eval()
        n = len(items)

        # petlens once per method first (a warm-up): its parameters (layer, windows) drive
        # the loop
        results = {m: explain(learn, indices, m, "actual", bs=n) for m in methods}
        params = {m: results[m].params for m in methods}
        layer = dict(model.named_modules()).get(params.get("gradcam", {}).get("layer"))
        calls = loop_calls(model, x.shape[-2:], layer, params)

        def run_loop(method):
            xs, ys = encode(learn, items)
            return [calls[method](xs, ys, i) for i in range(n)]

        def run_petlens(method):
            return explain(learn, indices, method, "actual", bs=n)

        times, loops = {}, {}
        for method in methods:  # loop and petlens in turn, round after round
            rounds = args.repeats if method in ("saliency", "gradcam") else 1
            spent = {"loop": [], "petlens": []}
            for _ in range(rounds):
                seconds, loops[method] = clocked(lambda m=method: run_loop(m))
                spent["loop"].append(seconds)
                seconds, results[method] = clocked(lambda m=method: run_petlens(m))
                spent["petlens"].append(seconds)
            times[method] = {k: np.median(np.array(v), axis=0) / n for k, v in spent.items()}

        # the fastai pattern, on the first items (timed without its convergence delta)
        fastai = []
        for item in items[:args.fastai_items if "integrated_gradients" in methods else 0]:
            seconds, (attr, (ig, enc, baseline)) = clocked(lambda it=item: fastai_pattern(
                learn, it))
            delta = ig.compute_convergence_delta(attr, baseline, enc[0], target=enc[1])
            fastai.append((seconds, attr.detach().as_subclass(torch.Tensor).numpy(),
                           float(delta.as_subclass(torch.Tensor)[0])))

        with torch.no_grad():  # F(x) - F(0) for the target class, the tolerance unit
            gap = (model(x) - model(torch.zeros_like(x)))[torch.arange(n), y].numpy()
    unit = np.maximum(np.abs(gap), 1.0)

    # the same maps: petlens against the loop
    agreement = {}
    for method in methods:
        sign = "absolute_value" if method == "saliency" else "positive"
        raw = [r[0] if isinstance(r, tuple) else r for r in loops[method]]
        looped = normalise(torch.cat(raw).detach().numpy(), sign)
        diff = np.abs(looped - results[method].maps)
        agreement[method] = float(diff.max())
        assert diff.mean() < 1e-3, (method, diff.mean(), diff.max())
    k = len(fastai)
    if k:
        ig = results["integrated_gradients"]
        loop_steps = np.array([info["n_steps"][0] for _, info in loops["integrated_gradients"]])
        assert (loop_steps == ig.n_steps).mean() >= 0.9, (loop_steps, ig.n_steps)
        fastai_s = np.median(np.array([s for s, _, _ in fastai]), axis=0)
        fastai_rel = np.abs([d for _, _, d in fastai]) / unit[:k]
        petlens_rel = np.abs(ig.delta) / unit
        fastai_maps = normalise(np.concatenate([a for _, a, _ in fastai]), "positive")
        r = [pearson(a, b) for a, b in zip(fastai_maps, ig.maps[:k], strict=True)]
        steps, counts = np.unique(ig.n_steps, return_counts=True)
        used = dict(zip(steps.tolist(), counts.tolist(), strict=True))

    print(f"machine: {machine()}, {torch.get_num_threads()} torch thread(s)")
    print(f"{args.classes} synthetic breeds x {args.per_class}, resnet18 (no pretrained weights) "
          f"trained {args.epochs} epochs at {args.size}px ({train_s[0]:.0f} s wall), error rate "
          f"{error:.2f}; the {n} top losses of {len(learn.dls.valid_ds)} validation images, "
          f"their actual class explained")
    print(f"Saliency, Grad-CAM: median of {args.repeats} interleaved rounds; IG, Occlusion: one"
          + (f"; fastai pattern: median of its first {k} items" if k else ""))
    print("times: " + ("process CPU seconds per image (1 thread: the compute, not the "
                       "neighbours' load); wall in brackets" if cpu_clock else
                       "wall seconds per image"))
    print(f"\n{'method':<10} {'petlens':>17} {'loop':>17} {'loop/petlens':>13} "
          f"{'fastai':>17} {'petlens/fastai':>15}   same maps as the loop (max |diff|)")

    def cell(t):
        return f"{t[clock]:.4f} ({t[0]:.4f})" if cpu_clock else f"{t[0]:.4f}"

    for method in methods:
        petlens, loop = times[method]["petlens"], times[method]["loop"]
        fastai_cols = (f"{cell(fastai_s):>17} {petlens[clock] / fastai_s[clock]:>15.3f}"
                       if method == "integrated_gradients" and k else f"{'-':>17} {'-':>15}")
        print(f"{LABELS[method]:<10} {cell(petlens):>17} {cell(loop):>17} "
              f"{loop[clock] / petlens[clock]:>12.2f}x {fastai_cols}   "
              f"yes ({agreement[method]:.1e})")
    if k:
        print(f"\nIntegrated Gradients, |convergence delta| / max(|F(x) - F(0)|, 1), petlens "
              f"tolerance {TOLERANCE}:")
        print(f"  petlens ({n} items; items per step count {used}): median "
              f"{np.median(petlens_rel):.4f}, max {petlens_rel.max():.4f}, "
              f"{(petlens_rel <= TOLERANCE).mean():.0%} within tolerance")
        print(f"  fastai, {FASTAI_STEPS} steps ({k} items): median {np.median(fastai_rel):.4f}, "
              f"max {fastai_rel.max():.4f}, {(fastai_rel <= TOLERANCE).mean():.0%} within "
              f"tolerance")
        print(f"  petlens' maps against fastai's (same {k} items): Pearson r median "
              f"{np.median(r):.3f}, min {min(r):.3f}")
    def verdict(met: bool) -> str:
        return "met" if met else "MISSED"

    verdicts = [f"{LABELS[m]} loop/petlens >= 3x: "
                f"{verdict(times[m]['loop'][clock] >= 3 * times[m]['petlens'][clock])}"
                for m in ("gradcam", "saliency") if m in methods]
    if k:
        ratio = times["integrated_gradients"]["petlens"][clock] / fastai_s[clock]
        verdicts.append(f"IG petlens/fastai <= 0.2 with every delta within tolerance: "
                        f"{verdict(ratio <= 0.2 and (petlens_rel <= TOLERANCE).all())}")
    print("\ntargets: " + "; ".join(verdicts))


if __name__ == "__main__":
    main()
