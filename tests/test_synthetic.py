"""The built-in synthetic pets: file layout, masks, determinism, caching, chapter 5's DataBlock."""

import re

import numpy as np
import pytest
from PIL import Image

from petlens.demo.synthetic import BREEDS, CATS, CONFUSABLE, DOGS, choose_breeds, make_pets

PETS_NAME = re.compile(r"(.+)_\d+.jpg$")  # fastbook chapter 5's labeller
SMALL = dict(n_classes=4, per_class=3, size=32, seed=0)


def files(path):
    return {p.relative_to(path): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def pets(tmp_path_factory):
    return make_pets(tmp_path_factory.mktemp("pets"), n_classes=6, per_class=4, size=48)


def test_breeds_are_the_37_oxford_pets_breeds():
    assert len(BREEDS) == len(set(BREEDS)) == 37
    assert len(CATS) == 12 and all(b[0].isupper() for b in CATS)
    assert len(DOGS) == 25 and all(b.islower() for b in DOGS)
    assert {"Maine_Coon", "Russian_Blue", "american_pit_bull_terrier", "shiba_inu"} <= set(BREEDS)
    assert list(BREEDS) == sorted(CATS + DOGS)


@pytest.mark.parametrize("n", [2, 3, 4, 12, 37])
def test_chosen_breeds_mix_cats_and_dogs_with_confusable_pairs(n):
    chosen = choose_breeds(n)
    assert len(chosen) == n and chosen == sorted(chosen) and set(chosen) <= set(BREEDS)
    assert set(chosen) & set(CATS) and set(chosen) & set(DOGS)
    pairs = [pair for pair in CONFUSABLE if set(pair) <= set(chosen)]
    assert len(pairs) >= (2 if n >= 4 else 1 if n == 3 else 0)


def test_images_are_named_like_oxford_pets(pets):
    names = sorted(p.name for p in (pets / "images").iterdir())
    assert len(names) == 6 * 4 and all(n.endswith(".jpg") for n in names)
    labels = [PETS_NAME.match(n).group(1) for n in names]
    assert sorted(set(labels)) == choose_breeds(6)
    assert all(labels.count(b) == 4 for b in set(labels))
    assert {int(n.rsplit("_", 1)[1][:-4]) for n in names} == {1, 2, 3, 4}
    with Image.open(pets / "images" / names[0]) as im:
        assert im.format == "JPEG" and im.mode == "RGB" and im.size == (48, 48)


def test_masks_lie_beside_images_and_cover_the_animal(pets):
    images = sorted((pets / "images").iterdir())
    assert sorted(p.stem for p in (pets / "masks").iterdir()) == [p.stem for p in images]
    for image in images:
        with Image.open(pets / "masks" / f"{image.stem}.png") as im:
            assert im.mode == "L" and im.size == (48, 48)
            mask = np.asarray(im)
        assert set(np.unique(mask)) <= {0, 255}
        assert 0.03 < (mask == 255).mean() < 0.8


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    a, b = make_pets(tmp_path / "a", **SMALL), make_pets(tmp_path / "b", **SMALL)
    c = make_pets(tmp_path / "c", **dict(SMALL, seed=1))
    assert files(a) == files(b)
    images_a, images_c = files(a / "images"), files(c / "images")
    assert images_a.keys() == images_c.keys()
    assert all(images_a[k] != images_c[k] for k in images_a)


def test_cached_data_is_reused_and_regenerated_when_arguments_change(tmp_path):
    path = make_pets(tmp_path, **SMALL)
    stamps = {p: p.stat().st_mtime_ns for p in path.rglob("*")}
    assert make_pets(tmp_path, **SMALL) == path
    assert {p: p.stat().st_mtime_ns for p in path.rglob("*")} == stamps

    make_pets(tmp_path, **dict(SMALL, per_class=2))
    names = {p.name for p in (path / "images").iterdir()}
    assert len(names) == 4 * 2 and not any(n.endswith("_3.jpg") for n in names)
    assert len(list((path / "masks").iterdir())) == 4 * 2


def test_refuses_to_overwrite_images_it_did_not_write(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "my_cat_1.jpg").write_bytes(b"")
    with pytest.raises(FileExistsError):
        make_pets(tmp_path, **SMALL)


@pytest.mark.parametrize("bad, message", [
    (dict(n_classes=1), "n_classes"), (dict(n_classes=38), "n_classes"),
    (dict(per_class=0), "per_class"), (dict(size=31), "size"),
])
def test_bad_arguments_raise_value_error(tmp_path, bad, message):
    with pytest.raises(ValueError, match=message):
        make_pets(tmp_path, **dict(SMALL, **bad))
    assert not (tmp_path / "images").exists()


def test_chapter5_datablock_gives_the_breeds_as_vocab(pets):
    from fastai.vision.all import get_image_files

    from petlens.demo import pets_dataloaders

    assert len(get_image_files(pets / "images")) == 6 * 4  # masks are not picked up
    dls = pets_dataloaders(pets, item_size=40, size=32, bs=4)
    assert list(dls.vocab) == choose_breeds(6)
    assert len(dls.train_ds) + len(dls.valid_ds) == 6 * 4
    x, y = dls.one_batch()
    assert tuple(x.shape) == (4, 3, 32, 32) and tuple(y.shape) == (4,)
