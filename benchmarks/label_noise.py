"""Does the triage find real label errors, and does fixing them help? Synthetic pets with a
known 10 % of labels flipped (``make_pets(label_noise=0.1)``), resnet18 from scratch recorded
by PetLens, cleanlab's flags measured against the truth on the validation set, then the true
fixes applied to a copy with ``run.fixes.apply`` and the same recipe trained again on the same
split.

    python benchmarks/label_noise.py [--classes 6] [--per-class 80] [--epochs 14]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from petlens.demo.label_noise import loop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--classes", type=int, default=6)
    parser.add_argument("--per-class", type=int, default=80)
    parser.add_argument("--noise", type=float, default=0.1)
    parser.add_argument("--epochs", type=int, default=14)
    parser.add_argument("--size", type=int, default=48)
    args = parser.parse_args()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="petlens-noise-") as root:
        result = loop(Path(root), n_classes=args.classes, per_class=args.per_class, size=64,
                      label_noise=args.noise, epochs=args.epochs, item_size=args.size + 8,
                      size_px=args.size)
    print(json.dumps(result, indent=1))
    f, top = result["flags"], result["top"]
    print(f"validation: {f['items']} items, {f['flipped']} flipped (base rate "
          f"{f['base_rate']:.1%}); cleanlab flagged {f['flagged']}: precision "
          f"{f['precision']:.1%}, recall {f['recall']:.1%}; the {top['flagged']} lowest label "
          f"qualities: precision {top['precision']:.1%}")
    print(f"error rate: {result['error_noisy_labels']:.1%} against the noisy labels "
          f"({result['error_true_labels']:.1%} against the true ones); after applying the "
          f"{result['fixed_items']} true fixes and training again: "
          f"{result['error_after_fixes']:.1%}  ({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
