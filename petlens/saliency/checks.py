"""Can this saliency map be trusted? The checks of each stored map, from a model and its inputs.

Three checks per map (numbers and verdicts: :mod:`petlens.saliency_metrics`):

1. **Cascading model-parameter randomisation** (Adebayo et al. 2018) on a deep copy of the
   model (the learner's model and the background snapshot are never changed): the head is
   re-initialised, then the body's layer groups one by one from the top (:func:`stages`),
   and after each stage the method explains the same class again. Similarity to the
   original map: Spearman rank correlation and SSIM of the maps as shown (channels summed,
   the method's sign, top 2 % clipped: what the user sees, and what the badge is about).
2. **Deletion and insertion** (Petsiuk et al. 2018): pixels in the map's order (ties in a
   random order) are replaced by, or revealed over, a Gaussian-blurred copy of the input in
   ``STEPS`` steps; the curve is the softmax probability of the explained class. The same
   curves for a random pixel order (one per item and class, shared by the methods) are the
   reference.
3. **Localisation**, when the item has an object mask (:mod:`petlens.saliency.masks`):
   pointing game and relevance mass inside the mask, on the model's input.

Cost (``benchmarks/saliency_checks.py``): per method, one map per randomisation stage
(Integrated Gradients at a fixed ``RANDOMISED_KWARGS`` step count there) plus
``2 * (STEPS + 1)`` forward passes per map for the curves, and once per item and class the
random-order curves.

Quantus or our own? See :mod:`petlens.saliency_metrics` (the numbers agree; ours reuse the
batched, snapshot-based attribution and need no OpenCV / scikit-image).
"""

from __future__ import annotations

import copy
import math

import numpy as np
import torch
from torch import nn

from .. import saliency_metrics as sm
from .attribute import attribute_batch

N_STAGES = 2  # head, then the top body group: what the randomisation verdict reads
STEPS = 12  # deletion / insertion steps (13 points from 0 to 1)
BLUR_SIGMA = 1 / 16  # of the input's longest side
FORWARD_BUDGET = 2**19  # input pixels per forward pass of the curves
RANDOMISED_KWARGS = {  # cheaper settings for the randomised model's maps
    "integrated_gradients": {"n_steps": 16},
    "noise_tunnel": {"nt_samples": 4, "n_steps": 8},
}
PARAMS = {"n_stages": N_STAGES, "steps": STEPS, "blur_sigma": BLUR_SIGMA,
          "baseline": "gaussian_blur", "randomised": RANDOMISED_KWARGS}


# -- randomisation -----------------------------------------------------------------------
def stages(model: nn.Module, n: int | None = None) -> list[tuple[str, list[nn.Module]]]:
    """The cascade: ``[(name, modules)]``, the head first, then the body's layer groups from
    the top (those holding parameters). A fastai ``vision_learner`` model is
    ``Sequential(body, head)``; another model's last child with parameters is its head.

    >>> from torchvision.models import resnet18
    >>> from fastai.vision.learner import create_vision_model
    >>> [name for name, _ in stages(create_vision_model(resnet18, 4, pretrained=False), 4)]
    ['head', '0.7', '0.6', '0.5']
    """
    prefix, model = _unwrap("", model)
    children = _children(prefix, model)
    if not children:  # one layer: the whole model is the head
        return [("head", [model])] if _has_params(model) else []
    _head_name, head = children[-1]
    rest = children[:-1]
    if len(rest) == 1:  # Sequential(body, head): the body's groups (inside its wrappers)
        body_name, body = _unwrap(*rest[0])
        rest = _children(body_name, body) or rest
    found = [("head", [head])] + [(name, [m]) for name, m in reversed(rest)]
    return found[:n] if n else found


def _children(prefix: str, module: nn.Module) -> list[tuple[str, nn.Module]]:
    return [(f"{prefix}{'.' if prefix else ''}{name}", m)
            for name, m in module.named_children() if _has_params(m)]


