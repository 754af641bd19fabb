"""``--noise``: named noises and folders of noise recordings, and mixing them into clean clips."""

import os

import numpy as np

from skaudio.cli._common import CLIError
from skaudio.cli._files import warn_unread_audio


def _named_noises():
    from skaudio.datasets import NOISE_COLORS

    return [*sorted(NOISE_COLORS), "babble"]


def check_noise_entries(text):
    """The entries of a ``--noise`` value, each a named noise or an existing folder, else a CLIError.

    Cheap (no file is read), so that the command can check ``--noise`` before it loads its data.
    """
    names = _named_noises()
    entries = [entry.strip() for entry in text.split(",") if entry.strip()]
    if not entries:
        raise CLIError(f"--noise is empty: give one or more of {', '.join(names)} or folders of noise recordings")
    for entry in entries:
        if entry not in names and not os.path.isdir(entry):
            raise CLIError(
                f"--noise {entry!r} is neither a named noise ({', '.join(names)}) nor a folder of noise recordings"
            )
    return entries


def noise_folders(text):
    """The folders among a ``--noise`` value's entries (a name wins over a folder of that name), all checked."""
    return [entry for entry in check_noise_entries(text) if entry not in _named_noises()]


def overlapping_noise_folder(path, text):
    """The first ``--noise`` folder that is ``path``, holds it or lies in it; None when none does."""
    real = os.path.realpath(path)
    for folder in noise_folders(text):
        noise = os.path.realpath(folder)
        if os.path.commonpath([real, noise]) in (real, noise):
            return folder
    return None


def noise_sources(text, sr):
    """The entries of a ``--noise`` value and what ``make_noisy`` takes for each.

    ``text`` is comma-separated; each entry is a named noise (a colour or ``babble``) or a folder
    whose recordings are resampled to ``sr`` and mixed in at random offsets (looped when shorter than
    a clip). Returns ``(entries, sources)``: a name stays a name, a folder becomes its list of
    waveforms. An empty value, an entry that is neither (:func:`check_noise_entries`), a folder without
    audio, and a recording that is silent or shorter than one analysis frame are errors naming the
    entry and the file.
    """
    from skaudio.datasets._mixtures import shortest_noise
    from skaudio.io import load_folder

    entries = check_noise_entries(text)
    sources = []
    for entry in entries:
        if entry in _named_noises():  # a name wins over a folder of that name
            sources.append(entry)
            continue
        warn_unread_audio(entry, "--noise")
        try:
            found = load_folder(entry, sr=sr, labels=None)
        except (OSError, ValueError, RuntimeError) as exc:
            raise CLIError(f"--noise {entry}: {exc}") from None
        shortest = shortest_noise(sr)
        for name, wave in zip(found.filenames, found.data):
            if len(wave) < shortest:
                raise CLIError(
                    f"--noise {entry}: {name} holds {len(wave)} samples at {sr} Hz, less than one analysis "
                    f"frame ({shortest}, {1000 * shortest / sr:.0f} ms)"
                )
            if not np.any(wave):
                raise CLIError(f"--noise {entry}: {name} is silent (it cannot be scaled to an SNR)")
        sources.append(list(found.data))
    return entries, sources


def held_out_recordings(entries, sources, every=4):
    """Split each folder's recordings into training and held-out ones; named noises go to both.

    Every ``every``-th recording of a folder (its last one when it holds fewer) is held out, so that
    a score measured on the held-out mixtures is on recordings the model never heard. Returns
    ``(training_sources, held_out_sources)``; a folder with a single recording is an error.
    """
    training, held_out = [], []
    for entry, source in zip(entries, sources):
        if isinstance(source, str):
            training.append(source)
            held_out.append(source)
            continue
        if len(source) < 2:
            raise CLIError(
                f"--noise {entry} holds 1 recording: at least 2 are needed, to test on a recording "
                "that training never used"
            )
        test = set(range(every - 1, len(source), every)) or {len(source) - 1}
        training.append([wave for i, wave in enumerate(source) if i not in test])
        held_out.append([wave for i, wave in enumerate(source) if i in test])
    return training, held_out


def mix_noises(clips, sources, snr_db, rng, **augmentation):
    """Noisy and clean versions of ``clips``, each mixed with one source drawn at random.

    ``sources`` as :func:`noise_sources` returns them; ``snr_db`` is ``(low, high)``; ``rng`` a numpy
    Generator; ``augmentation``: make_noisy's noise_filter_db and noise_speed_perturbation. Babble sums the
    other clips drawn for it, or the other clips of ``clips`` for a clip drawn alone. Returns two lists in the
    order of ``clips``.
    """
    from skaudio.datasets import make_noisy

    kinds = rng.integers(len(sources), size=len(clips))
    noisy, clean = [None] * len(clips), [None] * len(clips)
    for kind, source in enumerate(sources):
        idx = np.flatnonzero(kinds == kind)
        if len(idx) == 0:
            continue
        if source == "babble" and len(idx) < 2:  # a folder's list of recordings never equals a name
            # babble sums other clips: a clip drawn alone for it takes the whole set's (babble is mixed for all
            # of them, and its own kept)
            if len(clips) < 2:
                raise CLIError("--noise babble mixes other clips: it needs at least 2 clips")
            mixed, originals = make_noisy(clips, noise=source, snr_db=snr_db, random_state=rng, **augmentation)
            mixed, originals = [mixed[i] for i in idx], [originals[i] for i in idx]
        else:
            mixed, originals = make_noisy(
                [clips[i] for i in idx], noise=source, snr_db=snr_db, random_state=rng, **augmentation
            )
        for j, i in enumerate(idx):
            noisy[i], clean[i] = mixed[j], originals[j]
    return noisy, clean
