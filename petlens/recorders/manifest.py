"""The manifest of a run being recorded: what it says about the learner, its model and data."""

from __future__ import annotations

from .. import model_info, schema
from ..run_folder import now_iso


def new_manifest(run_id: str, name: str | None, learn, *, thumb_size: int) -> dict:
    """The manifest of a new run, before its first artefact (see ``petlens.schema``)."""
    return {
        "schema": schema.SCHEMA,
        "id": run_id,
        "name": name,
        "created": now_iso(),
        "updated": now_iso(),
        "revision": 0,
        "complete": False,
        "versions": model_info.versions(),
        "device": model_info.describe_device(learn.model),
        "mixed_precision": _mixed_precision(learn),
        "model": {},
        "data": model_info.describe_data(learn, None),
        "phases": [],
        "epochs": [],
        "events": [],
        "artefacts": {"timeline": None, "lr_find": None, "preds": [],
                      "thumbs": {"size": thumb_size, "items": {}}},
    }


def refresh_manifest(manifest: dict, learn) -> None:
    """Update data, device and precision for a later fit of the same run (the learner may
    have new data loaders, a new device or ``to_fp16()``)."""
    previous = manifest["data"]
    manifest["data"] = model_info.describe_data(learn, previous["item_root"])
    if not manifest["data"]["vocab"]:  # keep the numbered classes of plain DataLoaders
        manifest["data"]["vocab"] = previous["vocab"]
    manifest["device"] = model_info.describe_device(learn.model)
    manifest["mixed_precision"] = _mixed_precision(learn)


def _mixed_precision(learn) -> bool:
    return any(type(cb).__name__ == "MixedPrecision" for cb in learn.cbs)
