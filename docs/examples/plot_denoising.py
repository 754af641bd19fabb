"""
Denoising a noisy tone
======================

:class:`~skaudio.models.CNN1DDenoiser` is a scikit-learn regressor from
noisy waveforms ``X`` to clean waveforms ``y``. Here it learns to remove
white noise from synthetic tones made by :func:`skaudio.datasets.make_sounds`
and mixed with noise by :func:`skaudio.datasets.make_noisy`; the result is
measured with the scale-invariant signal-to-distortion ratio,
:func:`skaudio.metrics.si_sdr`, and shown as spectrograms.
"""

# %%
# Noisy and clean pairs
# ---------------------
# ``make_noisy`` mixes noise into each clip at a signal-to-noise ratio drawn
# between 0 and 5 dB and returns the noisy clips with their clean
# references.

import matplotlib.pyplot as plt
import numpy as np

from skaudio.datasets import make_noisy, make_sounds
from skaudio.metrics import si_sdr
from skaudio.pipelines import make_denoiser_pipeline
from skaudio.preprocessing import Spectrogram

SR = 8000
clean, _ = make_sounds(n_per_class=80, classes=["tone"], sr=SR, duration=1.0, random_state=0)
noisy, clean = make_noisy(clean, noise="white", snr_db=(0.0, 5.0), random_state=0)
noisy_train, clean_train = noisy[:64], clean[:64]
noisy_test, clean_test = noisy[64:], clean[64:]

# %%
# The denoiser
# ------------
# The recommended configuration (a mask on the STFT predicted by dilated
# convolutions over frames, trained on the negative SI-SDR), with fewer
# filters, blocks and epochs so that the example runs in seconds.

den = make_denoiser_pipeline(sr=SR, random_state=0).set_params(
    cnn1ddenoiser__filters=32,
    cnn1ddenoiser__n_layers=2,
    cnn1ddenoiser__dilation=(1, 2),
    cnn1ddenoiser__epochs=14,
    cnn1ddenoiser__batch_size=8,
)
den.fit(noisy_train, clean_train)
denoised = den.predict(noisy_test)

before = si_sdr(clean_test, noisy_test)
after = si_sdr(clean_test, denoised)
print(
    f"SI-SDR on the test tones: {before.mean():.1f} dB noisy, {after.mean():.1f} dB denoised "
    f"(+{(after - before).mean():.1f} dB)"
)

# %%
# Before and after
# ----------------
# Spectrograms (dB) of one test tone: the clean reference, the noisy input
# and the denoiser's output.

spectrogram = Spectrogram(sr=SR, n_fft=256, hop_length=64)
clip = 0
panels = [("clean", clean_test[clip]), ("noisy", noisy_test[clip]), ("denoised", denoised[clip])]
images = spectrogram.fit_transform(np.stack([wave for _, wave in panels]))
fig, axes = plt.subplots(1, 3, figsize=(9, 3.2), sharey=True, layout="constrained")
for ax, (name, wave), image in zip(axes, panels, images):
    mesh = ax.imshow(
        image.T,
        origin="lower",
        aspect="auto",
        cmap="magma",
        vmin=images.max() - 80,
        vmax=images.max(),
        extent=[0, len(wave) / SR, 0, SR / 2000],
    )
    title = name if name == "clean" else f"{name}: SI-SDR {si_sdr(clean_test[clip : clip + 1], wave[None])[0]:.1f} dB"
    ax.set(title=title, xlabel="time (s)")
axes[0].set_ylabel("frequency (kHz)")
fig.colorbar(mesh, ax=axes, label="dB")
plt.show()
