"""``skaudio train``: a whole Pipeline (loading, features, model) from a folder of recordings."""

import ast
import difflib
import inspect
import math
import os
import time
import warnings

import numpy as np
from scikeras.wrappers import BaseWrapper

from skaudio.cli._common import TASK_OPTIONS, CLIError, save_model
from skaudio.cli._files import check_output, warn_unread_audio
from skaudio.cli._noise import (
    mix_noises,
    noise_folders,
    noise_sources,
    overlapping_noise_folder,
)


def _checked_name(name, names, option):
    """``name`` if the pipeline has that parameter, else a CLIError with close matches.

    A Keras estimator's routed parameters (``cnn1dclassifier__optimizer__weight_decay``, ``..._fit__shuffle``) are
    not in ``get_params`` until set; they count when the step before the routing prefix is a scikeras estimator.
    """
    if name not in names and not _is_routed(name, names):
        close = [n for n in names if n.endswith("__" + name)] or difflib.get_close_matches(
            name, [n for n in names if "__" in n], n=3
        )
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise CLIError(f"{option}: the pipeline has no parameter {name!r}{hint}")
    return name


def _is_routed(name, names):
    """Whether ``name`` is ``<step>__<routing prefix>__<keyword>`` for a scikeras estimator ``<step>``."""
    parts = name.split("__")
    for i in range(1, len(parts) - 1):
        step = names.get("__".join(parts[:i]))
        if isinstance(step, BaseWrapper) and parts[i] in step._routing_prefixes and all(parts[i + 1 :]):
            return True
    return False


def parse_grid(items, pipeline):
    """``["cnn1dclassifier__kernel_size=3,5"]`` -> a GridSearchCV grid, names checked against the pipeline."""
    grid = {}
    names = pipeline.get_params()
    for item in items:
        if "=" not in item:
            raise CLIError(f"--grid expects PARAM=V1,V2,..., got {item!r}")
        name, values = item.split("=", 1)
        grid[_checked_name(name, names, "--grid")] = [_literal(value) for value in _split_values(values)]
    return grid


def parse_settings(items, pipeline):
    """``["cnn1dclassifier__n_networks=1"]`` -> ``set_params`` keywords, names checked against the pipeline."""
    settings = {}
    names = pipeline.get_params()
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not value.strip():
            raise CLIError(f"--set expects PARAM=VALUE, got {item!r}")
        settings[_checked_name(name, names, "--set")] = _literal(value.strip())
    return settings


def _configured(pipe, estimator_step, args):
    """The factory's pipeline with ``--epochs`` and ``--set`` applied (``--set`` wins).

    ``--epochs N`` trains N epochs: it also lifts the classifier's ``min_steps``, which would train a small set longer.
    """
    overrides = {}
    if args.epochs:
        overrides[f"{estimator_step}__epochs"] = args.epochs
        if f"{estimator_step}__min_steps" in pipe.get_params():
            overrides[f"{estimator_step}__min_steps"] = None
    overrides.update(parse_settings(args.set, pipe))  # names checked there; values at fit
    return pipe.set_params(**overrides)


def _split_values(text):
    """Split on commas outside parentheses, so tuples such as (16,32) stay whole."""
    values, depth, current = [], 0, ""
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == "," and depth == 0:
            values.append(current)
            current = ""
        else:
            current += char
    values.append(current)
    if any(not v.strip() for v in values):
        raise CLIError(f"--grid has an empty value in {text!r}")
    return [v.strip() for v in values]


def _literal(value):
    try:
        return ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return value  # a bare word, e.g. same or avg


def _noise_folders(args):
    """The folders of a denoise ``--noise``, checked as entries; none for the other tasks."""
    if args.task != "denoise" or args.noise is None:
        return []
    return noise_folders(args.noise)


def _check_paths(args):
    """Before anything is loaded or trained: the data folder exists, and --out may be written.

    --out may not be one of the training files or noise recordings, whatever --force says.
    """
    from skaudio.io import list_audio_files

    if os.path.isfile(args.data):
        raise CLIError(f"--data {args.data} is a file: give the folder that holds the recordings")
    if not os.path.isdir(args.data):
        raise CLIError(f"data folder not found: {args.data}")
    inputs = []
    if os.path.lexists(args.out):  # only an existing file can be one of them
        folders = [args.data, *_noise_folders(args)]
        inputs = [os.path.join(folder, rel) for folder in folders for rel in list_audio_files(folder)]
    check_output(args.out, inputs=inputs, force=args.force)


