"""The 2-D map of a run's validation features, and each item's nearest neighbours: computed
at the first read that asks for them (``run.projection()``), cached in ``projection.npz``.

**Projection**: the features (rows scaled to length 1, so that distances follow the cosine
the neighbours use) go through PCA to ``pca_dims`` (scikit-learn, ``covariance_eigh``:
deterministic), then UMAP (umap-learn) to two dimensions with ``random_state=seed`` and one
thread, which makes it deterministic: the same features and parameters give the same map.
The k-nearest-neighbour graph UMAP starts from is exact below 4,096 items (scikit-learn,
brute force) and umap-learn's seeded NN-descent above. Below ``MIN_UMAP_ITEMS`` items a
UMAP layout means nothing: the first two principal components are shown instead
(``method='pca'``); one item sits at the origin.

**Neighbours**: for each validation item its ``K`` nearest training items by cosine distance
(:func:`petlens.neighbours.nearest`, exact), or, when only validation features were
recorded, its nearest other validation items (``neighbour_source='valid'``).

**Cache**: ``projection.npz`` holds ``schema.PROJECTION_ARRAYS`` and ``meta`` (one JSON
string: the ``fingerprint`` of the embeddings file's arrays, the parameters, umap-learn's
version, the seconds each step took). Like ``label_issues.npz`` it is not in the manifest (a
reader never rewrites the manifest a training session owns) and is recomputed when the
embeddings or the parameters change; a read-only folder computes in memory.

>>> from petlens import load_run
>>> from petlens.demo.scale_run import write_run
>>> run = load_run(write_run(tmp, n_classes=4, n_items=40, embeddings=16))
>>> p = projection_for(run)
>>> p.xy.shape, p.info["cached"], p.neighbour_source, p.neighbour_index.shape
((40, 2), False, 'valid', (40, 8))
>>> projection_for(run).info["cached"]  # the second read comes from projection.npz
True
"""

from __future__ import annotations

import hashlib
import json
import time
import warnings
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from . import schema
from .errors import PetLensError
from .neighbours import nearest, unit_rows
from .storage import atomic_write_npz, read_npz, read_npz_headers

PCA_DIMS = 50
N_NEIGHBORS = 15  # UMAP's local neighbourhood (its default)
MIN_DIST = 0.1  # UMAP's default
SEED = 0
K = 8  # nearest neighbours kept per validation item
MIN_UMAP_ITEMS = 5  # below: the first two principal components
EXACT_KNN_BELOW = 4096  # items; umap-learn's own threshold for exact neighbours
_META_FIELDS = {"fingerprint": str, "params": dict, "umap": str, "timings": dict,
                "method": str, "pca_dims": int, "n_neighbors": int, "min_dist": (int, float),
                "seed": int, "n_items": int, "n_features": int, "seconds": (int, float),
                "k": int, "neighbour_source": str, "computed": str}


@dataclass(frozen=True)
class Projection:
    """``xy``: float32 [items x 2], the validation items' map; ``info``: how it was made
    (``method``, ``pca_dims``, ``n_neighbors``, ``min_dist``, ``seed``, ``n_items``,
    ``n_features``, ``seconds``, ``timings`` per step, ``cached``); ``neighbour_index``
    int32 [items x K] into the training items (``neighbour_source='train'``) or the
    validation items (``'valid'``), -1 for none; ``neighbour_distance`` the cosine
    distances; ``note`` says where it came from."""

    xy: np.ndarray
    info: dict
    neighbour_index: np.ndarray
    neighbour_distance: np.ndarray
    neighbour_source: str
    note: str = ""


