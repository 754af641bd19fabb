"""``skaudio predict``, ``skaudio denoise`` and ``skaudio info``: using a saved model."""

import csv
import json
import numbers
import sys
import warnings

import numpy as np

from skaudio.cli._common import CLIError, load_model, read_metadata
from skaudio.cli._files import audio_output_format, check_input, check_output, error_line, write_audio


def _read(path, sr, *, said, mono=True):
    """A file's waveform at its own rate and at ``sr`` (the model's), or a one-line error naming the file.

    With ``mono=False`` both waveforms have shape ``(n_channels, n_samples)``.
    A file at another rate than the model's is resampled, which is said once
    per rate (``said`` holds the rates already reported).
    """
    from skaudio.io import load_audio

    check_input(path, "audio file")
    try:
        native, native_sr = load_audio(path, mono=mono)
    except (OSError, ValueError, RuntimeError) as exc:
        raise CLIError(f"cannot read audio from {path}: {exc}") from None
    if native.shape[-1] == 0:
        raise CLIError(f"{path} holds no audio samples")
    if native_sr != sr and native_sr not in said:
        said.add(native_sr)
        lost = f"; what lies above {sr // 2} Hz (half the model's rate) is lost" if native_sr > sr else ""
        warnings.warn(
            f"{path} is at {native_sr} Hz: resampled to the model's {sr} Hz{lost} (said once for every "
            f"file at {native_sr} Hz)",
            UserWarning,
            stacklevel=2,
        )
    return native, native_sr, _resample(native, native_sr, sr)


def _resample(wave, from_sr, to_sr):
    """``wave`` ((n_samples,) or (n_channels, n_samples)) at ``to_sr``."""
    import soxr

    if from_sr == to_sr:
        return wave
    return np.ascontiguousarray(soxr.resample(wave.T, from_sr, to_sr, quality="HQ").T, dtype=np.float32)


def _min_samples(model):
    """The fewest samples (at the model's rate) a model can see: its longest analysis window ``n_fft``, else 1."""
    windows = [
        value
        for name, value in model.get_params(deep=True).items()
        if name.rsplit("__", 1)[-1] == "n_fft" and isinstance(value, numbers.Integral)
    ]
    return max(windows, default=1)


def _check_long_enough(path, wave, model, sr):
    needed = _min_samples(model)
    if len(wave) < needed:
        raise CLIError(
            f"{path} is too short for this model: {len(wave)} samples at {sr} Hz, it needs at least "
            f"{needed} ({needed / sr * 1000:.0f} ms, one analysis window)"
        )


def _clip_length(model):
    """The FixedLength step's (length in samples, align) of a classifier pipeline, or None."""
    from skaudio.preprocessing import FixedLength

    for _, step in model.steps:
        if isinstance(step, FixedLength) and getattr(step, "input_kind_", None) == "waveforms":
            return step.length_, step.align
    return None


def detect_events(model, metadata, wave):
    """Events of a recording of any length: :func:`skaudio.models.predict_events` in windows of the training scenes."""
    from skaudio.models import predict_events

    # model[0] loads files: the rest of the pipeline takes the waveform, window by window
    return predict_events(model[1:], [wave], window=metadata.get("scene_duration"))[0]


class _Rows:
    """Rows written to stdout as they come (CSV after its header, or a JSON list closed at the end)."""

    def __init__(self, fmt, header):
        self.fmt, self.first = fmt, True
        if fmt == "csv":
            self.writer = csv.DictWriter(sys.stdout, fieldnames=header, lineterminator="\n")
            self.writer.writeheader()
        else:
            sys.stdout.write("[")
        sys.stdout.flush()

    def write(self, row):
        if self.fmt == "csv":
            self.writer.writerow(
                {
                    k: (f"{v:.6f}" if isinstance(v, float) and k not in ("onset", "offset") else v)
                    for k, v in row.items()
                }
            )
        else:
            text = json.dumps(row, indent=2, default=str).replace("\n", "\n  ")
            sys.stdout.write(("\n  " if self.first else ",\n  ") + text)
        self.first = False
        sys.stdout.flush()

    def close(self):
        if self.fmt == "json":
            print("]" if self.first else "\n]", flush=True)


def _probability_columns(classes):
    """The column (CSV) or key (JSON) of each class's probability: its name, unless that is taken.

    A class named ``file`` or ``label`` (a subfolder of that name) would write its probability over the file's
    name or the predicted label: its column is ``p(file)`` or ``p(label)`` instead.
    """
    taken, columns = {"file", "label"}, []
    for name in map(str, classes):
        while name in taken:
            name = f"p({name})"
        taken.add(name)
        columns.append(name)
    return columns


