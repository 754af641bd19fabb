"""
Sound events in real recordings: barks, cries and crows over rain and engines
=============================================================================

:func:`skaudio.pipelines.make_event_detector_pipeline` is measured on real
recordings by ``benchmarks/bench_events_real.py``: 10-second scenes at
16 kHz, each an ESC-10 ambience (rain, sea waves, crackling fire,
helicopter, chainsaw) with one to three ESC-10 events over it (dog bark,
baby cry, clock tick, person sneeze, rooster) at event-to-background ratios
between 0 and 20 dB, overlaps allowed. Each fold of ESC-10 is left out in
turn: the detector trains on 1,000 scenes built from the other folds'
recordings and is tested on 100 scenes built from the left-out fold's
only, so no source recording is heard in both. A random forest on each
frame's MFCCs is trained and tested on the same scenes.

Training takes 25-40 minutes on two cores, so this example draws the
committed results (``benchmarks/results/events_real.json``) and rebuilds one
test scene's audio from ESC-10 (``$SKAUDIO_ESC10``, as the benchmark does).
To measure again::

    python benchmarks/bench_events_real.py
"""

# %%
# Scores on the left-out folds
# ----------------------------
# Event-based F1 counts an event as found when its onset is within 200 ms
# of the reference's and its offset within 200 ms or 20 % of its length;
# segment-based F1 asks only which labels are active in each second. The
# benchmark scores every post-processing option of a grid on the same
# frame probabilities; below, the options the factory's detector applies
# by default, and the same with a label's events less than a second apart
# joined (``min_gap=1.0``), so that a run of barks is one event, as the
# scenes annotate it; then options chosen for each label on the other three
# folds (:func:`skaudio.models.tune_event_postprocessing`'s choice).

import json
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import skaudio
from skaudio.models import frame_proba_to_events
from skaudio.pipelines import make_event_detector_pipeline
from skaudio.plotting import plot_events

# in a source checkout of skaudio (pip install -e .), beside the package
repository = Path(skaudio.__file__).resolve().parents[1]
sys.path.insert(0, str(repository / "benchmarks"))
from _common import ESC10_AMBIENCES, ESC10_EVENTS, esc10_recordings_by_fold  # noqa: E402
from _events_common import options_key  # noqa: E402
from bench_events_real import SR, scenes  # noqa: E402

results = json.loads((repository / "benchmarks" / "results" / "events_real.json").read_text())
detector = make_event_detector_pipeline(sr=SR)[-1]
postprocessing = {name: getattr(detector, name) for name in ("threshold", "median_filter", "min_gap", "min_duration")}
joined = {**postprocessing, "min_gap": 1.0}
print("the factory's post-processing:", postprocessing)
for method in ("recommended", "baseline"):
    for options, name in [(postprocessing, "as made"), (joined, "min_gap=1.0")]:
        folds = [run[method]["grid"][options_key(options)] for run in results["runs"]]
        print(
            f"{method:12s} {name:12s} event F1 per fold "
            + " ".join(f"{scores['event_f1']:.3f}" for scores in folds)
            + f"  mean {np.mean([scores['event_f1'] for scores in folds]):.3f};"
            f"  segment F1 mean {np.mean([scores['segment_f1'] for scores in folds]):.3f}"
        )
    per_label = results["mean"][method]["cv_per_label_postprocessing"]
    print(
        f"{method:12s} {'per label':12s} event F1 mean {per_label['event_f1']:.3f};"
        f"  segment F1 mean {per_label['segment_f1']:.3f} (options chosen on the other folds)"
    )

# %%
# Per class
# ---------
# Event-based F1 of each class, averaged over the four left-out folds, with
# the factory's options. A dog's barks, a clock's ticks or a rooster's crows
# come in runs whose annotation spans the whole run.

labels = list(results["runs"][0]["recommended"]["event_class_f1"])
fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
for k, method in enumerate(("recommended", "baseline")):
    per_class = [np.nanmean([run[method]["event_class_f1"][label] for run in results["runs"]]) for label in labels]
    ax.bar(np.arange(len(labels)) + 0.4 * k - 0.2, per_class, width=0.4, label=method)
ax.set_xticks(np.arange(len(labels)), labels)
ax.set_ylabel("event-based F1")
ax.set_ylim(0, 1)
ax.legend()
ax.set_title("ESC-10 scenes, fold left out: event-based F1 per class")
plt.show()

# %%
# One scene of a left-out fold
# ----------------------------
# The first test scene of the last fold, as the benchmark built it (its
# reference events are checked against the ones the benchmark stored), and
# the detector's output for it: the frame probabilities of each label
# (bottom) and the events that the factory's post-processing, and the
# same with ``min_gap=1.0``, make of them (orange under the blue reference
# bars, over the scene's log-mel spectrogram).

run = results["runs"][-1]
scene = run["recommended"]["first_scene"]
reference = [tuple(event) for event in run["first_scene_reference"]]
proba = np.asarray(scene["proba"])
timing = {key: scene[key] for key in ("frame_duration", "first_frame_centre", "end")}
detected = frame_proba_to_events(proba, scene["labels"], **timing, **postprocessing)
detected_joined = frame_proba_to_events(proba, scene["labels"], **timing, **joined)

by_fold = esc10_recordings_by_fold(SR, ESC10_EVENTS + ESC10_AMBIENCES)
X_test, events_test = scenes(by_fold[run["fold"]], results["test_scenes"], seed=1000 + run["fold"])
rebuilt = [(onset, offset, label) for onset, offset, label in events_test[0]]
assert [label for *_, label in rebuilt] == [label for *_, label in reference], (rebuilt, reference)
assert np.allclose([event[:2] for event in rebuilt], [event[:2] for event in reference]), (rebuilt, reference)
print("reference:", [(round(a, 2), round(b, 2), label) for a, b, label in reference])
print("detected: ", [(round(a, 2), round(b, 2), label) for a, b, label in detected])
print("joined:   ", [(round(a, 2), round(b, 2), label) for a, b, label in detected_joined])

fig, (top, middle, bottom) = plt.subplots(3, 1, figsize=(10, 10), sharex=True, layout="constrained")
title = f"fold {run['fold']}, scene 0"
plot_events(reference, detected, waveform=X_test[0], sr=SR, labels=labels, ax=top, title=f"{title}: as made")
plot_events(reference, detected_joined, waveform=X_test[0], sr=SR, labels=labels, ax=middle, title="min_gap=1.0")
times = scene["first_frame_centre"] + scene["frame_duration"] * np.arange(len(proba))
for k, label in enumerate(scene["labels"]):
    bottom.plot(times, proba[:, k], label=label)
bottom.axhline(detector.threshold, color="grey", linestyle=":", label=f"threshold {detector.threshold}")
bottom.set_xlabel("time (s)")
bottom.set_ylabel("frame probability")
bottom.legend(loc="upper right", fontsize="small", ncol=2)
plt.show()
