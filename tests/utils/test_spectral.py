"""The spectral constants' helpers refuse what librosa cannot make with a ValueError naming the parameter."""

import numpy as np
import pytest

from skaudio.preprocessing import MFCC, Spectrogram
from skaudio.utils import dct_matrix, mel_matrix, stft_window, unusable_clips


@pytest.mark.parametrize("window", [(), ("tukey", "x"), "nope", ("kaiser",)])
def test_a_window_librosa_cannot_make_is_refused_at_fit(window):
    X = np.random.default_rng(0).normal(size=(2, 2000))
    for transformer in (MFCC(sr=8000, n_fft=256, window=window), Spectrogram(sr=8000, n_fft=256, window=window)):
        with pytest.raises(ValueError, match=r"window=.* is not a window librosa\.filters\.get_window understands"):
            transformer.fit(X)
    with pytest.raises(ValueError, match="is not a window"):
        stft_window(window, 256, 256)


def test_a_window_with_parameters_is_librosas():
    import librosa

    X = np.random.default_rng(0).normal(size=(1, 2000))
    spectrogram = Spectrogram(sr=8000, kind="stft", to_db=False, n_fft=256, hop_length=64, window=("kaiser", 4.0))
    ours = spectrogram.fit_transform(X)[0]
    theirs = np.abs(librosa.stft(X[0], n_fft=256, hop_length=64, window=("kaiser", 4.0))) ** 2
    np.testing.assert_allclose(ours, theirs.T, rtol=1e-4, atol=1e-4)


def test_filterbank_and_dct_sizes_are_checked():
    with pytest.raises(ValueError, match=r"n_out=50 coefficients must be between 1 and n_in=40"):
        dct_matrix(40, 50, 0.0)
    with pytest.raises(ValueError, match=r"fmax=6000 must be <= sr / 2 = 4000"):
        mel_matrix(8000, 256, 40, 0.0, 6000)
    assert dct_matrix(40, 40, 22.0).shape == (40, 40) and mel_matrix(8000, 256, 40, 0.0, 4000).shape == (129, 40)


def test_an_empty_clip_is_short_not_an_error():
    assert unusable_clips([np.zeros(0), np.zeros(800), np.ones(800)], min_length=256) == ([1], [0])
