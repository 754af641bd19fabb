"""Writing files so that an existing file is never left half-written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator

__all__ = ["atomic_path"]


def _umask():
    # Linux shows the umask; elsewhere os.umask can only read it by setting it, which a file another
    # thread creates meanwhile would get, so set it back at once.
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str], *, replace: bool = True) -> Iterator[str]:
    """Yield a temporary path beside ``path``, moved onto ``path`` only if the block succeeds.

    Write the whole file to the yielded path. When the ``with`` block ends
    without an exception, the file is flushed to disk and moved onto ``path``
    with :func:`os.replace`, which is atomic on one file system: ``path`` then
    holds either its old content or the complete new file, never a truncated
    one (a full disk, an error of the writer, Ctrl+C). On any exception,
    :class:`KeyboardInterrupt` included, the temporary file is removed and
    ``path`` is untouched.

    The temporary file is created empty in the same folder (hidden, named
    ``.<stem>-<random>.tmp<ext>``), so it ends with ``path``'s extension for
    writers that choose a format from it (soundfile, matplotlib, Keras). It
    gets the permissions of the file it replaces, or those a new file would
    get. When ``path`` is a symbolic link, the file it points to is replaced
    and the link kept.

    With ``replace=False`` an existing ``path`` is never replaced, not even
    one that appears while the block runs: the complete file is put in place
    with :func:`os.link`, which fails if ``path`` exists (where the file
    system has no hard links, ``path`` is created exclusively, empty, just
    before the move), and :class:`FileExistsError` is raised with the
    temporary file removed.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write. Its folder must exist.
    replace : bool, default=True
        Whether an existing ``path`` may be replaced.

    Yields
    ------
    tmp_path : str
        Where to write the file.

    Raises
    ------
    FileNotFoundError
        ``path``'s folder does not exist.
    FileExistsError
        ``replace=False`` and ``path`` exists when the file is put in place.
    OSError
        The block or the move failed with an operating-system error (a full
        disk, "File too large", no permission); its ``filename`` is ``path``,
        not the temporary file.

    Examples
    --------
    >>> import os, tempfile
    >>> from skaudio.utils import atomic_path
    >>> target = os.path.join(tempfile.mkdtemp(), "report.txt")
    >>> with atomic_path(target) as tmp:
    ...     with open(tmp, "w") as f:
    ...         _ = f.write("complete")
    >>> open(target).read()
    'complete'
    >>> try:
    ...     with atomic_path(target) as tmp:
    ...         with open(tmp, "w") as f:
    ...             _ = f.write("half")
    ...         raise RuntimeError("the writer failed")
    ... except RuntimeError:
    ...     pass
    >>> open(target).read(), os.listdir(os.path.dirname(target))
    ('complete', ['report.txt'])
    """
    path = os.fspath(path)
    target = os.path.realpath(path) if os.path.islink(path) else path
    # the folder as the system resolves it ("x/.." through a linked x is not abspath's "."), where os.replace works
    directory = os.path.dirname(target) or os.curdir
    if not os.path.isdir(directory):
        raise FileNotFoundError(2, f"folder {directory} does not exist", path)
    stem, ext = os.path.splitext(os.path.basename(target))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{stem}-", suffix=f".tmp{ext}", dir=directory)
    except OSError as exc:
        exc.filename = path
        raise
    os.close(fd)
    try:
        # mkstemp creates the file readable by its owner only; give it the permissions the user expects.
        try:
            mode = os.stat(target).st_mode & 0o7777
        except OSError:
            mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)
        yield tmp
        # The data must be on disk before the rename makes it the file, or a crash could leave an empty file.
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        if replace:
            os.replace(tmp, target)
        else:
            _move_without_replacing(tmp, target)
    except OSError as exc:
        _remove(tmp)
        if exc.errno is not None and exc.filename in (None, tmp):  # name the user's file, not the temporary one
            exc.filename = path
            if exc.filename2 is not None:
                del exc.filename2  # (set to None it would print as "-> None")
        raise
    except BaseException:
        _remove(tmp)
        raise
    with contextlib.suppress(OSError, AttributeError):  # the rename itself is durable once the folder is synced
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _move_without_replacing(tmp, target):
    """Move ``tmp`` to ``target`` if nothing is there, atomically; FileExistsError (and ``tmp`` kept) if it is."""
    try:
        os.link(tmp, target)  # fails if target exists, whenever it appeared
    except FileExistsError:
        raise
    except (OSError, AttributeError):  # no hard links here (FAT, some network shares): claim the name first
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        try:
            os.replace(tmp, target)  # onto the empty file this process just created
        except BaseException:
            _remove(target)
            raise
        return
    os.remove(tmp)


def _remove(path):
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)
