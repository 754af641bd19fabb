"""Every public signature carries type hints.

Walks the ``__all__`` of the package and of each public subpackage and checks,
for every public function, and for every public class's ``__init__``,
``__call__`` and public methods and properties defined by skaudio (not those
inherited from scikit-learn, scikeras or Keras), that each parameter except
``self``/``cls`` is annotated and that the return is annotated. The
annotations are read unevaluated (``eval_str=False``), so the check holds for
any spelling of a hint. ``skaudio.cli`` is the command line's implementation, not
a library API, and is not walked.
"""

import importlib
import inspect
import pkgutil

import pytest

import skaudio

# skaudio and each of its public subpackages and modules, found rather than listed, so that a
# new one is checked too (the command line, skaudio.cli, is left out: see above)
PUBLIC_MODULES = ["skaudio"] + sorted(
    f"skaudio.{module.name}"
    for module in pkgutil.iter_modules(skaudio.__path__)
    if not module.name.startswith("_") and module.name != "cli"
)

# Dunder methods that are part of a class's public interface.
PUBLIC_DUNDERS = {"__init__", "__call__"}


def _in_skaudio(obj):
    return (getattr(obj, "__module__", None) or "").startswith("skaudio")


def _missing_hints(func):
    """Names of ``func``'s unannotated parameters, plus ``"return"`` when its return is unannotated."""
    signature = inspect.signature(func, eval_str=False)
    missing = [
        name
        for name, param in signature.parameters.items()
        if name not in ("self", "cls") and param.annotation is inspect.Parameter.empty
    ]
    if signature.return_annotation is inspect.Signature.empty:
        missing.append("return")
    return missing


def _class_members(cls):
    """``(qualified name, function)`` of the public methods and properties that skaudio classes define for ``cls``."""
    seen = set()
    for klass in cls.__mro__:
        if not _in_skaudio(klass):
            continue
        for name, attr in vars(klass).items():
            if name in seen or not (name in PUBLIC_DUNDERS or not name.startswith("_")):
                continue
            seen.add(name)
            if isinstance(attr, property):
                func = attr.fget
            elif isinstance(attr, (staticmethod, classmethod)):
                func = attr.__func__
            else:
                func = attr
            if not inspect.isfunction(inspect.unwrap(func)) or not _in_skaudio(func):
                continue
            if "." not in func.__qualname__:  # a module-level function stored on the class, not a method of it
                continue
            yield f"{klass.__module__}.{func.__qualname__}", func


def _public_callables(module_name):
    module = importlib.import_module(module_name)
    for public in module.__all__:
        obj = getattr(module, public)
        if not _in_skaudio(obj):
            continue
        if inspect.isclass(obj):
            yield from _class_members(obj)
        elif inspect.isfunction(inspect.unwrap(obj)):  # instances (scorers) and constants are data
            yield f"{obj.__module__}.{obj.__qualname__}", obj


def _offenders(module_name):
    return sorted(
        {
            f"{qualname}: {', '.join(missing)}"
            for qualname, func in _public_callables(module_name)
            if (missing := _missing_hints(func))
        }
    )


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_public_signatures_are_annotated(module_name):
    offenders = _offenders(module_name)
    assert not offenders, f"{module_name}: unannotated parameters or returns in\n  " + "\n  ".join(offenders)


def test_the_walk_finds_the_estimator_api():
    # A guard against a walk that silently checks nothing: inherited skaudio methods count, under their owner.
    names = {name for module in ("skaudio.preprocessing", "skaudio.models") for name, _ in _public_callables(module)}
    for expected in (
        "skaudio.preprocessing._mfcc.MFCC.__init__",
        "skaudio.preprocessing._base.SpectralTransformer.transform",
        "skaudio.models._classifier.CNN1DClassifier.__init__",
    ):
        assert expected in names, sorted(names)
