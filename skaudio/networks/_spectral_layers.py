"""Keras layers for a spectral-mask denoiser: STFT in, masked inverse STFT out.

With these the whole analysis-masking-synthesis chain lives inside the
network, so the model maps waveforms to waveforms (of any length) and trains
on a waveform loss.
"""

import keras
from keras import layers, ops

from skaudio.networks._layers import PACKAGE


def _padded_to_hop(wave, hop_length):
    """Right-pad ``(batch, t)`` to a multiple of the hop, so the inverse STFT
    reconstructs every input sample."""
    length = ops.shape(wave)[1]
    missing = (hop_length - length % hop_length) % hop_length
    return ops.pad(wave, [[0, 0], [0, missing]])


@keras.saving.register_keras_serializable(package=PACKAGE)
class STFT(layers.Layer):
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
        real, imag = ops.stft(_padded_to_hop(wave, self.hop_length), self.n_fft, self.hop_length, self.n_fft,
                              window="hann", center=True)
        return ops.stack([real, imag], axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], None, 1 + self.n_fft // 2, 2)

    def get_config(self):
        return {**super().get_config(), "n_fft": self.n_fft, "hop_length": self.hop_length}


@keras.saving.register_keras_serializable(package=PACKAGE)
class LogMagnitude(layers.Layer):
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
class MaskedISTFT(layers.Layer):
    """Apply a real mask to a spectrum and resynthesise a waveform of the input's length.

    Called on ``[spectrum, mask, wave]``: ``spectrum`` from :class:`STFT`,
    ``mask`` of shape ``(batch, frames, bins)``, ``wave`` the original
    ``(batch, t)`` input whose length the output takes.
    """

    def __init__(self, n_fft=256, hop_length=64, **kwargs):
        super().__init__(**kwargs)
        self.n_fft = int(n_fft)
        self.hop_length = int(hop_length)

    def call(self, inputs):
        spectrum, mask, wave = inputs
        real = spectrum[..., 0] * mask
        imag = spectrum[..., 1] * mask
        out = ops.istft((real, imag), self.n_fft, self.hop_length, self.n_fft, window="hann", center=True)
        return out[:, : ops.shape(wave)[1]]

    def compute_output_shape(self, input_shapes):
        return tuple(input_shapes[2])

    def get_config(self):
        return {**super().get_config(), "n_fft": self.n_fft, "hop_length": self.hop_length}
