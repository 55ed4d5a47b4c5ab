"""Zip archives read defensively and files written atomically.

Reading checks the archive before any member is decompressed: member names (no ``..``,
no absolute or Windows paths, no duplicates, only the names expected), compression
methods (stored or deflated only, no encryption), declared sizes against the archive's
own size, and the compression ratio of every member (a zip bomb declares a small
compressed size for a huge content).  Members are then read into memory with their
actual size checked against the declared one; nothing is ever extracted to disk.

Writing goes to a temporary file in the target's folder, is flushed and synced to disk,
then renamed over the target in one step, so a save interrupted at any moment leaves the
previous file whole.

Example:
    >>> with atomic_write("model.keras") as f:
    ...     f.write(b"...")
    >>> members = read_zip("model.keras", "model file", allowed={"config.json"})
"""

from __future__ import annotations

import contextlib
import io
import os
import posixpath
import tempfile
import zipfile
import zlib

from glassnet.saving.errors import ModelFileError

#: The largest content one member may declare, and all members together.
MAX_MEMBER_BYTES = 16 * 2**30
MAX_TOTAL_BYTES = 32 * 2**30
#: Deflate cannot do better than about 1030:1; real JSON and weights stay far below 50:1.
MAX_RATIO = 100
#: Small members may have any ratio (a tiny config compresses well and cannot hurt).
SMALL_MEMBER = 1 << 16
#: A fixed timestamp makes saving the same model twice give the same bytes.
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def _check_name(name: str, where: str) -> None:
    parts = name.split("/")
    bad = (not name or "\\" in name or "\x00" in name or name.startswith("/")
           or (len(name) > 1 and name[1] == ":") or any(p in ("", ".", "..") for p in parts)
           or posixpath.normpath(name) != name)
    if bad:
        raise ModelFileError(f"{where}: refusing the archive member {name!r}: member names "
                             "must be plain relative paths (no '..', no absolute paths).")


def _check_infos(archive: zipfile.ZipFile, where: str, archive_size: int,
                 allowed, max_members: int) -> list:
    infos = archive.infolist()
    if len(infos) > max_members:
        raise ModelFileError(f"{where}: the archive has {len(infos)} members; at most "
                             f"{max_members} are expected.")
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise ModelFileError(f"{where}: the archive holds members more than once: {twice}.")
    total = packed = 0
    for info in infos:
        _check_name(info.filename, where)
        if allowed is not None and not allowed(info.filename):
            raise ModelFileError(f"{where}: unexpected archive member {info.filename!r}.")
        if info.flag_bits & 0x1:
            raise ModelFileError(f"{where}: member {info.filename!r} is encrypted.")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ModelFileError(f"{where}: member {info.filename!r} uses compression method "
                                 f"{info.compress_type}; only stored and deflated are read.")
        size, compressed = info.file_size, info.compress_size
        if size > MAX_MEMBER_BYTES:
            raise ModelFileError(f"{where}: member {info.filename!r} declares {size} bytes, "
                                 f"more than the limit of {MAX_MEMBER_BYTES}.")
        if info.compress_type == zipfile.ZIP_STORED and size != compressed:
            raise ModelFileError(f"{where}: member {info.filename!r} is stored uncompressed "
                                 f"but declares {size} bytes in {compressed} bytes of archive.")
        if size > SMALL_MEMBER and size > MAX_RATIO * max(compressed, 1):
            raise ModelFileError(
                f"{where}: member {info.filename!r} would expand from {compressed} to {size} "
                f"bytes (ratio over {MAX_RATIO}:1); refusing a possible zip bomb.")
        total += size
        packed += compressed
    if packed > archive_size:
        raise ModelFileError(f"{where}: the members declare {packed} compressed bytes but the "
                             f"archive has only {archive_size} bytes; it is truncated or forged.")
    if total > MAX_TOTAL_BYTES:
        raise ModelFileError(f"{where}: the members declare {total} bytes in all, more than "
                             f"the limit of {MAX_TOTAL_BYTES}.")
    return infos