def project(features, *, pca_dims: int = PCA_DIMS, n_neighbors: int = N_NEIGHBORS,
            min_dist: float = MIN_DIST, seed: int = SEED) -> tuple[np.ndarray, dict]:
    """``features`` [items x features] -> (float32 [items x 2], info); see the module."""
    from sklearn.decomposition import PCA

    x = unit_rows(features)
    n, width = x.shape
    timings: dict[str, float] = {}
    info = {"method": "umap", "pca_dims": 0, "n_neighbors": 0, "min_dist": float(min_dist),
            "seed": int(seed), "n_items": int(n), "n_features": int(width)}
    start = time.perf_counter()
    if n < 2:
        return np.zeros((n, 2), np.float32), {**info, "method": "pca", "seconds": 0.0,
                                              "timings": timings}
    dims = min(pca_dims, width, n)
    reduced = PCA(n_components=dims, svd_solver="covariance_eigh").fit_transform(x)
    reduced = _fixed_signs(reduced.astype(np.float32))
    timings["pca"] = time.perf_counter() - start
    info["pca_dims"] = int(dims)
    if n < MIN_UMAP_ITEMS:
        xy = np.zeros((n, 2), np.float32)
        xy[:, :min(2, dims)] = reduced[:, :2]
        return xy, {**info, "method": "pca", "seconds": time.perf_counter() - start,
                    "timings": timings}
    k = min(n_neighbors, n - 1)
    step = time.perf_counter()
    knn = _knn_graph(reduced, k, seed)
    timings["knn"] = time.perf_counter() - step
    step = time.perf_counter()
    with warnings.catch_warnings():  # umap-learn's notes on n_jobs / spectral fallbacks
        warnings.simplefilter("ignore")
        import umap

        model = umap.UMAP(n_components=2, n_neighbors=k, min_dist=min_dist, random_state=seed,
                          n_jobs=1, init="spectral" if n >= 100 else "pca",
                          precomputed_knn=knn)
        xy = model.fit_transform(reduced).astype(np.float32)
    timings["layout"] = time.perf_counter() - step
    return xy, {**info, "n_neighbors": int(k), "seconds": time.perf_counter() - start,
                "timings": timings}


def _fixed_signs(x: np.ndarray) -> np.ndarray:
    """Each component's sign chosen so that its largest absolute value is positive (an
    eigenvector's sign is arbitrary; this makes the result the same everywhere)."""
    if not x.size:
        return x
    signs = np.sign(x[np.abs(x).argmax(0), np.arange(x.shape[1])])
    return x * np.where(signs == 0, 1, signs)


