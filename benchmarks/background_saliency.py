"""Benchmark 7: from the end of ``fine_tune`` to the dashboard, and to each method's saliency maps.

A resnet34 (no pretrained weights) is fine-tuned on the synthetic pets at ``--size`` px with
``PetLens(saliency=('integrated_gradients', 'gradcam'), saliency_top_k=--top)``. From the
moment ``fine_tune`` returns, the script times:

- ``lens.show()`` returning the dashboard (the maps are computed in a background thread);
- each method's maps being stored (the live feed's ``saliency`` progress messages, in the
  order they are computed: Grad-CAM first, then Integrated Gradients), and all of them;

then, as the baseline measured in the same run on the same weights, the synchronous path
petlens took before (every map computed in the foreground before the first read of the run
returned): the same batches, one after another, in the main thread. The background thread
also runs the maps' trust checks (``saliency_checks.npz``), which the baseline does not;
``--no-checks`` records without them, for the maps alone on both sides.

Wall seconds with torch's default threads (what a user gets); the background thread shares
them with the notebook, which is idle here.

    python benchmarks/background_saliency.py --size 64
    python benchmarks/background_saliency.py --size 224     # about 10 minutes on 2 cores
    python benchmarks/background_saliency.py --size 224 --per-class 10 --top 8 --no-checks
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import torch
from _common import SALIENCY_METHODS as METHODS
from _common import add_saliency_options, machine, saliency_dataloaders


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_saliency_options(parser)
    parser.add_argument("--no-checks", action="store_true",
                        help="PetLens(saliency_checks=False): the maps alone, as the baseline")
    args = parser.parse_args()

    from fastai.vision.all import ProgressCallback, error_rate, resnet34, vision_learner

    from petlens import PetLens
    from petlens.saliency.record import explain_batch, take_snapshot

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        dls = saliency_dataloaders(tmp, args)
        learn = vision_learner(dls, resnet34, pretrained=False, metrics=error_rate, path=tmp)
        learn.remove_cb(ProgressCallback)
        learn.logger = lambda *_: None
        lens = PetLens(path=tmp / "runs", saliency=METHODS, saliency_top_k=args.top,
                       saliency_checks=not args.no_checks)
        learn.add_cb(lens)

        marks: dict[str, float] = {}

        class Clock:  # the live feed's saliency progress, from the saliency thread
            def update(self, message):
                if message["kind"] == "saliency" and message["phase"] == 1:
                    now = time.perf_counter()
                    method = message["method"]
                    for done in [m for m in marks if m.startswith("computing ")]:
                        if done != f"computing {method}":
                            marks.setdefault(done.replace("computing", "stored"), now)
                    if method is not None:
                        marks.setdefault(f"computing {method}", now)
                    else:
                        marks.setdefault("all stored", now)

        clock = Clock()
        lens.subscribe(clock.update)
        start = time.perf_counter()
        learn.fine_tune(1, base_lr=2e-3, freeze_epochs=1)
        fit_end = time.perf_counter()
        dashboard = lens.show()
        shown = time.perf_counter()
        assert dashboard.tl_saliency_progress.get("status") == "pending", "already done?"
        print(f"fine_tune {fit_end - start:.0f} s; dashboard after {shown - fit_end:.2f} s",
              flush=True)
        lens.wait_for_saliency(progress=False)
        done = time.perf_counter()
        print(f"all maps stored after {done - fit_end:.2f} s: " + ", ".join(
            f"{k} {v - fit_end:.2f}" for k, v in marks.items()), flush=True)
        info = lens.run.saliency_info
        assert info["status"] == "complete" and info["phase"] == 1, info

        # the baseline: the same maps, synchronously, before the first read returns
        preds = lens.run.preds
        sync_start = time.perf_counter()
        snapshot = take_snapshot(learn, preds.items, preds.losses, preds.targets, preds.decoded,
                                 methods=METHODS, k=args.top, smallest=128)
        sync_method = {}
        for method, target, indices in snapshot.batches:
            t0 = time.perf_counter()
            explain_batch(snapshot, method, target, indices)
            sync_method[method] = sync_method.get(method, 0.0) + time.perf_counter() - t0
        sync = time.perf_counter() - sync_start

    print(f"machine: {machine()}, {torch.get_num_threads()} torch thread(s)")
    print(f"resnet34 (no pretrained weights), {args.size} px, {args.classes} synthetic breeds x "
          f"{args.per_class}, fine_tune(1, freeze_epochs=1) in {fit_end - start:.0f} s; "
          f"saliency {', '.join(METHODS)} of the top {args.top} ({info['total']} maps, "
          "computed Grad-CAM first), "
          f"{'without' if args.no_checks else 'with'} their trust checks in the background")
    print("\nfrom the end of fine_tune (wall seconds):")
    print(f"  lens.show() returned the dashboard  {shown - fit_end:8.2f}")
    for method in ("gradcam", "integrated_gradients"):
        print(f"  {method + ' maps stored':<36}{marks[f'stored {method}'] - fit_end:8.2f}")
    print(f"  all maps stored (wait_for_saliency) {done - fit_end:8.2f}")
    print(f"\nbaseline, the synchronous path (before: the first read of the run computed them):"
          f" {sync:.2f} s (" + ", ".join(f"{m} {s:.2f}" for m, s in sync_method.items()) + ")")
    print(f"time to dashboard / synchronous: {(shown - fit_end) / sync:.4f} (target: <= 1 s "
          f"beyond reading the run); background total / synchronous: "
          f"{(done - fit_end) / sync:.2f}")


if __name__ == "__main__":
    main()
