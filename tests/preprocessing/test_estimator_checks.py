"""scikit-learn's estimator checks on every transformer, with small settings."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skaudio.preprocessing import MFCC, FeatureScaler, FeatureStack, FixedLength, Spectrogram

# sklearn's checks feed tables of 2 to 20 columns; here a row is a short clip.
_TINY = dict(sr=64, n_fft=4, hop_length=2, n_mels=3)

# A Python list is a ragged batch of clips and comes back as a list of
# per-clip arrays (documented); sklearn expects a list of rows to give an array.
_LIST_IS_RAGGED = {
    "check_transformer_data_not_an_array": "a list input is a ragged batch and gives a list of per-clip arrays",
}
# Waveforms and (n_clips, n_frames, n_features) batches have no table form:
# set_output is accepted and the output stays NumPy (skaudio.utils.ArrayOutputMixin).
_NUMPY_OUTPUT = {
    name: "waveform and 3D feature batches stay NumPy under set_output (no table form)"
    for name in [
        "check_set_output_transform_pandas",
        "check_global_output_transform_pandas",
        "check_set_output_transform_polars",
        "check_global_set_output_transform_polars",
    ]
}

# A clip's length is not a fixed number of features: clips of any length are
# valid after fit (FixedLength pads them, the spectral steps frame them).
_ANY_LENGTH_FAILURES = {
    "check_n_features_in": "clip length is not a feature count; n_features_in_ is not defined",
    "check_n_features_in_after_fitting": "clips of any length are valid input after fit",
}
_FIXED_LENGTH_FAILURES = {
    "check_transformer_general": (
        "sklearn wants an error for another column count after fit; clips of any length are valid input"
    ),
}

ESTIMATORS = [
    FixedLength(length=7),
    FixedLength(),
    MFCC(n_mfcc=2, **_TINY),
    Spectrogram(**_TINY),
    Spectrogram(kind="stft", n_fft=4, hop_length=2),
    FeatureScaler(),
    FeatureStack([("mfcc", MFCC(n_mfcc=2, **_TINY)), ("mel", Spectrogram(**_TINY))]),
]


def _expected_failed_checks(estimator):
    failures = dict(_NUMPY_OUTPUT)
    if isinstance(estimator, (MFCC, Spectrogram, FeatureScaler, FeatureStack)):
        failures.update(_LIST_IS_RAGGED)
    if isinstance(estimator, (MFCC, Spectrogram, FixedLength, FeatureStack)):
        failures.update(_ANY_LENGTH_FAILURES)
    if isinstance(estimator, (FixedLength, FeatureStack)):
        failures.update(_FIXED_LENGTH_FAILURES)
    return failures


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible(estimator, check):
    """Each scikit-learn check raises (AssertionError or the error it expects
    was not raised) when the estimator breaks that part of the contract."""
    check(estimator)


def test_every_expected_failure_is_documented_with_its_reason():
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "docs" / "user_guide" / "compatibility.rst").read_text()
    tables = (_NUMPY_OUTPUT, _LIST_IS_RAGGED, _ANY_LENGTH_FAILURES, _FIXED_LENGTH_FAILURES)
    assert sorted(name for table in tables for name in table if f"``{name}``" not in page) == []
