"""CNN1DDenoiser: waveform in, waveform out, any length."""

import numpy as np
import pytest
from sklearn.base import is_regressor

from skaudio.models import CNN1DDenoiser


@pytest.fixture(scope="module")
def pairs():
    rng = np.random.default_rng(0)
    t = np.arange(800) / 8000
    freqs = rng.uniform(200, 800, size=(64, 1))
    clean = (0.5 * np.sin(2 * np.pi * freqs * t)).astype("float32")
    noisy = clean + 0.2 * rng.standard_normal(clean.shape).astype("float32")
    return noisy, clean


def test_is_a_regressor():
    assert is_regressor(CNN1DDenoiser())


def test_denoises_and_keeps_any_length(pairs):
    noisy, clean = pairs
    den = CNN1DDenoiser(
        filters=16,
        kernel_size=9,
        batch_norm=False,
        residual=True,
        epochs=20,
        batch_size=16,
        learning_rate=0.003,
        random_state=0,
    )
    den.fit(noisy[:48], clean[:48])
    out = den.predict(noisy[48:])
    assert out.shape == noisy[48:].shape
    before = np.mean((noisy[48:] - clean[48:]) ** 2)
    after = np.mean((out - clean[48:]) ** 2)
    assert after < 0.5 * before  # it removes noise, not just copies
    assert den.predict(noisy[48:, :333]).shape == (16, 333)
    ragged = den.predict([noisy[50], noisy[51, :100]])
    assert isinstance(ragged, list) and [len(c) for c in ragged] == [800, 100]
    np.testing.assert_allclose(ragged[0], out[2], atol=1e-4)


def test_fit_errors(pairs):
    noisy, clean = pairs
    with pytest.raises(ValueError, match=r"X\[0\] \(noisy\) has 800 samples but y\[0\] \(clean\) has 700"):
        CNN1DDenoiser(epochs=1).fit(noisy[:4], clean[:4, :700])
    with pytest.raises(ValueError, match="requires y"):
        CNN1DDenoiser(epochs=1).fit(noisy[:4], None)
    with pytest.raises(ValueError, match="X has 2 noisy clips but y has 3"):
        CNN1DDenoiser(epochs=1).fit(noisy[:2], clean[:3])
    with pytest.raises(ValueError, match="front_end"):
        CNN1DDenoiser(front_end="wavelet", epochs=1).fit(noisy[:4], clean[:4])
    with pytest.raises(
        ValueError,
        match="lstm_units=8, frequency_filters=0, refinement_filters=0 and mask='magnitude' apply to domain='stft'",
    ):
        CNN1DDenoiser(lstm_units=8, epochs=1).fit(noisy[:4], clean[:4])
    with pytest.raises(
        ValueError, match=r"frequency_filters=\(8, 8\), refinement_filters=0 and mask='magnitude' apply"
    ):
        CNN1DDenoiser(frequency_filters=(8, 8), epochs=1).fit(noisy[:4], clean[:4])
    with pytest.raises(ValueError, match="refinement_filters=4 and mask='magnitude' apply to domain='stft' only"):
        CNN1DDenoiser(refinement_filters=4, epochs=1).fit(noisy[:4], clean[:4])
    with pytest.raises(ValueError, match="refinement_filters=4 refines a magnitude mask; mask='complex' is not one"):
        CNN1DDenoiser(domain="stft", mask="complex", refinement_filters=4, epochs=1).fit(noisy[:4], clean[:4])
    with pytest.raises(ValueError, match="frequency_filters must be an int >= 0"):
        CNN1DDenoiser(domain="stft", frequency_filters=(8, 0), epochs=1).fit(noisy[:4], clean[:4])
    with pytest.raises(ValueError, match="lstm_units must be an int >= 0"):
        CNN1DDenoiser(domain="stft", lstm_units=-1, epochs=1).fit(noisy[:4], clean[:4])
    with pytest.raises(ValueError, match=r"hop_length \(256\) must be less than n_fft \(128\)"):
        CNN1DDenoiser(domain="stft", n_fft=128, hop_length=256, epochs=1).fit(noisy[:4], clean[:4])
    with pytest.raises(ValueError, match=r"hop_length \(128\) must be less than n_fft \(128\)"):
        CNN1DDenoiser(domain="stft", n_fft=128, hop_length=128, epochs=1).fit(noisy[:4], clean[:4])
    with pytest.raises(ValueError, match="Every clean clip in y is silent"):
        CNN1DDenoiser(epochs=1).fit(noisy[:4], 0 * clean[:4])
    with pytest.raises(ValueError, match="chunk_context must be an int >= 0, got -1"):
        CNN1DDenoiser(chunk_context=-1, epochs=1).fit(noisy[:4], clean[:4])


