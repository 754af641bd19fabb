"""
Detecting sound events in scenes
================================

Sound event detection says *which* sounds occur in a recording and *when*.
:func:`skaudio.datasets.make_event_scenes` places labelled clips at random
times over background noise and returns each scene's annotations, a list of
``(onset_s, offset_s, label)``. :func:`skaudio.pipelines.make_event_detector_pipeline`
(log-mel spectrogram, per-scene scaling, a frame-level
:class:`~skaudio.models.CRNNEventDetector`) learns from those annotations
and reports events with onsets and offsets in seconds.
"""

# %%
# Scenes from labelled clips
# --------------------------
# The events are three classes of :func:`~skaudio.datasets.make_sounds`;
# training and test scenes are built from different clips, over pink noise
# at event-to-background ratios between 0 and 20 dB.

import matplotlib.pyplot as plt
import numpy as np

from skaudio.datasets import make_event_scenes, make_sounds
from skaudio.metrics import event_based_scores, segment_based_scores
from skaudio.models import predict_events
from skaudio.networks import frame_timing
from skaudio.pipelines import make_event_detector_pipeline

SR = 8000
clips, labels = make_sounds(
    n_per_class=30, classes=["chirp", "click_train", "harmonic"], sr=SR, duration=(0.3, 0.8), random_state=0
)
X_train, events_train = make_event_scenes(
    clips[:60], labels[:60], n_scenes=150, sr=SR, duration=2.0, n_events=(1, 2), random_state=0
)
X_test, events_test = make_event_scenes(
    clips[60:], labels[60:], n_scenes=40, sr=SR, duration=2.0, n_events=(1, 2), random_state=1
)
print(X_train.shape, events_train[0])

# %%
# Training on event annotations
# -----------------------------
# The recommended pipeline, made smaller and shorter to train (two
# convolution blocks, 32 LSTM units, 20 epochs) for this example. Given
# event lists as targets, the detector trains on frame targets: an output
# frame is active for a label when its centre lies inside one of the
# label's events. ``frame_duration`` (10 ms, the spectrogram's hop) turns
# frames into seconds.

pipe = make_event_detector_pipeline(sr=SR, random_state=0).set_params(
    crnneventdetector__filters=(32, 32),
    crnneventdetector__pool_size=(2, 2),
    crnneventdetector__lstm_units=32,
    crnneventdetector__epochs=20,
    crnneventdetector__learning_rate=0.003,
)
pipe.fit(X_train, events_train)
detector = pipe[-1]
print("labels:", detector.labels_, " frame duration:", detector.frame_duration_, "s")

# %%
# Scores
# ------
# :func:`~skaudio.models.predict_events` runs the feature steps and then
# the detector's ``predict_events``. The event-based F-measure counts an
# event as found when its label matches, its onset is within 200 ms and its
# offset within 200 ms or 20 % of its length; the segment-based one
# compares label activity in 1 s segments. Both are computed as sed_eval
# computes them.

detected = predict_events(pipe, X_test)
event = event_based_scores(events_test, detected)
segment = segment_based_scores(events_test, detected)
print(f"event-based F1 {event['f_measure']:.3f}, error rate {event['error_rate']:.3f}")
print(f"segment-based F1 {segment['f_measure']:.3f}, error rate {segment['error_rate']:.3f}")

# %%
# One test scene
# --------------
# The first test scene with events of two labels. From top to bottom: its log-mel spectrogram (the pipeline's first
# step), the detector's frame probabilities (:meth:`CRNNEventDetector.predict_frame_proba
# <skaudio.models.CRNNEventDetector.predict_frame_proba>`, one curve per label,
# active above 0.5), and the event timeline, annotated events above the
# detected ones.

scene = next(i for i, events in enumerate(events_test) if len({label for _, _, label in events}) > 1)
features = pipe[:-1].transform(X_test[scene : scene + 1])
proba = detector.predict_frame_proba(features)[0]
params = detector.get_params()
stride, offset = frame_timing(
    **{k: params[k] for k in ("kernel_size", "pool_size", "dilation", "padding", "n_layers", "filters")}
)
frame_times = (stride * np.arange(len(proba)) + offset) * detector.frame_duration_
mel = pipe[0].transform(X_test[scene : scene + 1])[0]

fig, (ax_mel, ax_proba, ax_events) = plt.subplots(
    3, 1, figsize=(7, 6), sharex=True, layout="constrained", gridspec_kw={"height_ratios": [2, 1.2, 1]}
)
ax_mel.imshow(
    mel.T, origin="lower", aspect="auto", cmap="magma", extent=[0, len(mel) * detector.frame_duration_, 0, mel.shape[1]]
)
ax_mel.set(ylabel="mel band", title=f"Test scene {scene}")
colors = dict(zip(detector.labels_, plt.get_cmap("tab10").colors))
for k, label in enumerate(detector.labels_):
    ax_proba.plot(frame_times, proba[:, k], color=colors[label], label=label)
ax_proba.axhline(0.5, color="gray", linestyle="--", linewidth=1)
ax_proba.set(ylabel="probability", ylim=(0, 1.05))
ax_proba.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
for row, events in enumerate([detected[scene], events_test[scene]]):
    for onset, offset_s, label in events:
        ax_events.broken_barh([(onset, offset_s - onset)], (row - 0.35, 0.7), color=colors[label])
        ax_events.text(onset + 0.02, row, label, va="center", fontsize="small", color="white", clip_on=True)
ax_events.set(
    yticks=[0, 1],
    yticklabels=["detected", "annotated"],
    xlabel="time (s)",
    ylim=(-0.6, 1.6),
    xlim=(0, X_test.shape[1] / SR),
)
plt.show()
