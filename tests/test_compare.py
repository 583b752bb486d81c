"""Comparing two runs item by item (issue 16): the categories on runs built by hand, classes
matched by name, items by path or file name, relabels by a changed label and by a real
fix-queue undo log, a real trained pair, every bad input, the command line, the magic, the
view's state, pictures and widget."""

from __future__ import annotations

import json

import numpy as np
import pytest
from ipywidgets.widgets.widget import _remove_buffers
from runs_support import run_with_items

import petlens
from petlens import PetLensError, load_run
from petlens.classification import confusion_matrix, per_class_metrics
from petlens.cli import main
from petlens.compare import CHANGE_NAMES, compare
from petlens.demo.scale_run import write_run
from petlens.magics import petlens_magic
from petlens.views import CompareView
from petlens.widgets.compare import COMPARE_TRAITS, CompareWidget
from petlens.wire import encode_state

VOCAB = ["Birman", "Ragdoll", "pug", "beagle"]
# The contract (js/docs/compare.md): every trait of the compare widget.
CONTRACT = {
    "vocab", "runs", "header", "counts", "notices", "notice", "counts_a", "counts_b", "orders",
    "order_info", "error_a", "error_b", "precision_a", "precision_b", "recall_a", "recall_b",
    "support_a", "support_b", "items", "actual_a", "actual_b", "pred_a", "pred_b", "loss_a",
    "loss_b", "change", "change_names", "thumbs", "saliency", "lr_finds", "timelines",
    "selection", "selected_class", "change_filter", "order", "normalize", "page",
    "page_size", "selected_item"}
NO_LR_FIND = "neither run has an lr_find"  # write_run records none


def hand_run(root, items, labels, predicted, vocab=VOCAB, *, item_root=None, n_iter=600,
             name=None):
    """A run folder whose predictions are exactly ``predicted`` (class names) for ``items``
    labelled ``labels``; ``item_root`` as PetLens records it."""
    path = run_with_items(root, list(items), list(labels), list(vocab))
    preds = next((path / "preds").glob("*.npz"))
    with np.load(preds) as npz:
        arrays = {key: npz[key] for key in npz.files}
    decoded = np.array([vocab.index(p) for p in predicted], np.int32)
    arrays["decoded"] = decoded
    arrays["losses"] = np.where(decoded == arrays["targets"], 0.1, 2.0).astype(np.float32)
    np.savez(preds, **arrays)
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["data"]["item_root"] = None if item_root is None else str(item_root)
    if name is not None:
        manifest["name"] = name
    (path / "manifest.json").write_text(json.dumps(manifest))
    if n_iter != 600:
        rewrite_timeline(path, n_iter)
    return load_run(path)


def rewrite_timeline(path, n_iter):
    """Two phases of ``n_iter // 2`` iterations each."""
    half = n_iter // 2
    with np.load(path / "timeline.npz") as npz:
        arrays = {key: npz[key] for key in npz.files}
    arrays = {key: np.resize(value, (n_iter, *value.shape[1:])) for key, value in
              arrays.items()}
    arrays["phase"] = np.repeat([0, 1], [half, n_iter - half]).astype(np.int32)
    np.savez(path / "timeline.npz", **arrays)


# A: labels and predictions of ten items; B: the same items, other predictions
ITEMS = [f"img_{i}.jpg" for i in range(10)]
LABELS = ["Birman", "Birman", "Birman", "Ragdoll", "Ragdoll", "pug", "pug", "beagle",
          "beagle", "beagle"]
PRED_A = ["Ragdoll", "Ragdoll", "Birman", "Ragdoll", "Birman", "beagle", "Birman", "beagle",
          "beagle", "pug"]
PRED_B = ["Birman", "Ragdoll", "Birman", "pug", "pug", "Ragdoll", "pug", "beagle",
          "beagle", "Birman"]


def expected_changes(labels_a, pred_a, labels_b, pred_b) -> list[str]:
    """The categories, item by item, in plain Python."""
    out = []
    for la, pa, lb, pb in zip(labels_a, pred_a, labels_b, pred_b, strict=True):
        if la != lb:
            out.append("relabelled")
        elif pa == la:
            out.append("still_right" if pb == lb else "broken")
        else:
            out.append("fixed" if pb == lb else "still_wrong")
    return out


