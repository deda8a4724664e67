#!/usr/bin/env python3
"""Cross-check of Activation Lab's SavedModels against Python TensorFlow / Keras 3.

Today: check 3 of issue 5 -- every signature of `<models>/activations/1/` against Keras 3's own
activation (or tf.nn / a numpy formula where Keras has none), value and derivative (derivative
from tf.GradientTape), on the notebook's grid and on extremes. Prints one table row per check
(largest difference found, tolerance) and `N passed, M failed`; exits non-zero on any failure.

Usage: cross_check.py MODELS_DIR
"""
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import activations as A  # noqa: E402

# The notebook's parameters (Keras's own defaults differ where noted).
KERAS = {
    "binary_step": None,  # not in Keras: numpy formula below
    "linear": A.linear,
    "sigmoid": A.sigmoid,
    "tanh": A.tanh,
    "relu": A.relu,
    "leaky_relu": lambda x: A.leaky_relu(x, negative_slope=0.01),  # Keras default 0.2
    "prelu": None,  # a layer in Keras: its formula relu(x) - alpha * relu(-x), alpha 0.1
    "elu": lambda x: A.elu(x, alpha=1.0),
    "softmax": A.softmax,
    "celu": lambda x: A.celu(x, alpha=1.0),
    "exponential": A.exponential,
    "gelu": lambda x: A.gelu(x, approximate=False),
    "gelu_tanh": lambda x: A.gelu(x, approximate=True),
    "glu": A.glu,
    "hard_shrink": lambda x: A.hard_shrink(x, threshold=0.5),
    "hard_sigmoid": A.hard_sigmoid,
    "hard_silu": A.hard_silu,
    "hard_tanh": A.hard_tanh,
    "log_sigmoid": A.log_sigmoid,
    "log_softmax": A.log_softmax,
    "mish": A.mish,
    "relu6": A.relu6,
    "selu": A.selu,
    "silu": A.silu,
    "soft_shrink": lambda x: A.soft_shrink(x, threshold=0.5),
    "softplus": A.softplus,
    "softsign": A.softsign,
    "sparse_plus": A.sparse_plus,
    "sparse_sigmoid": A.sparse_sigmoid,
    "sparsemax": A.sparsemax,
    "squareplus": lambda x: A.squareplus(x, b=4),
    "tanh_shrink": A.tanh_shrink,
    "threshold": lambda x: A.threshold(x, threshold=1.0, default_value=0.0),
}
FORMULA = {
    "binary_step": lambda x: tf.where(x < 0, tf.zeros_like(x), tf.ones_like(x)),
    "prelu": lambda x: tf.nn.relu(x) - 0.1 * tf.nn.relu(-x),
}
ROW_WISE = {"softmax", "log_softmax", "sparsemax", "glu"}

# Points where Java deliberately differs from Keras, with the reason (reported, not hidden).
# Derivatives at these exact x are excluded from the derivative check.
KINK_DIFFERENCES = {
    "celu": ([0.0], "Keras's max(x,0)+alpha*expm1(min(x,0)/alpha) gives 2 at 0 under autodiff; "
                    "Java's where-form gives the true derivative 1"),
    "binary_step": ([], "TF has no gradient for binary step: Java's dydx is 0, Keras has none"),
}


def sparsemax_np(x):
    """Sparsemax by Martins & Astudillo (2016), in float64 numpy, row by row."""
    out = np.zeros_like(x, dtype=np.float64)
    for i, row in enumerate(x.astype(np.float64)):
        z = np.sort(row)[::-1]
        cum = np.cumsum(z)
        k = np.arange(1, len(z) + 1)
        support = 1 + k * z > cum
        kz = k[support].max()
        tau = (cum[kz - 1] - 1) / kz
        out[i] = np.maximum(row - tau, 0)
    return out


def grid():
    return np.array([-10 + i / 100 for i in range(2000)], dtype=np.float32)


FINITE_EXTREMES = np.array([100, -100, 1e4, -1e4, -0.0], dtype=np.float32)


def keras_value_and_grad(name, x):
    fn = FORMULA.get(name) or KERAS[name]
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = fn(xt)
    g = tape.gradient(y, xt)
    return np.asarray(y), (np.zeros_like(x) if g is None else np.asarray(g))


