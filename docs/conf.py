"""Sphinx configuration of the skaudio documentation.

Build (from the repository root)::

    pip install -e '.[docs]'
    python -m sphinx -W --keep-going -b html docs docs/_build/html

Add ``-D plot_gallery=0`` to build without running the gallery examples.
"""

import os
import re
import sys
from pathlib import Path

# TensorFlow's C++ start-up chatter would otherwise land in the build log and
# in the captured output of the gallery examples.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

DOCS = Path(__file__).resolve().parent
# Build from a source checkout even when skaudio is not installed.
sys.path.insert(0, str(DOCS.parent))

import skaudio  # noqa: E402

# -- Project -----------------------------------------------------------------

project = "skaudio"
author = "the skaudio developers"
copyright = "the skaudio developers"
version = release = skaudio.__version__

# -- General -----------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
# examples/ holds the gallery sources; sphinx-gallery turns them into auto_examples/.
exclude_patterns = ["_build", "examples", "Thumbs.db", ".DS_Store", "**.ipynb_checkpoints"]
root_doc = "index"
default_role = "literal"  # `x` renders as code, never as a broken cross-reference
pygments_style = "sphinx"

# -- API reference: autosummary over each subpackage's ``__all__`` -----------

autosummary_generate = True
autosummary_ignore_module_all = False  # a module page lists exactly its __all__
autodoc_typehints = "none"
autodoc_member_order = "groupwise"
add_module_names = False

numpydoc_show_class_members = False  # the class template lists the methods
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False

# numpydoc validation: a docstring that breaks one of these checks is a
# warning, and the build (``-W``, as tests/test_docs.py runs it) fails.
# Chosen so that every docstring reads as a specification of its object:
#   PR01  every parameter of the signature is documented
#   PR02  no documented parameter is missing from the signature
#   PR04  every parameter has a type
#   PR07  every parameter has a description
#   PR10  "name : type" with a space on both sides of the colon
#   RT01  a function or method that returns a value has a Returns section
# Left out, as style rather than specification: summaries in the imperative
# (SS05), See Also and Examples on every object (SA01, EX01), extended
# summaries (ES01), and a description of every returned name (RT03: a
# method returning ``self`` needs none).
numpydoc_validation_checks = {"PR01", "PR02", "PR04", "PR07", "PR10", "RT01"}

# Estimators inherit dozens of members from scikeras, Keras and
# scikit-learn. Class pages show what skaudio defines plus the standard
# estimator interface, without scikeras' internal hooks.
SCIKERAS_HOOKS = {"feature_encoder", "target_encoder"}
ESTIMATOR_API = {
    "fit",
    "predict",
    "predict_proba",
    "decision_function",
    "transform",
    "fit_transform",
    "inverse_transform",
    "score",
    "get_params",
    "set_params",
    "get_feature_names_out",
}


def _defined_in_skaudio(obj):
    obj = getattr(obj, "fget", obj)  # properties
    obj = getattr(obj, "__func__", obj)  # class and static methods
    return (getattr(obj, "__module__", None) or "").startswith("skaudio")


def _inherited_api_members():
    """Names of the estimator-API methods that skaudio classes inherit without redefining them.

    Their docstrings are scikit-learn's and scikeras', documented upstream;
    numpydoc validation covers the docstrings skaudio writes.
    """
    import importlib

    names = []
    for package in API_PACKAGES:
        module = importlib.import_module(package)
        for public in module.__all__:
            cls = getattr(module, public)
            if not isinstance(cls, type):
                continue
            for member in sorted(ESTIMATOR_API):
                if hasattr(cls, member) and not _defined_in_skaudio(getattr(cls, member)):
                    names.append(rf"^{re.escape(f'{package}.{public}.{member}')}$")
    return names


# the subpackages of the API reference (docs/api.rst)
API_PACKAGES = [
    "skaudio.io",
    "skaudio.preprocessing",
    "skaudio.datasets",
    "skaudio.metrics",
    "skaudio.models",
    "skaudio.networks",
    "skaudio.pipelines",
    "skaudio.persistence",
    "skaudio.plotting",
    "skaudio.utils",
]
numpydoc_validation_exclude = set(_inherited_api_members())


def skip_member(app, what, name, obj, skip, options):
    """Skip members of skaudio classes that neither skaudio nor the estimator API defines."""
    if what != "class" or skip or name.startswith("_"):
        return None
    if name in SCIKERAS_HOOKS:
        return True
    if _defined_in_skaudio(obj) or name in ESTIMATOR_API:
        return None
    return True


# -- Gallery -----------------------------------------------------------------

sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "within_subsection_order": "FileNameSortKey",
    "doc_module": ("skaudio",),
    "backreferences_dir": "generated/backreferences",
    "download_all_examples": False,
    "remove_config_comments": True,
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "show_memory": False,
}

# -- HTML --------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"skaudio {release}"
html_static_path = []
html_show_sourcelink = False
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": [],
}
html_sidebars = {"index": [], "getting_started": [], "cli": []}


def unlink_upstream_references(app, what, name, obj, options, lines):
    """Turn ``:ref:`` roles in inherited scikit-learn docstrings into plain text.

    They point to labels of scikit-learn's own user guide (``metadata_routing``),
    which this site does not have.
    """
    if _defined_in_skaudio(obj):
        return
    for i, line in enumerate(lines):
        line = re.sub(r":ref:`([^`<]*?)\s*<[^`>]+>`", r"\1", line)
        lines[i] = re.sub(r":ref:`([^`]+)`", r"\1", line)


def setup(app):
    app.connect("autodoc-skip-member", skip_member)
    # before numpydoc's handler (priority 500) parses the docstring
    app.connect("autodoc-process-docstring", unlink_upstream_references, priority=400)
