"""Validation hints that pointed the wrong way, librosa errors that escaped as non-ValueErrors, the umask race."""

import os
import stat

import numpy as np
import pytest

from skaudio.preprocessing import MFCC, FeatureScaler, Spectrogram
from skaudio.utils import atomic_path, check_feature_batch, mel_matrix, stft_window


def test_librosa_layout_features_are_hinted_to_be_transposed():
    # librosa returns (n_features, n_frames): two such clips share their first axis, not their second
    clips = [np.ones((20, 44)), np.ones((20, 60))]
    with pytest.raises(ValueError, match=r"share their first axis \(20\).*\(n_features, n_frames\).*clip\.T"):
        check_feature_batch(clips)
    with pytest.raises(ValueError, match=r"clip\.T"):
        FeatureScaler().fit(clips)
    # frames first, as skaudio lays them out: no hint to mislead
    with pytest.raises(ValueError, match=r"^X\[1\] has 13 features but X\[0\] has 40; all clips must share n_\w+\.$"):
        check_feature_batch([np.ones((50, 40)), np.ones((60, 13))])


def test_waveforms_given_to_a_feature_step_are_not_told_to_become_one_clip():
    waveforms = np.random.default_rng(0).normal(size=(4, 8000))
    # X[None, :] alone would make the 4 waveforms one clip of 4 frames of 8000 features
    with pytest.raises(ValueError, match=r"Waveforms \(n_clips, n_samples\)\? Compute their features first"):
        FeatureScaler(per_clip=True).fit(waveforms)
    with pytest.raises(ValueError, match=r"One waveform\? Compute its features first") as refused:
        check_feature_batch(waveforms[0])
    assert "X[None, :]" not in str(refused.value)  # a 2D array would still be refused


def test_features_given_to_a_waveform_step_are_not_only_told_to_be_mixed_to_mono():
    features = Spectrogram(sr=8000, n_fft=256, hop_length=80).fit_transform(np.ones((2, 8000)))  # (2, 101, 128)
    # X.mean(axis=1) alone would average the frames into a 128-sample "waveform"; 101 frames of 128 mel bands
    # have the shape of channels by samples, so both readings are offered
    for X in (features, np.ones((2, 2, 8000))):
        with pytest.raises(ValueError, match=r"Multichannel recordings .* X\.mean\(axis=1\)\. Feature frames .*\?"):
            MFCC(sr=8000).fit(X)


def test_spectral_helpers_refuse_what_librosa_cannot_make_with_a_value_error():
    with pytest.raises(ValueError, match=r"win_length=512 must be between 1 and n_fft=256"):
        stft_window("hann", 512, 256)  # was librosa's ParameterError, which is no ValueError
    with pytest.raises(ValueError, match=r"fmin=5000.0 must be < fmax=4000"):
        mel_matrix(8000, 256, 40, 5000.0, None)  # was a filterbank of empty filters
    with pytest.raises(ValueError, match=r"fmin=3000.0 must be < fmax=2000"):
        mel_matrix(8000, 256, 40, 3000.0, 2000.0)


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="the umask is shown by Linux only")
def test_atomic_path_reads_the_umask_without_changing_it(tmp_path, monkeypatch):
    mask = os.umask(0o027)
    try:
        # setting the umask, even for an instant, gives a file another thread creates meanwhile the wrong permissions
        monkeypatch.setattr(os, "umask", lambda *a: pytest.fail("atomic_path changed the process's umask"))
        with atomic_path(tmp_path / "new.txt") as tmp, open(tmp, "w") as f:
            f.write("x")
    finally:
        monkeypatch.undo()
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640
