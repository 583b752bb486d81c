"""Benchmark 2: from a trained learner to confusion matrix + top losses + most confused.

fastai: ``ClassificationInterpretation.from_learner(learn)`` then ``confusion_matrix()``,
``top_losses(9)`` and ``most_confused(2)`` (each inference pass included, as users run it).
petlens: ``load_run`` of what the callback captured during training, then the same three
calls. Same model, same validation set; the results are checked equal.

    python benchmarks/interpretation.py --per-class 200   # ~1,480 validation images
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
from _common import machine, median_time, synthetic_pets


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-class", type=int, default=200)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    from fastai.vision.all import (
        ClassificationInterpretation,
        ProgressCallback,
        error_rate,
        resnet18,
        vision_learner,
    )

    from petlens import PetLens, load_run
    from petlens.demo import pets_dataloaders

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = synthetic_pets(tmp / "pets", n_classes=37, per_class=args.per_class, size=96)
        dls = pets_dataloaders(data, item_size=args.size * 5 // 4, size=args.size, bs=64)
        learn = vision_learner(dls, resnet18, pretrained=False, metrics=error_rate,
                               path=tmp / "learn", cbs=PetLens(path=tmp / "runs", thumbs=False))
        learn.remove_cb(ProgressCallback)
        learn.fit_one_cycle(1, 2e-3)
        run_path = learn.pet_lens.path

        def with_fastai():
            interp = ClassificationInterpretation.from_learner(learn)
            return interp.confusion_matrix(), interp.top_losses(9), interp.most_confused(2)

        def with_petlens():
            run = load_run(run_path)
            return run.confusion_matrix(), run.top_losses(9), run.most_confused(2)

        fastai_s, _ = median_time(with_fastai, args.repeats)
        petlens_s, _ = median_time(with_petlens, args.repeats)
        (cm_f, (loss_f, _), mc_f), (cm_p, (loss_p, _), mc_p) = with_fastai(), with_petlens()
        assert np.array_equal(cm_f, cm_p) and [(a, p, int(n)) for a, p, n in mc_f] == mc_p
        np.testing.assert_allclose(loss_f.numpy(), loss_p, rtol=1e-3)

    print(f"machine: {machine()}")
    print(f"37 synthetic breeds, {len(dls.valid_ds)} validation images at {args.size}px, "
          f"resnet18, median of {args.repeats}; results identical\n")
    print(f"{'':<36} {'seconds':>8}")
    print(f"{'fastai ClassificationInterpretation':<36} {fastai_s:>8.3f}")
    print(f"{'petlens (load_run + views)':<36} {petlens_s:>8.3f}")
    print(f"{'ratio petlens / fastai':<36} {petlens_s / fastai_s:>8.4f}")


if __name__ == "__main__":
    main()