def _predict_file(model, metadata, path, classes, said):
    """The output rows of one file."""
    from skaudio.utils import UnusableClipWarning, unusable_clips

    sr = metadata["sr"]
    _, _, wave = _read(path, sr, said=said)
    _check_long_enough(path, wave, model, sr)
    if unusable_clips([wave])[0]:
        what = "no event can be found in it" if metadata["task"] == "detect" else "its label means nothing"
        warnings.warn(f"{path} is silent (no sample above -120 dBFS): {what}", UserWarning, stacklevel=2)
    with warnings.catch_warnings():
        # the models' own warnings of that kind name the clip X[0], which means nothing here: said above by name
        warnings.simplefilter("ignore", UnusableClipWarning)
        return _predict_wave(model, metadata, path, wave, classes)


def _predict_wave(model, metadata, path, wave, classes):
    sr = metadata["sr"]
    if metadata["task"] == "detect":
        return [
            {"file": path, "onset": round(onset, 3), "offset": round(offset, 3), "label": label}
            for onset, offset, label in detect_events(model, metadata, wave)
        ]
    clip = _clip_length(model)
    if clip is not None and len(wave) > clip[0]:
        part = {"center": "its middle", "left": "its start", "right": "its end"}.get(clip[1], "part of it")
        warnings.warn(
            f"{path} is {len(wave) / sr:.2f} s long; this model classifies {clip[0] / sr:.2f} s of it "
            f"({part}) and ignores the rest",
            UserWarning,
            stacklevel=2,
        )
    proba = model[1:].predict_proba([wave])[0]
    probabilities = dict(zip(_probability_columns(classes), map(float, proba)))
    return [{"file": path, "label": classes[int(np.argmax(proba))], **probabilities}]


def _refuse_denoiser(path, metadata):
    if metadata is not None and metadata.get("task") == "denoise":
        raise CLIError(f"{path} is a 'denoise' model: use `skaudio denoise MODEL IN.wav -o OUT.wav`")


def predict(args):
    """Run ``skaudio predict``: one row per file (classifier) or per event (detector), each printed when done.

    What can be said without loading the model (which takes seconds) is said first: a denoising model, and
    with ``--on-error raise`` an input file that does not exist.
    """
    _refuse_denoiser(args.model, read_metadata(args.model))
    if args.on_error == "raise":
        for path in args.files:
            check_input(path, "audio file")
    model, metadata = load_model(args.model, trusted=args.trust)
    _refuse_denoiser(args.model, metadata)  # an old pickle's task is known only once it is loaded
    classes = None
    if metadata["task"] == "classify":
        classes = [c.item() if isinstance(c, np.generic) else c for c in model[-1].classes_]
        header = ["file", "label", *_probability_columns(classes)]
    else:
        header = ["file", "onset", "offset", "label"]
    said, failed = set(), 0
    rows = _Rows(args.format, header)
    try:
        for path in args.files:
            try:
                produced = _predict_file(model, metadata, path, classes, said)
            except Exception as exc:  # noqa: BLE001 - one line naming the file, then stop or go on
                line = error_line(exc)
                line = line if path in line else f"{path}: {line}"
                if args.on_error == "raise":
                    raise CLIError(line) from exc
                failed += 1
                print(f"skaudio predict: error: {line}", file=sys.stderr, flush=True)
                continue
            for row in produced:
                rows.write(row)
    finally:
        rows.close()
    if failed:
        raise CLIError(f"{failed} of {len(args.files)} files failed (each reported above); the others were predicted")


def denoise(args):
    """Run ``skaudio denoise``: any length, every channel, written at the input's rate and length."""
    audio_format, subtype = audio_output_format(args.output, args.subtype)
    check_input(args.input, "audio file")
    check_output(args.output, inputs=[args.input, args.model], force=args.force, option="-o")
    model, metadata = load_model(args.model, task="denoise", trusted=args.trust)
    sr = metadata["sr"]
    native, native_sr, waves = _read(args.input, sr, said=set(), mono=False)
    _check_long_enough(args.input, waves[0], model, sr)
    n_samples = native.shape[1]
    # each channel is denoised on its own: one batch of n_channels waveforms
    cleaned = model[1:].predict(list(waves))
    out = np.stack(
        [
            _fit_length(_resample(np.asarray(channel, dtype=np.float32), sr, native_sr), n_samples)
            for channel in cleaned
        ],
        axis=1,
    )
    write_audio(args.output, out, native_sr, audio_format, subtype, force=args.force)
    print(
        f"wrote {args.output}: {n_samples / native_sr:.2f} s at {native_sr} Hz, {out.shape[1]} channel(s), "
        f"{audio_format} {subtype}"
    )