@pytest.fixture
def pair(tmp_path):
    a = hand_run(tmp_path / "runs", ITEMS, LABELS, PRED_A, name="before")
    b = hand_run(tmp_path / "runs", ITEMS, LABELS, PRED_B, name="after")
    return a, b


def test_categories_counts_and_per_class_rates_of_hand_built_runs(pair):
    a, b = pair
    cmp = compare(a, b)
    expected = expected_changes(LABELS, PRED_A, LABELS, PRED_B)
    assert [CHANGE_NAMES[c] for c in cmp.change] == expected
    counts = cmp.counts
    for name in CHANGE_NAMES:
        assert counts[name] == expected.count(name)
    assert (counts["fixed"], counts["broken"], counts["still_wrong"]) == (2, 1, 4)  # by hand
    assert (counts["common"], counts["only_a"], counts["only_b"]) == (10, 0, 0)
    wrong_same = sum(e == "still_wrong" and pa == pb
                     for e, pa, pb in zip(expected, PRED_A, PRED_B, strict=True))
    assert cmp.still_wrong_same == wrong_same
    assert cmp.notices == [NO_LR_FIND] and cmp.items.tolist() == ITEMS and cmp.vocab == VOCAB
    # confusions and per-class rates of each run: as classification computes them alone
    for run, counts_, rates in ((a, cmp.counts_a, cmp.rates_a), (b, cmp.counts_b, cmp.rates_b)):
        np.testing.assert_array_equal(counts_, confusion_matrix(run.preds.targets,
                                                                run.preds.decoded, 4))
        reference = per_class_metrics(run.preds.targets, run.preds.decoded, 4)
        np.testing.assert_allclose(rates["precision"], reference["precision"])
        np.testing.assert_allclose(rates["recall"], reference["recall"])
        np.testing.assert_allclose(rates["error"], 1 - reference["recall"])
    change = cmp.error_change()
    assert change[VOCAB.index("Birman")] == pytest.approx(-1 / 3)  # 2 of 3 wrong -> 1 of 3
    assert cmp.change_order()[0] in np.flatnonzero(np.abs(change) == np.abs(change).max())
    header = {row["field"]: row for row in cmp.header}
    assert [run["name"] for run in cmp.runs()] == ["before", "after"]
    assert header["error rate"]["changed"] and not header["classes"]["changed"]
    assert not header["architecture"]["changed"]
    assert header["error rate, common items"]["a"] == "60.00%"
    assert header["error rate, common items"]["b"] == "50.00%"


def test_classes_in_another_order_are_matched_by_name(tmp_path):
    a = hand_run(tmp_path / "runs", ITEMS, LABELS, PRED_A)
    shuffled = ["pug", "beagle", "Ragdoll", "Birman"]
    b = hand_run(tmp_path / "runs", ITEMS, LABELS, PRED_B, vocab=shuffled)
    cmp = compare(a, b)
    assert cmp.vocab == VOCAB  # A's order
    assert [CHANGE_NAMES[c] for c in cmp.change] == expected_changes(LABELS, PRED_A, LABELS,
                                                                     PRED_B)
    assert [cmp.vocab[i] for i in cmp.pred_b] == PRED_B
    assert cmp.notices == ["the runs list their classes in different orders: matched by name",
                           NO_LR_FIND]


def test_classes_and_items_in_one_run_only_are_noticed(tmp_path):
    a = hand_run(tmp_path / "runs", ITEMS, LABELS, PRED_A)
    husky = "<b>husky</b>"
    items_b = [*ITEMS[3:], "new_1.jpg", "new_2.jpg"]
    labels_b = [*LABELS[3:], "beagle", husky]
    pred_b = [*PRED_B[3:], husky, husky]
    vocab_b = [*VOCAB, husky]
    b = hand_run(tmp_path / "runs", items_b[::-1], labels_b[::-1], pred_b[::-1], vocab=vocab_b)
    cmp = compare(a, b)
    assert cmp.vocab == vocab_b and cmp.counts["only_a"] == 3 and cmp.counts["only_b"] == 2
    assert cmp.counts["common"] == 7 and cmp.items.tolist() == ITEMS[3:][::-1]  # B's order
    assert cmp.notices[0] == "7 items are in both runs and compared; 3 only in A and 2 only " \
                             "in B are not"
    assert "1 class is only in B ('<b>husky</b>')" in cmp.notices[1]
    # each common item keeps its own labels and predictions
    for k, item in enumerate(cmp.items):
        i = ITEMS.index(item)
        assert cmp.vocab[cmp.pred_a[k]] == PRED_A[i] and cmp.vocab[cmp.pred_b[k]] == PRED_B[i]
    assert np.isnan(cmp.rates_a["error"][4]) and cmp.rates_b["support"][4] == 0  # not common


