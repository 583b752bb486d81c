"""Atomic writes and safe reads of run artefacts: JSON and ``.npz`` only, never pickle.

Every write goes to a temporary file in the same folder and is renamed into place, so a
reader (or a crash) never sees half a file. Every read checks that the path stays inside
the run folder and turns any decoding problem into a :class:`PetLensError` naming the file.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import BinaryIO, NamedTuple

import numpy as np

from .errors import PetLensError


def atomic_write(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Call ``write(file)`` on a temporary file beside ``path``, then rename it into place,
    so readers see the old file or the new one, never a mix (nor a leftover temp file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:  # owns (and closes) fd from here on, whatever happens
            os.chmod(tmp, 0o666 & ~_umask())  # what open() would give, not mkstemp's 0600
            write(f)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Atomically write ``data`` to ``path``."""
    atomic_write(path, lambda f: f.write(data))


def json_safe(value):
    """Replace NaN / inf (not valid JSON) by ``None``, recursively; numpy scalars to Python."""
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def atomic_write_json(path: Path, obj) -> None:
    """Atomically write ``obj`` as UTF-8 JSON (NaN and inf written as ``null``)."""
    text = json.dumps(json_safe(obj), indent=1, ensure_ascii=False, allow_nan=False)
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_npz(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    """Atomically write numeric ``arrays`` as an uncompressed ``.npz`` (object arrays refused)."""
    arrays = {key: np.asarray(value) for key, value in arrays.items()}
    for key, arr in arrays.items():
        if arr.dtype == object:
            raise PetLensError(f"{Path(path).name}: array {key!r} has dtype object; not stored")
    atomic_write(path, lambda f: _write_npz(f, arrays))


def _write_npz(f: BinaryIO, arrays: Mapping[str, np.ndarray], chunk: int = 1 << 20) -> None:
    """What ``np.savez`` writes, streamed from the arrays' own memory in 1 MB slices
    (``np.savez`` copies up to 16 MB at a time)."""
    with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        for key, arr in arrays.items():
            arr = np.ascontiguousarray(arr)
            with archive.open(f"{key}.npy", "w", force_zip64=True) as member:
                header = np.lib.format.header_data_from_array_1_0(arr)
                try:
                    np.lib.format.write_array_header_1_0(member, header)
                except ValueError:  # a header too long for format 1.0
                    np.lib.format.write_array_header_2_0(member, header)
                data = memoryview(arr.reshape(-1)).cast("B") if arr.size else b""
                for start in range(0, len(data), chunk):
                    member.write(data[start:start + chunk])


def resolve_inside(root: Path, relative: str, *, what: str) -> Path:
    """Resolve ``relative`` inside ``root``, refusing absolute paths, ``..`` and links out.

    >>> resolve_inside(Path('/runs/a'), 'thumbs/x.jpg', what='thumbnail').as_posix()
    '/runs/a/thumbs/x.jpg'
    """
    if not isinstance(relative, str) or not relative:
        raise PetLensError(f"{what}: path {relative!r} is not a non-empty string")
    rel = Path(relative)
    if rel.is_absolute() or relative.startswith(("/", "\\")) or ":" in rel.parts[0]:
        raise PetLensError(f"{what}: path {relative!r} is absolute; run paths must be relative")
    if ".." in rel.parts or "\\" in relative:
        raise PetLensError(f"{what}: path {relative!r} leaves the run folder")
    root = Path(root).resolve()
    full = (root / rel).resolve()
    if full != root and root not in full.parents:
        raise PetLensError(f"{what}: path {relative!r} resolves outside the run folder (link?)")
    return full


def read_json(path: Path, *, what: str | None = None):
    """Read a JSON file, raising :class:`PetLensError` for a missing, truncated or bad file."""
    name = what or Path(path).name
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PetLensError(f"{name}: file is missing ({path})") from None
    except (OSError, UnicodeDecodeError) as e:
        raise PetLensError(f"{name}: cannot be read: {e}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise PetLensError(f"{name}: not valid JSON (truncated or hand-edited?): {e}") from None


class ArrayHeader(NamedTuple):
    """Shape and dtype of a stored array, read without loading its data."""

    shape: tuple
    dtype: np.dtype

    @property
    def ndim(self) -> int:
        return len(self.shape)


def read_npz_headers(path: Path, *, what: str | None = None) -> dict[str, ArrayHeader]:
    """Shapes and dtypes of every array in an ``.npz``, reading only the headers."""
    name = what or Path(path).name
    readers = {(1, 0): np.lib.format.read_array_header_1_0,
               (2, 0): np.lib.format.read_array_header_2_0}
    headers = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                with archive.open(info) as f:
                    version = np.lib.format.read_magic(f)
                    if version not in readers:
                        raise ValueError(f"unsupported .npy version {version}")
                    shape, _, dtype = readers[version](f)
                if dtype.hasobject:
                    raise PetLensError(f"{name}: contains a pickled object array; refused")
                headers[info.filename.removesuffix(".npy")] = ArrayHeader(shape, dtype)
    except FileNotFoundError:
        raise PetLensError(f"{name}: file is missing ({path})") from None
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as e:
        raise PetLensError(f"{name}: not a valid .npz file: {e}") from None
    return headers


def read_npz(path: Path, *, what: str | None = None) -> dict[str, np.ndarray]:
    """Load every array of an ``.npz`` with ``allow_pickle=False``; errors name the file."""
    name = what or Path(path).name
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {key: npz[key] for key in npz.files}
    except FileNotFoundError:
        raise PetLensError(f"{name}: file is missing ({path})") from None
    except ValueError as e:
        if "pickle" in str(e).lower():
            raise PetLensError(f"{name}: contains a pickled object array; refused") from None
        raise PetLensError(f"{name}: not a valid .npz file: {e}") from None
    except (OSError, zipfile.BadZipFile, EOFError) as e:
        raise PetLensError(f"{name}: not a valid .npz file: {e}") from None