def _fit_length(wave, n):
    return np.pad(wave, (0, max(0, n - len(wave))))[:n]


def info(args):
    """Run ``skaudio info``: training metadata, steps and parameters, and whether the file loads without trust.

    A model file's metadata is read without loading the model: nothing is unpickled or built. What loading it
    needs comes from its payload and networks, read as data, not from what the metadata says. An old joblib
    (pickle) file can only be shown by loading it, with ``--trust``. Whatever the file holds is printed with
    its non-printable characters escaped: a label cannot send the terminal an escape sequence.
    """
    from skaudio import persistence

    metadata = read_metadata(args.model)
    is_model_file = metadata is not None  # not an old pickle, which only loads with --trust
    if not is_model_file:
        model, metadata = load_model(args.model, trusted=args.trust)  # refused without --trust
        steps_heading = "steps:"
        steps = [
            (name, type(step).__name__, {k: repr(v) for k, v in step.get_params(deep=False).items()})
            for name, step in model.steps
        ]
    else:
        steps_heading = "steps, as the file's metadata states them:"
        steps = [
            (step["name"], step["class"].rpartition(".")[2], step["params"])
            for step in metadata.get("model", {}).get("steps", [])
        ]
    print(f"model: {args.model}")
    lines = _metadata_lines(metadata)
    differences = persistence.version_differences(metadata)
    if differences:
        lines.append(
            "installed here: "
            + ", ".join(f"{name} {installed} (saved with {saved})" for name, saved, installed in differences)
            + ": predictions may differ"
        )
    if is_model_file:  # always checked: the metadata is the file author's to write
        lines.append(_loading_verdict(args.model))
    lines.append(steps_heading)
    for name, kind, params in steps:
        lines.append(f"  {name}: {kind}")
        lines += [f"    {key} = {value}" for key, value in sorted(params.items())]
    for line in lines:
        print(_printable(line))


def _metadata_lines(metadata):
    """What ``skaudio info`` shows of a model's metadata, one line each."""
    sr = f"{metadata['sr']} Hz" if metadata.get("sr") else "?"
    lines = [f"task: {metadata.get('task')}    sample rate: {sr}    trained: {metadata.get('date', '?')}"]
    if metadata.get("labels") is not None:
        lines.append(f"labels: {', '.join(map(str, metadata['labels']))}")
    for key in ("data", "n_files", "train_seconds", "scene_duration", "noise", "snr_db"):
        if metadata.get(key) is not None:
            lines.append(f"{key.replace('_', ' ')}: {metadata[key]}")
    scores = metadata.get("scores") or {}
    for kind in ("cross_validated", "held_out"):
        if scores.get(kind) is not None:
            lines.append(f"{kind.replace('_', '-')} {scores.get(kind + '_metric', 'score')}: {scores[kind]:.4f}")
    if metadata.get("best_params"):
        lines.append("best parameters: " + ", ".join(f"{k}={v}" for k, v in metadata["best_params"].items()))
    lines.append("versions: " + ", ".join(f"{k} {v}" for k, v in (metadata.get("versions") or {}).items()))
    return lines


def _loading_verdict(path):
    """Whether a model file loads without trust, from its payload's types and its networks' configs read as data."""
    from skaudio import persistence

    try:
        types = persistence.untrusted_types(path)
        network_objects = persistence.untrusted_network_objects(path)
    except Exception as exc:  # noqa: BLE001 - a corrupt file: say so, the metadata is still shown
        return f"loading: fails, the model part is corrupt ({error_line(exc)})"
    if not types and not network_objects:
        return "loading: without trust (every type is on skaudio's trusted list; networks in Keras' safe mode)"
    needs = []
    if types:
        needs.append(f"it names types or functions skaudio does not trust: {', '.join(types)}")
    if network_objects:
        needs.append(f"its networks hold what Keras' safe mode refuses: {', '.join(network_objects)}")
    return f"loading: needs --trust, {'; '.join(needs)} (loading them runs their code: only for a source you trust)"


def _printable(text):
    """``text`` with its non-printable characters (an escape sequence's ESC, a newline) written as escapes."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
