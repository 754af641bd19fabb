"""Ensembles inside one estimator: ``n_networks`` networks per ``member_params`` entry, their outputs averaged.

Shared by :class:`~skaudio.models.CNN1DClassifier` and
:class:`~skaudio.models.CRNNEventDetector`. Each network trains on its own,
from its own seed, as an estimator with ``n_networks=1`` and no
``member_params`` would; the estimator then holds one Keras model whose
every output is the mean of the networks' (``network1``, ``network2``, ...),
so that predicting, saving and loading treat it as one network.
"""

from __future__ import annotations

from numbers import Integral
from typing import TYPE_CHECKING, Any

import keras
import numpy as np
from sklearn.base import clone
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval

if TYPE_CHECKING:
    from collections.abc import Callable

    from typing_extensions import Self


# the estimators' parameter constraints for n_networks and member_params
ENSEMBLE_CONSTRAINTS = {
    "n_networks": [Interval(Integral, 1, None, closed="left")],
    "member_params": [tuple, list, None],
}


def _set_member_parameter(entry, name, value, estimator_params):
    """Set ``name`` in one ``member_params`` entry (a dict).

    ``head__rest`` sets ``rest`` on a clone of the entry's ``head`` (or of the estimator's, which the entry would
    otherwise take).
    """
    head, _, rest = name.partition("__")
    nested = entry[head] if head in entry else estimator_params.get(head)
    if not rest or not hasattr(nested, "set_params"):
        entry[name] = value  # a parameter of the member (checked with the entries, before any training)
        return
    entry[head] = clone(nested).set_params(**{rest: value})


def averaged_networks(networks: list[keras.Model]) -> keras.Model:
    """One Keras model whose every output is the mean of that output of trained ``networks``.

    The outputs keep the networks' output names, so that code reading an
    output layer by name (``"probabilities"``) reads the average.
    """
    first = networks[0]
    inputs = keras.Input(shape=tuple(first.inputs[0].shape[1:]), name=first.inputs[0].name)
    # each network under its own name: their layers share names (each was built after clear_session)
    named = [keras.Model(net.inputs[0], net.outputs, name=f"network{k + 1}") for k, net in enumerate(networks)]
    outputs_of = [net(inputs) for net in named]
    outputs = [
        keras.layers.Average(name=name)([outputs[i] for outputs in outputs_of])
        for i, name in enumerate(first.output_names)
    ]
    return keras.Model(inputs, outputs if len(outputs) > 1 else outputs[0], name=f"{first.name}_ensemble")