def _unwrap(name: str, module: nn.Module) -> tuple[str, nn.Module]:
    """Through wrappers holding a single child with parameters (fastai's ``TimmBody``)."""
    children = _children(name, module)
    while len(children) == 1 and _children(*children[0]):
        name, module = children[0]
        children = _children(name, module)
    return name, module


def _has_params(module: nn.Module) -> bool:
    return any(True for _ in module.parameters())


@torch.no_grad()
def reinitialise(module: nn.Module, generator: torch.Generator) -> None:
    """Give ``module``'s parameters PyTorch's default initial distribution (uniform within
    1/sqrt(fan_in) for weights and biases; norm layers: weight 1, bias 0, running statistics
    reset), drawn from ``generator``: the global random state (the training thread's) is
    not touched."""
    for sub in module.modules():
        if isinstance(sub, (nn.modules.batchnorm._NormBase, nn.LayerNorm, nn.GroupNorm)):
            if getattr(sub, "weight", None) is not None:
                sub.weight.fill_(1.0)
            if getattr(sub, "bias", None) is not None:
                sub.bias.zero_()
            if getattr(sub, "running_mean", None) is not None:
                sub.running_mean.zero_()
                sub.running_var.fill_(1.0)
            continue
        weight = getattr(sub, "weight", None)
        fan_in = None
        if isinstance(weight, torch.Tensor) and weight.ndim >= 2:
            fan_in = weight[0].numel()
        for param in sub.parameters(recurse=False):
            fan = fan_in or max(1, param[0].numel() if param.ndim >= 2 else param.numel())
            bound = 1 / math.sqrt(fan)
            noise = torch.rand(param.shape, generator=generator, dtype=torch.float32)
            param.copy_(((noise * 2 - 1) * bound).to(param.device, param.dtype))


# -- deletion / insertion ----------------------------------------------------------------
def blurred(x: torch.Tensor, sigma: float) -> torch.Tensor:
    """``x`` [n, c, h, w] through a separable Gaussian of ``sigma`` pixels (reflected edges)."""
    radius = max(1, math.ceil(2 * sigma))
    t = torch.arange(-radius, radius + 1, dtype=x.dtype, device=x.device)
    k = torch.exp(-(t / max(sigma, 1e-6)) ** 2 / 2)
    k = k / k.sum()
    c = x.shape[1]
    pad = min(radius, x.shape[-1] - 1, x.shape[-2] - 1)
    if pad < radius:
        k = k[radius - pad:radius + pad + 1]
        k = k / k.sum()
    out = nn.functional.pad(x, (pad, pad, 0, 0), mode="reflect")
    out = nn.functional.conv2d(out, k.view(1, 1, 1, -1).expand(c, 1, 1, -1), groups=c)
    out = nn.functional.pad(out, (0, 0, pad, pad), mode="reflect")
    return nn.functional.conv2d(out, k.view(1, 1, -1, 1).expand(c, 1, -1, 1), groups=c)