def test_every_channel_of_a_recording_is_denoised_in_its_place(pairs):
    from skaudio.utils import UnusableClipWarning

    noisy, clean = pairs
    den = CNN1DDenoiser(domain="stft", filters=4, epochs=1, random_state=0).fit(noisy[:16], clean[:16])
    stereo = noisy[16:18]  # (n_channels, n_samples), channels first
    one_by_one = den.predict(stereo)
    batch = den.predict(np.stack([stereo, noisy[18:20]]))  # (n_clips, n_channels, n_samples)
    assert batch.shape == (2, 2, 800)
    np.testing.assert_allclose(batch[0], one_by_one, atol=1e-5)
    mixed = den.predict([stereo[:, :600], noisy[20], np.stack([noisy[21]] * 3)])
    assert [item.shape for item in mixed] == [(2, 600), (800,), (3, 800)]
    np.testing.assert_allclose(mixed[1], den.predict(noisy[20:21])[0], atol=1e-5)
    np.testing.assert_allclose(mixed[2][0], mixed[2][2], atol=1e-6)
    with pytest.raises(ValueError, match=r"X\[1\]\[0\] contains NaN"):
        den.predict(np.stack([stereo, np.where(np.arange(800) == 5, np.nan, noisy[18:20])]))
    with pytest.warns(
        UnusableClipWarning, match=r"1 clip\(s\) shorter than one STFT frame \(n_fft=256 samples\): X\[1\], 100"
    ):
        den.predict([noisy[22], noisy[23, :100]])
    with pytest.warns(UnusableClipWarning, match=r"X has shape \(800, 2\), 800 clips of 2 samples each\. .* Give X\.T"):
        assert den.predict(stereo.T).shape == (800, 2)  # denoised as asked, with the warning saying why it is wrong


def test_ragged_pairs_train_on_random_segments(pairs):
    noisy, clean = pairs
    X = [noisy[i, : 300 + 50 * i] for i in range(8)]
    y = [clean[i, : 300 + 50 * i] for i in range(8)]
    den = CNN1DDenoiser(filters=4, epochs=1, segment_length=256, segments_per_clip=3, random_state=0).fit(X, y)
    assert den.segment_length_ == 256
    assert den.X_shape_ == (24, 256)
    assert CNN1DDenoiser(filters=4, epochs=1, random_state=0).fit(X, y).segment_length_ == 475  # median length


def test_noise_scaling_trains_on_the_same_speech_at_lower_noise(pairs):
    noisy, clean = pairs
    as_given, _ = CNN1DDenoiser(noise_scaling=0.0, random_state=0)._training_pairs(noisy, clean)
    np.testing.assert_array_equal(as_given, noisy)
    X, y = CNN1DDenoiser(noise_scaling=0.5, random_state=0)._training_pairs(noisy, clean)
    np.testing.assert_array_equal(y, clean)
    noise = noisy - clean
    factor = np.sum((X - clean) * noise, axis=1) / np.sum(noise**2, axis=1)
    np.testing.assert_allclose(X - clean, factor[:, None] * noise, atol=1e-6)  # scaled, not replaced
    assert factor.min() >= 0.5 and factor.max() <= 1 and np.ptp(factor) > 0.3  # one factor per pair
    again, _ = CNN1DDenoiser(noise_scaling=0.5, random_state=0)._training_pairs(noisy, clean)
    np.testing.assert_array_equal(again, X)
    for bad in (1.5, -0.1, True, "all"):
        with pytest.raises(ValueError, match=r"noise_scaling must be a float in \[0, 1\]"):
            CNN1DDenoiser(noise_scaling=bad, epochs=1).fit(noisy[:4], clean[:4])


def test_output_level_follows_input_level(pairs):
    noisy, clean = pairs
    den = CNN1DDenoiser(filters=8, epochs=3, random_state=0).fit(noisy[:32], clean[:32])
    quiet = den.predict(0.01 * noisy[32:])
    loud = den.predict(noisy[32:])
    np.testing.assert_allclose(100 * quiet, loud, rtol=1e-3, atol=1e-4)  # normalize=True: level-invariant


def test_chunked_prediction_equals_whole_input(pairs):
    noisy, clean = pairs
    long = np.concatenate([noisy[i] for i in range(40)])[None]  # 32,000 samples
    for front_end in ("waveform", "stft"):
        den = CNN1DDenoiser(front_end=front_end, filters=8, n_layers=2, epochs=1, random_state=0).fit(noisy, clean)
        whole = den.predict(long)
        den.set_params(chunk_length=3000, chunk_context=1024)
        chunked = den.predict(long)
        assert chunked.shape == long.shape
        np.testing.assert_allclose(chunked, whole, atol=1e-4 * np.abs(whole).max())


