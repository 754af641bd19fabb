"""skaudio.plotting: figures are saved as PNG and their artists checked."""

import subprocess
import sys
import warnings

import matplotlib

matplotlib.use("Agg")  # before pyplot: no display in tests

import matplotlib.image as mpimg  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from sklearn.base import BaseEstimator, ClassifierMixin  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import FunctionTransformer  # noqa: E402

from skaudio.plotting import plot_events, plot_history, plot_spectrogram, plot_waveform  # noqa: E402
from skaudio.preprocessing import MFCC, Spectrogram  # noqa: E402

SIZE = (4.0, 3.0)  # inches
DPI = 50  # -> 200 x 150 pixels


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def save_png(fig, path, size=SIZE, dpi=DPI):
    """Save ``fig`` and check the file is a PNG of ``size * dpi`` pixels."""
    fig.set_size_inches(*size)
    fig.savefig(path, dpi=dpi)
    assert path.is_file()
    with open(path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    image = mpimg.imread(path)
    assert image.shape[:2] == (round(size[1] * dpi), round(size[0] * dpi))
    return image


def tone(sr=8000, seconds=1.0, freq=440.0):
    t = np.arange(int(sr * seconds)) / sr
    return (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


# --- import ------------------------------------------------------------------


def test_import_needs_neither_tensorflow_nor_matplotlib():
    code = (
        "import sys; import skaudio.plotting; "
        "print(','.join(m for m in ('tensorflow', 'keras', 'scikeras', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_missing_matplotlib_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)  # makes the import fail
    with pytest.raises(ImportError, match=r"pip install 'skaudio\[plot\]'"):
        plot_waveform(tone(), sr=8000)
    with pytest.raises(ImportError, match=r"skaudio\[plot\]"):
        plot_history({"loss": [1.0]})


# --- plot_waveform -------------------------------------------------------------


def test_plot_waveform_png_and_line(tmp_path):
    sr = 8000
    y = tone(sr, seconds=0.5)
    ax = plot_waveform(y, sr=sr, title="tone")
    assert isinstance(ax, Axes)
    save_png(ax.figure, tmp_path / "waveform.png")

    (line,) = ax.get_lines()
    t, values = line.get_xdata(), line.get_ydata()
    assert len(t) == len(values) == len(y)
    assert t[0] == 0.0 and t[-1] == pytest.approx((len(y) - 1) / sr)
    np.testing.assert_allclose(values, y)
    assert ax.get_xlim() == pytest.approx((0.0, 0.5))
    assert "(s)" in ax.get_xlabel() and ax.get_title() == "tone"


def test_plot_waveform_on_given_axes_and_int16(tmp_path):
    fig, (ax1, ax2) = plt.subplots(2)
    y = np.array([0, 16384, -32768, 0], dtype=np.int16)
    assert plot_waveform(y, sr=4, ax=ax2) is ax2
    assert len(ax1.get_lines()) == 0
    np.testing.assert_allclose(ax2.get_lines()[0].get_ydata(), [0, 0.5, -1, 0])
    assert ax2.get_xlim() == pytest.approx((0.0, 1.0))
    save_png(fig, tmp_path / "two.png", size=(3, 4), dpi=40)


@pytest.mark.parametrize(
    "y, sr, match",
    [
        (np.zeros((2, 100)), 8000, r"1D.*\(2, 100\).*\(n_channels, n_samples\).*y\.mean\(axis=0\)"),
        (np.zeros((100, 2)), 8000, r"1D.*\(100, 2\).*\(n_samples, n_channels\).*y\.mean\(axis=1\)"),
        (np.zeros((1, 2, 100)), 8000, r"1D.*\(1, 2, 100\)"),
        (np.zeros(0), 8000, "empty"),
        (np.array([0.0, 0.0, np.nan]), 8000, "NaN or infinite values \\(first at sample 2\\)"),
        (np.zeros(100), None, "sr"),
        (np.zeros(100), 0, "sr"),
        (np.zeros(100), -8000, "sr"),
    ],
)
def test_plot_waveform_bad_input(y, sr, match):
    with pytest.raises(ValueError, match=match):
        plot_waveform(y, sr=sr)


# --- plot_spectrogram ----------------------------------------------------------


def test_plot_spectrogram_features_in_seconds(tmp_path):
    sr, hop = 8000, 128
    features = Spectrogram(sr=sr, n_fft=256, hop_length=hop, n_mels=40).fit_transform(tone(sr)[None])[0]
    n_frames = features.shape[0]
    ax = plot_spectrogram(features, sr=sr, hop_length=hop, title="mel")
    save_png(ax.figure, tmp_path / "mel.png")

    (image,) = ax.images
    np.testing.assert_array_equal(image.get_array(), features.T)  # features on y, time on x
    x0, x1, y0, y1 = image.get_extent()
    step = hop / sr
    assert (x0, x1) == pytest.approx((-0.5 * step, (n_frames - 0.5) * step))
    assert x1 >= 1.0 - step  # covers the clip
    assert (y0, y1) == (-0.5, 39.5)
    assert ax.get_xlabel() == "Time (s)" and ax.get_ylabel() == "Mel band" and ax.get_title() == "mel"
    assert len(ax.figure.axes) == 2  # the colour bar


def test_plot_spectrogram_features_without_sr_in_frames(tmp_path):
    features = np.random.default_rng(0).standard_normal((50, 13))
    ax = plot_spectrogram(features, kind="mfcc", colorbar=False)
    save_png(ax.figure, tmp_path / "frames.png")
    assert ax.get_xlabel() == "Frame" and ax.get_ylabel() == "MFCC coefficient"
    assert ax.images[0].get_extent() == [-0.5, 49.5, -0.5, 12.5]
    assert len(ax.figure.axes) == 1
    # sr alone (no hop) still gives frames.
    assert plot_spectrogram(features, sr=8000, colorbar=False).get_xlabel() == "Frame"


def test_plot_spectrogram_from_waveform_computes_log_mel(tmp_path):
    sr = 8000
    y = tone(sr)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. no empty mel filters at 8 kHz
        ax = plot_spectrogram(y, sr=sr)
    save_png(ax.figure, tmp_path / "from_waveform.png", dpi=60)
    expected = Spectrogram(sr=sr, n_mels=64, n_fft=512, hop_length=128).fit_transform(y[None])[0]
    np.testing.assert_allclose(ax.images[0].get_array(), expected.T)
    assert ax.get_xlabel() == "Time (s)"
    x0, x1, _, _ = ax.images[0].get_extent()
    assert x1 == pytest.approx((expected.shape[0] - 0.5) * 128 / sr)
    assert ax.figure.axes[1].get_ylabel() == "dB"

    ax = plot_spectrogram(y, sr=sr, hop_length=256, kind="mfcc", colorbar=False)
    expected = MFCC(sr=sr, n_mfcc=20, n_mels=64, n_fft=512, hop_length=256).fit_transform(y[None])[0]
    np.testing.assert_allclose(ax.images[0].get_array(), expected.T, rtol=1e-5, atol=1e-4)


def test_plot_spectrogram_stft_frequency_axis_in_hz(tmp_path):
    sr = 16000
    ax = plot_spectrogram(tone(sr, freq=1000.0), sr=sr, kind="stft")
    save_png(ax.figure, tmp_path / "stft.png")
    image = ax.images[0]
    assert image.get_array().shape[0] == 1 + 1024 // 2
    _, _, y0, y1 = image.get_extent()
    assert y0 < 0 < sr / 2 < y1 and y1 - sr / 2 < 10
    assert ax.get_ylabel() == "Frequency (Hz)"
    # The loudest bin is at the tone's frequency.
    peak_bin = np.argmax(image.get_array().mean(axis=1))
    assert peak_bin * sr / 1024 == pytest.approx(1000.0, abs=sr / 1024)


@pytest.mark.parametrize(
    "features, kwargs, match",
    [
        (np.zeros((2, 10, 4)), {}, "2D.*ndim=3.*features\\[0\\]"),
        (np.zeros((1, 2, 10, 4)), {}, "ndim=4"),
        (np.zeros(800), {}, "sr"),
        (np.zeros((10, 4)), {"kind": "cqt"}, "kind"),
        (np.zeros((10, 4)), {"hop_length": 0}, "hop_length"),
        (np.full((10, 4), np.inf), {}, "infinite"),
        (np.zeros((0, 4)), {}, "empty"),
    ],
)
def test_plot_spectrogram_bad_input(features, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot_spectrogram(features, **kwargs)


# --- plot_events ---------------------------------------------------------------

REFERENCE = [(0.5, 1.5, "dog"), (2.0, 2.4, "bird"), (3.0, 4.2, "dog")]
ESTIMATED = [(0.6, 1.4, "dog"), (3.2, 3.5, "bird")]


def _bars(container):
    return [(r.get_x(), r.get_x() + r.get_width(), r.get_y() + r.get_height() / 2) for r in container]


def test_plot_events_bars_rows_and_limits(tmp_path):
    ax = plot_events(REFERENCE, ESTIMATED, title="scene 0")
    save_png(ax.figure, tmp_path / "events.png")

    reference_bars, estimated_bars = ax.containers
    assert len(reference_bars) == len(REFERENCE) and len(estimated_bars) == len(ESTIMATED)
    assert len(ax.patches) == len(REFERENCE) + len(ESTIMATED)
    rows = {t.get_text(): y for t, y in zip(ax.get_yticklabels(), ax.get_yticks())}
    assert list(rows) == ["bird", "dog"]  # sorted, first on top
    assert rows["bird"] > rows["dog"]
    for (start, end, y), (onset, offset, label) in zip(_bars(reference_bars), REFERENCE):
        assert (start, end) == pytest.approx((onset, offset))
        assert rows[label] < y < rows[label] + 0.5  # upper half of its row
    for (start, end, y), (onset, offset, label) in zip(_bars(estimated_bars), ESTIMATED):
        assert (start, end) == pytest.approx((onset, offset))
        assert rows[label] - 0.5 < y < rows[label]  # lower half
    colours = {tuple(reference_bars[0].get_facecolor()[:3]), tuple(estimated_bars[0].get_facecolor()[:3])}
    assert len(colours) == 2
    x0, x1 = ax.get_xlim()
    assert x0 == 0.0 and x1 >= max(e[1] for e in REFERENCE + ESTIMATED)
    assert "(s)" in ax.get_xlabel() and ax.get_title() == "scene 0"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["reference", "estimated"]


def test_plot_events_over_spectrogram(tmp_path):
    sr = 8000
    rng = np.random.default_rng(0)
    waveform = (0.01 * rng.standard_normal(5 * sr)).astype(np.float32)
    fig, ax = plt.subplots()
    out = plot_events(REFERENCE, ESTIMATED, waveform=waveform, sr=sr, hop_length=256, ax=ax)
    assert out is ax
    save_png(fig, tmp_path / "events_spec.png", size=(6, 3), dpi=40)
    (image,) = ax.images
    assert image.get_array().shape[0] == 64
    x0, x1, y0, y1 = image.get_extent()
    assert (y0, y1) == ax.get_ylim()  # the backdrop fills the label rows
    assert x1 >= 5.0 - 256 / sr
    assert ax.get_xlim() == pytest.approx((0.0, 5.0))  # the waveform is longer than the events
    assert len(ax.patches) == 5


def test_a_long_recording_is_drawn_from_pooled_frames_in_bounded_memory():
    from skaudio.plotting._base import MAX_PLOTTED_FRAMES

    sr = 8000
    rng = np.random.default_rng(0)
    waveform = (0.001 * rng.standard_normal(20 * 60 * sr)).astype(np.float32)  # 20 minutes: 150,000 frames
    click = 7 * 60 * sr + 123  # one loud 10 ms click: pooling by the maximum keeps it visible
    waveform[click : click + 80] = 0.9
    ax = plot_events([(420.0, 420.01, "click")], waveform=waveform, sr=sr)
    (image,) = ax.images
    columns = image.get_array().shape[1]
    assert MAX_PLOTTED_FRAMES // 2 < columns <= MAX_PLOTTED_FRAMES
    x0, x1, _, _ = image.get_extent()
    assert x1 == pytest.approx(20 * 60, abs=0.5)  # the backdrop still spans the recording, in seconds
    # the loudest cell is drawn where the click is: within its span, give or take half an analysis window
    width = (x1 - x0) / columns
    loudest = np.argmax(np.asarray(image.get_array()).mean(axis=0))
    half_window = 512 / 2 / sr
    assert x0 + loudest * width - half_window <= click / sr <= x0 + (loudest + 1) * width + half_window
    plt.close(ax.figure)


def test_pooled_cells_are_drawn_over_the_frames_they_hold():
    # 40 minutes at 8 kHz pools 19 frames (0.304 s) per cell; a 5 ms click is drawn over the cell holding it
    sr = 8000
    waveform = np.zeros(40 * 60 * sr, dtype=np.float32)
    onset = 1200.70
    waveform[int(onset * sr) : int(onset * sr) + 40] = 0.9
    ax = plot_spectrogram(waveform, sr=sr, colorbar=False)
    (image,) = ax.images
    x0, x1, _, _ = image.get_extent()
    columns = image.get_array().shape[1]
    width = (x1 - x0) / columns
    assert width == pytest.approx(19 * 128 / sr)
    loud = np.flatnonzero(np.asarray(image.get_array()).max(axis=0) > -60)
    assert loud.size, "the click must be visible"
    assert x0 + loud.min() * width <= onset <= x0 + (loud.max() + 1) * width
    plt.close(ax.figure)


def test_a_long_waveform_is_drawn_through_each_run_s_extremes():
    from skaudio.plotting._base import MAX_PLOTTED_FRAMES

    sr = 8000
    y = np.zeros(20 * 60 * sr + 5, dtype=np.float32)  # 20 minutes and a partial run at the end
    y[3_000_001] = 0.75  # single-sample peaks, one in the last, shorter run
    y[-1] = -0.5
    ax = plot_waveform(y, sr=sr)
    (line,) = ax.lines
    assert len(line.get_xdata()) <= 2 * (MAX_PLOTTED_FRAMES + 1)  # not 9.6 million points
    assert line.get_ydata().max() == pytest.approx(0.75)
    assert line.get_ydata().min() == pytest.approx(-0.5)
    peak_time = line.get_xdata()[np.argmax(line.get_ydata())]
    assert peak_time <= 3_000_001 / sr < peak_time + len(y) / sr / MAX_PLOTTED_FRAMES
    assert ax.get_xlim() == pytest.approx((0.0, len(y) / sr))
    plt.close(ax.figure)


def test_plot_events_keeps_the_legend_of_the_given_axes():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], label="mine")
    ax.legend()
    plot_events(REFERENCE, ax=ax)
    texts = [[t.get_text() for t in legend.get_texts()] for legend in fig.findobj(matplotlib.legend.Legend)]
    assert ["mine"] in texts and ["reference"] in texts
    plt.close(fig)


def test_plot_events_labels_fix_the_rows():
    ax = plot_events(REFERENCE, labels=["dog", "cat", "bird"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["dog", "cat", "bird"]
    assert ax.get_ylim() == (-0.5, 2.5)
    (bars,) = ax.containers  # reference only: bars fill the row
    assert [r.get_height() for r in bars] == pytest.approx([0.8] * 3)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["reference"]


def test_plot_events_keeps_one_legible_row_per_label_of_many():
    """A new figure grows with the labels so that their tick labels do not overlap; a given axes keeps its size."""
    labels = [f"label {i:02d}" for i in range(40)]
    reference = [(0.1 * i, 0.1 * i + 0.05, label) for i, label in enumerate(labels)]
    ax = plot_events(reference)
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ticks = ax.get_yticklabels()
    assert [t.get_text() for t in ticks] == labels
    spans = sorted((box.y0, box.y1) for box in (t.get_window_extent(renderer) for t in ticks))
    assert all(above[0] >= below[1] for below, above in zip(spans, spans[1:]))
    assert tuple(plot_events(reference[:3]).figure.get_size_inches()) == tuple(plt.rcParams["figure.figsize"])
    fig, ax = plt.subplots(figsize=(4, 3))
    assert plot_events(reference, ax=ax) is ax and tuple(fig.get_size_inches()) == (4, 3)


def test_plot_events_empty_and_integer_labels(tmp_path):
    ax = plot_events(reference=[(0.0, 1.0, 3), (1.5, 2.0, 1)], estimated=[])
    save_png(ax.figure, tmp_path / "int.png")
    assert len(ax.containers) == 1 and len(ax.patches) == 2
    assert [t.get_text() for t in ax.get_yticklabels()] == ["1", "3"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["reference", "estimated"]

    ax = plot_events([], [])
    assert len(ax.patches) == 0 and ax.get_xlim() == (0.0, 1.0)


@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        ((), {}, "reference=, estimated="),
        (([(1.0, 0.5, "dog")],), {}, "offset"),
        (([(0.5, "dog")],), {}, "triple"),
        (([(-1.0, 0.5, "dog")],), {}, "negative"),
        ((REFERENCE,), {"labels": ["dog"]}, "'bird'.*not in labels"),
        ((REFERENCE,), {"labels": "dog"}, "sequence"),
        ((REFERENCE,), {"waveform": np.zeros(800)}, "sr"),
        ((REFERENCE,), {"waveform": np.zeros((2, 800)), "sr": 8000}, "1D"),
        ((REFERENCE, [(0.1, 0.2, "cat")]), {"labels": ["dog", "bird"]}, r"estimated\[0\]"),
        (([REFERENCE, []],), {}, r"reference holds 2 lists of events, one per scene: .* pass reference\[i\]"),
    ],
)
def test_plot_events_bad_input(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot_events(*args, **kwargs)


# --- plot_history --------------------------------------------------------------

HISTORY = {
    "loss": [0.9, 0.6, 0.4, 0.3],
    "accuracy": [0.5, 0.6, 0.8, 0.9],
    "val_loss": [1.0, 0.8, 0.7, 0.7],
    "val_accuracy": [0.4, 0.5, 0.6, 0.65],
}


class FakeKerasClassifier(ClassifierMixin, BaseEstimator):
    """Stands in for a scikeras estimator: fit sets history_."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        self.history_ = {key: list(values) for key, values in HISTORY.items()}
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def test_plot_history_dict_png_and_lines(tmp_path):
    ax = plot_history(HISTORY)
    save_png(ax.figure, tmp_path / "history.png")
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines) == ["loss", "val_loss", "accuracy", "val_accuracy"]
    for key, line in lines.items():
        np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3, 4])
        np.testing.assert_allclose(line.get_ydata(), HISTORY[key])
    assert lines["val_loss"].get_color() == lines["loss"].get_color()
    assert lines["val_loss"].get_linestyle() == "--" and lines["loss"].get_linestyle() == "-"
    assert lines["accuracy"].get_color() != lines["loss"].get_color()
    assert ax.get_xlabel() == "Epoch" and ax.get_ylabel() == "Value"


def test_plot_history_warns_of_a_diverged_curve_and_keeps_its_epochs():
    diverged = {"loss": [1.0, np.nan, np.inf], "accuracy": [0.5, 0.6, 0.7]}
    with pytest.warns(UserWarning, match=r"history\['loss'\] is NaN or infinite at 2 of 3 epochs \(first at epoch 2\)"):
        ax = plot_history(diverged)
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_array_equal(lines["loss"].get_xdata(), [1, 2, 3])  # the epochs stay where they were
    assert np.isnan(lines["loss"].get_ydata()[1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # finite curves: nothing to say
        plot_history(HISTORY)


def test_plot_history_metrics_selection():
    ax = plot_history(HISTORY, metrics="accuracy")
    assert [line.get_label() for line in ax.get_lines()] == ["accuracy", "val_accuracy"]
    assert ax.get_ylabel() == "accuracy"
    ax = plot_history(HISTORY, metrics=["val_loss"])
    assert [line.get_label() for line in ax.get_lines()] == ["val_loss"]
    # A history without validation curves.
    ax = plot_history({"loss": [1.0, 0.5]})
    assert [line.get_label() for line in ax.get_lines()] == ["loss"]
    # A validation curve whose training curve is empty is drawn alone, not dropped.
    ax = plot_history({"loss": [], "val_loss": [1.0, 0.5]})
    assert [line.get_label() for line in ax.get_lines()] == ["val_loss"]


def test_plot_history_from_estimator_and_pipeline(tmp_path):
    X, y = np.zeros((6, 2)), np.array([0, 1] * 3)
    estimator = FakeKerasClassifier().fit(X, y)
    ax = plot_history(estimator, metrics="loss")
    assert len(ax.get_lines()) == 2

    pipe = make_pipeline(FunctionTransformer(), FakeKerasClassifier()).fit(X, y)
    fig, ax = plt.subplots()
    assert plot_history(pipe, ax=ax) is ax
    assert len(ax.get_lines()) == 4
    save_png(fig, tmp_path / "pipe_history.png")


@pytest.mark.parametrize(
    "history, kwargs, match",
    [
        ({}, {}, "empty"),
        ({"loss": [], "val_loss": []}, {}, "empty"),
        (HISTORY, {"metrics": "f1"}, "'f1' is not in the history"),
        (HISTORY, {"metrics": []}, "metrics is empty"),
        ({"loss": ["a", "b"]}, {}, "numbers"),
        ({"loss": 0.5}, {}, "numbers"),
        (np.zeros(3), {}, "history must be"),
    ],
)
def test_plot_history_bad_input(history, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot_history(history, **kwargs)


def test_plot_history_unfitted_estimator():
    with pytest.raises(NotFittedError, match="fit it"):
        plot_history(FakeKerasClassifier())
    with pytest.raises(ValueError, match="history_"):
        plot_history(make_pipeline(FunctionTransformer(), FakeKerasClassifier()))


def test_plot_history_of_a_fitted_estimator_without_history_does_not_ask_to_fit_it():
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV

    X, y = np.array([[0.0], [1.0], [0.1], [0.9]]), np.array([0, 1, 0, 1])
    fitted = LogisticRegression().fit(X, y)
    with pytest.raises(ValueError, match="LogisticRegression is fitted but has no training history") as info:
        plot_history(fitted)
    assert not isinstance(info.value, NotFittedError)
    search = GridSearchCV(FakeKerasClassifier(), {}, refit=False, cv=2).fit(X, y)
    with pytest.raises(ValueError, match="refit=False keeps no best_estimator_"):
        plot_history(search)
    with pytest.raises(NotFittedError, match="GridSearchCV has no history_: fit it"):
        plot_history(GridSearchCV(FakeKerasClassifier(), {}))


def test_plot_history_of_a_fitted_keras_model():
    import keras

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    with pytest.raises(NotFittedError, match="Sequential has no history_: fit it"):
        plot_history(model)
    model.fit(np.zeros((4, 3)), np.zeros(4), epochs=2, verbose=0)
    (line,) = plot_history(model).get_lines()
    assert line.get_label() == "loss" and list(line.get_xdata()) == [1, 2]


# --- scikit-learn's displays with skaudio's classifier --------------------------


@pytest.fixture(scope="module")
def fitted_cnn():
    from skaudio.models import CNN1DClassifier

    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 16, 3)).astype(np.float32)
    y = np.array([0, 1] * 20)
    clf = CNN1DClassifier(filters=(4, 4), dense_units=8, epochs=1, random_state=0).fit(X, y)
    return clf, X, y


def test_confusion_matrix_display_from_cnn1d_classifier(fitted_cnn, tmp_path):
    from sklearn.metrics import ConfusionMatrixDisplay

    clf, X, y = fitted_cnn
    display = ConfusionMatrixDisplay.from_estimator(clf, X, y)
    assert display.confusion_matrix.shape == (2, 2)
    assert display.confusion_matrix.sum() == len(y)
    save_png(display.figure_, tmp_path / "confusion.png")


def test_plot_history_of_fitted_cnn1d_classifier(fitted_cnn, tmp_path):
    clf, _, _ = fitted_cnn
    ax = plot_history(clf, metrics="loss")
    (line,) = ax.get_lines()  # one epoch, no validation split
    assert list(line.get_xdata()) == [1]
    save_png(ax.figure, tmp_path / "cnn_history.png")
