"""Helpers shared by the event-detection benchmarks: the frame random-forest baseline, scores, post-processing.

Post-processing (threshold, median filter, gap joining) is chosen by cross-validation over the held-out
sets: for each held-out set, the options with the best mean score over the *other* held-out sets are
applied to it, so no set's score comes from options chosen on it; once one set of options for all
labels, once options per label (chosen as skaudio.models.tune_event_postprocessing chooses them, on the
other sets' frame probabilities, each from a network that had not heard that set). Each method's
network (or forest) runs once per held-out set; every option of the grid is applied to the same frame
probabilities with skaudio.models.frame_proba_to_events, which is what predict_events does after
joining the windows.
"""

import itertools

import numpy as np
from scipy.ndimage import uniform_filter1d
from sklearn.base import BaseEstimator
from sklearn.ensemble import RandomForestClassifier

from skaudio.metrics import event_based_scores, segment_based_scores
from skaudio.models import frame_proba_to_events
from skaudio.models._event_inference import _final_estimator, joined_frame_proba
from skaudio.models._event_tuning import DEFAULT_PARAM_GRID, select_postprocessing
from skaudio.pipelines import AudioPipeline, frame_settings, make_event_detector_pipeline
from skaudio.preprocessing import MFCC, FeatureScaler

# The options tried on every held-out set: tune_event_postprocessing's default grid (100 combinations).
POSTPROCESSING_GRID = DEFAULT_PARAM_GRID
# The recommended detector's own post-processing (it does not depend on the rate); the baseline, which
# has none of its own, gets the same.
_RECOMMENDED = make_event_detector_pipeline(sr=8000)[-1]
DEFAULT_POSTPROCESSING = {name: getattr(_RECOMMENDED, name) for name in POSTPROCESSING_GRID}
_OWN_OPTIONS = {**DEFAULT_POSTPROCESSING, "min_duration": _RECOMMENDED.min_duration}


def postprocessing_options():
    """Every combination of POSTPROCESSING_GRID, as keyword dicts."""
    names = list(POSTPROCESSING_GRID)
    return [dict(zip(names, values)) for values in itertools.product(*POSTPROCESSING_GRID.values())]


def options_key(options):
    """A results key naming one set of options: ``threshold=0.5,median_filter=None,min_gap=0.0``."""
    return ",".join(f"{name}={options[name]}" for name in POSTPROCESSING_GRID)


class FrameForestDetector(BaseEstimator):
    """Baseline: a random forest classifies each frame of (n_scenes, n_frames, n_features) features.

    Each frame is described by its features and their mean over ``context`` seconds around it;
    ``max_samples`` frames train each tree.
    """

    def __init__(self, frame_duration, context=0.2, n_estimators=100, max_samples=50_000, random_state=None):
        self.frame_duration = frame_duration
        self.context = context
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.random_state = random_state

    def _frames(self, features):
        width = max(1, int(round(self.context / self.frame_duration)))
        return np.concatenate([features, uniform_filter1d(features, width, axis=0, mode="nearest")], axis=1)

    def fit(self, X, y):
        self.labels_ = sorted({label for scene in y for *_, label in scene})
        frames, targets = [], []
        for features, events in zip(X, y):
            centres = np.arange(len(features)) * self.frame_duration
            target = np.zeros((len(features), len(self.labels_)), dtype=np.int8)
            for onset, offset, label in events:
                target[(centres >= onset) & (centres < offset), self.labels_.index(label)] = 1
            frames.append(self._frames(features))
            targets.append(target)
        self.forest_ = RandomForestClassifier(
            n_estimators=self.n_estimators,
            max_samples=self.max_samples,
            min_samples_leaf=3,
            n_jobs=-1,
            random_state=self.random_state,
        ).fit(np.concatenate(frames), np.concatenate(targets))
        return self

    def predict_frame_proba(self, features):
        """Probability of each label in each frame of one scene's features (n_frames, n_features)."""
        return self._forest_proba(self._frames(features))

    def _forest_proba(self, frames):
        per_label = self.forest_.predict_proba(frames)
        # a label the forest never saw active in training has one class: probability 0
        return np.stack([p[:, 1] if p.shape[1] == 2 else np.zeros(len(p)) for p in per_label], axis=1)

    def frame_tracks(self, X):
        """Per scene, the arguments of frame_proba_to_events (frames centred on multiples of frame_duration)."""
        # one forest call for all scenes: a call per scene costs more in thread start-up than in trees
        proba = self._forest_proba(np.concatenate([self._frames(features) for features in X]))
        bounds = np.cumsum([0] + [len(features) for features in X])
        return [
            {
                "proba": proba[start:stop],
                "labels": self.labels_,
                "frame_duration": self.frame_duration,
                "end": (stop - start - 1) * self.frame_duration,
            }
            for start, stop in zip(bounds[:-1], bounds[1:])
        ]

    def predict_events(self, X, threshold=0.5, median_filter=None, min_gap=0.0, min_duration=0.0):
        options = {"threshold": threshold, "median_filter": median_filter, "min_gap": min_gap}
        return [frame_proba_to_events(**track, **options, min_duration=min_duration) for track in self.frame_tracks(X)]


def baseline_pipeline(sr, random_state):
    """MFCC frames (20 and their deltas, 32 ms windows, 10 ms hop), standardised per scene, FrameForestDetector."""
    n_fft, hop_length = frame_settings(sr)
    return AudioPipeline(
        [
            ("mfcc", MFCC(sr=sr, n_mfcc=20, n_fft=n_fft, hop_length=hop_length, n_mels=40, delta_order=1)),
            ("featurescaler", FeatureScaler(per_clip=True)),
            ("frameforest", FrameForestDetector(hop_length / sr, random_state=random_state)),
        ]
    )


