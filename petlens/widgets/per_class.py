"""Per-class metrics widget: a sortable table linked to the other views."""

from __future__ import annotations

import traitlets as t

from ..bundles import bundle
from ..views.per_class_view import SORTS
from ..views.per_class_view import PerClassView as View
from .base import optional_int, selection_trait, with_traits

PER_CLASS_TRAITS = {
    "vocab": lambda: t.List(t.Unicode()),
    "precision": t.Dict, "recall": t.Dict, "f1": t.Dict,  # float32 [C]
    "support": t.Dict,                     # int32 [C]
    "summary": t.Dict,                     # accuracy, n_items, macro / weighted averages
    "sort": lambda: t.Enum(SORTS, View.sort),
    "descending": lambda: t.Bool(View.descending),
    "selection": selection_trait,
    "filter_actual": optional_int, "filter_predicted": optional_int,
    "notice": lambda: t.Unicode(""),       # shown instead of the view when it has no data
    # cleanlab's flagged validation items per class: int32 [C], or None (see the info)
    "class_issues": lambda: t.Dict(default_value=None, allow_none=True),
    "label_issues_info": t.Dict,           # available / reason, approximate, top_k, n_flagged
}


class PerClassWidget(with_traits(PER_CLASS_TRAITS)):
    """Precision, recall, F1, support and label issues per class; clicking a class sets
    ``filter_actual`` (in the dashboard: its row in the matrix, its items in the top losses),
    clicking its label-issue count sets the top losses' ``issues_only`` filter too, where the
    dashboard has one."""

    _esm = bundle("per_class.js")
