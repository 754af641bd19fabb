"""``python -m skaudio``: extract features from an embedded synthetic dataset.

Generates a small batch of synthetic sounds (:func:`skaudio.datasets.make_sounds`),
runs them through a feature Pipeline (FixedLength > MFCC > FeatureScaler) and
prints the shapes and the throughput. Nothing is downloaded.
"""

import argparse
import sys
import time


def main(argv=None):
    """Run the feature demo; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="skaudio", description=__doc__.splitlines()[0])
    parser.add_argument("--n-per-class", type=int, default=50, help="clips per class (default 50)")
    parser.add_argument("--sr", type=int, default=16000, help="sample rate in Hz (default 16000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)

    import numpy as np
    from sklearn.pipeline import make_pipeline

    from skaudio.datasets import make_sounds
    from skaudio.preprocessing import MFCC, FeatureScaler, FixedLength

    X, y = make_sounds(args.n_per_class, sr=args.sr, random_state=args.seed)
    lengths = np.array([len(clip) for clip in X])
    print(f"synthetic sounds: {len(X)} clips, {len(set(y))} classes ({', '.join(sorted(set(y)))}), "
          f"{lengths.min() / args.sr:.2f}-{lengths.max() / args.sr:.2f} s at {args.sr} Hz")
    pipe = make_pipeline(
        FixedLength(duration=1.0, sr=args.sr, align="center"),
        MFCC(sr=args.sr, n_mfcc=20, n_fft=512, hop_length=160, delta_order=1),
        FeatureScaler(),
    )
    pipe.fit(X)  # also loads librosa's filterbank code, which is not throughput
    start = time.perf_counter()
    features = pipe.transform(X)
    elapsed = time.perf_counter() - start
    print("pipeline:", " > ".join(type(step).__name__ for _, step in pipe.steps))
    print(f"features: shape {features.shape} (clips, frames, coefficients), dtype {features.dtype}")
    print(f"throughput: {len(X) / elapsed:,.0f} clips/s ({elapsed * 1000:.1f} ms for {len(X)} clips)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