def _option(dest):
    return "--" + dest.replace("_", "-")


def _check_task_options(args):
    """Refuse another task's options (they would be ignored), fill in this task's defaults, check them.

    Runs before the data are loaded, so that a slip costs no waiting. Sets ``args.snr_db`` for denoise.
    """
    foreign = [
        f"{_option(dest)} is an option of --task {task}"
        for task, options in TASK_OPTIONS.items()
        if task != args.task
        for dest in options
        if getattr(args, dest) is not None
    ]
    if foreign:
        raise CLIError(f"{'; '.join(foreign)}, not of --task {args.task}")
    for dest, default in TASK_OPTIONS[args.task].items():
        if getattr(args, dest) is None:
            setattr(args, dest, default)
    if args.task != "denoise":
        return
    augmentation = [_option(dest) for dest in ("noise_filter_db", "noise_speed_perturbation") if getattr(args, dest)]
    if augmentation and args.mixtures < 2:
        raise CLIError(
            f"{' and '.join(augmentation)}: augmentation applies to the extra mixtures of each training file "
            "(the first keeps the noise as recorded): it needs --mixtures 2 or more"
        )
    args.snr_db = _snr_range(args.snr)
    folder = overlapping_noise_folder(args.data, args.noise)  # every entry checked
    if folder is not None:
        raise CLIError(
            f"--data {args.data} and the --noise folder {folder} overlap (one holds the other): the noise "
            "recordings would be trained on as clean recordings, or the clean ones mixed in as noise; give "
            "a --noise folder apart from --data"
        )


def _load(args, labels):
    from skaudio.io import load_folder
    from skaudio.io._folder import MixedSampleRatesError

    warn_unread_audio(args.data, "--data")
    try:
        bunch = load_folder(args.data, sr=args.sr, labels=labels, verbose=args.verbose)
    except MixedSampleRatesError as exc:
        raise CLIError(f"{exc} On the command line: --sr HZ.") from None
    if len(bunch.data) < 4:
        raise CLIError(f"{args.data} holds {len(bunch.data)} audio files; training needs at least 4")
    if args.task == "classify" and len(bunch.target_names) < 2:
        found = f"one class, {str(bunch.target_names[0])!r}" if len(bunch.target_names) else "no class"
        how = "one subfolder per class" if args.labels == "subfolder" else f"file names matching {args.labels!r}"
        raise CLIError(f"{args.data} holds {found}: a classifier needs at least 2 classes ({how})")
    if labels is not None:
        # the held-out split (and --cv) is stratified: every class needs a file on each side
        counts = np.bincount(bunch.target, minlength=len(bunch.target_names))
        few = [f"{str(name)!r} ({count})" for name, count in zip(bunch.target_names, counts) if count < 2]
        if few:
            raise CLIError(
                f"{args.data}: every class needs at least 2 files for a held-out score; too few in {', '.join(few)}"
            )
    # scikit-learn's split rounds the held-out share up; with labels, it is stratified: each side needs every class
    n_files = len(bunch.data)
    n_held_out = math.ceil(args.test_size * n_files)
    if labels is not None and min(n_held_out, n_files - n_held_out) < len(bunch.target_names):
        raise CLIError(
            f"{args.data}: --test-size {args.test_size} of {n_files} files holds out {n_held_out} and trains on "
            f"{n_files - n_held_out}, but each side needs a file of every one of the {len(bunch.target_names)} "
            "classes (change --test-size or add files)"
        )
    if n_files - n_held_out < 1:
        raise CLIError(f"{args.data}: --test-size {args.test_size} of {n_files} files leaves none to train on")
    return bunch