def frame_tracks(pipe, X):
    """Each scene's frame probabilities from a fitted pipeline, as predict_events joins them."""
    steps, detector = _final_estimator(pipe)
    if isinstance(detector, FrameForestDetector):
        for step in steps:
            X = step.transform(X)
        return detector.frame_tracks(X)
    return joined_frame_proba(steps, detector, X, window=None, overlap=0.5, batch_size=32)


def own_options(pipe):
    """The post-processing options predict_events applies for a fitted pipeline.

    Its detector's parameters; a detector without them (the baseline's forest) gets the recommended
    detector's.
    """
    _, detector = _final_estimator(pipe)
    return {name: getattr(detector, name, default) for name, default in _OWN_OPTIONS.items()}


def own_events(pipe, tracks):
    """The events predict_events gives with the detector's own post-processing, from its frame tracks.

    The same events as ``predict_events(pipe, X)`` without running the network again.
    """
    options = own_options(pipe)
    return [frame_proba_to_events(**track, **options) for track in tracks]


def scores(reference, estimated):
    """sed_eval's event-based (200 ms collar, 20 % offsets) and segment-based (1 s) scores of a set of scenes."""
    event = event_based_scores(reference, estimated, t_collar=0.2, percentage_of_length=0.2)
    segment = segment_based_scores(reference, estimated, time_resolution=1.0)
    return {
        "event_f1": event["f_measure"],
        "event_error_rate": event["error_rate"],
        "event_macro_f1": event["class_wise_f_measure"],
        "event_class_f1": {label: s["f_measure"] for label, s in event["class_wise"].items()},
        "segment_f1": segment["f_measure"],
        "segment_error_rate": segment["error_rate"],
    }


def grid_scores(tracks, reference):
    """``{options_key: scores}`` of every post-processing option, on one held-out set's frame tracks."""
    return {
        options_key(options): scores(reference, [frame_proba_to_events(**track, **options) for track in tracks])
        for options in postprocessing_options()
    }


def selection_score(scores_):
    """What the options are chosen by: the mean of event-based and segment-based F1 (both have targets).

    An undefined F1 (no detection or no reference in a whole set) counts as 0, as in skaudio's
    select_postprocessing: a NaN would win ``max`` when first in the grid and lose it anywhere else.
    """
    f1 = [scores_["event_f1"], scores_["segment_f1"]]
    return float(np.mean([0.0 if f is None or np.isnan(f) else f for f in f1]))


def cross_validated_postprocessing(grids):
    """Options chosen on the other held-out sets, scored on each: ``[(options key, its scores), ...]``.

    ``grids`` holds one grid_scores dict per held-out set (of one method); with a single set the
    defaults are used (there is nothing else to choose on).
    """
    chosen = []
    for k, grid in enumerate(grids):
        others = [other for j, other in enumerate(grids) if j != k]
        if others:
            key = max(grid, key=lambda key: np.mean([selection_score(other[key]) for other in others]))
        else:
            key = options_key(DEFAULT_POSTPROCESSING)
        chosen.append((key, grid[key]))
    return chosen


def cross_validated_per_label(held_out):
    """Options per label chosen on the other held-out sets, scored on each: ``[{"options": ..., scores}, ...]``.

    ``held_out`` holds ``(frame tracks, reference events, own options)`` per held-out set (of one
    method; own_options of its pipeline). For each set, the other sets' tracks are pooled and each
    label gets the options of POSTPROCESSING_GRID with the best mean of its own event-based and
    segment-based F1 there (skaudio's select_postprocessing, what tune_event_postprocessing does); the
    set is scored with them. With a single set, its own options are used.
    """
    chosen = []
    for k, (tracks, reference, own) in enumerate(held_out):
        others = [other for j, other in enumerate(held_out) if j != k]
        params = {}
        if others:
            pooled_tracks = [track for other_tracks, _, _ in others for track in other_tracks]
            pooled_reference = [events for _, other_reference, _ in others for events in other_reference]
            params = select_postprocessing(
                pooled_tracks, pooled_reference, POSTPROCESSING_GRID, current=own, per_label=True
            )
        options = {**own, **params}
        estimated = [frame_proba_to_events(**track, **options) for track in tracks]
        # labels as strings: JSON keys
        readable = {name: {str(label): v for label, v in values.items()} for name, values in params.items()}
        chosen.append({"options": readable, **scores(reference, estimated)})
    return chosen


def best_overall(grids):
    """The options with the best mean selection score over all held-out sets, and that mean."""
    key = max(grids[0], key=lambda key: np.mean([selection_score(grid[key]) for grid in grids]))
    return key, float(np.mean([selection_score(grid[key]) for grid in grids]))


def report_cross_validated_postprocessing(name, held_out, best=None, per_label=False):
    """Print each held-out set's scores ``[(set name, cv dict), ...]`` with options chosen on the others, and the mean.

    One shared set of options (named on each line) or, with ``per_label``, options per label.
    """
    for set_name, chosen in held_out:
        what = (
            "options per label chosen on the others"
            if per_label
            else (f"post-processing chosen on the others ({chosen['options']})")
        )
        print(
            f"{name:12s} {set_name}, {what}: event F1 {chosen['event_f1']:.3f}  segment F1 {chosen['segment_f1']:.3f}"
        )
    event, segment = (np.mean([chosen[key] for _, chosen in held_out]) for key in ("event_f1", "segment_f1"))
    what = "options per label chosen on the others" if per_label else "post-processing chosen on the other sets"
    print(f"{name:12s} mean, {what}: event F1 {event:.3f}  segment F1 {segment:.3f}")
    if best is not None:
        print(f"{name:12s} best options over all sets: {best[0]} (mean of event and segment F1 {best[1]:.3f})")
