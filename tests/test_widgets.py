"""Widget traits, binary buffers, request / response messages and static fallbacks."""

from __future__ import annotations

import base64

import numpy as np
import pytest
from ipywidgets.widgets.widget import _remove_buffers

from petlens.views import ConfusionMatrixView
from petlens.widgets import ConfusionMatrixWidget, Dashboard
from petlens.wire import encode_array


def sent_messages(widget):
    """Collect what the kernel side sends to the front end (``Widget.send``)."""
    sent = []
    widget.send = lambda content, buffers=None: sent.append((content, buffers or []))
    return sent


def request(widget, **content):
    sent = sent_messages(widget)
    widget._on_message(widget, {"type": "petlens:request", "id": 7, **content}, [])
    (reply,) = sent
    return reply


def test_wire_format_round_trips():
    a = np.arange(6, dtype=np.float16).reshape(2, 3)
    wire = encode_array(a)
    assert wire["dtype"] == "float16" and wire["shape"] == [2, 3]
    np.testing.assert_array_equal(np.frombuffer(wire["buffer"], "<f2").reshape(2, 3), a)
    b64 = encode_array(a, binary=False)["b64"]
    assert base64.b64decode(b64) == wire["buffer"]
    with pytest.raises(TypeError, match="complex128"):
        encode_array(np.zeros(2, complex))


def test_confusion_widget_sends_arrays_as_binary_buffers(session_run):
    run = session_run["lens"].run
    widget = ConfusionMatrixView.from_run(run).widget()
    assert widget.vocab == run.vocab
    assert widget.counts["dtype"] == "uint8"  # small counts travel in the smallest type
    assert widget.counts["shape"] == [len(run.vocab)] * 2
    _, paths, buffers = _remove_buffers(widget.get_state())
    assert ["counts", "buffer"] in paths
    counts = np.frombuffer(buffers[paths.index(["counts", "buffer"])], np.uint8)
    np.testing.assert_array_equal(counts.reshape(run.confusion_matrix().shape),
                                  run.confusion_matrix())
    assert set(widget.orders) == {"alphabetical", "species", "clustered"}
    widget.selection = [1, 0]
    with pytest.raises(Exception, match="selection"):
        widget.selection = [1, 0, 2]


def test_widget_then_its_static_picture_are_displayed(session_run):
    from IPython.core.interactiveshell import InteractiveShell

    widget = ConfusionMatrixWidget.from_view(ConfusionMatrixView.from_run(session_run["lens"].run))
    shown = []
    shell = InteractiveShell.instance()
    publish = shell.display_pub.publish
    shell.display_pub.publish = lambda data, metadata=None, **kw: shown.append(data)
    try:
        widget._ipython_display_()
    finally:
        shell.display_pub.publish = publish
    (view, picture) = shown  # the widget, then the picture that its script hides
    assert "application/vnd.jupyter.widget-view+json" in view and "image/png" not in view
    assert base64.b64decode(picture["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
    assert f'data-petlens-picture="{widget.picture_id}"' in picture["text/html"]


def test_dashboard_links_views_through_shared_traits(session_run):
    run = session_run["lens"].run
    dash = run.show()
    assert isinstance(dash, Dashboard)
    assert dash.vocab == run.vocab and dash.selection is None and dash.live is False
    assert dash.cm_counts["shape"] == [len(run.vocab)] * 2
    assert len(dash.tl_items) == len(run.preds)
    assert len(dash.lr_curves) == 1
    assert dash.time_lrs["shape"] == [len(run.timeline), 3]
    assert dash.partial is False
    labels = [label for label, _ in dash.summary]
    assert labels[:4] == ["Model", "Data", "Layer groups", "Training"]
    assert not {"cm_vocab", "tl_selection", "tl_live"} & set(dash.trait_names())
    assert base64.b64decode(dash.picture()["image/png"])[:4] == b"\x89PNG"


def test_requests_answer_or_fail_with_an_error_branch(session_run):
    run, learn = session_run["lens"].run, session_run["learn"]
    offline = run.show()
    content, buffers = request(offline, kind="image", index=0, view="tl_")
    assert content["ok"] is False and "not loaded" in content["error"]
    assert content["id"] == 7 and content["view"] == "tl_" and buffers == []

    content, _ = request(offline, kind="explode")
    assert content == {"type": "petlens:response", "id": 7, "ok": False,
                       "error": "unknown request kind 'explode'"}

    live = session_run["lens"].show()
    assert live.live is True
    content, buffers = request(live, kind="image", index=3)
    assert content["ok"] is True and content["index"] == 3
    assert buffers[0][:2] == b"\xff\xd8" and max(content["width"], content["height"]) <= 384
    assert learn.dls.valid.items[3].name == live.tl_items[3]

    content, _ = request(live, kind="image", index=10_000)
    assert content["ok"] is False and "no validation item 10000" in content["error"]


def test_messages_that_are_not_requests_are_ignored(session_run):
    dash = session_run["lens"].run.show()
    sent = sent_messages(dash)
    dash._on_message(dash, {"type": "something-else"}, [])
    dash._on_message(dash, "not even a dict", [])
    assert sent == []