def main(models):
    path = os.path.join(models, "activations", "1")
    m = tf.saved_model.load(path)
    rows = []
    for name, sig in sorted(m.signatures.items(), key=lambda kv: kv[0]):
        if name in ROW_WISE:
            rng = np.random.default_rng(0)
            x = np.concatenate([grid().reshape(-1, 4),
                                np.array([[1e4, -1e4, 0, 1], [100, 100, -100, 0.5],
                                          [-1e4, -1e4, -1e4, -1e4]], dtype=np.float32)])
            out = sig(x=tf.constant(x))
            ky, _ = keras_value_and_grad(name, x)
            jy = out["y"].numpy()
            if name == "sparsemax":
                # Keras 3.15's sparsemax (TF backend) takes tau = (sum of the cumulative sums over
                # the support - 1) / k instead of (the last cumulative sum - 1) / k: wrong whenever
                # the support has 2+ elements (sparsemax([0.1, 0.2]) = [0.35, 0.45], which does
                # not sum to 1). The check is against a numpy reference instead.
                bad = np.abs(jy - ky).max(axis=-1) > 1e-3
                rows.append((f"{name}: Keras differs on {int(bad.sum())} of {len(x)} rows "
                             f"(its tau sums the cumsums: a bug); numpy reference used",
                             float(np.abs(jy - ky).max()), "information", True))
                ky = sparsemax_np(x)
            scale = np.maximum(1.0, np.abs(x).max(axis=-1, keepdims=True))
            if name == "glu":
                scale = scale[:, :1]
            diff = np.abs(jy - ky)
            tol = 1e-6 * scale
            rows.append((f"{name}: value (grid rows + extremes)", diff.max(), "1e-6 x row scale",
                         bool((diff <= tol).all())))
            continue
        x = np.concatenate([grid(), FINITE_EXTREMES])
        out = sig(x=tf.constant(x))
        jy, jd = out["y"].numpy(), out["dydx"].numpy()
        ky, kd = keras_value_and_grad(name, x)
        tol_y = 1e-6 * np.maximum(1.0, np.abs(ky))
        dy = np.where(jy == ky, 0.0, np.abs(jy - ky))  # equal infinities count as equal
        # squareplus below -2000: Keras's literal form cancels to 0 in float32, Java's does not
        ok_mask = np.ones_like(x, dtype=bool)
        note = ""
        if name == "squareplus":
            ok_mask = x > -2000
            note = f" (x < -2000 excluded: Keras 0, Java {jy[~ok_mask].min():.3g}..)"
        rows.append((f"{name}: value{note}", dy[ok_mask].max(), "1e-6 x max(1,|y|)",
                     bool((dy[ok_mask] <= tol_y[ok_mask]).all())))
        skip, why = KINK_DIFFERENCES.get(name, ([], ""))
        dmask = ~np.isin(x, np.array(skip, dtype=np.float32))
        if name == "binary_step":
            rows.append((f"{name}: dydx = 0 everywhere (Keras: no gradient)", np.abs(jd).max(), "0",
                         bool((jd == 0).all())))
            continue
        dd = np.where(jd == kd, 0.0, np.abs(jd - kd))
        tol_d = 1e-5 * np.maximum(1.0, np.abs(kd))
        rows.append((f"{name}: dydx (tf.GradientTape)", dd[dmask].max(), "1e-5 x max(1,|dy|)",
                     bool((dd[dmask] <= tol_d[dmask]).all())))
        for xs in skip:
            i = int(np.where(x == xs)[0][0])
            rows.append((f"{name}: dydx at {xs:g}: Java {jd[i]:g}, Keras {kd[i]:g} -- {why}",
                         abs(jd[i] - kd[i]), "stated", True))
        # IEEE specials: NaN in gives NaN out; +-Inf give the limits (Java), whatever Keras gives
        sp = sig(x=tf.constant(np.array([np.nan, np.inf, -np.inf], dtype=np.float32)))["y"].numpy()
        kinf, _ = keras_value_and_grad(name, np.array([np.inf, -np.inf], dtype=np.float32))
        rows.append((f"{name}: NaN -> NaN; f(+-Inf) = {sp[1]:g}, {sp[2]:g} (Keras {kinf[0]:g}, {kinf[1]:g})",
                     0.0, "no NaN at +-Inf", bool(np.isnan(sp[0]) and not np.isnan(sp[1:]).any())))

    width = max(len(r[0]) for r in rows)
    print(f"| {'check':<{width}} | {'max diff':>10} | {'tolerance':<20} | result |")
    print(f"|{'-' * (width + 2)}|{'-' * 12}|{'-' * 22}|--------|")
    for what, diff, tol, ok in rows:
        print(f"| {what:<{width}} | {diff:>10.3g} | {tol:<20} | {'pass' if ok else 'FAIL':<6} |")
    passed = sum(1 for r in rows if r[3])
    failed = len(rows) - passed
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: cross_check.py MODELS_DIR", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
