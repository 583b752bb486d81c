"""Arrays to the front end's wire format: ``{dtype, shape, buffer}`` (binary) or ``b64``."""

from __future__ import annotations

import base64

import numpy as np

_WIRE_DTYPES = {"uint8", "int16", "int32", "int64", "float16", "float32"}


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
    """Encode every numpy array inside ``value`` (dicts and lists walked recursively).

    Raw ``bytes`` (thumbnails) stay bytes for widgets (sent as binary buffers) and become
    base64 text for the report.
    """
    if isinstance(value, np.ndarray):
        return encode_array(value, binary=binary)
    if isinstance(value, dict):
        return {k: encode_state(v, binary=binary) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode_state(v, binary=binary) for v in value]
    if isinstance(value, bytes) and not binary:
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, np.generic):
        return value.item()
    return value
