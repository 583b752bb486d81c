"""Fastbook chapter 5's data pipeline and a demo training recipe tuned for the synthetic pets.

>>> from petlens.demo import make_pets
>>> path = make_pets(tmp / 'pets', **DEFAULT_DATA)
>>> dls = pets_dataloaders(path, item_size=DEMO_RECIPE['item_size'], size=DEMO_RECIPE['size'],
...                        bs=DEMO_RECIPE['bs'])
"""

from pathlib import Path

from fastai.vision.all import (
    CategoryBlock,
    DataBlock,
    ImageBlock,
    RandomSplitter,
    RegexLabeller,
    Resize,
    aug_transforms,
    get_image_files,
    using_attr,
)

__all__ = ["DEFAULT_DATA", "DEMO_RECIPE", "pets_dataloaders"]

# Tuned together with the generator for resnet18 from scratch (pretrained=False) on a 2-core CPU:
# data + lr_find + fine_tune take about 2 minutes and end near 10% error (chance: 92%), with
# the confusable pairs (Birman/Ragdoll, the two bull terriers, British_Shorthair/Russian_Blue)
# on top of most_confused. lr_find's valley (about 1e-3) is too timid for random weights
# (about 28% error after the same epochs), hence the fixed base_lr.
DEFAULT_DATA = dict(n_classes=12, per_class=60, size=96, seed=0)
DEMO_RECIPE = dict(arch="resnet18", item_size=80, size=64, bs=32, epochs=16, freeze_epochs=1,
                   lr_mult=3, base_lr=1e-2)


def pets_dataloaders(path, *, item_size, size, bs, seed=42, num_workers=0, vocab=None):
    """Chapter 5's pets `DataBlock` with presizing over ``path/'images'``; returns `dls`.
    ``vocab`` fixes the classes (a superset of the breeds in ``path``), as fastai's
    ``CategoryBlock(vocab=...)`` does."""
    pets = DataBlock(blocks=(ImageBlock, CategoryBlock(vocab=vocab)),
                     get_items=get_image_files,
                     splitter=RandomSplitter(seed=seed),
                     get_y=using_attr(RegexLabeller(r"(.+)_\d+.jpg$"), "name"),
                     item_tfms=Resize(item_size),
                     batch_tfms=aug_transforms(size=size, min_scale=0.75))
    return pets.dataloaders(Path(path) / "images", bs=bs, num_workers=num_workers)