def test_a_changed_label_of_the_same_file_is_relabelled_not_fixed(tmp_path):
    a = hand_run(tmp_path / "runs", ITEMS, LABELS, PRED_A)
    labels_b = list(LABELS)
    labels_b[0] = "Ragdoll"  # A predicted Ragdoll for this Birman: now labelled so
    b = hand_run(tmp_path / "runs", ITEMS, labels_b, PRED_A)
    cmp = compare(a, b)
    assert CHANGE_NAMES[cmp.change[0]] == "relabelled"
    assert cmp.counts["relabelled"] == 1 and cmp.counts["fixed"] == 0
    assert (cmp.vocab[cmp.actual_a[0]], cmp.vocab[cmp.actual_b[0]]) == ("Birman", "Ragdoll")


def test_different_data_folders_match_by_file_name_or_by_path(tmp_path):
    a = hand_run(tmp_path / "runs", ITEMS, LABELS, PRED_A, item_root="/data/one/images")
    b = hand_run(tmp_path / "runs", [f"pets/{i}" for i in ITEMS], LABELS, PRED_B,
                 item_root="/mnt/copy")
    cmp = compare(a, b)
    assert cmp.matched_by == "file name" and cmp.counts["common"] == 10
    assert cmp.items[0] == "pets/img_0.jpg"  # B's ids
    assert any("matched by file name" in n and "/data/one/images" in n for n in cmp.notices)
    # one data folder inside the other: the ids are rebased, matched by path
    c = hand_run(tmp_path / "runs", [f"images/{i}" for i in ITEMS], LABELS, PRED_B,
                 item_root="/data/one")
    cmp = compare(a, c)
    assert cmp.matched_by == "path" and cmp.counts["common"] == 10
    assert any("one inside the other" in n for n in cmp.notices)
    # a file name in two folders is ambiguous: never matched by name
    folders = ["cat/1.png", "dog/1.png", "dog/2.png"]
    d = hand_run(tmp_path / "runs", folders, ["Birman", "pug", "pug"], ["Birman"] * 3,
                 item_root="/x/valid")
    e = hand_run(tmp_path / "runs", ["1.png", "2.png"], ["Birman", "pug"], ["pug"] * 2,
                 item_root="/y/elsewhere")
    cmp = compare(d, e)
    assert cmp.items.tolist() == ["2.png"] and cmp.counts["only_a"] == 2


def test_a_relabel_applied_by_the_fix_queue_is_matched_through_its_undo_log(tmp_path):
    data = tmp_path / "pets" / "images"
    data.mkdir(parents=True)
    names = [f"{breed}_{n}.jpg" for breed in ("Birman", "Ragdoll", "pug") for n in (1, 2, 3)]
    for name in names:
        (data / name).write_bytes(name.encode())
    labels = [n.rsplit("_", 1)[0] for n in names]
    predicted = ["Ragdoll" if n == "Birman_2.jpg" else label for n, label in zip(names, labels,
                                                                                  strict=True)]
    a = hand_run(tmp_path / "runs", names, labels, predicted, item_root=data)
    a.fixes.set("Birman_2.jpg", "relabel", "Ragdoll")  # the model was right: a label error
    a.fixes.set("pug_3.jpg", "delete")
    a.fixes.apply(data)
    # B: trained again on the fixed data (Birman_2.jpg is now Ragdoll_4.jpg)
    names_b = sorted(p.name for p in data.iterdir())
    assert "Ragdoll_4.jpg" in names_b and "Birman_2.jpg" not in names_b
    labels_b = [n.rsplit("_", 1)[0] for n in names_b]
    b = hand_run(tmp_path / "runs", names_b, labels_b, labels_b, item_root=data)
    cmp = compare(a, b)
    k = cmp.items.tolist().index("Ragdoll_4.jpg")
    assert CHANGE_NAMES[cmp.change[k]] == "relabelled"
    assert cmp.vocab[cmp.actual_a[k]] == "Birman" and cmp.vocab[cmp.actual_b[k]] == "Ragdoll"
    assert cmp.counts == {"common": 8, "fixed": 0, "broken": 0, "still_wrong": 0,
                          "still_right": 7, "relabelled": 1, "only_a": 1, "only_b": 0}
    assert any(f"undo-{a.id}.json" in n and "1 renamed" in n and "1 removed" in n
               for n in cmp.notices)
    # undone: the log no longer renames anything
    a.fixes.undo(data)
    cmp = compare(a, b)
    assert cmp.counts["relabelled"] == 0 and cmp.counts["only_b"] == 1


