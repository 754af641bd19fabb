"""``skaudio predict``, ``skaudio denoise`` and ``skaudio info``: using a saved model."""

import csv
import json
import sys

import numpy as np

from skaudio.cli._common import CLIError, check_file, load_model


def _read(path, sr):
    """A file's waveform at ``sr`` and at its own rate, or a one-line error."""
    import soundfile as sf

    from skaudio.io import load_audio

    check_file(path, "audio file")
    try:
        native, native_sr = load_audio(path)
    except (sf.LibsndfileError, RuntimeError, ValueError) as exc:
        raise CLIError(f"cannot read audio from {path}: {exc}") from None
    if len(native) == 0:
        raise CLIError(f"{path} holds no audio samples")
    return native, native_sr, _resample(native, native_sr, sr)


def _resample(wave, from_sr, to_sr):
    import soxr

    return wave if from_sr == to_sr else soxr.resample(wave, from_sr, to_sr, quality="HQ").astype(np.float32)


def _windows(wave, length):
    """``wave`` cut into consecutive windows of ``length`` samples, the last zero-padded."""
    n = max(1, int(np.ceil(len(wave) / length)))
    padded = np.zeros(n * length, dtype=np.float32)
    padded[: len(wave)] = wave
    return padded.reshape(n, length)


def detect_events(model, metadata, wave):
    """Events of a recording of any length: windows of the training scenes' length, times shifted and joined."""
    sr = metadata["sr"]
    length = int(round(metadata["scene_duration"] * sr))
    detector = model[-1]
    per_window = detector.predict_events(model[1:-1].transform(_windows(wave, length)))
    duration = len(wave) / sr
    shifted = sorted(
        (onset + k * length / sr, min(offset + k * length / sr, duration), label)
        for k, window_events in enumerate(per_window)
        for onset, offset, label in window_events
        if onset + k * length / sr < duration
    )
    # an event cut by a window boundary goes on in the next window: join same-label
    # events separated by less than two frames
    events = []
    for onset, offset, label in shifted:
        same = [i for i, e in enumerate(events) if e[2] == label]
        if same and onset - events[same[-1]][1] <= 2 * detector.frame_duration:
            first = events[same[-1]]
            events[same[-1]] = (first[0], max(first[1], offset), label)
        else:
            events.append((onset, offset, label))
    return sorted(events, key=lambda e: e[:2])


def predict(args):
    """Run ``skaudio predict``: one row per file (classifier) or per event (detector)."""
    model, metadata = load_model(args.model)
    if metadata["task"] == "denoise":
        raise CLIError(f"{args.model} is a 'denoise' model: use `skaudio denoise MODEL IN.wav -o OUT.wav`")
    sr = metadata["sr"]
    rows = []
    for path in args.files:
        _, _, wave = _read(path, sr)
        if metadata["task"] == "classify":
            proba = model[1:].predict_proba([wave])[0]
            classes = [c.item() if isinstance(c, np.generic) else c for c in model[-1].classes_]
            rows.append({"file": path, "label": classes[int(np.argmax(proba))],
                         **{str(c): float(p) for c, p in zip(classes, proba)}})
        else:
            for onset, offset, label in detect_events(model, metadata, wave):
                rows.append({"file": path, "onset": round(onset, 3), "offset": round(offset, 3), "label": label})
    if args.format == "json":
        json.dump(rows, sys.stdout, indent=2, default=str)
        print()
        return
    header = (["file", "label"] + [str(c) for c in model[-1].classes_] if metadata["task"] == "classify"
              else ["file", "onset", "offset", "label"])
    writer = csv.DictWriter(sys.stdout, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: (f"{v:.6f}" if isinstance(v, float) and k not in ("onset", "offset") else v)
                         for k, v in row.items()})


def denoise(args):
    """Run ``skaudio denoise``: any length, written at the input's rate and length."""
    import soundfile as sf

    model, metadata = load_model(args.model, task="denoise")
    native, native_sr, wave = _read(args.input, metadata["sr"])
    clean = model[1:].predict([wave])[0]
    out = _resample(np.asarray(clean, dtype=np.float32), metadata["sr"], native_sr)
    out = np.pad(out, (0, max(0, len(native) - len(out))))[: len(native)]
    subtype = sf.info(args.input).subtype
    if subtype.startswith("PCM"):
        out = np.clip(out, -1.0, 1.0)  # integer formats would wrap around
    try:
        try:
            sf.write(args.output, out, native_sr, subtype=subtype)
        except ValueError:  # the output's format has no such subtype: its default
            sf.write(args.output, out, native_sr)
    except (sf.LibsndfileError, RuntimeError, ValueError, TypeError) as exc:
        raise CLIError(f"cannot write {args.output}: {exc}") from None
    print(f"wrote {args.output}: {len(out) / native_sr:.2f} s at {native_sr} Hz")


def info(args):
    """Run ``skaudio info``: steps, parameters, training metadata."""
    model, metadata = load_model(args.model)
    print(f"model: {args.model}")
    print(f"task: {metadata['task']}    sample rate: {metadata['sr']} Hz    trained: {metadata['date']}")
    if metadata.get("labels") is not None:
        print(f"labels: {', '.join(map(str, metadata['labels']))}")
    for key in ("data", "n_files", "train_seconds", "scene_duration", "noise", "snr_db"):
        if metadata.get(key) is not None:
            print(f"{key.replace('_', ' ')}: {metadata[key]}")
    scores = metadata.get("scores") or {}
    for kind in ("cross_validated", "held_out"):
        if scores.get(kind) is not None:
            print(f"{kind.replace('_', '-')} {scores[kind + '_metric']}: {scores[kind]:.4f}")
    if metadata.get("best_params"):
        print("best parameters: " + ", ".join(f"{k}={v}" for k, v in metadata["best_params"].items()))
    print("versions: " + ", ".join(f"{k} {v}" for k, v in metadata["versions"].items()))
    print("steps:")
    for name, step in model.steps:
        print(f"  {name}: {type(step).__name__}")
        for key, value in sorted(step.get_params(deep=False).items()):
            print(f"    {key} = {value!r}")
