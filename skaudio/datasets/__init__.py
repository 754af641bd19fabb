"""Example data: synthetic sound datasets and noise generators.

The generators depend on numpy and scikit-learn (``make_event_scenes``
also uses librosa's silence trimming, imported when called); none imports
TensorFlow, so importing :mod:`skaudio.datasets` is cheap.
"""

from skaudio.datasets._mixtures import make_noisy
from skaudio.datasets._noise import NOISE_COLORS, make_colored_noise
from skaudio.datasets._scenes import make_event_scenes
from skaudio.datasets._sounds import make_sounds

__all__ = ["make_sounds", "make_colored_noise", "make_noisy", "make_event_scenes", "NOISE_COLORS"]
