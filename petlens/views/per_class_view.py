"""The per-class view: precision, recall, F1 and support of every class, and how many of its
validation items cleanlab flags as possible label issues."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import PetLensError
from ._label_issues import NOT_COMPUTED, describe, label_issues_of, unavailable
from ._plotting import FONT_FLOOR, WIDTH, axes

SORTS = ("f1", "precision", "recall", "support", "name", "issues")
METRICS = ("precision", "recall", "f1")


@dataclass
class PerClassView:
    """Per-class metrics of a run (fastai's ``print_classification_report()``), scikit-learn
    Display style.

    >>> view = PerClassView.from_run(run)
    >>> view.worst(1)[0] in view.vocab
    True
    >>> view.plot().ax_.get_title()
    'Per-class F1, worst first'
    >>> int(view.class_issues.sum()) == view.issues_info["n_flagged"]  # cleanlab's flags
    True
    """

    vocab: list
    precision: np.ndarray
    recall: np.ndarray
    f1: np.ndarray
    support: np.ndarray
    summary: dict
    sort: str = "f1"  # the table's sort key: a metric, 'support', 'name' or 'issues'
    descending: bool = False  # False: worst classes first (for 'issues': fewest first)
    # flagged validation items per class (cleanlab, run.label_issues); None: see issues_info
    class_issues: np.ndarray | None = None
    issues_info: dict = field(default_factory=lambda: unavailable("not computed"))

    @classmethod
    def from_run(cls, run, *, label_issues: bool = True, **options):
        """The metrics of ``run``'s latest predictions and, with ``label_issues``, cleanlab's
        flagged items per class (computed at the run's first read, then cached in
        ``label_issues.npz``; a run without them says why); ``options``: ``sort``,
        ``descending``."""
        m = run.per_class_metrics()
        issues, info = label_issues_of(run) if label_issues else (
            None, unavailable(NOT_COMPUTED))
        view = cls(list(run.vocab), m["precision"], m["recall"], m["f1"], m["support"],
                   m["summary"], **options,
                   class_issues=None if issues is None else issues.class_issues,
                   issues_info=info)
        if view.sort not in SORTS:
            raise PetLensError(f"sort={view.sort!r}: expected one of {SORTS}")
        return view

    def worst(self, k: int) -> list[str]:
        """The ``k`` classes with the lowest F1 (ties in vocab order)."""
        return [self.vocab[i] for i in np.argsort(self.f1, kind="stable")[:k]]

    def state(self) -> dict:
        """Trait values of the per-class widget (arrays still numpy)."""
        return {"vocab": self.vocab,
                **{name: getattr(self, name).astype(np.float32) for name in METRICS},
                "support": self.support.astype(np.int32), "summary": self.summary,
                "sort": self.sort, "descending": self.descending, "selection": None,
                "filter_actual": None, "filter_predicted": None,
                "class_issues": None if self.class_issues is None
                else np.asarray(self.class_issues, np.int32),
                "label_issues_info": dict(self.issues_info)}

    def figsize(self, max_classes: int = 40) -> tuple[float, float]:
        return (WIDTH, max(3.0, 0.22 * min(len(self.vocab), max_classes) + 1.2))

    def plot(self, ax=None, *, max_classes: int = 40):
        """F1 of each class as bars (worst first, at most ``max_classes``), with precision
        and recall marked, as a reading of ``classification_report``."""
        order = np.argsort(self.f1, kind="stable")[:max_classes]
        ax = axes(ax, figsize=self.figsize(max_classes))
        rows = np.arange(len(order))
        ax.barh(rows, self.f1[order], color="#4c72b0", label="F1")
        ax.plot(self.precision[order], rows, "|", color="black", ms=9, mew=2,
                label="precision")
        ax.plot(self.recall[order], rows, "x", color="#dd8452", ms=6, mew=1.5, label="recall")
        ax.set_yticks(rows, [self._row_label(i) for i in order], fontsize=FONT_FLOOR,
                      parse_math=False)
        ax.invert_yaxis()
        ax.set_xlim(0, 1.0)
        ax.set_xlabel(f"accuracy {self.summary['accuracy']:.2f} · macro F1 "
                      f"{self.summary['macro']['f1']:.2f} · {self.summary['n_items']} items\n"
                      + self._issues_line(), fontsize=FONT_FLOOR)
        hidden = len(self.vocab) - len(order)
        ax.set_title("Per-class F1, worst first" + (f" ({hidden} more classes not shown)"
                                                    if hidden > 0 else ""))
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=FONT_FLOOR)
        self.ax_ = ax
        return self

    def _row_label(self, i: int) -> str:
        """``name (support)``, or ``name (support, k flagged)`` with label issues."""
        if self.class_issues is None or not self.class_issues[i]:
            return f"{self.vocab[i]} ({self.support[i]})"
        return f"{self.vocab[i]} ({self.support[i]}, {self.class_issues[i]} flagged)"

    def _issues_line(self, k: int = 3) -> str:
        """How many items cleanlab flags and the classes with most, or why there are none."""
        line = describe(self.issues_info)
        if self.class_issues is None or not self.class_issues.any():
            return line
        top = np.argsort(-self.class_issues, kind="stable")[:k]
        most = ", ".join(f"{_short(self.vocab[i])} {self.class_issues[i]}"
                         for i in top if self.class_issues[i])
        return f"{line}; most: {most}"

    def widget(self, **kwargs):
        from ..widgets.per_class import PerClassWidget  # sugar pointing up: lazy

        return PerClassWidget.from_view(self, **kwargs)


def _short(name: str, limit: int = 24) -> str:
    return name if len(name) <= limit else name[:limit - 1] + "…"
