"""A short, human summary of a run: model, data, training, results."""

from __future__ import annotations


def _count(n) -> str:
    if n is None:
        return "?"
    for unit, size in (("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if n >= size:
            return f"{n / size:.1f}{unit}"
    return str(n)


def _training_seconds(phases) -> float | None:
    from datetime import datetime

    spans = [(datetime.fromisoformat(p["started"]), datetime.fromisoformat(p["ended"]))
             for p in phases if p.get("started") and p.get("ended")]
    return sum((end - start).total_seconds() for start, end in spans) if spans else None


def preds_notice(run) -> str | None:
    """What the confusion matrix and top-loss panels show when the run has no validation
    predictions (``None`` when it has some).

    >>> preds_notice(run) is None  # a run of a single-label classifier
    True
    """
    if run.preds is not None:
        return None
    if run.preds_skipped:
        return ("No confusion matrix or top losses: predictions were not recorded: "
                f"{run.preds_skipped}.")
    return "No validation predictions yet: they are recorded when an epoch's validation ends."


def run_summary(run) -> list[list[str]]:
    """``[label, value]`` rows: model, data, training, error rate, state, versions.

    >>> run_summary(run)[0]
    ['Model', 'resnet18 · 11.7M parameters · 3 layer groups']
    """
    m, data = run.manifest, run.manifest["data"]
    model = m["model"]
    rows = [["Model", f"{model.get('arch', '?')} · {_count(model.get('n_params'))} parameters"
                      f" · {len(model.get('layer_groups', []))} layer groups"
                      + (" · mixed precision" if m.get("mixed_precision") else "")],
            ["Data", f"{len(run.vocab)} classes · {data.get('n_train', '?')} train / "
                     f"{data.get('n_valid', '?')} valid"]]
    groups = model.get("layer_groups", [])
    if groups:
        rows.append(["Layer groups", " · ".join(f"{g['name']} {_count(g['n_params'])}"
                                                for g in groups)])
    fits = [f"fit {p['phase'] + 1}: {p['n_epoch']} epoch(s)"
            + (" frozen" if p.get("frozen_idx") else "")
            + ("" if p["status"] == "finished" else f" ({p['status']})") for p in run.phases]
    earlier = run.manifest.get("earlier_training")
    if earlier:  # PetLens was added to a learner that had been trained already
        n = earlier.get("epochs")
        epochs = "" if n is None else f"~{n:g} epoch{'' if n == 1 else 's'}, "
        fits.insert(0, f"recording started after {epochs}{earlier['iterations']} "
                       "iterations of earlier training")
    rows.append(["Training", " · ".join([f"lr_find ×{len(run.lr_finds)}", *fits])])
    if run.error_rate is not None:
        rows.append(["Error rate", f"{run.error_rate:.1%} ({len(run.preds)} items)"])
    elif run.preds is None and run.preds_skipped:
        rows.append(["Predictions", f"not recorded: {run.preds_skipped}"])
    last = next((e for e in reversed(run.timeline.epochs) if e.get("valid_loss") is not None),
                None)
    if last is not None:
        rows.append(["Valid loss", f"{last['valid_loss']:.4f}"])
    seconds = _training_seconds(run.phases)
    if seconds is not None:
        rows.append(["Duration", f"{seconds / 60:.1f} min of training"])
    rows.append(["Device", str(m.get("device", "?"))])
    versions = m.get("versions", {})
    rows.append(["Versions", " · ".join(f"{k} {v}" for k, v in versions.items())])
    return rows
