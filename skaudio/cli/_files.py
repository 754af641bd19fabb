"""What the subcommands promise about files: inputs checked, outputs never replacing an input or a file unasked.

Every output is checked before any training or processing (folder exists and
is writable, not one of the inputs, not an existing file without ``--force``)
and written through :func:`skaudio.utils.atomic_path`, so a failure leaves the
old file intact. Without ``--force`` the check is made again when the finished
file is put in place (:func:`write_output`): a file that appeared meanwhile is
not replaced.
"""

import errno
import json
import os
import stat
import warnings

import numpy as np

from skaudio.cli._common import CLIError
from skaudio.utils import atomic_path

# Output extension -> (libsndfile format, default subtype). PCM_16 is what most players and editors take.
AUDIO_FORMATS = {".wav": ("WAV", "PCM_16"), ".flac": ("FLAC", "PCM_16"), ".ogg": ("OGG", "VORBIS")}
# How many other names write_output tries for an output whose name was taken meanwhile.
_OTHER_NAMES = 100
# Audio files that load_folder leaves out (it reads .wav, .flac and .ogg): a folder's are named in a warning.
UNREAD_AUDIO = (".mp3", ".aif", ".aiff", ".aifc", ".au", ".caf", ".w64", ".rf64", ".m4a", ".aac", ".opus", ".wma")


def error_line(exc):
    """An exception as the one line the command prints: CLIError's message, else ``Type: message``."""
    message = str(exc) if isinstance(exc, CLIError) else f"{type(exc).__name__}: {exc}"
    return message.splitlines()[0] if message.strip() else type(exc).__name__


def check_input(path, what="file"):
    """``path`` if it is a regular file; else a one-line error saying what it is instead."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if os.path.islink(path):
            why = "it points to itself" if exc.errno == errno.ELOOP else "its target does not exist"
            raise CLIError(f"{what} is a broken symbolic link ({why}): {path}") from None
        if not os.path.lexists(path):
            raise CLIError(f"{what} not found: {path}") from None
        raise CLIError(f"cannot read {what} {path}: {exc.strerror}") from None
    if stat.S_ISDIR(mode):
        raise CLIError(f"{what} is a folder, not a file: {path}")
    if not stat.S_ISREG(mode):
        raise CLIError(f"{what} is not a regular file (a FIFO, socket or device): {path}")
    return path


def warn_unread_audio(folder, option):
    """A warning naming the audio files under ``folder`` (``option``'s) that load_folder leaves out by extension."""
    from skaudio.io._folder import _discover
    from skaudio.utils import named

    unread = [os.path.join(folder, rel) for rel in _discover(folder, UNREAD_AUDIO, option)]
    if unread:
        warnings.warn(
            f"{option} {folder}: {len(unread)} audio file(s) left out, only .wav, .flac and .ogg files are read "
            f"(convert them to use them): {named(unread)}",
            UserWarning,
            stacklevel=2,
        )


def _same_file(a, b):
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_output(path, *, inputs=(), force=False, option="--out"):
    """Check, before any work, that ``path`` may be written; returns ``path``.

    Refused: a missing, non-folder or read-only parent folder; a folder at
    ``path``; one of ``inputs`` (the same file by any path: ``./x/../in.wav``,
    a link), even with ``force``; an existing file unless ``force``.
    """
    directory = os.path.dirname(path) or os.curdir  # as the system resolves it: x/.. needs an x
    if not os.path.exists(directory):
        raise CLIError(f"cannot write {path}: folder {directory} does not exist")
    if not os.path.isdir(directory):
        raise CLIError(f"cannot write {path}: {directory} is not a folder")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise CLIError(f"cannot write {path}: folder {directory} is not writable")
    if os.path.isdir(path):
        raise CLIError(f"{option} {path} is a folder: give a file name")
    if os.path.lexists(path):
        for source in inputs:
            if _same_file(path, source):
                raise CLIError(f"refusing to write {path}: it is the input file {source}; choose another {option}")
        if not force:
            raise CLIError(f"{path} already exists: pass --force to replace it, or choose another {option}")
    return path


def write_output(path, write, *, force):
    """``write(path, replace)``, replacing an existing file only with ``force`` (the user's ``--force``).

    ``write`` writes through :func:`skaudio.utils.atomic_path` with ``replace`` and raises
    :class:`FileExistsError` when the file exists at the end. A file that appeared at ``path`` after
    the check (another run finishing) is then not replaced: the finished output is written again under
    a free name beside it (``NAME-1.EXT``, ...) and a CLIError says where. Returns what ``write`` does.
    """
    try:
        return write(path, force)
    except FileExistsError:
        pass
    stem, extension = os.path.splitext(path)
    for number in range(1, _OTHER_NAMES + 1):
        other = f"{stem}-{number}{extension}"
        if os.path.lexists(other):
            continue
        try:
            write(other, False)
        except FileExistsError:
            continue
        raise CLIError(
            f"{path} appeared while this command ran (another run?) and was not replaced: this output was "
            f"written to {other} instead"
        )
    raise CLIError(f"{path} appeared while this command ran and was not replaced; no free name was found beside it")


def audio_output_format(path, subtype=None):
    """The (format, subtype) to write ``path`` with, from its extension; ``subtype`` overrides the default."""
    import soundfile as sf

    extension = os.path.splitext(path)[1].lower()
    if extension not in AUDIO_FORMATS:
        raise CLIError(
            f"cannot tell which audio format to write from the name {path}: end it with {', '.join(AUDIO_FORMATS)}"
        )
    audio_format, default = AUDIO_FORMATS[extension]
    subtype = (subtype or default).upper()
    if not sf.check_format(audio_format, subtype):
        raise CLIError(
            f"--subtype {subtype} cannot be written to a {extension} file; choose one of "
            f"{', '.join(sorted(sf.available_subtypes(audio_format)))}"
        )
    return audio_format, subtype


def write_audio(path, waveform, sr, audio_format, subtype, *, force=False):
    """Write ``waveform`` ((n_samples,) or (n_samples, n_channels)) through :func:`write_output`; PCM is clipped."""
    import soundfile as sf

    waveform = np.asarray(waveform, dtype=np.float32)
    if subtype.startswith("PCM"):
        waveform = np.clip(waveform, -1.0, 1.0)  # integer formats would wrap around

    def write(target, replace):
        try:
            with atomic_path(target, replace=replace) as tmp:
                # soundfile encodes str names strictly: bytes open a name that is not valid UTF-8
                sf.write(
                    os.fsencode(tmp) if os.name == "posix" else tmp, waveform, sr, format=audio_format, subtype=subtype
                )
        except FileExistsError:
            raise  # write_output's to handle
        except (sf.LibsndfileError, RuntimeError, ValueError, TypeError, OSError) as exc:
            raise CLIError(f"cannot write {target}: {error_line(exc)}") from None

    write_output(path, write, force=force)


def write_json(path, data, *, force=False):
    """Write ``data`` as indented JSON, atomically (:func:`write_output`)."""

    def write(target, replace):
        with atomic_path(target, replace=replace) as tmp, open(tmp, "w") as f:
            json.dump(data, f, indent=2)

    write_output(path, write, force=force)


def savefig(fig, path, *, force=False, **kwargs):
    """``fig.savefig(path)``, atomically (:func:`write_output`)."""

    def write(target, replace):
        with atomic_path(target, replace=replace) as tmp:
            fig.savefig(tmp, **kwargs)

    write_output(path, write, force=force)