def read_zip_bytes(data: bytes, where: str, allowed=None, max_members: int = 16) -> dict:
    """The members of the zip archive ``data`` as ``{name: bytes}``, checked (module doc).

    ``allowed`` is a predicate on member names (None accepts any safe name).

    Example:
        >>> read_zip_bytes(open("m.keras", "rb").read(), "'m.keras'")["config.json"][:1]
        b'{'
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise ModelFileError(f"{where} is not a readable zip archive (truncated or damaged): "
                             f"{error}") from None
    with archive:
        infos = _check_infos(archive, where, len(data), allowed, max_members)
        members = {}
        for info in infos:
            try:
                with archive.open(info) as stream:
                    # One byte more than declared: reaching the end makes zipfile check the CRC.
                    content = stream.read(info.file_size + 1)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError,
                    NotImplementedError, zlib.error) as error:
                raise ModelFileError(f"{where}: member {info.filename!r} cannot be read "
                                     f"(damaged or truncated): {error}") from None
            if len(content) != info.file_size:
                raise ModelFileError(f"{where}: member {info.filename!r} holds {len(content)} "
                                     f"bytes but declares {info.file_size}.")
            members[info.filename] = content
    return members


def read_file(path, where: str) -> bytes:
    """The bytes of the regular file ``path`` (a clear error for folders and missing files).

    Example:
        >>> read_file("model.keras", "'model.keras'")[:2]
        b'PK'
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"No file or directory found at {path}")
    if not os.path.isfile(path):
        raise ModelFileError(f"{where} is not a regular file.")
    size = os.path.getsize(path)
    if size > MAX_TOTAL_BYTES:
        raise ModelFileError(f"{where} has {size} bytes, more than the limit of "
                             f"{MAX_TOTAL_BYTES}.")
    with open(path, "rb") as f:
        return f.read()


def read_zip(path, where: str, allowed=None, max_members: int = 16) -> dict:
    """``read_zip_bytes`` of the file at ``path``.

    Example:
        >>> sorted(read_zip("model.keras", "'model.keras'"))
        ['config.json', 'model.weights.npz', 'optimizer.npz', 'training_state.json']
    """
    return read_zip_bytes(read_file(path, where), where, allowed, max_members)


def zip_bytes(members: dict, compress: set = frozenset()) -> bytes:
    """A zip archive holding ``members`` (name -> bytes), deflating the names in ``compress``.

    Example:
        >>> zip_bytes({"config.json": b"{}"}, compress={"config.json"})[:2]
        b'PK'
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", allowZip64=True) as archive:
        for name, content in members.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED if name in compress else zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


_UMASK = None


def _new_file_mode() -> int:
    global _UMASK
    if _UMASK is None:
        _UMASK = os.umask(0o022)
        os.umask(_UMASK)
    return 0o666 & ~_UMASK


@contextlib.contextmanager
def atomic_write(path):
    """Open a temporary file beside ``path`` for writing; on success it replaces ``path``.

    The data is flushed and synced before the rename and the folder is synced after it, so
    after a crash ``path`` holds either the old content or the new one, never a mix.  On
    an error the temporary file is removed and ``path`` is untouched.

    Example:
        >>> with atomic_write("weights.npz") as f:
        ...     f.write(data)
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise IsADirectoryError(f"Cannot save to {path!r}: it is an existing directory. "
                                "Give a file path such as 'model.keras'.")
    descriptor, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.",
                                             suffix=".tmp", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        try:
            mode = os.stat(path).st_mode & 0o777 if os.path.exists(path) else _new_file_mode()
            os.chmod(temporary, mode)
        except OSError:
            pass
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    flags = getattr(os, "O_DIRECTORY", None)
    if flags is None:
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY | flags)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
