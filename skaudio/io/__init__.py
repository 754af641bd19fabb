"""Loading audio: file paths -> float32 waveforms.

- :func:`load_audio` loads one file (WAV, FLAC, OGG, ... through soundfile),
  optionally resampled (soxr), mixed to mono and cropped.
- :class:`AudioLoader` is the same as a stateless scikit-learn transformer:
  a sequence of paths in, a list of 1D waveforms out.
- :func:`load_folder` loads a folder of files with labels taken from
  subfolder names or from a regular expression on the file names
  (:data:`FSDD_PATTERN` for the Free Spoken Digit Dataset);
  :func:`list_audio_files` lists the files it would load.

This subpackage imports neither TensorFlow nor Keras.
"""

from skaudio.io._folder import FSDD_PATTERN, list_audio_files, load_folder
from skaudio.io._load import load_audio
from skaudio.io._loader import AudioLoader

__all__ = ["load_audio", "AudioLoader", "load_folder", "list_audio_files", "FSDD_PATTERN"]