def _check_unusable_files(bunch, task, frame):
    """Silent files and files shorter than one analysis frame (``frame`` samples), by file name, once.

    Silent files are trained on as their class when classifying (a warning), but cannot be events or
    clean speech to mix noise into at an SNR (an error); short files are warned about, except as events.
    The models would say the same of each training split by clip index, which means nothing here, so
    their own warnings of that kind are silenced for the rest of the command.
    """
    from skaudio.utils import UnusableClipWarning, named, unusable_clips

    silent, short = unusable_clips(bunch.data, frame)
    if silent:
        files = named([str(bunch.filenames[i]) for i in silent])
        if task == "detect":
            raise CLIError(f"{len(silent)} silent file(s), no sample above -120 dBFS, cannot be events: {files}")
        if task == "denoise":
            raise CLIError(
                f"{len(silent)} silent file(s), no sample above -120 dBFS: no noise can be mixed into them at an "
                f"SNR: {files}"
            )
        warnings.warn(
            f"{len(silent)} silent file(s), no sample above -120 dBFS, trained on as their class all the same: {files}",
            UserWarning,
            stacklevel=2,
        )
    if short and task != "detect":  # an event may be a click: the scene around it gives the frames
        warnings.warn(
            f"{len(short)} file(s) shorter than one analysis frame ({frame} samples at {bunch.sr} Hz): "
            f"{named([str(bunch.filenames[i]) for i in short])}",
            UserWarning,
            stacklevel=2,
        )
    warnings.filterwarnings("ignore", category=UnusableClipWarning)


def _check_fit_in_scenes(bunch, scene_duration):
    """Every file, trimmed as the scenes trim it, must fit in a training scene: an error naming those that do not."""
    from skaudio.datasets import make_event_scenes
    from skaudio.datasets._scenes import trimmed_events
    from skaudio.utils import named

    trim_db = inspect.signature(make_event_scenes).parameters["trim_db"].default
    lengths = [len(clip) for clip in trimmed_events(bunch.data, trim_db, bunch.sr)]
    too_long = sorted(
        (i for i, length in enumerate(lengths) if length > scene_duration * bunch.sr), key=lambda i: -lengths[i]
    )
    if too_long:
        files = named([f"{bunch.filenames[i]} ({lengths[i] / bunch.sr:.2f} s)" for i in too_long])
        raise CLIError(
            f"{len(too_long)} file(s) last longer than a --scene-duration of {scene_duration:g} s, even trimmed to "
            f"where they are within {trim_db:g} dB of their peak, so they cannot be placed in a training scene: "
            f"{files} (raise --scene-duration, or cut the files to their events)"
        )


def _check_folds(counts, n_splits):
    """Stratified folds of the training files, by class (``counts``: name -> training files).

    A class with a single training file cannot be cross-validated (the fold that tests it trains
    without it): an error naming it. One with fewer files than folds leaves some folds without a
    test file of it: a warning naming it, instead of scikit-learn's, which names none; every class
    with fewer files than folds is an error naming the option (scikit-learn's names neither).
    """
    single = [f"{str(name)!r}" for name, count in counts.items() if count < 2]
    if single:
        raise CLIError(
            f"{', '.join(single)}: 1 training file (after the held-out share), so cross-validation cannot test "
            "it on a fold trained with it (add files, or leave out --cv and --grid)"
        )
    few = [f"{str(name)!r} ({count})" for name, count in counts.items() if count < n_splits]
    if len(few) == len(counts):
        raise CLIError(
            f"{n_splits}-fold cross-validation: every class has fewer training files than folds: {', '.join(few)} "
            f"(give --cv {max(counts.values())} or fewer, or add files)"
        )
    if few:
        warnings.warn(
            f"{n_splits}-fold cross-validation: fewer training files than folds in {', '.join(few)}, so some folds "
            "test no file of these classes",
            UserWarning,
            stacklevel=2,
        )
    warnings.filterwarnings("ignore", message="The least populated class in y has only", category=UserWarning)


def _search_or_cv(pipeline, grid, X, y, *, cv, score_cv, scoring=None, groups=None):
    """Fit on (X, y): GridSearchCV when there is a grid, else cross-validate (if ``score_cv``) then fit.

    ``groups`` keeps examples of one group (mixtures of one clean file) in one fold.
    Returns (model, cross-validated score or None, best parameters or None).
    """
    from sklearn.model_selection import GridSearchCV, cross_val_score

    if grid:
        search = GridSearchCV(pipeline, grid, cv=cv, scoring=scoring, error_score="raise").fit(X, y, groups=groups)
        return search.best_estimator_, float(search.best_score_), {k: repr(v) for k, v in search.best_params_.items()}
    cv_score = None
    if score_cv:
        scores = cross_val_score(pipeline, X, y, groups=groups, cv=cv, scoring=scoring, error_score="raise")
        cv_score = float(np.mean(scores))
    return pipeline.fit(X, y), cv_score, None


