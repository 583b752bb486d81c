"""Arrays to the front end's wire format (``js/src/lib/ndarray.js`` decodes it): ``{dtype,
shape, buffer}`` for widgets (binary buffers), ``{dtype, shape, b64}`` for the offline report,
and for mostly-zero arrays in both (a 1000-class confusion matrix: 1 MB dense, a few KB
sparse, resent at every live refresh) the sparse form ``{dtype, shape, sparse: {indices,
values}}``."""

from __future__ import annotations

import base64

import numpy as np

_WIRE_DTYPES = {"uint8", "int16", "int32", "int64", "float16", "float32"}
_SPARSE_MIN_BYTES = 4096  # smaller arrays stay dense
_SPARSE_MAX_RATIO = 0.5  # sparse form only when at most this share of the dense bytes


def encode_array(array: np.ndarray, *, binary: bool = True) -> dict:
    """One array as ``{dtype, shape, buffer}`` (widgets) or ``{dtype, shape, b64}`` (report).

    >>> encode_array(np.array([1, 2], np.int32), binary=False)
    {'dtype': 'int32', 'shape': [2], 'b64': 'AQAAAAIAAAA='}
    """
    array = np.asarray(array)
    if array.dtype == bool:
        array = array.astype(np.uint8)
    name = array.dtype.name
    if name not in _WIRE_DTYPES:
        raise TypeError(f"array of dtype {name} has no wire format")
    data = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<")).tobytes()
    out = {"dtype": name, "shape": list(array.shape)}
    if binary:
        out["buffer"] = data
    else:
        out["b64"] = base64.b64encode(data).decode("ascii")
    return out


def encode_state(value, *, binary: bool = True):
    """Encode every numpy array inside ``value`` (dicts and lists walked recursively),
    mostly-zero ones in the sparse form (``sparse_array``).

    Raw ``bytes`` (thumbnails) stay bytes for widgets (sent as binary buffers) and become
    base64 text for the report.

    >>> sorted(encode_state({"counts": np.eye(64, dtype=np.uint8)})["counts"])
    ['dtype', 'shape', 'sparse']
    """
    if isinstance(value, np.ndarray):
        return sparse_array(value, binary=binary) or encode_array(value, binary=binary)
    if isinstance(value, dict):
        return {k: encode_state(v, binary=binary) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode_state(v, binary=binary) for v in value]
    if isinstance(value, bytes) and not binary:
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, np.generic):
        return value.item()
    return value


def sparse_array(array: np.ndarray, *, binary: bool = False) -> dict | None:
    """``{dtype, shape, sparse: {indices, values}}`` (binary buffers or base64, as
    ``encode_array``) when that is at most half the size of the dense form, else None.
    ``indices``: int32 flat C-order positions of the elements whose bytes are not all zero,
    ascending; ``values``: those elements.

    >>> sparse_array(np.array([0, 0, 0, 7], np.int32))  # too small to gain
    >>> sparse_array(np.eye(64, dtype=np.uint8))["sparse"]["indices"]["shape"]
    [64]
    """
    array = np.asarray(array)
    if array.dtype == bool:
        array = array.astype(np.uint8)
    flat = np.ascontiguousarray(array).reshape(-1)
    if flat.nbytes < _SPARSE_MIN_BYTES or flat.size >= 2**31:
        return None
    bits = flat.view(f"u{flat.itemsize}")  # -0.0 and NaN count as nonzero: bytes are exact
    indices = np.flatnonzero(bits)
    if len(indices) * (4 + flat.itemsize) > _SPARSE_MAX_RATIO * flat.nbytes:
        return None
    values = encode_array(flat[indices], binary=binary)
    return {"dtype": values["dtype"], "shape": list(array.shape),
            "sparse": {"indices": encode_array(indices.astype(np.int32), binary=binary),
                       "values": values}}


def message_arrays(arrays: dict) -> tuple[dict, list[bytes]]:
    """Arrays for a custom widget message, whose binary buffers are positional:
    ``{name: {dtype, shape, buffer: i}}`` and the buffers (``buffers[i]`` holds the bytes).

    >>> message_arrays({"loss": np.zeros(2, np.float32)})[0]
    {'loss': {'dtype': 'float32', 'shape': [2], 'buffer': 0}}
    """
    meta, buffers = {}, []
    for name, array in arrays.items():
        encoded = encode_array(array)
        meta[name] = {**encoded, "buffer": len(buffers)}
        buffers.append(encoded["buffer"])
    return meta, buffers