def pixel_ranks(m: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Rank of each pixel of map ``m`` [h, w] (0: most attributed), ties in random order."""
    flat = np.asarray(m, np.float64).ravel()
    order = np.lexsort((rng.random(flat.size), -flat))
    out = np.empty(flat.size, np.int64)
    out[order] = np.arange(flat.size)
    return out.reshape(np.shape(m))


def curves(model, x: torch.Tensor, base: torch.Tensor, classes: torch.Tensor,
           ranks: np.ndarray, steps: int = STEPS) -> tuple[np.ndarray, np.ndarray]:
    """Deletion and insertion curves, float [n, steps + 1] each: the softmax probability of
    ``classes`` as the pixels of rank below k/steps of the image are replaced by ``base``
    (deletion) or shown over it (insertion). The perturbed inputs are built a chunk at a time
    (``FORWARD_BUDGET`` pixels), never all at once."""
    n, _, h, w = x.shape
    points = steps + 1
    counts = torch.tensor([round(k * h * w / steps) for k in range(points)], device=x.device)
    r = torch.as_tensor(ranks, device=x.device).view(n, 1, h, w)
    total = n * 2 * points  # (item, deletion / insertion, step), flattened
    chunk = max(1, FORWARD_BUDGET // (h * w))
    probs = []
    with torch.no_grad():
        for start in range(0, total, chunk):
            flat = torch.arange(start, min(total, start + chunk), device=x.device)
            item, rest = flat // (2 * points), flat % (2 * points)
            insertion, step = rest // points, rest % points
            shown = r[item] < counts[step].view(-1, 1, 1, 1)  # the first pixels in the order
            keep_image = shown == insertion.view(-1, 1, 1, 1).bool()
            images = torch.where(keep_image, x[item], base[item])
            out = model(images).float().softmax(dim=1)
            probs.append(out.gather(1, classes[item][:, None])[:, 0])
    p = torch.cat(probs).view(n, 2, points).cpu().numpy().astype(np.float64)
    return p[:, 0], p[:, 1]


# -- the checks of a batch of maps -------------------------------------------------------
class Checker:
    """The checks of one model's maps, method after method: the blurred baselines and the
    random-order curves are computed once per item (and class) and shared by the methods.

    ``model``: a float32 model in eval mode (the background snapshot's); it is copied for
    randomisation, never changed. ``scale``: the input's pixel range after ``Normalize``.
    """

    def __init__(self, model: nn.Module, scale: float, *, n_stages: int = N_STAGES,
                 steps: int = STEPS, seed: int = 0):
        self.model, self.scale, self.steps, self.seed = model, scale, steps, seed
        self.stage_names = [name for name, _ in stages(model, n_stages)]
        self.n_stages = len(self.stage_names)
        self._random: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}

    def randomised(self):
        """A deep copy of the model randomised stage after stage: yields ``(name, model)``."""
        copy_ = copy.deepcopy(self.model)
        generator = torch.Generator().manual_seed(self.seed)
        for name, modules in stages(copy_, self.n_stages):
            for module in modules:
                reinitialise(module, generator)
            yield name, copy_

    def check(self, spec, method: str, x: torch.Tensor, classes, maps: np.ndarray,
              keys: list[int], masks: list | None = None, **kwargs) -> list[dict]:
        """The checks of ``maps`` (float [n, h, w] on the model's input, what ``spec``
        gave for ``x`` [n, c, h, w] and ``classes`` [n]); ``keys``: an id per item (its
        random order and baseline are cached by it); ``masks``: bool [h, w] or ``None`` per
        item. One dict per map (see :func:`empty_result`)."""
        n = len(x)
        classes = torch.as_tensor(np.asarray(classes), device=x.device).long()
        masks = masks if masks is not None else [None] * n
        results = [empty_result(self.n_stages, self.steps) for _ in range(n)]
        usable = [sm.usable_map(m) for m in maps]
        for j, m in enumerate(maps):
            if not usable[j]:
                why = ("the map holds NaN or infinite values" if not np.isfinite(m).all()
                       else "the map is all zero (or constant): it orders no pixel")
                results[j]["reason"] = why
        todo = [j for j in range(n) if usable[j]]
        if not todo:
            return results
        sub = x[todo]
        sub_classes = classes[todo]
        sub_maps = maps[todo]
        try:  # 1. randomisation, stage after stage
            self._randomisation(spec, method, sub, sub_classes, sub_maps,
                                [results[j] for j in todo], **kwargs)
        except Exception as e:  # a method the randomised model breaks: not computable
            for j in todo:
                results[j]["errors"]["randomisation"] = _failed("randomised maps", e)
        for k, j in enumerate(todo):  # 3. localisation, where there is a mask
            if masks[j] is not None:
                mask = np.asarray(masks[j], bool)
                results[j]["localisation"] = np.array([
                    sm.pointing_game(sub_maps[k], mask), sm.relevance_mass(sub_maps[k], mask),
                    float(mask.mean())])
        try:  # 2. deletion / insertion
            self._faithfulness(sub, sub_classes, sub_maps, [keys[j] for j in todo],
                               [results[j] for j in todo])
        except Exception as e:
            for j in todo:
                for check in ("deletion", "insertion"):
                    results[j]["errors"][check] = _failed("the curves", e)
        for r in results:
            judge(r)
        return results

    def _randomisation(self, spec, method, sub, sub_classes, sub_maps, results, **kwargs):
        extra = {**RANDOMISED_KWARGS.get(method, {}), **kwargs}
        for s, (_, model) in enumerate(self.randomised()):
            with torch.enable_grad():
                got = attribute_batch(spec, model, sub.clone(), sub_classes, self.scale,
                                      **extra)["maps"]
            for k, r in enumerate(results):
                r["spearman"][s] = sm.spearman(sub_maps[k], got[k])
                r["ssim"][s] = sm.ssim(sm.scaled(sub_maps[k]), sm.scaled(got[k]))
                r["randomised"].append(np.nan_to_num(got[k]))

    def _faithfulness(self, sub, sub_classes, sub_maps, keys, results):
        todo = list(range(len(sub)))
        base = blurred(sub, BLUR_SIGMA * max(sub.shape[-2:]))
        rng = np.random.default_rng(self.seed)
        ranks = np.stack([pixel_ranks(m, rng) for m in sub_maps])
        deletion, insertion = curves(self.model, sub, base, sub_classes, ranks, self.steps)
        missing = [k for k, j in enumerate(todo)
                   if (keys[j], int(sub_classes[k])) not in self._random]
        if missing:
            shuffled = np.stack([
                np.random.default_rng([self.seed, int(keys[todo[k]]), int(sub_classes[k])])
                .permutation(ranks[k].size).reshape(ranks[k].shape) for k in missing])
            rd, ri = curves(self.model, sub[missing], base[missing], sub_classes[missing],
                            shuffled, self.steps)
            for row, k in enumerate(missing):
                self._random[(keys[todo[k]], int(sub_classes[k]))] = (rd[row], ri[row])
        for k, j in enumerate(todo):
            rd, ri = self._random[(keys[j], int(sub_classes[k]))]
            r = results[k]
            r["curves"] = np.stack([deletion[k], insertion[k], rd, ri])
            r["aucs"] = sm.auc(r["curves"])
            r["evidence"] = float(deletion[k][0] - insertion[k][0])


def empty_result(n_stages: int, steps: int) -> dict:
    """A map's checks before any is measured: NaN numbers, every verdict 'na'."""
    return {"spearman": np.full(n_stages, np.nan), "ssim": np.full(n_stages, np.nan),
            "curves": np.full((4, steps + 1), np.nan), "aucs": np.full(4, np.nan),
            "evidence": float("nan"), "localisation": np.full(3, np.nan), "randomised": [],
            "verdicts": dict.fromkeys(sm.CHECKS, "na"), "reasons": {}, "verdict": "na",
            "reason": "", "errors": {}}


def _failed(what: str, error: Exception) -> str:
    return f"{what} could not be computed ({type(error).__name__}: {error})"[:300]


def judge(result: dict) -> dict:
    """Fill ``result``'s verdicts from its numbers (:mod:`petlens.saliency_metrics`)."""
    aucs = result["aucs"]
    found = {
        "randomisation": sm.randomisation_verdict(result["spearman"]),
        "deletion": sm.faithfulness_verdict("deletion", aucs[0], aucs[2], result["evidence"]),
        "insertion": sm.faithfulness_verdict("insertion", aucs[1], aucs[3],
                                             result["evidence"]),
        "localisation": sm.localisation_verdict(*result["localisation"]),
    }
    for key, why in result.get("errors", {}).items():
        found[key] = ("na", why)
    if result["reason"]:  # the map itself is not usable: nothing was measured
        found = {key: ("na", result["reason"]) for key in found}
    result["verdicts"] = {key: v for key, (v, _) in found.items()}
    result["reasons"] = {key: why for key, (_, why) in found.items()}
    result["verdict"] = sm.overall(result["verdicts"].values())
    return result