def test_timelines_are_aligned_by_phase(tmp_path):
    a = hand_run(tmp_path / "runs", ITEMS, LABELS, PRED_A, n_iter=200)  # 100 + 100
    b = hand_run(tmp_path / "runs", ITEMS, LABELS, PRED_B, n_iter=600)  # 300 + 300
    ta, tb = compare(a, b).timelines
    assert (ta["run"], tb["run"]) == ("a", "b")
    assert ta["phase_starts"] == tb["phase_starts"] == [0.0, 300.0]
    assert ta["x"][99] == 99 and ta["x"][100] == 300 and tb["x"][300] == 300
    assert np.all(np.diff(ta["x"]) > 0) and np.all(np.diff(tb["x"]) > 0)
    assert ta["lr"].dtype == np.float32 and len(ta["lr"]) == 200
    np.testing.assert_array_equal(tb["lr"], b.timeline.lrs[:, -1])


@pytest.mark.parametrize("case", ["different task", "no predictions", "no common items",
                                  "no common class", "unknown run"])
def test_bad_input_is_refused_naming_the_problem(tmp_path, case):
    a = hand_run(tmp_path / "runs", ITEMS, LABELS, PRED_A)
    b = hand_run(tmp_path / "runs", ITEMS, LABELS, PRED_B)
    message = {"different task": "different tasks", "no predictions": "no validation "
               "predictions", "no common items": "no validation item in common",
               "no common class": "share no class name", "unknown run": "no run"}[case]
    if case in ("different task", "no predictions"):
        manifest = json.loads((b.path / "manifest.json").read_text())
        manifest["artefacts"]["preds"] = []
        if case == "different task":
            manifest["artefacts"]["preds_skipped"] = "multi-label targets (any number of " \
                                                     "classes per item)"
        (b.path / "manifest.json").write_text(json.dumps(manifest))
    elif case == "no common items":
        b = hand_run(tmp_path / "runs", [f"other_{i}.jpg" for i in range(10)], LABELS, PRED_B)
    elif case == "no common class":
        b = hand_run(tmp_path / "runs", ITEMS, ["cat"] * 10, ["dog"] * 10, vocab=["cat", "dog"])
    else:
        b = tmp_path / "no-such-run"
    with pytest.raises(PetLensError, match=message) as error:
        compare(a.path, b if case == "unknown run" else b.path)
    if case in ("different task", "no predictions"):
        assert b.id in str(error.value) and "run B" in str(error.value)


def test_a_real_trained_pair_of_learners(session_run, make_learner, tmp_path):
    from petlens import PetLens

    a = session_run["lens"].run  # lr_find, then fine_tune(1, freeze_epochs=1)
    learn = make_learner()
    learn.add_cb(PetLens(path=tmp_path / "runs", saliency=None, thumbs=False))
    learn.fit_one_cycle(1, 1e-3)
    b = load_run(learn.pet_lens.path)
    cmp = petlens.compare(a.path, b.path)  # the package's name for it, from folders
    assert cmp.counts["common"] == len(a.preds) == len(b.preds)
    assert sum(cmp.counts[name] for name in CHANGE_NAMES) == cmp.counts["common"]
    # each category against the runs' own predictions, item by item
    by_item = {str(item): i for i, item in enumerate(b.preds.items)}
    for k, item in enumerate(a.preds.items):
        i, j = k, by_item[str(item)]
        right_a = a.preds.targets[i] == a.preds.decoded[i]
        right_b = b.preds.targets[j] == b.preds.decoded[j]
        name = {(True, True): "still_right", (False, True): "fixed",
                (True, False): "broken", (False, False): "still_wrong"}[(right_a, right_b)]
        assert CHANGE_NAMES[cmp.change[cmp.items.tolist().index(str(item))]] == name
    assert [t["phase_starts"] for t in cmp.timelines] == [
        [0.0, float(sum(a.timeline.phase == 0))], [0.0]]
    assert [c["run"] for c in cmp.lr_finds] == ["a"] * len(a.lr_finds)
    assert "run B has no lr_find: only the other run's curve is shown" in cmp.notices
    header = {row["field"]: row for row in cmp.header}
    assert header["epochs per fit"]["a"] == "1 frozen + 1" and header["epochs per fit"]["b"] == "1"
    view = CompareView.from_comparison(cmp)
    assert {t["index"] for t in view.state()["thumbs"]} == set(view.thumbs)
    assert all(s["run"] == "a" for s in view.state()["saliency"])  # B stored none
    assert len(view.state()["saliency"]) == len(a.saliency) > 0
    from petlens.compare_report import build_compare_html  # the budget drops maps first

    full = len(build_compare_html(view)[0].encode())
    bare = len(build_compare_html(view.keep_saliency(0))[0].encode())
    page, dropped = build_compare_html(view, max_mb=(full + bare) / 2e6)
    assert len(page.encode()) < full and len(dropped) == 1
    assert dropped[0].startswith("saliency maps of ")


