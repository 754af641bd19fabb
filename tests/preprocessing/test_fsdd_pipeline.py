"""The feature pipeline on the real Free Spoken Digit recordings."""

import numpy as np
from sklearn.pipeline import make_pipeline

from skaudio.io import FSDD_PATTERN, AudioLoader, load_folder
from skaudio.preprocessing import MFCC, FeatureScaler, FixedLength


def test_loader_fixed_length_mfcc_scaler_on_fsdd(fsdd_path):
    bunch = load_folder(fsdd_path / "recordings", labels=FSDD_PATTERN)
    assert len(bunch.data) == 2500 and bunch.sr == 8000
    test_split = bunch.index.astype(int) < 5
    pipe = make_pipeline(
        AudioLoader(sr=8000),
        FixedLength(duration=1.0, sr=8000, align="center"),
        MFCC(sr=8000, n_mfcc=20, n_fft=512, hop_length=128),
        FeatureScaler(),
    )
    features = pipe.fit_transform(bunch.filenames[~test_split])
    assert features.shape == (2250, 63, 20) and features.dtype == np.float32
    np.testing.assert_allclose(features.reshape(-1, 20).mean(0), 0, atol=1e-3)
    test_features = pipe.transform(bunch.filenames[test_split])
    assert test_features.shape == (250, 63, 20)
    assert np.all(np.isfinite(test_features))
    # Digits are separable from the mean MFCC alone far above chance (0.1).
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(max_iter=2000).fit(features.mean(1), bunch.target[~test_split])
    assert clf.score(test_features.mean(1), bunch.target[test_split]) > 0.5
