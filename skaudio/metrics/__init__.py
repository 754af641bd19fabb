"""Metrics for skaudio's tasks (numpy and scikit-learn only, no TensorFlow).

- :func:`snr`, :func:`si_sdr`, :func:`si_sdr_improvement` and the scorer
  :data:`si_sdr_scorer`: quality of denoised waveforms.
"""

from skaudio.metrics._separation import si_sdr, si_sdr_improvement, si_sdr_scorer, snr

__all__ = ["snr", "si_sdr", "si_sdr_improvement", "si_sdr_scorer"]
