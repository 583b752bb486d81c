"""The label issues the per-class and confusion panels show (cleanlab's, ``run.label_issues``,
cached in ``label_issues.npz``), or why a run has none: never a crash, never an empty mystery.

>>> issues, info = label_issues_of(run)
>>> info["available"], info["reason"], int(issues.flags.sum()) == info["n_flagged"]
(True, '', True)
"""

from __future__ import annotations

from ..errors import PetLensError
from ..label_issues import FILTER_BY, METHOD

WHAT = ("confident learning (cleanlab) on the recorded validation predictions, which are "
        "out-of-sample")
# why a view built with ``label_issues=False`` has none (a live dashboard builds its views so
# in the training thread, then with them in the background once a fit has ended)
NOT_COMPUTED = ("not computed here (label_issues=False): a live dashboard computes them in "
                "the background once a fit has ended")


def label_issues_of(run):
    """``(issues, info)``: the run's :class:`petlens.label_issues.LabelIssues` (or None) and
    what the front end says about them (``available``, ``reason`` when not, ``approximate``
    with ``top_k`` for runs stored with top-k probabilities, ``n_flagged``, ``n_items``,
    ``method``, ``filter_by``, ``cleanlab`` version, ``note``: computed, cached or read)."""
    info = unavailable("")
    if run.preds is None:
        skipped = f" ({run.preds_skipped})" if run.preds_skipped else ""
        return None, {**info, "reason": f"no validation predictions recorded{skipped}"}
    try:
        issues = run.label_issues
    except PetLensError as e:  # fewer than two classes, no items
        return None, {**info, "reason": str(e)}
    except Exception as e:  # cleanlab failing on these predictions: say why, go on
        return None, {**info, "reason": f"cleanlab could not compute them "
                                        f"({type(e).__name__}: {e})"}
    return issues, {**info, "available": True, "approximate": issues.approximate,
                    "top_k": issues.meta.get("top_k"), "n_flagged": int(issues.flags.sum()),
                    "n_items": len(issues.flags), "n_pairs": len(issues.pairs),
                    "cleanlab": issues.meta.get("cleanlab"), "note": issues.note}


def unavailable(reason: str) -> dict:
    """The info of a view without label issues, saying why (e.g. built with
    ``label_issues=False``)."""
    return {"available": False, "reason": reason, "approximate": False, "top_k": None,
            "n_flagged": 0, "n_items": 0, "n_pairs": 0, "method": METHOD,
            "filter_by": FILTER_BY, "cleanlab": None, "note": "", "what": WHAT}


def describe(info: dict) -> str:
    """One line for a static picture: how many items cleanlab flags, or why none."""
    if not info.get("available"):
        reason = info.get("reason") or "not computed"
        return reason if reason.startswith("label issues") else \
            f"label issues (cleanlab) not available: {reason}"
    approx = f", approximate: top-{info['top_k']} probabilities" if info.get("approximate") \
        else ""
    return (f"label issues (cleanlab): {info['n_flagged']:,} of {info['n_items']:,} "
            f"items flagged{approx}")