def _knn_graph(x: np.ndarray, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` nearest rows (itself first, as UMAP expects), Euclidean: exact below
    ``EXACT_KNN_BELOW`` rows, umap-learn's NN-descent (seeded, one thread) above."""
    if len(x) < EXACT_KNN_BELOW:
        from sklearn.neighbors import NearestNeighbors

        dist, index = NearestNeighbors(n_neighbors=k, algorithm="brute").fit(x).kneighbors(x)
        return index.astype(np.int32), dist.astype(np.float32)
    from umap.umap_ import nearest_neighbors

    index, dist, _ = nearest_neighbors(x, k, "euclidean", {}, False,
                                       np.random.RandomState(seed), n_jobs=1)
    return index, dist


def embeddings_fingerprint(emb) -> str:
    """SHA-1 of the embeddings' items and features (validation and training)."""
    digest = hashlib.sha1()
    for arr in (emb.items, emb.features, emb.train_items, emb.train_features):
        if arr is not None:
            digest.update(str(arr.shape).encode() + str(arr.dtype).encode())
            digest.update(np.ascontiguousarray(arr).tobytes())
    return digest.hexdigest()


def neighbours_of(emb, k: int = K) -> tuple[np.ndarray, np.ndarray, str]:
    """Each validation item's ``k`` nearest training items (or, without training features,
    nearest other validation items): index, cosine distance, source."""
    if emb.has_train:
        index, distance = nearest(emb.features, emb.train_features, k)
        return index, distance, "train"
    index, distance = nearest(emb.features, emb.features, k, exclude_self=True)
    return index, distance, "valid"


def projection_for(run, *, write: bool = True, compute: bool = True, pca_dims: int = PCA_DIMS,
                   n_neighbors: int = N_NEIGHBORS, min_dist: float = MIN_DIST,
                   seed: int = SEED, k: int = K) -> Projection | None:
    """The projection and neighbours of ``run``'s embeddings: read from ``projection.npz``
    when it matches them and the parameters, else computed and (``write``) cached; with
    ``compute=False`` only read (``None`` when the cache does not match)."""
    emb = run.embeddings
    if emb is None:
        raise PetLensError(f"{run.path}: no projection: this run has no embeddings"
                           f"{': ' + run.embeddings_skipped if run.embeddings_skipped else ''}")
    path = run.path / schema.PROJECTION_FILE
    params = {"pca_dims": int(pca_dims), "n_neighbors": int(n_neighbors),
              "min_dist": float(min_dist), "seed": int(seed), "k": int(k)}
    wanted = {"fingerprint": embeddings_fingerprint(emb), "params": params,
              "umap": umap_version()}
    if path.is_file():
        cached = read_cache(path, n_items=len(emb), n_base=_n_base(emb))
        if all(cached.info.get(key) == value for key, value in wanted.items()):
            return cached
    if not compute:
        return None
    start = time.perf_counter()
    xy, info = project(emb.features, pca_dims=pca_dims, n_neighbors=n_neighbors,
                       min_dist=min_dist, seed=seed)
    step = time.perf_counter()
    index, distance, source = neighbours_of(emb, k)
    info["timings"]["neighbours"] = time.perf_counter() - step
    info["seconds"] = time.perf_counter() - start
    meta = {**info, **wanted, "k": int(k), "neighbour_source": source,
            "computed": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    result = Projection(xy, {**meta, "cached": False}, index, distance, source)
    if not write:
        return replace(result, note="not cached (write=False)")
    try:
        atomic_write_npz(path, {"xy": xy, "neighbour_index": index,
                                "neighbour_distance": distance,
                                "meta": np.array([json.dumps(meta)])})
    except OSError as e:
        return replace(result, note=f"not cached: the run folder cannot be written "
                                    f"({e.strerror or e})")
    return replace(result, note=f"computed and cached in {path.name}")


def _n_base(emb) -> int:
    return len(emb.train_items) if emb.has_train else len(emb)


def umap_version() -> str:
    from importlib.metadata import version

    return version("umap-learn")


def check_headers(path: Path) -> None:
    """At ``load_run``: the cache's arrays have the declared kinds and ranks."""
    _check(read_npz_headers(path, what=schema.PROJECTION_FILE))


def _check(arrays: dict) -> None:
    what = schema.PROJECTION_FILE
    schema.check_kinds(arrays, {**schema.PROJECTION_ARRAYS, "meta": ("U", 1)}, what)
    n = arrays["xy"].shape[0]
    if arrays["xy"].shape[1:] != (2,):
        raise PetLensError(f"{what}: xy must be [items x 2], found {arrays['xy'].shape}")
    if arrays["neighbour_index"].shape != arrays["neighbour_distance"].shape or \
            arrays["neighbour_index"].shape[0] != n:
        raise PetLensError(f"{what}: neighbour_index and neighbour_distance must both be "
                           f"[{n} items x k]")
    if arrays["meta"].shape[0] != 1:
        raise PetLensError(f"{what}: array 'meta' must hold one JSON string")


def read_cache(path: Path, *, n_items: int, n_base: int) -> Projection:
    """Read and validate ``projection.npz`` for ``n_items`` validation items whose
    neighbours index ``n_base`` items; :class:`PetLensError` names the field."""
    what = schema.PROJECTION_FILE
    arrays = read_npz(path, what=what)
    _check(arrays)
    try:
        meta = json.loads(str(arrays["meta"][0]))
    except json.JSONDecodeError as e:
        raise PetLensError(f"{what}: meta is not valid JSON: {e}") from None
    for key, kind in _META_FIELDS.items():
        schema.expect(meta, key, kind, f"{what}: meta")
    xy, index, distance = (arrays[key] for key in schema.PROJECTION_ARRAYS)
    if len(xy) != n_items:
        raise PetLensError(f"{what}: {len(xy)} points for {n_items} items")
    if not np.isfinite(xy).all():
        raise PetLensError(f"{what}: xy holds NaN or infinite values")
    if index.size and (index.min() < -1 or index.max() >= n_base):
        raise PetLensError(f"{what}: neighbour_index outside -1..{n_base - 1}")
    if meta["neighbour_source"] not in ("train", "valid"):
        raise PetLensError(f"{what}: meta neighbour_source must be 'train' or 'valid'")
    info = {**meta, "cached": True}
    return Projection(xy.astype(np.float32), info, index.astype(np.int32),
                      distance.astype(np.float32), meta["neighbour_source"],
                      note=f"read from {what}")
