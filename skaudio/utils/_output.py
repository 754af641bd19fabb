"""Output containers of skaudio's transformers under scikit-learn's ``set_output``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from typing_extensions import Self


class ArrayOutputMixin:
    """Transformers whose output is waveforms or 3D features: always NumPy.

    scikit-learn's ``set_output(transform="pandas")`` (or ``"polars"``) and
    ``sklearn.set_config(transform_output=...)`` give 2D tables a DataFrame
    form. A waveform batch or a ``(n_clips, n_frames, n_features)`` feature
    batch has no such form, so skaudio's transformers accept the setting,
    for a Pipeline or a notebook that sets it globally, and return NumPy
    arrays (or lists of arrays) as always.
    """

    def __init_subclass__(cls, auto_wrap_output_keys=None, **kwargs):
        # scikit-learn wraps transform to build a table once a class has get_feature_names_out; a waveform
        # or 3D feature batch has no table form, so it never does for these
        super().__init_subclass__(auto_wrap_output_keys=auto_wrap_output_keys, **kwargs)

    def set_output(self, *, transform: Literal["default", "pandas", "polars"] | None = None) -> Self:
        """Accept an output container setting; the output stays NumPy.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"} or None, default=None
            Ignored: waveforms and 3D feature batches have no table form.

        Returns
        -------
        self : object
        """
        if transform not in (None, "default", "pandas", "polars"):
            raise ValueError(f"transform must be 'default', 'pandas', 'polars' or None, got {transform!r}.")
        return self
