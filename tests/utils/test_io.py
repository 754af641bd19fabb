"""atomic_path: the target holds its old content or the complete new file, never a part, and no temporary file stays."""

import os
import signal
import stat

import pytest

from skaudio.utils import atomic_path
from skaudio.utils._io import _umask


@pytest.fixture
def target(tmp_path):
    path = tmp_path / "model.joblib"
    path.write_bytes(b"the good old model")
    os.chmod(path, 0o640)
    return path


def test_success_replaces_the_target_and_keeps_its_permissions(target):
    with atomic_path(target) as tmp:
        assert os.path.dirname(tmp) == str(target.parent) and tmp.endswith(".joblib") and tmp != str(target)
        with open(tmp, "wb") as f:
            f.write(b"new")
        assert target.read_bytes() == b"the good old model"  # nothing moves before the block ends
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert os.listdir(target.parent) == ["model.joblib"]


def test_a_new_file_gets_the_usual_permissions(tmp_path):
    mask = os.umask(0o022)
    try:
        with atomic_path(tmp_path / "new.txt") as tmp, open(tmp, "w") as f:
            f.write("x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o644


@pytest.mark.parametrize(
    "error", [RuntimeError("the writer failed"), KeyboardInterrupt(), OSError(27, "File too large")]
)
def test_any_failure_leaves_the_target_and_removes_the_temporary_file(target, error):
    with pytest.raises(type(error)) as raised:
        with atomic_path(target) as tmp:
            with open(tmp, "wb") as f:
                f.write(b"half a mod")
            raise error
    assert target.read_bytes() == b"the good old model"
    assert os.listdir(target.parent) == ["model.joblib"]
    if isinstance(error, OSError):  # the message names the user's file
        assert raised.value.filename == str(target) and str(raised.value) == f"[Errno 27] File too large: '{target}'"


def test_a_folder_in_the_way_is_named_once(tmp_path):
    (tmp_path / "model.joblib").mkdir()
    with pytest.raises(IsADirectoryError) as raised:
        with atomic_path(tmp_path / "model.joblib") as tmp, open(tmp, "wb") as f:
            f.write(b"new")
    assert str(raised.value) == f"[Errno 21] Is a directory: '{tmp_path / 'model.joblib'}'"
    assert os.listdir(tmp_path) == ["model.joblib"]


def test_a_real_file_size_limit_leaves_the_target(target, tmp_path):
    """The disk fills (RLIMIT_FSIZE) in a child process while the new file is written."""
    import resource

    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))
            with atomic_path(target) as tmp, open(tmp, "wb") as f:
                f.write(b"x" * 5000)
        except OSError as exc:
            code = 3 if exc.filename == str(target) else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 3
    assert target.read_bytes() == b"the good old model"
    assert os.listdir(tmp_path) == ["model.joblib"]


def test_a_link_is_kept_and_the_file_it_points_to_replaced(target, tmp_path):
    link = tmp_path / "latest.joblib"
    os.symlink(target.name, link)
    with atomic_path(link) as tmp, open(tmp, "wb") as f:
        f.write(b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="folder .*nodir does not exist"):
        with atomic_path(tmp_path / "nodir" / "m.joblib"):
            pass


def test_without_replace_an_existing_target_is_never_replaced(target):
    with pytest.raises(FileExistsError) as raised:
        with atomic_path(target, replace=False) as tmp, open(tmp, "wb") as f:
            f.write(b"new")
    assert raised.value.filename == str(target)
    assert target.read_bytes() == b"the good old model"
    assert os.listdir(target.parent) == ["model.joblib"]


@pytest.mark.parametrize("hard_links", [True, False])
def test_without_replace_a_target_that_appears_meanwhile_is_kept(tmp_path, monkeypatch, hard_links):
    if not hard_links:  # a file system without them (FAT, some network shares)

        def no_link(*args):
            raise PermissionError(1, "Operation not permitted")

        monkeypatch.setattr(os, "link", no_link)
    target = tmp_path / "out.txt"
    with pytest.raises(FileExistsError):
        with atomic_path(target, replace=False) as tmp:
            with open(tmp, "w") as f:
                f.write("mine")
            target.write_text("another run's")  # appears after any check the caller made
    assert target.read_text() == "another run's" and os.listdir(tmp_path) == ["out.txt"]
    target.unlink()
    with atomic_path(target, replace=False) as tmp, open(tmp, "w") as f:
        f.write("mine")
    assert target.read_text() == "mine" and os.listdir(tmp_path) == ["out.txt"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()