def test_chunked_prediction_with_an_lstm_has_no_seams(pairs):
    """An LSTM sees the whole input, so chunks differ from it, but only negligibly given context."""
    from skaudio.metrics import si_sdr

    noisy, clean = pairs
    long = np.concatenate([noisy[i] for i in range(40)])[None]
    den = CNN1DDenoiser(domain="stft", filters=8, n_layers=2, lstm_units=8, epochs=2, random_state=0)
    whole = den.fit(noisy, clean).predict(long)
    chunked = den.set_params(chunk_length=3000, chunk_context=2048).predict(long)
    assert chunked.shape == long.shape
    assert si_sdr(whole, chunked)[0] > 40  # a seam error 40 dB below the signal


def test_chunk_outputs_are_crossfaded_without_steps():
    """Chunks that disagree (each adds its own offset) are blended, not cut."""
    from skaudio.models._denoiser import _crossfaded_chunks

    x = np.random.default_rng(0).standard_normal((2, 10_000)).astype(np.float32)
    np.testing.assert_allclose(_crossfaded_chunks(lambda piece: piece, x, 3000, 800), x, rtol=1e-6)

    # each chunk's output is its own offset, 1 to 4, read from where it starts: x is the time index
    ramp = np.arange(10_000, dtype=np.float32)[None].repeat(2, axis=0)
    calls = []

    def offset_per_chunk(piece):
        calls.append(piece.shape)
        return np.ones_like(piece) * ((piece[:, :1] + 800) // 3000 + 1)

    out = _crossfaded_chunks(offset_per_chunk, ramp, 3000, 800)
    # the full-length chunks of both rows (2 each) in one call, then each shorter edge chunk
    assert calls == [(4, 3000 + 2 * 800), (2, 3800), (2, 1800)]
    assert out[0, 0] == 1 and out[0, -1] == 4
    # a cut would jump by 1 at each boundary; the 400-sample fade rises 1/400 a sample
    assert np.abs(np.diff(out, axis=1)).max() <= 1 / 400 + 1e-6
    assert np.all(np.diff(out, axis=1) >= 0)


def test_stft_front_end_with_si_sdr_loss_denoises(pairs):
    from skaudio.metrics import si_sdr_improvement

    noisy, clean = pairs
    den = CNN1DDenoiser(
        domain="stft",
        filters=32,
        n_layers=2,
        loss="si_sdr",
        epochs=15,
        batch_size=8,
        learning_rate=0.003,
        random_state=0,
    ).fit(noisy[:48], clean[:48])
    assert np.mean(si_sdr_improvement(clean[48:], den.predict(noisy[48:]), noisy[48:])) > 3.0


def test_ten_minute_recording_in_bounded_memory(tmp_path, pairs):
    """A 10-minute 16 kHz input: same-length output, peak memory increase < 1 GiB."""
    import subprocess
    import sys
    import textwrap

    import joblib

    noisy, clean = pairs
    # the smallest network: the chunking under test is the same whatever its size
    den = CNN1DDenoiser(filters=4, n_layers=1, epochs=1, random_state=0).fit(noisy, clean)
    joblib.dump(den, tmp_path / "den.joblib")
    code = textwrap.dedent(
        f"""
        import resource, joblib, numpy as np
        den = joblib.load({str(tmp_path / "den.joblib")!r})
        den.predict(np.zeros((1, 20000), "float32"))  # warm up: graphs and allocator
        recording = (0.1 * np.random.default_rng(0).standard_normal(10 * 60 * 16000)).astype("float32")
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        out = den.predict(recording[None])
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(out.shape[1], (peak - before) / 1024, bool(np.isfinite(out).all()))
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    length, increase_mib, finite = result.stdout.split()
    assert int(length) == 10 * 60 * 16000 and finite == "True"
    assert float(increase_mib) < 1024


def test_score_is_mean_si_sdr_and_chunk_settings_are_checked(pairs):
    from skaudio.metrics import si_sdr

    noisy, clean = pairs
    den = CNN1DDenoiser(filters=4, epochs=1, random_state=0).fit(noisy[:16], clean[:16])
    np.testing.assert_allclose(den.score(noisy[16:], clean[16:]), np.mean(si_sdr(clean[16:], den.predict(noisy[16:]))))
    assert np.isfinite(den.score([noisy[20], noisy[21, :300]], [clean[20], clean[21, :300]]))
    with pytest.raises(ValueError, match="chunk_length"):
        den.set_params(chunk_length=0).predict(noisy[:1])