def _more_mixtures(clips, sources, snr_db, args, rng):
    """``args.mixtures - 1`` more noisy versions of every clip: (noisy, clean, index of each pair's clip).

    Each round mixes the clips among themselves (babble never hears a copy of its own clip), with the
    noise augmentation of ``args``.
    """
    augmentation = {
        "noise_filter_db": args.noise_filter_db,
        "noise_speed_perturbation": args.noise_speed_perturbation,
    }
    noisy, clean, groups = [], [], []
    for _ in range(args.mixtures - 1):
        round_noisy, round_clean = mix_noises(clips, sources, snr_db, rng, **augmentation)
        noisy += round_noisy
        clean += round_clean
        groups += range(len(clips))
    return noisy, clean, np.asarray(groups, dtype=np.int64)


def train(args):
    """Run ``skaudio train``; prints scores and returns the saved metadata."""
    from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold, train_test_split

    from skaudio import pipelines

    start = time.perf_counter()
    seed = args.seed
    labels = None if args.task == "denoise" else args.labels
    _check_paths(args)
    _check_task_options(args)
    bunch = _load(args, labels)
    sr = bunch.sr
    # --cv 0 or 1: no cross-validated score (a grid still needs folds: 3)
    folds = args.cv if args.cv and args.cv >= 2 else None
    split = dict(n_splits=folds or 3, shuffle=True, random_state=seed)
    print(
        f"{args.task}: {len(bunch.data)} files at {bunch.sr} Hz; training on {1 - args.test_size:.0%} of them"
        + (f" ({split['n_splits']}-fold cross-validation first)" if folds or args.grid else "")
        + f", scoring on the other {args.test_size:.0%} ...",
        flush=True,
    )
    extra = {"data": os.path.abspath(args.data), "n_files": len(bunch.data)}
    if args.task == "classify":
        y = bunch.target_names[bunch.target]
        X_train, X_test, y_train, y_test = train_test_split(
            bunch.data, y, test_size=args.test_size, stratify=y, random_state=seed
        )
        features = args.features or inspect.signature(pipelines.make_classifier_pipeline).parameters["features"].default
        try:
            pipe = pipelines.make_classifier_pipeline(
                sr=sr, features=features, random_state=seed, verbose=int(args.verbose > 1)
            )
        except ValueError as exc:
            raise CLIError(f"--features: {exc}") from None
        extra["features"] = features
        pipe = _configured(pipe, "cnn1dclassifier", args)
        _check_unusable_files(bunch, "classify", pipe[-1]._analysis_frame())
        if folds or args.grid:
            names, counts = np.unique(y_train, return_counts=True)
            _check_folds(dict(zip(names, counts)), split["n_splits"])
        model, cv_score, best = _search_or_cv(
            pipe, parse_grid(args.grid, pipe), X_train, y_train, cv=StratifiedKFold(**split), score_cv=bool(folds)
        )
        held_out = float(model.score(X_test, y_test))
        metric, names = "accuracy", list(bunch.target_names)
        X_all, y_all, unit = bunch.data, y, "files"
    elif args.task == "detect":
        from skaudio.datasets import make_event_scenes
        from skaudio.metrics import event_f1_scorer

        _check_unusable_files(bunch, "detect", None)
        _check_fit_in_scenes(bunch, args.scene_duration)
        y = bunch.target_names[bunch.target]
        train_idx, test_idx = train_test_split(
            np.arange(len(y)), test_size=args.test_size, stratify=y, random_state=seed
        )

        def scenes(idx, n, offset):
            return make_event_scenes(
                [bunch.data[i] for i in idx],
                y[idx],
                n_scenes=n,
                sr=sr,
                duration=args.scene_duration,
                backgrounds="pink",
                random_state=seed + offset,
            )

        X_train, y_train = scenes(train_idx, args.scenes, 0)
        X_test, y_test = scenes(test_idx, max(10, args.scenes // 4), 1)
        pipe = pipelines.make_event_detector_pipeline(sr=sr, random_state=seed, verbose=int(args.verbose > 1))
        pipe = _configured(pipe, "crnneventdetector", args)
        # event lists cannot be stratified: plain KFold
        model, cv_score, best = _search_or_cv(
            pipe,
            parse_grid(args.grid, pipe),
            X_train,
            y_train,
            cv=KFold(**split),
            score_cv=bool(folds),
            scoring=event_f1_scorer,
        )
        held_out = float(event_f1_scorer(model, X_test, y_test))
        metric, names = "event-based F1", list(bunch.target_names)
        X_all, y_all, unit = np.concatenate([X_train, X_test]), [*y_train, *y_test], "scenes"
        extra["scene_duration"] = args.scene_duration
    else:
        from skaudio.metrics import si_sdr_improvement

        _check_unusable_files(bunch, "denoise", pipelines.frame_settings(sr)[0])
        noises, sources = noise_sources(args.noise, sr)
        low, high = snr = args.snr_db
        rng = np.random.default_rng(seed)
        noisy, clean = mix_noises(bunch.data, sources, snr, rng)  # one mixture of every file
        train_idx, test_idx = train_test_split(np.arange(len(noisy)), test_size=args.test_size, random_state=seed)
        if (folds or args.grid) and len(train_idx) < split["n_splits"]:
            raise CLIError(
                f"{split['n_splits']}-fold cross-validation needs at least {split['n_splits']} training files "
                f"(after the held-out share), got {len(train_idx)} (lower --cv, or add files)"
            )
        pick = lambda items, idx: [items[i] for i in idx]  # noqa: E731
        # more mixtures of the training files only: every mixture of a file stays on its side (and CV fold)
        more_noisy, more_clean, more_groups = _more_mixtures(pick(bunch.data, train_idx), sources, snr, args, rng)
        pipe = pipelines.make_denoiser_pipeline(sr=sr, random_state=seed, verbose=int(args.verbose > 1))
        pipe = _configured(pipe, "cnn1ddenoiser", args)
        model, cv_score, best = _search_or_cv(
            pipe,
            parse_grid(args.grid, pipe),
            [*pick(noisy, train_idx), *more_noisy],
            [*pick(clean, train_idx), *more_clean],
            cv=GroupKFold(n_splits=split["n_splits"], shuffle=True, random_state=seed),
            score_cv=bool(folds),
            groups=np.concatenate([np.arange(len(train_idx)), more_groups]),
        )
        test_noisy, test_clean = pick(noisy, test_idx), pick(clean, test_idx)
        held_out = float(np.mean(si_sdr_improvement(test_clean, model.predict(test_noisy), test_noisy)))
        metric, names = "SI-SDR improvement (dB)", None
        # the refit: as many mixtures of every file
        more_noisy, more_clean, _ = _more_mixtures(bunch.data, sources, snr, args, rng)
        X_all, y_all, unit = [*noisy, *more_noisy], [*clean, *more_clean], "noisy/clean pairs"
        extra.update(
            noise=noises,
            snr_db=[low, high],
            mixtures=args.mixtures,
            noise_filter_db=args.noise_filter_db,
            noise_speed_perturbation=args.noise_speed_perturbation,
        )
    cv_metric = "SI-SDR (dB)" if args.task == "denoise" else metric
    if cv_score is not None:
        print(
            f"cross-validated {cv_metric} ({'best of grid, ' if best else ''}{split['n_splits']} folds): {cv_score:.4f}"
        )
    print(f"held-out {metric}: {held_out:.4f}")
    if best:
        print("best parameters: " + ", ".join(f"{k}={v}" for k, v in best.items()))
    extra["scores"] = {
        "cross_validated": cv_score,
        "cross_validated_metric": cv_metric,
        "held_out": held_out,
        "held_out_metric": metric,
    }
    extra["best_params"] = best
    if args.refit:
        from sklearn.base import clone

        # the held-out score measured this pipeline; the saved one learns from every example as well
        print(f"refitting on all {len(X_all)} {unit} (training and held-out) before saving ...", flush=True)
        model = clone(model).fit(X_all, y_all)
    extra["refit_on_all"] = bool(args.refit)
    extra["train_seconds"] = round(time.perf_counter() - start, 1)
    metadata = save_model(model, args.out, task=args.task, sr=sr, labels=names, extra=extra, force=args.force)
    print(f"saved {args.out} ({args.task}, {sr} Hz, trained in {extra['train_seconds']:.0f} s)")
    return metadata


def _snr_range(text):
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        raise CLIError(f"--snr expects LOW,HIGH in dB (or one value), got {text!r}") from None
    if not all(math.isfinite(v) for v in values):
        raise CLIError(f"--snr expects finite dB values, got {text!r}")
    if len(values) == 1:
        values = values * 2
    if len(values) != 2 or values[0] > values[1]:
        raise CLIError(f"--snr expects LOW,HIGH with LOW <= HIGH, got {text!r}")
    return values[0], values[1]
