"""Keras layers for a spectral-mask denoiser: STFT in, masked inverse STFT out.

With these the whole analysis-masking-synthesis chain lives inside the
network, so the model maps waveforms to waveforms (of any length) and trains
on a waveform loss. They compute in float32 whatever the dtype policy, as
:class:`~skaudio.networks.SpectralFeatures` does: ``keras.ops.stft`` and
``istft`` take no half-precision input, and a float16 power spectrum
overflows.
"""

import keras
from keras import layers, ops

from skaudio.networks._layers import PACKAGE


class _Float32Layer(layers.Layer):
    """Base: a layer whose dtype is float32 unless given, so that mixed precision leaves it in float32."""

    def __init__(self, **kwargs):
        kwargs.setdefault("dtype", "float32")
        super().__init__(**kwargs)


def _padded(wave, n_fft, hop_length):
    """Pad ``(batch, t)`` by ``n_fft`` on the left and to a hop multiple plus
    ``n_fft`` on the right.

    keras.ops.istft does not invert keras.ops.stft within about half a window
    of either end; the margin keeps those samples out of the output, which
    :class:`MaskedISTFT` takes from ``n_fft`` onwards.
    """
    length = ops.shape(wave)[1]
    missing = (hop_length - length % hop_length) % hop_length
    return ops.pad(wave, [[0, 0], [n_fft, missing + n_fft]])


@keras.saving.register_keras_serializable(package=PACKAGE)
class STFT(_Float32Layer):
    """Waveforms ``(batch, t)`` to ``(batch, frames, 1 + n_fft // 2, 2)`` (real, imaginary).

    Parameters
    ----------
    n_fft : int
        Window and FFT length (Hann window, centred frames).
    hop_length : int
        Hop between frames.
    """

    def __init__(self, n_fft=256, hop_length=64, **kwargs):
        super().__init__(**kwargs)
        self.n_fft = int(n_fft)
        self.hop_length = int(hop_length)

    def call(self, wave):
        real, imag = ops.stft(
            _padded(wave, self.n_fft, self.hop_length),
            self.n_fft,
            self.hop_length,
            self.n_fft,
            window="hann",
            center=True,
        )
        return ops.stack([real, imag], axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], None, 1 + self.n_fft // 2, 2)

    def get_config(self):
        return {**super().get_config(), "n_fft": self.n_fft, "hop_length": self.hop_length}


@keras.saving.register_keras_serializable(package=PACKAGE)
class LogMagnitude(_Float32Layer):
    """``(batch, frames, bins, 2)`` spectrum to ``log(|X| + floor)``, ``(batch, frames, bins)``."""

    def __init__(self, floor=1e-4, **kwargs):
        super().__init__(**kwargs)
        self.floor = float(floor)

    def call(self, spectrum):
        magnitude = ops.sqrt(ops.sum(ops.square(spectrum), axis=-1) + 1e-12)
        return ops.log(magnitude + self.floor)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1])

    def get_config(self):
        return {**super().get_config(), "floor": self.floor}


@keras.saving.register_keras_serializable(package=PACKAGE)
class MaskedISTFT(_Float32Layer):
    """Apply a mask to a spectrum and resynthesise a waveform of the input's length.

    Called on ``[spectrum, mask, wave]``: ``spectrum`` from :class:`STFT`;
    ``mask`` real ``(batch, frames, bins)`` (scales magnitudes, keeps the
    noisy phase), or complex ``(batch, frames, bins, 2)`` given as a
    correction ``(a, b)`` to the identity, the gain being ``(1 + a) + ib``, so
    a zero correction passes the input through; ``wave`` the original
    ``(batch, t)`` input whose length the output takes.
    """

    def __init__(self, n_fft=256, hop_length=64, **kwargs):
        super().__init__(**kwargs)
        self.n_fft = int(n_fft)
        self.hop_length = int(hop_length)

    def call(self, inputs):
        spectrum, mask, wave = inputs
        if len(mask.shape) == 4:
            # complex mask given as a correction to the identity: (1 + a) + ib
            gain_re, gain_im = 1.0 + mask[..., 0], mask[..., 1]
            real = spectrum[..., 0] * gain_re - spectrum[..., 1] * gain_im
            imag = spectrum[..., 0] * gain_im + spectrum[..., 1] * gain_re
        else:
            real = spectrum[..., 0] * mask
            imag = spectrum[..., 1] * mask
        out = ops.istft((real, imag), self.n_fft, self.hop_length, self.n_fft, window="hann", center=True)
        return out[:, self.n_fft : self.n_fft + ops.shape(wave)[1]]

    def compute_output_shape(self, input_shapes):
        return tuple(input_shapes[2])

    def get_config(self):
        return {**super().get_config(), "n_fft": self.n_fft, "hop_length": self.hop_length}
