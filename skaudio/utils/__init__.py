"""Shared input validation for waveform and feature batches."""

from skaudio.utils._validation import check_feature_batch, check_waveforms, is_ragged

__all__ = ["check_waveforms", "check_feature_batch", "is_ragged"]
