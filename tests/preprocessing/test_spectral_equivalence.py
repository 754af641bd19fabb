"""Per-clip equivalence of the batched features with librosa."""

import warnings

import librosa
import numpy as np
import pytest

from skaudio.preprocessing import MFCC, FixedLength, Spectrogram

SR = 8000


@pytest.fixture(scope="module")
def ragged_clips():
    """Speech-like clips of different lengths and levels, one nearly silent."""
    rng = np.random.default_rng(0)
    clips = []
    for i, n in enumerate([300, 4000, 4000, 7001, 8000, 9500]):
        t = np.arange(n) / SR
        f0 = 120 + 40 * i
        tone = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, 6))
        env = np.hanning(n)
        clip = (0.3 * tone * env + 0.01 * rng.standard_normal(n)) * 10.0 ** (-i)
        clips.append(clip.astype(np.float32))
    return clips


def _librosa_mfcc(y, top_db=80.0, **kw):
    mel = librosa.feature.melspectrogram(
        y=y, sr=SR, n_fft=kw["n_fft"], hop_length=kw["hop_length"], n_mels=kw["n_mels"]
    )
    return librosa.feature.mfcc(S=librosa.power_to_db(mel, top_db=top_db), n_mfcc=kw["n_mfcc"]).T


@pytest.mark.parametrize("top_db", [80.0, 40.0, None])
def test_mfcc_matches_librosa_per_clip_on_ragged_list(ragged_clips, top_db):
    kw = dict(n_fft=512, hop_length=128, n_mels=64, n_mfcc=20)
    out = MFCC(sr=SR, top_db=top_db, **kw).fit_transform(ragged_clips)
    assert isinstance(out, list) and len(out) == len(ragged_clips)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # librosa warns on clips shorter than n_fft
        for clip, feats in zip(ragged_clips, out):
            np.testing.assert_allclose(feats, _librosa_mfcc(clip, top_db, **kw), atol=1e-3, rtol=0)


def test_mfcc_default_call_matches_librosa_mfcc(ragged_clips):
    clip = ragged_clips[4]
    ours = MFCC(sr=SR, n_fft=512, hop_length=128, lifter=22).fit_transform(clip[None])[0]
    ref = librosa.feature.mfcc(y=clip, sr=SR, n_fft=512, hop_length=128, lifter=22).T
    np.testing.assert_allclose(ours, ref, atol=1e-3, rtol=0)


def test_batch_output_does_not_depend_on_the_other_clips(ragged_clips):
    # librosa's power_to_db on a 2D batch floors at the batch maximum; ours per clip.
    batch = FixedLength(length=SR).fit_transform(ragged_clips)
    mfcc = MFCC(sr=SR, n_fft=512, hop_length=128)
    together = mfcc.fit_transform(batch)
    alone = np.stack([mfcc.transform(batch[i : i + 1])[0] for i in range(len(batch))])
    np.testing.assert_allclose(together, alone, atol=1e-4, rtol=0)
    quiet = batch[-1]
    ref = librosa.feature.mfcc(y=quiet, sr=SR, n_fft=512, hop_length=128).T
    np.testing.assert_allclose(together[-1], ref, atol=1e-3, rtol=0)


def test_mfcc_deltas_match_librosa_delta(ragged_clips):
    clip = ragged_clips[4]
    out = MFCC(sr=SR, n_fft=512, hop_length=128, n_mfcc=13, delta_order=2).fit_transform(clip[None])[0]
    base = librosa.feature.mfcc(y=clip, sr=SR, n_fft=512, hop_length=128, n_mfcc=13)
    assert out.shape == (base.shape[1], 39)
    np.testing.assert_allclose(out[:, 13:26], librosa.feature.delta(base, order=1).T, atol=1e-3)
    np.testing.assert_allclose(out[:, 26:], librosa.feature.delta(base, order=2).T, atol=1e-3)


def test_deltas_of_clips_shorter_than_the_delta_window():
    out = MFCC(sr=SR, n_fft=256, hop_length=256, n_mfcc=5, delta_order=1).fit_transform(
        [np.ones(600, dtype=np.float32), np.ones(100, dtype=np.float32)]
    )
    assert out[0].shape == (3, 10) and out[1].shape == (1, 10)
    assert np.all(out[1][:, 5:] == 0)


@pytest.mark.parametrize("power", [1.0, 2.0])
@pytest.mark.parametrize("to_db", [True, False])
def test_mel_spectrogram_matches_librosa(ragged_clips, power, to_db):
    out = Spectrogram(sr=SR, n_fft=256, hop_length=64, n_mels=40, power=power, to_db=to_db).fit_transform(ragged_clips)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for clip, feats in zip(ragged_clips, out):
            ref = librosa.feature.melspectrogram(y=clip, sr=SR, n_fft=256, hop_length=64, n_mels=40, power=power)
            if to_db:
                ref = librosa.power_to_db(ref) if power == 2.0 else librosa.amplitude_to_db(ref)
                np.testing.assert_allclose(feats, ref.T, atol=1e-3, rtol=0)
            else:
                np.testing.assert_allclose(feats, ref.T, rtol=1e-4, atol=1e-7 * ref.max())


def test_stft_spectrogram_matches_librosa_on_padded_batch(ragged_clips):
    batch = FixedLength(length=SR, align="center").fit_transform(ragged_clips)
    out = Spectrogram(kind="stft", n_fft=512, hop_length=128, win_length=400).fit_transform(batch)
    # librosa floors a batch at the batch max; compare each clip with its own call.
    for i, clip in enumerate(batch):
        ref = librosa.power_to_db(np.abs(librosa.stft(clip, n_fft=512, hop_length=128, win_length=400)) ** 2)
        np.testing.assert_allclose(out[i], ref.T, atol=1e-3, rtol=0)


def test_clip_shorter_than_n_fft_gives_librosa_frame_count():
    clip = np.random.default_rng(1).standard_normal(100).astype(np.float32)
    out = MFCC(sr=SR, n_fft=512, hop_length=128).fit_transform(clip[None])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = librosa.feature.mfcc(y=clip, sr=SR, n_fft=512, hop_length=128).T
    assert out.shape == (1, 1 + 100 // 128, 20) == (1,) + ref.shape
    np.testing.assert_allclose(out[0], ref, atol=1e-3)


def test_integer_pcm_is_scaled_before_features():
    rng = np.random.default_rng(2)
    y = (0.5 * rng.standard_normal((2, 2000))).clip(-1, 0.99).astype(np.float32)
    as_int = (y * 32768).astype(np.int16)
    mfcc = MFCC(sr=SR, n_fft=256, hop_length=64)
    np.testing.assert_allclose(mfcc.fit_transform(as_int), mfcc.fit_transform(as_int / 32768.0), atol=1e-3)
