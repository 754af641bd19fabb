"""load_folder: a folder of audio files -> waveforms, labels and metadata."""

from __future__ import annotations

import os
import re
import stat
import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
from sklearn.utils import Bunch

from skaudio.io._load import _check_mono, _check_path, _check_real, _check_sr, load_audio
from skaudio.utils import check_verbose, progress

__all__ = ["load_folder", "FSDD_PATTERN"]

FSDD_PATTERN = r"(?P<label>\d)_(?P<speaker>[a-z]+)_(?P<index>\d+)"
"""File-name pattern of the Free Spoken Digit Dataset (FSDD).

FSDD names its recordings ``{digit}_{speaker}_{index}.wav``, for example
``7_jackson_32.wav``. Passed as ``labels`` to :func:`load_folder`, it gives the
digit as ``target`` and adds ``speaker`` and ``index`` entries (arrays of str)
to the returned Bunch. The official FSDD test split is ``index`` 0 to 4.
"""

_EXTENSIONS = (".wav", ".flac", ".ogg")
_RESERVED = frozenset({"data", "target", "target_names", "filenames", "sr", "DESCR"})


class MixedSampleRatesError(ValueError):
    """Files of a folder at different sample rates, loaded without ``sr`` to bring them to one."""


def _check_extensions(extensions):
    if isinstance(extensions, str):
        extensions = (extensions,)
    try:
        extensions = tuple(extensions)
    except TypeError:
        raise TypeError(f"extensions must be a str or a sequence of str, got {type(extensions).__name__}.") from None
    if not extensions or not all(isinstance(e, str) and e.strip(".") for e in extensions):
        raise ValueError(
            f"extensions must be a non-empty sequence of non-empty str such as ('.wav', '.flac'), got {extensions!r}."
        )
    return tuple(("." + e.lstrip(".")).lower() for e in extensions)


def _check_labels(labels):
    """Return ``"subfolder"``, None, or a compiled pattern with a ``label`` group."""
    if labels is None or (isinstance(labels, str) and labels == "subfolder"):
        return labels
    if isinstance(labels, str):
        try:
            labels = re.compile(labels)
        except re.error as exc:
            raise ValueError(f"labels is not a valid regular expression ({exc}): {labels!r}.") from exc
    elif not isinstance(labels, re.Pattern):
        raise TypeError(
            f"labels must be 'subfolder', None, or a regular expression (str or compiled), got {type(labels).__name__}."
        )
    if not isinstance(labels.pattern, str):
        raise TypeError("labels must be a str regular expression, not a bytes one.")
    if "label" not in labels.groupindex:
        raise ValueError(
            f"labels pattern {labels.pattern!r} has no named group 'label'; write the part "
            "of the file name that holds the class as (?P<label>...)."
        )
    clash = sorted(_RESERVED.intersection(labels.groupindex))
    if clash:
        raise ValueError(
            f"labels pattern {labels.pattern!r} uses reserved group name(s) {clash}; "
            f"rename them (reserved: {sorted(_RESERVED)})."
        )
    return labels


def _is_hidden(name):
    return name.startswith(".")


def _links_into_the_tree(path, tree):
    """Whether ``path`` is a link to a folder within ``tree`` or above it (both real paths)."""
    if not os.path.islink(path):
        return False
    target = os.path.realpath(path)
    return os.path.commonpath([target, tree]) in (target, tree)