def test_view_state_is_the_contract_and_the_widget_carries_it(pair):
    view = CompareView.from_runs(*pair, order="change", page_size=12)
    state = view.state()
    assert set(state) == CONTRACT == set(COMPARE_TRAITS)
    n, c = 10, 4
    for key in ("actual_a", "actual_b", "pred_a", "pred_b"):
        assert state[key].dtype == np.int32 and state[key].shape == (n,)
    for key in ("loss_a", "loss_b", "error_a", "precision_b", "recall_a"):
        assert state[key].dtype == np.float32
    assert state["change"].dtype == np.uint8 and state["counts_a"].shape == (c, c)
    assert state["change_names"] == list(CHANGE_NAMES)
    assert state["runs"][0]["key"] == "a" and state["runs"][1]["name"] == "after"
    assert {"vocab", "clustered", "change"} <= set(state["orders"])
    assert all(o.dtype == np.int32 and sorted(o) == list(range(c))
               for o in state["orders"].values())
    assert set(state["order_info"]) == set(state["orders"])
    assert (state["order"], state["page_size"], state["normalize"]) == ("change", 12, "true")
    assert state["notice"] == "" and state["selection"] is None
    widget = CompareWidget.from_view(view)
    for key, value in encode_state(state).items():
        assert getattr(widget, key) == value, key
    sent, _, buffers = _remove_buffers(widget.get_state())  # as the kernel sends it
    json.dumps(sent, allow_nan=False)
    assert len(buffers) >= 17  # every array travels as a binary buffer
    fresh = CompareWidget()  # the traits' defaults are the view's fields
    for key in ("change_filter", "order", "normalize", "page", "page_size", "selected_item",
                "selected_class", "selection"):
        assert getattr(fresh, key) == getattr(CompareView, key, None), key
    with pytest.raises(PetLensError, match="order='sideways'"):
        CompareView.from_runs(*pair, order="sideways")


def test_show_and_the_magic_give_the_widget_with_its_picture(pair, capsys):
    widget = compare(*pair).show(change_filter="fixed")
    assert isinstance(widget, CompareWidget) and widget.change_filter == "fixed"
    picture = widget.picture()
    assert picture["image/png"] and f'data-petlens-picture="{widget.picture_id}"' in \
        picture["text/html"]
    shown = petlens_magic(f"compare {pair[0].path} {pair[1].path}")
    assert isinstance(shown, CompareWidget) and shown.counts == widget.counts
    assert petlens_magic(f"compare {pair[0].path}") is None  # one run: the usage
    assert "%petlens compare A B" in capsys.readouterr().out


def test_static_pictures_use_a_diverging_scale_centred_on_zero(pair):
    view = CompareView.from_runs(*pair, order="vocab")
    ax = view.plot_matrix().ax_
    image = ax.get_images()[0]
    assert image.cmap.name == "RdBu_r" and image.norm.vcenter == 0
    diff = view.difference()
    np.testing.assert_allclose(image.get_array(), diff)  # vocab order: as computed
    rates_a = confusion_matrix(pair[0].preds.targets, pair[0].preds.decoded, 4, normalize="true")
    rates_b = confusion_matrix(pair[1].preds.targets, pair[1].preds.decoded, 4, normalize="true")
    np.testing.assert_allclose(diff, rates_b - rates_a)
    assert "B − A" in ax.get_title()
    assert view.plot_per_class().ax_.get_yticklabels()[0].get_text().startswith(
        pair[0].vocab[int(view.comparison.change_order()[0])])
    assert view.plot_lr_find().ax_.texts[0].get_text() == "Neither run has an lr_find"
    assert len(view.plot_timelines().ax_.get_lines()) == 2 + 1  # two losses, one fit start
    whole = view.plot()
    assert [a.get_title().split(",")[0].split(" (")[0] for a in whole.axes_] == [
        "Confusion difference B − A", "Per-class error rate", "Learning-rate finder",
        "Training timelines"]
    assert view.png().startswith(b"\x89PNG")


