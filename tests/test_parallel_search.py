"""GridSearchCV in parallel: joblib processes, a Dask cluster (with a worker killed), cached features."""

import os
import signal
import threading
import time

import joblib
import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline

from skaudio.datasets import make_sounds
from skaudio.models import CNN1DClassifier
from skaudio.preprocessing import MFCC, FeatureScaler, FixedLength

SR = 8000
GRID = {"cnn1dclassifier__kernel_size": [3, 5]}


@pytest.fixture(scope="module")
def sounds():
    return make_sounds(12, classes=["tone", "noise_burst", "chirp"], sr=SR, duration=(0.3, 0.6), random_state=0)


def _pipeline(memory=None):
    return Pipeline(
        [
            ("fixedlength", FixedLength(duration=0.6, sr=SR, align="center")),
            ("mfcc", MFCC(sr=SR, n_mfcc=13, n_fft=256, hop_length=80, n_mels=40)),
            ("featurescaler", FeatureScaler(per_clip=True)),
            (
                "cnn1dclassifier",
                CNN1DClassifier(
                    padding="same",
                    global_pooling="avg",
                    dense_units=None,
                    epochs=2,
                    batch_size=16,
                    random_state=0,
                    run_eagerly=True,  # four training steps a fit: cheaper run than traced
                ),
            ),
        ],
        memory=memory,
    )


def _search(**kwargs):
    # Scored by log loss, not accuracy. Fits in another process differ from this one's in
    # float rounding (a worker limits TensorFlow to one thread, this process uses two): that
    # moves a continuous score by about 1e-7, but it can flip the label of a clip whose top
    # two probabilities nearly tie, and these 2-epoch models are close to chance, so
    # accuracies could differ by whole clips.
    return GridSearchCV(
        _pipeline(**kwargs), GRID, cv=StratifiedKFold(2, shuffle=True, random_state=0), scoring="neg_log_loss"
    )


@pytest.fixture(scope="module")
def local_search(sounds):
    X, y = sounds
    return _search().fit(X, y)


def _assert_same_search(search, reference, same_process=True):
    """The same candidates, the same scores and the same pick.

    Within one process the scores are identical; from other processes they may differ in
    float rounding only (see ``_search``), far below the 1e-2 that separates the candidates.
    """
    scores, expected = search.cv_results_["mean_test_score"], reference.cv_results_["mean_test_score"]
    assert search.cv_results_["params"] == reference.cv_results_["params"]
    if same_process:
        np.testing.assert_array_equal(scores, expected)
    else:
        np.testing.assert_allclose(scores, expected, rtol=1e-4)
    assert search.best_params_ == reference.best_params_


def test_cached_feature_steps_are_computed_once_per_split(sounds, local_search, tmp_path):
    X, y = sounds
    memory = joblib.Memory(tmp_path, verbose=0)
    search = _search(memory=memory).fit(X, y)
    _assert_same_search(search, local_search)
    # 2 candidates x 2 splits + the refit = 5 fits, but each feature step ran only for
    # the 2 training splits and the full data: 3 distinct cache entries per step
    entries = [p for p in tmp_path.rglob("output.pkl")]
    assert len(entries) == 3 * 3
    # a second search is served from the cache: no new entries
    _search(memory=memory).fit(X, y)
    assert len(list(tmp_path.rglob("output.pkl"))) == len(entries)


def test_n_jobs_2_picks_what_n_jobs_1_picks(sounds, local_search):
    X, y = sounds
    search = _search()
    search.set_params(n_jobs=2).fit(X, y)
    _assert_same_search(search, local_search, same_process=False)


@pytest.fixture(scope="module")
def dask_client():
    import distributed

    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        worker_dashboard_address=None,
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_search_on_a_dask_cluster_matches_the_local_search(sounds, local_search, dask_client):
    X, y = sounds
    with joblib.parallel_backend("dask"):
        search = _search().fit(X, y)
    _assert_same_search(search, local_search, same_process=False)
    # the fits ran in the workers, which limit TensorFlow to one thread each
    threads = dask_client.run(lambda: __import__("tensorflow").config.threading.get_intra_op_parallelism_threads())
    assert set(threads.values()) == {1}


def test_search_survives_a_worker_killed_mid_search(sounds, local_search, dask_client):
    X, y = sounds
    result = {}

    def run():
        # scatter=[X, y] copies the data to every worker: the data joblib
        # scatters by itself lives on one worker and dies with it
        with joblib.parallel_backend("dask", scatter=[X, y]):
            result["search"] = _search().fit(X, y)

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 120
    while not any(dask_client.processing().values()):  # wait until fits are running in the workers
        assert time.monotonic() < deadline, "the search never reached the workers"
        time.sleep(0.05)
    victim, pid = next(iter(dask_client.run(os.getpid).items()))
    os.kill(pid, signal.SIGKILL)
    thread.join(timeout=600)
    assert not thread.is_alive()
    _assert_same_search(result["search"], local_search, same_process=False)
    # the nanny restarted the killed worker
    dask_client.wait_for_workers(2, timeout=60)
    assert pid not in dask_client.run(os.getpid).values()