def _discover(root, extensions, caller, unlistable=None):
    """Relative paths of matching files under ``root``, sorted, hidden ones skipped.

    Linked folders that lead outside the tree are followed (a class folder is often a link to storage), in sorted
    order and each real folder once; a link to a folder within the tree (walked under its own name) or above it (the
    tree again) is not. A missing ``root``, or a file, is an error naming it; so is a folder that cannot be listed
    (os.walk would skip it without a word, and its files, a whole class perhaps, would be missing), unless
    ``unlistable`` is a list: a folder under ``root`` is then skipped and named in it (``root`` itself still raises).
    """
    if not os.path.exists(root):
        raise FileNotFoundError(f"No such folder: {root!r}.")
    if not os.path.isdir(root):
        raise NotADirectoryError(f"{caller} needs a folder, but {root!r} is a file.")
    tree = os.path.realpath(root)

    def _cannot_list(exc):
        if unlistable is None or exc.filename is None or os.path.realpath(exc.filename) == tree:
            raise exc
        unlistable.append(f"{exc.filename!r}: a folder that cannot be listed ({exc.strerror or exc})")

    found, visited = [], set()
    for dirpath, dirnames, filenames in os.walk(root, onerror=_cannot_list, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in visited:  # a second link to the same folder: walked once already
            dirnames[:] = []
            continue
        visited.add(real)
        dirnames[:] = [
            d
            for d in sorted(dirnames)
            if not _is_hidden(d) and not _links_into_the_tree(os.path.join(dirpath, d), tree)
        ]
        rel_dir = os.path.relpath(dirpath, root)
        for name in filenames:
            if _is_hidden(name) or not name.lower().endswith(extensions):
                continue
            rel = name if rel_dir == os.curdir else os.path.join(rel_dir, name)
            found.append(rel)
    # Sort on path components so that the order does not depend on os.walk or
    # on the separator.
    found.sort(key=lambda rel: rel.split(os.sep))
    return found


def list_audio_files(folder: str | os.PathLike[str]) -> list[str]:
    """Audio files under ``folder`` (WAV, FLAC, OGG), as ``load_folder`` finds them.

    Parameters
    ----------
    folder : str or path-like
        The folder to search, with its subfolders.

    Returns
    -------
    paths : list of str
        Paths relative to ``folder``, sorted by path components; hidden
        files and folders are skipped; linked folders outside ``folder``
        are followed (each once), links within or above it are not.

    Raises
    ------
    FileNotFoundError
        ``folder`` does not exist.
    NotADirectoryError
        ``folder`` is a file.
    OSError
        ``folder`` or a folder under it cannot be listed (a PermissionError,
        for example), naming it.
    TypeError
        ``folder`` is neither a str nor an os.PathLike.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("b/2.wav", "a.flac", ".hidden.wav", "notes.txt"):
    ...     (root / name).parent.mkdir(exist_ok=True)
    ...     _ = (root / name).write_bytes(b"")
    >>> list_audio_files(root)
    ['a.flac', 'b/2.wav']
    """
    return _discover(_check_path(folder, "folder"), _EXTENSIONS, "list_audio_files")


def load_folder(
    path: str | os.PathLike[str],
    *,
    sr: int | None = None,
    labels: str | re.Pattern[str] | None = "subfolder",
    extensions: str | Sequence[str] = _EXTENSIONS,
    on_error: Literal["raise", "warn"] = "raise",
    mono: bool = True,
    duration: float | None = None,
    verbose: bool | int = 0,
) -> Bunch:
    """Load every audio file in a folder, with labels read from the layout.

    Files are found recursively, matched on their extension (case
    insensitive), and loaded in sorted path order with :func:`load_audio`,
    so the result is deterministic. Hidden files and folders (names starting
    with ``"."``, such as macOS ``._*`` files) are ignored; linked folders
    that lead outside ``path`` are followed (each real folder once), links
    to a folder within or above it are not.

    Parameters
    ----------
    path : str or os.PathLike
        The folder.
    sr : int > 0 or None, default=None
        Target sample rate in Hz; every file is resampled to it. None keeps
        native rates, which must then be the same for all files.
    labels : "subfolder", None, str or re.Pattern, default="subfolder"
        Where the class label comes from:

        - ``"subfolder"``: the name of the folder directly holding the file
          (``path/dog/001.wav`` is labelled ``"dog"``). Files directly in
          ``path`` have no label: an error (or skipped, see ``on_error``).
        - None: no labels; ``target`` and ``target_names`` are None.
        - a regular expression, matched with :func:`re.fullmatch` against
          the file name *without its extension* (``"7_theo_3"`` for
          ``7_theo_3.wav``). It must contain a named group ``label``; every
          other named group becomes an entry of the result (an array of str,
          ``""`` where an optional group did not match). See
          :data:`FSDD_PATTERN`.
    extensions : str or sequence of str, default=(".wav", ".flac", ".ogg")
        File extensions to load (the leading dot is optional).
    on_error : {"raise", "warn"}, default="raise"
        What to do with a file that cannot be read, is empty, is a broken
        symbolic link, or whose name does not match ``labels``, and with a
        folder under ``path`` that cannot be listed (``lost+found`` at a
        disk's root): ``"raise"`` raises on the first such file or folder;
        ``"warn"`` skips them all and emits one :class:`UserWarning` that
        names every skipped file and folder. Names that
        are not regular files (a FIFO, a socket, a device: reading them
        would block or never end) are always skipped with a warning.
    mono : bool, default=True
        Mix channels to one 1D signal. If False, each clip has shape
        ``(n_channels, n_samples)``.
    duration : float > 0 or None, default=None
        Read at most this many seconds of each file. None reads whole files.
    verbose : bool or int >= 0, default=0
        If truthy, show a progress bar over the files (with tqdm, on stderr),
        but only when stderr is a terminal: piped or redirected output gets
        no bar.

    Returns
    -------
    bunch : :class:`~sklearn.utils.Bunch`
        With the entries:

        data : list of ndarray
            One float32 waveform per file (a ragged waveform batch).
        target : ndarray of shape (n_files,) of int, or None
            Label codes, indices into ``target_names``.
        target_names : ndarray of str, or None
            The sorted unique labels.
        filenames : ndarray of shape (n_files,) of str
            The path of each loaded file (``path`` joined with the relative
            path).
        sr : int
            The sample rate of every array in ``data``.
        DESCR : str
            A short description of what was loaded.
        <group> : ndarray of shape (n_files,) of str
            One entry per extra named group of a ``labels`` pattern, for
            example ``speaker`` and ``index`` with :data:`FSDD_PATTERN`.

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist.
    NotADirectoryError
        ``path`` is a file.
    OSError
        ``path``, or under ``on_error="raise"`` a folder under it, cannot be
        listed (a PermissionError, for example): its files would be missing
        without a word. The message names the folder.
    ValueError
        No file with one of ``extensions`` under ``path``; a bad file under
        ``on_error="raise"``; no file left after skipping; native sample
        rates that differ while ``sr=None`` (the message names two such files);
        a ``labels`` pattern without a ``label`` group; or an invalid
        parameter (named in the message).

    Warns
    -----
    UserWarning
        Files skipped under ``on_error="warn"``, names that are not regular
        files, and truncated files (see :func:`load_audio`), each named.

    See Also
    --------
    load_audio : Load one file.
    AudioLoader : Load files from a list of paths inside a Pipeline.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> import soundfile as sf
    >>> from skaudio.io import FSDD_PATTERN, load_folder
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for name in ["3_theo_0.wav", "3_lucas_1.wav", "5_theo_2.wav"]:
    ...         sf.write(os.path.join(tmp, name), np.zeros(4000), 8000)
    ...     digits = load_folder(tmp, labels=FSDD_PATTERN)
    >>> digits.target_names, digits.target, digits.sr
    (array(['3', '5'], dtype='<U1'), array([0, 0, 1]), 8000)
    >>> digits.speaker
    array(['lucas', 'theo', 'theo'], dtype='<U5')

    With ``labels="subfolder"`` (the default) the folder names are the labels:

    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for label in ["cat", "dog"]:
    ...         os.mkdir(os.path.join(tmp, label))
    ...         sf.write(os.path.join(tmp, label, "a.flac"), np.zeros(800), 16000)
    ...     pets = load_folder(tmp, sr=8000)
    >>> pets.target_names.tolist(), [clip.shape for clip in pets.data]
    (['cat', 'dog'], [(400,), (400,)])
    """
    root = _check_path(path)
    sr = _check_sr(sr)
    mono = _check_mono(mono)
    duration = _check_real(duration, "duration", allow_none=True, allow_zero=False)
    extensions = _check_extensions(extensions)
    labels = _check_labels(labels)
    check_verbose(verbose)
    if not isinstance(on_error, str) or on_error not in ("raise", "warn"):
        raise ValueError(f"on_error must be 'raise' or 'warn', got {on_error!r}.")

    unlistable = None if on_error == "raise" else []  # folders skipped under on_error="warn", each named
    relpaths = _discover(root, extensions, "load_folder", unlistable)
    if not relpaths:
        raise ValueError(f"No audio files with extension {' / '.join(extensions)} found under folder {root!r}.")

    skipped = list(unlistable or [])  # messages, each naming the skipped folder or file
    special = []  # names that are not regular files

    def _fail(message):
        if on_error == "raise":
            raise ValueError(message)
        skipped.append(message)

    group_names = [] if not isinstance(labels, re.Pattern) else [g for g in labels.groupindex if g != "label"]
    data, label_values, filenames = [], [], []
    groups = {g: [] for g in group_names}
    first = None  # (filename, native rate) of the first loaded file when sr is None

    files = progress(relpaths, total=len(relpaths), desc="Loading audio", unit="file", verbose=verbose)
    for rel in files:
        filename = os.path.join(root, rel)
        # Labels first: a name that does not match is found without decoding.
        label, extra = None, {}
        if labels == "subfolder":
            parent = os.path.basename(os.path.dirname(rel))
            if not parent:
                _fail(
                    f"{filename!r} is directly in {root!r}, not in a subfolder, so it has "
                    "no label (labels='subfolder')."
                )
                continue
            label = parent
        elif labels is not None:
            stem = os.path.splitext(os.path.basename(rel))[0]
            match = labels.fullmatch(stem)
            if match is None:
                _fail(
                    f"{filename!r}: file name {stem!r} (without extension) does not match "
                    f"the labels pattern {labels.pattern!r}."
                )
                continue
            label = match.group("label")
            if label is None:
                _fail(f"{filename!r}: the 'label' group of {labels.pattern!r} did not match.")
                continue
            extra = {g: match.group(g) or "" for g in group_names}

        try:
            regular = stat.S_ISREG(os.stat(filename).st_mode)
        except OSError:
            regular = True  # a broken link: load_audio says so, and on_error decides
        if not regular:
            special.append(filename)
            continue
        try:
            y, clip_sr = load_audio(filename, sr=sr, mono=mono, duration=duration)
        except (ValueError, OSError) as exc:
            if on_error == "raise":
                raise
            # load_audio's messages name the file; say it anyway for OS errors.
            skipped.append(str(exc) if filename in str(exc) else f"{filename!r}: {exc}")
            continue

        if sr is None:
            if first is None:
                first = (filename, clip_sr)
            elif clip_sr != first[1]:
                raise MixedSampleRatesError(
                    f"Files have different native sample rates: {first[0]!r} is at {first[1]} Hz "
                    f"but {filename!r} is at {clip_sr} Hz. Pass sr= (for example "
                    f"sr={first[1]}) to resample every file to one rate."
                )

        data.append(y)
        filenames.append(filename)
        label_values.append(label)
        for g in group_names:
            groups[g].append(extra[g])

    if special:
        warnings.warn(
            f"load_folder skipped {len(special)} name(s) under {root!r} that are not regular files (a FIFO, "
            f"socket or device would block or never end): {', '.join(map(repr, special))}",
            UserWarning,
            stacklevel=2,
        )
    if skipped:
        details = "\n".join(f"  - {m}" for m in skipped)
        warnings.warn(
            f"load_folder skipped {len(skipped) - len(unlistable or [])} of {len(relpaths)} files "
            f"{f'and {len(unlistable)} folder(s) ' if unlistable else ''}under {root!r}:\n{details}",
            UserWarning,
            stacklevel=2,
        )
    if not data:
        raise ValueError(
            f"No audio file could be loaded from folder {root!r}: all {len(relpaths)} "
            "matching files were skipped (see the warning)."
        )

    if labels is None:
        target = target_names = None
    else:
        target_names, target = np.unique(np.asarray(label_values, dtype=str), return_inverse=True)
        target = target.astype(np.intp).reshape(-1)

    out_sr = sr if sr is not None else first[1]
    if labels is None:
        label_desc = "no labels"
    elif labels == "subfolder":
        label_desc = "labels from subfolder names"
    else:
        label_desc = f"labels from file names matching {labels.pattern!r}"
    descr = (
        f"Audio clips loaded from folder {root!r}.\n\n"
        f"- clips: {len(data)} (skipped: {len(skipped)})\n"
        f"- sample rate: {out_sr} Hz\n"
        f"- {label_desc}"
        + (f"; {len(target_names)} classes" if target_names is not None else "")
        + (f"\n- extra entries: {', '.join(group_names)}" if group_names else "")
    )
    bunch = Bunch(
        data=data,
        target=target,
        target_names=target_names,
        filenames=np.asarray(filenames, dtype=str),
        sr=int(out_sr),
        DESCR=descr,
    )
    for g in group_names:
        bunch[g] = np.asarray(groups[g], dtype=str)
    return bunch