def test_cli_prints_counts_header_and_largest_changes(pair, capsys):
    a, b = pair
    assert main(["compare", str(a.path), str(b.path), "-k", "2"]) == 0
    out = capsys.readouterr().out
    assert "10 items in both runs: 2 fixed, 1 broken, 4 still wrong (1 as the same class)" in out
    assert "* error rate  " in out and "  architecture  " in out  # changed rows marked
    changes = out.split("largest changes of per-class error rate (common items):\n")[1]
    assert len(changes.strip().splitlines()) == 2
    cmp = compare(a, b)
    top = cmp.largest_changes(1)[0]
    assert f"{top['class']}: {top['error_a']:.1%} -> {top['error_b']:.1%}" in changes
    assert main(["compare", str(a.path), str(tmp_missing := a.path / "nope")]) == 2
    assert f"no run {str(tmp_missing)!r}" in capsys.readouterr().err


def test_cli_writes_one_page_within_the_budget(pair, tmp_path, capsys):
    a, b = pair
    out = tmp_path / "diff.html"
    assert main(["compare", str(a.path), str(b.path), "-o", str(out)]) == 0
    assert f"comparison: {out}" in capsys.readouterr().out
    html = out.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "connect-src 'none'" in html
    assert f"<title>petlens compare · {a.id} → {b.id}</title>" in html
    assert out.stat().st_size < 1e6  # ten items: the bundle, mostly


def test_compare_at_scale_keeps_compact_arrays(tmp_path):
    """Top-k storage at 300 classes: no [items x classes] array is built."""
    a = load_run(write_run(tmp_path / "a", n_classes=300, n_items=3000, top_k=10, n_iter=20))
    b = load_run(write_run(tmp_path / "b", n_classes=300, n_items=3000, top_k=10, n_iter=20,
                           prediction_seed=1, accuracy=0.9))
    cmp = compare(a, b)
    assert cmp.counts["fixed"] > cmp.counts["broken"] > 0  # B is the better model
    assert cmp.counts_a.dtype == np.uint8 and cmp.counts_a.sum() == 3000
    assert cmp.rates_b["error"][np.isfinite(cmp.rates_b["error"])].mean() < \
        cmp.rates_a["error"][np.isfinite(cmp.rates_a["error"])].mean()
    sizes = [v.nbytes for v in vars(cmp).values() if isinstance(v, np.ndarray)]
    assert max(sizes) < 3000 * 300  # nothing of items x classes


def test_the_page_budget_leaves_out_thumbnails_of_the_lowest_losses_first(pets_path, tmp_path):
    from petlens.compare_report import build_compare_html

    runs = [write_run(tmp_path / "runs", n_classes=4, n_items=300, images=pets_path / "images",
                      prediction_seed=seed) for seed in (None, 1)]
    view = CompareView.from_runs(*runs)
    full, dropped = build_compare_html(view)
    assert dropped == [] and len(view.thumbs) > 8
    without = build_compare_html(view.keep_thumbs(0))[0]
    budget = (len(full.encode()) + len(without.encode())) / 2 / 1e6  # room for about half
    page, dropped = build_compare_html(view, max_mb=budget)
    assert len(page.encode()) <= budget * 1e6
    assert len(dropped) == 1 and dropped[0].startswith("thumbnails of ")
    kept = view.keep_thumbs(len(view.thumbs) // 2)
    ranked = [int(i) for i in view.ranked_items() if int(i) in view.thumbs]
    assert set(kept.thumbs) == set(ranked[:len(view.thumbs) // 2])  # the largest losses
    with pytest.raises(PetLensError, match="even without thumbnails and saliency maps"):
        build_compare_html(view, max_mb=len(without.encode()) / 1e6 / 2)