class NetworkEnsembleMixin:
    """``n_networks`` and ``member_params`` for a skaudio scikeras estimator (see the module docstring).

    Subclasses list in ``_SHARED_BY_MEMBERS`` the parameters every network
    must share (an entry may not set them), may check a configured member
    further in ``_check_member``, and call ``_fit_members`` from ``fit``.
    """

    # parameters an entry of member_params cannot set: they are the ensemble's, not one network's
    _SHARED_BY_MEMBERS: tuple[str, ...] = ("n_networks",)
    # a model saved before an estimator had these parameters is loaded without them: one network
    n_networks = 1
    member_params = None

    def set_params(self, **params: Any) -> Self:
        """Set parameters, also one member's: ``member_params__<i>__<name>``.

        ``member_params__1__conv2d_filters=(8, 16)`` sets ``conv2d_filters``
        in entry 1 of ``member_params`` (a new tuple of new dicts: clones
        keep theirs), and ``member_params__1__front_end__spectrogram__n_mels=64``
        a parameter of that entry's front end (a clone of it, or of the
        estimator's for an entry without one), so that a grid search can
        tune one network of an ensemble. Other names are set as scikit-learn
        and scikeras set them.

        Parameters
        ----------
        **params : dict
            Parameter names and values.

        Returns
        -------
        self : object
            This estimator, its parameters set.
        """
        prefix = "member_params__"
        member_settings = {key: value for key, value in params.items() if key.startswith(prefix)}
        # the estimator's own parameters first: an entry without a front end takes the estimator's as now set
        super().set_params(**{key: value for key, value in params.items() if key not in member_settings})
        if not member_settings:
            return self
        if self.member_params is None:
            raise ValueError(
                f"{next(iter(member_settings))!r} sets a member's parameter, but member_params is None: there is "
                "one network; set its parameter without member_params__<i>__, or give member_params first."
            )
        entries = [dict(entry) if isinstance(entry, dict) else entry for entry in self.member_params]
        estimator_params = self.get_params(deep=False)
        for key, value in member_settings.items():
            index, _, name = key[len(prefix) :].partition("__")
            if not (index.isdigit() and int(index) < len(entries) and name):
                raise ValueError(
                    f"{key!r} names no member setting: member_params has {len(entries)} entries; use "
                    f"member_params__<i>__<parameter> with i from 0 to {len(entries) - 1}."
                )
            self._check_member_entry(int(index), entries[int(index)])
            _set_member_parameter(entries[int(index)], name, value, estimator_params)
            self._check_member_entry(int(index), entries[int(index)])  # names what the setting made unknown
        return super().set_params(member_params=tuple(entries))

    def _check_member_entry(self, k, configuration):
        """Refuse entry ``k`` of ``member_params`` if it is not a dict or names a parameter the estimator lacks."""
        if not isinstance(configuration, dict):
            raise ValueError(f"member_params[{k}] must be a dict of parameters, got {type(configuration).__name__}.")
        valid = set(self.get_params(deep=False))
        unknown = sorted(
            key
            for key in configuration
            if key not in valid and not any(key.startswith(f"{prefix}__") for prefix in self._routing_prefixes)
        )
        if unknown:
            raise ValueError(f"member_params[{k}] sets unknown parameter(s) {unknown} of {type(self).__name__}.")

    def _check_member(self, k, configuration, member):
        """Refuse a configured member that cannot join the others (ValueError naming entry ``k``); subclasses."""

    def _configured_members(self):
        """One unfitted estimator per entry of ``member_params`` (``n_networks=1``), checked before any training.

        A list of ``(entry, estimator)``; None without ``member_params``.
        """
        if self.member_params is None:
            return None
        configurations = list(self.member_params)
        if not configurations:
            raise ValueError("member_params must hold at least one dict of parameters (or be None), got an empty one.")
        shared = set(self._SHARED_BY_MEMBERS) | {"member_params", "random_state"}
        configured = []
        for k, configuration in enumerate(configurations):
            self._check_member_entry(k, configuration)
            fixed = sorted(set(configuration) & shared)
            if fixed:
                raise ValueError(
                    f"member_params[{k}] sets {fixed}: every network of the ensemble shares these (and the seed), "
                    f"so they are set on the {type(self).__name__} itself."
                )
            member = clone(self).set_params(member_params=None, n_networks=1, **configuration)
            try:
                member._check_params()
            except ValueError as exc:
                raise ValueError(f"member_params[{k}]: {exc}") from None
            self._check_member(k, configuration, member)
            configured.append((configuration, member))
        return configured

    def _check_partial_fit(self):
        super()._check_partial_fit()
        if self.n_networks != 1:
            raise ValueError(f"partial_fit trains one network; it needs n_networks=1, got {self.n_networks!r}.")
        if self.member_params is not None:
            raise ValueError("partial_fit trains one network; it needs member_params=None.")

    def _fit_members(self, configured, prepare: Callable[[dict, Any], Callable[[Any], Any]]) -> None:
        """Train ``n_networks`` networks per configured member; this estimator becomes their average.

        ``configured`` as ``_configured_members`` gives it (or None: this
        estimator's configuration alone). ``prepare(entry, member)`` does the
        work that one configuration's networks share (once) and returns
        ``fit(network) -> fitted network``. Seeds are drawn from
        ``random_state``, one per network.
        """
        if self.warm_start:
            raise ValueError(
                "warm_start=True continues one network's training; it needs n_networks=1 and member_params=None."
            )
        configured = configured or [({}, clone(self).set_params(n_networks=1))]
        n_networks = self.n_networks * len(configured)
        seeds = iter(check_random_state(self.random_state).randint(np.iinfo(np.int32).max, size=n_networks))
        members = []
        for configuration, template in configured:
            fit = prepare(configuration, template)
            for _ in range(self.n_networks):
                members.append(fit(clone(template).set_params(random_state=int(next(seeds)))))
        # the members' shared fitted state (encoders, shapes, classes; the first member's seed state), not their
        # parameters
        params = set(self.get_params(deep=False))
        self.__dict__.update({key: value for key, value in members[0].__dict__.items() if key not in params})
        self.model_ = averaged_networks([member.model_ for member in members])
        epochs_run = min(len(member.history_["loss"]) for member in members)  # early stopping may differ
        # the keys every member has (a member may validate or log metrics the others do not)
        keys = [key for key in members[0].history_ if all(key in member.history_ for member in members)]
        self.history_ = {
            key: np.mean([member.history_[key][:epochs_run] for member in members], axis=0).tolist() for key in keys
        }
