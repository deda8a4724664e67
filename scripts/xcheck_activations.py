#!/usr/bin/env python3
"""Cross-check of the activations SavedModel (MODELS/activations/1/) against Keras 3.

Every signature the Java catalogue exports is compared with Keras's own activation (or a
numpy formula where Keras has none, or where Keras is wrong), with the notebook's parameters:

- element-wise signatures (input x, outputs y and dydx): value and tf.GradientTape derivative on
  the notebook's grid, on the old extremes (+-100, +-1e4, -0) and on the new ones (+-1e38,
  +-3.4e38, +-float32 max); Java's y and dydx must have no NaN on any finite input and no Inf
  but where the function itself overflows float32 (exponential, selu); Keras is compared only
  where Keras itself is finite at the new extremes;
- row-wise signatures (inputs x and g, outputs y and vjp): value, and vjp against Keras's
  tf.GradientTape gradient of sum(keras_fn(x) * g), on the grid's rows, the old extreme rows
  and rows with huge entries, huge spreads, ties and +-float32 max; every row must give a
  probability vector (softmax, sparsemax), its log (log_softmax) or |glu| <= |a|, with finite
  VJPs.

run(models_dir) returns rows (what, max_diff, tolerance, status), status one of "pass",
"fail", "note" (a note states a known difference and cannot fail). A missing SavedModel,
signature, input or output is a "fail" row, never an exception. The rows carry no section
prefix: the caller adds one. Run as a script, it prints the table and exits 1 on any failure:

    xcheck_activations.py MODELS_DIR
"""
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.get_logger().setLevel("ERROR")
from keras import activations as A  # noqa: E402

PASS, FAIL, NOTE = "pass", "fail", "note"
NAN = float("nan")

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

# Points where Java deliberately differs from Keras, with the reason (reported as notes, not
# hidden). Derivatives at these exact x are excluded from the derivative check.
KINK_DIFFERENCES = {
    "celu": ([0.0], "Keras's max(x,0)+alpha*expm1(min(x,0)/alpha) gives 2 at 0 under autodiff; "
                    "Java's where-form gives the true derivative 1"),
    "binary_step": ([], "TF has no gradient for binary step: Java's dydx is 0, Keras has none"),
}

F32_MAX = float(np.finfo(np.float32).max)
SELU_SCALE = 1.0507009873554804934193349852946

# Where the function itself overflows float32 (value, derivative): nowhere else may Java's y
# or dydx be infinite for a finite input.
OVERFLOWS = {
    "exponential": (lambda x: x > np.log(F32_MAX), lambda x: x > np.log(F32_MAX)),
    "selu": (lambda x: x > F32_MAX / SELU_SCALE, lambda x: np.zeros(x.shape, dtype=bool)),
}


def grid():
    return np.array([-10 + i / 100 for i in range(2000)], dtype=np.float32)


FINITE_EXTREMES = np.array([100, -100, 1e4, -1e4, -0.0], dtype=np.float32)
HUGE = np.array([1e38, -1e38, 3.4e38, -3.4e38, F32_MAX, -F32_MAX], dtype=np.float32)
HUGE_TEXT = "+-1e38, +-3.4e38, +-max"

OLD_EXTREME_ROWS = np.array([[1e4, -1e4, 0, 1], [100, 100, -100, 0.5], [-1e4, -1e4, -1e4, -1e4]],
                            dtype=np.float32)
_BELOW_MAX = float(np.nextafter(np.float32(F32_MAX), np.float32(0)))
HUGE_ROWS = np.array([
    [1e7, 1e7, 0, 0],  # Java's sparsemax gave [0, 0, 0, 0] before issue 10
    [1e8, 1e8, 0, 0],  # ... and [5e7, 5e7, 0, 0] here
    [1e20, 1e20, 1e20, -1e20],
    [1e38, 1e38, -1e38, -1e38],
    [1e38, 0.5, 0.25, 1e38],
    [3.4e38, 3.4e38, 0, 0],
    [3.4e38, -3.4e38, 1e38, -1e38],
    [F32_MAX, F32_MAX, F32_MAX, F32_MAX],
    [-F32_MAX, -F32_MAX, -F32_MAX, -F32_MAX],
    [F32_MAX, -F32_MAX, 0, 1],
    [-F32_MAX, F32_MAX, -F32_MAX, F32_MAX],
    [F32_MAX, _BELOW_MAX, 0, -F32_MAX],
], dtype=np.float32)


def sparsemax_np(x):
    """Sparsemax by Martins & Astudillo (2016), in float64 numpy, row by row, on x - max(x)."""
    out = np.zeros(x.shape, dtype=np.float64)
    for i, row in enumerate(x.astype(np.float64)):
        z = row - row.max()
        s = np.sort(z)[::-1]
        cum = np.cumsum(s)
        k = np.arange(1, len(s) + 1)
        support = 1 + k * s > cum
        kz = k[support].max()
        tau = (cum[kz - 1] - 1) / kz
        out[i] = np.maximum(z - tau, 0)
    return out


def sparsemax_vjp_np(x, g):
    """The sparsemax VJP s * (g - mean of g over s), s the support, in float64 numpy."""
    s = (sparsemax_np(x) > 0).astype(np.float64)
    g = g.astype(np.float64)
    mean = (g * s).sum(axis=-1, keepdims=True) / s.sum(axis=-1, keepdims=True)
    return s * (g - mean)


def keras_fn(name):
    return FORMULA.get(name) or KERAS[name]


def keras_value_and_grad(name, x):
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = keras_fn(name)(xt)
    g = tape.gradient(y, xt)
    return np.asarray(y), (np.zeros_like(x) if g is None else np.asarray(g))


def keras_value_and_vjp(name, x, g):
    """Keras's y and the tf.GradientTape gradient of sum(y * g) with respect to x."""
    xt, gt = tf.constant(x), tf.constant(g)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = keras_fn(name)(xt)
        s = tf.reduce_sum(y * gt)
    v = tape.gradient(s, xt)
    return np.asarray(y), np.asarray(v)


def _max(a):
    a = np.asarray(a, dtype=np.float64)
    return float(a.max()) if a.size else 0.0


def _status(ok):
    return PASS if ok else FAIL


def _signature_io(sig):
    return set(sig.structured_input_signature[1].keys()), set(sig.structured_outputs.keys())


def check_element_wise(name, sig):
    rows = []
    old = np.concatenate([grid(), FINITE_EXTREMES])
    x = np.concatenate([old, HUGE])
    huge = np.arange(len(x)) >= len(old)
    out = sig(x=tf.constant(x))
    jy, jd = out["y"].numpy(), out["dydx"].numpy()
    ky, kd = keras_value_and_grad(name, x)

    # No NaN for finite input; Inf only where the function itself overflows (and then +Inf).
    ov_y, ov_d = (f(x.astype(np.float64)) for f in OVERFLOWS.get(
        name, (lambda t: np.zeros(t.shape, bool),) * 2))
    bad_y = np.isnan(jy) | (np.isinf(jy) & ~ov_y) | (ov_y & (jy != np.inf))
    bad_d = np.isnan(jd) | (np.isinf(jd) & ~ov_d) | (ov_d & (jd != np.inf))
    where = (f"; Inf where the function itself overflows: {int(ov_y.sum())} y, {int(ov_d.sum())}"
             f" dydx" if name in OVERFLOWS else "")
    rows.append((f"{name}: y, dydx have no NaN or Inf on {len(x)} finite x up to {HUGE_TEXT}"
                 f"{where} (bad entries)", float(bad_y.sum() + bad_d.sum()), "0", _status(
                     not bad_y.any() and not bad_d.any())))

    # Keras is compared at the new extremes only where Keras itself is finite (value and
    # derivative: where its value has overflowed, its derivative is no answer either).
    keras_finite = np.isfinite(ky) & np.isfinite(kd)
    compared = ~huge | keras_finite
    n_huge = f"{int((huge & keras_finite).sum())} of {int(huge.sum())}"
    tol_y = 1e-6 * np.maximum(1.0, np.abs(ky))
    with np.errstate(invalid="ignore"):
        dy = np.where(jy == ky, 0.0, np.abs(jy - ky))  # equal infinities count as equal
    # squareplus below -2000: Keras's literal form cancels to 0 in float32, Java's does not
    ok_mask = compared.copy()
    note = ""
    if name == "squareplus":
        ok_mask &= x > -2000
        low = ~(x > -2000) & ~huge
        note = f" (x < -2000 excluded: Keras 0, Java {jy[low].min():.3g}..)"
    rows.append((f"{name}: value{note}; {HUGE_TEXT} where Keras is finite ({n_huge})",
                 _max(dy[ok_mask]), "1e-6 x max(1,|y|)",
                 _status(bool((dy[ok_mask] <= tol_y[ok_mask]).all()))))

    skip, why = KINK_DIFFERENCES.get(name, ([], ""))
    if name == "binary_step":
        rows.append((f"{name}: dydx = 0 everywhere (Keras: no gradient; Java exports 0 by "
                     f"construction)", _max(np.abs(jd)), "-", NOTE))
    else:
        dmask = ~np.isin(x, np.array(skip, dtype=np.float32)) & compared
        with np.errstate(invalid="ignore"):
            dd = np.where(jd == kd, 0.0, np.abs(jd - kd))
        tol_d = 1e-5 * np.maximum(1.0, np.abs(kd))
        rows.append((f"{name}: dydx (tf.GradientTape); {HUGE_TEXT} where Keras is finite "
                     f"({n_huge})", _max(dd[dmask]), "1e-5 x max(1,|dy|)",
                     _status(bool((dd[dmask] <= tol_d[dmask]).all()))))
        for xs in skip:
            i = int(np.where(x == xs)[0][0])
            rows.append((f"{name}: dydx at {xs:g}: Java {jd[i]:g}, Keras {kd[i]:g} -- {why}",
                         abs(float(jd[i]) - float(kd[i])), "stated", NOTE))

    # IEEE specials: NaN in gives NaN out; +-Inf give the limits (Java), whatever Keras gives
    sp = sig(x=tf.constant(np.array([np.nan, np.inf, -np.inf], dtype=np.float32)))["y"].numpy()
    kinf, _ = keras_value_and_grad(name, np.array([np.inf, -np.inf], dtype=np.float32))
    rows.append((f"{name}: NaN -> NaN; f(+-Inf) = {sp[1]:g}, {sp[2]:g} (Keras {kinf[0]:g}, "
                 f"{kinf[1]:g})", 0.0, "no NaN at +-Inf",
                 _status(bool(np.isnan(sp[0]) and not np.isnan(sp[1:]).any()))))
    return rows


def check_row_wise(name, sig):
    rows = []
    old = np.concatenate([grid().reshape(-1, 4), OLD_EXTREME_ROWS])
    x = np.concatenate([old, HUGE_ROWS])
    huge = np.arange(len(x)) >= len(old)
    width = 2 if name == "glu" else 4
    # the upstream gradient, shaped like y; in [-1, 1] (a VJP scales with g: for glu, TF's Mul
    # gradient forms g * a, which overflows for |g * a| beyond the float32 max)
    g = np.random.default_rng(0).uniform(-1, 1, size=(len(x), width)).astype(np.float32)
    out = sig(x=tf.constant(x), g=tf.constant(g))
    jy, jv = out["y"].numpy(), out["vjp"].numpy()
    with np.errstate(all="ignore"):
        ky, kv = keras_value_and_vjp(name, x, g)
    reference = "Keras"
    if name == "sparsemax":
        # Keras 3.15's sparsemax (TF backend) takes tau = (sum of the cumulative sums over the
        # support - 1) / k instead of (the last cumulative sum - 1) / k: wrong whenever the
        # support has 2+ elements (sparsemax([0.1, 0.2]) = [0.35, 0.45], which does not sum to
        # 1). The check is against a numpy reference (value and VJP) instead.
        with np.errstate(invalid="ignore"):
            kdiff = np.abs(jy - ky)
        bad = ~(kdiff.max(axis=-1) <= 1e-3)
        rows.append((f"{name}: Keras differs on {int(bad.sum())} of {len(x)} rows (its tau sums "
                     f"the cumsums: a bug); numpy reference used", _max(kdiff[np.isfinite(kdiff)]),
                     "information", NOTE))
        ky, kv = sparsemax_np(x), sparsemax_vjp_np(x, g)
        reference = "numpy"

    # The old rows with the old tolerance (relative to the row's scale).
    scale = np.maximum(1.0, np.abs(x).max(axis=-1, keepdims=True))
    if name == "glu":
        scale = scale[:, :1]
    with np.errstate(invalid="ignore"):
        diff = np.abs(jy - ky)
    tol = 1e-6 * scale
    rows.append((f"{name}: value (grid rows + extremes)", _max(diff[~huge]), "1e-6 x row scale",
                 _status(bool((diff[~huge] <= tol[~huge]).all()))))

    # The huge rows, where the reference is finite, relative to max(1, |y|): absolute for the
    # probabilities (the row's scale would hide an error, as it hid sparsemax's).
    fin = np.isfinite(ky) & huge[:, None]
    with np.errstate(invalid="ignore"):
        dh = np.where(jy == ky, 0.0, np.abs(jy - ky))
    tol_h = 1e-6 * np.maximum(1.0, np.abs(ky))
    rows.append((f"{name}: value on {int(huge.sum())} rows with {HUGE_TEXT}, ties, huge spreads "
                 f"(where {reference} is finite: {int(fin.sum())} of {int(huge.sum()) * width})",
                 _max(dh[fin]), "1e-6 x max(1,|y|)", _status(bool((dh[fin] <= tol_h[fin]).all()))))

    # What every finite row must give, with absolute tolerances; finite VJPs.
    bad = ~np.isfinite(jv)
    if name == "log_softmax":
        # -Inf only where x - max(x) itself overflows float32 (a spread beyond the max)
        spread = x.astype(np.float64) - x.astype(np.float64).max(axis=-1, keepdims=True)
        overflows = spread < -F32_MAX
        bad_y = np.isnan(jy) | (np.isinf(jy) & ~overflows) | (overflows & (jy != -np.inf)) | (
            jy > 0)
        with np.errstate(over="ignore"):
            sums = np.exp(jy.astype(np.float64)).sum(axis=-1)
        what = (f"y <= 0, sum exp(y) = 1, -Inf only where x - max(x) overflows "
                f"({int(overflows.sum())})")
    elif name == "glu":
        bad_y = ~np.isfinite(jy) | (np.abs(jy) > np.abs(x[:, :2]))
        sums = np.ones(len(x))
        what = "y finite, |y| <= |a|"
    else:
        bad_y = ~np.isfinite(jy) | (jy < 0) | (jy > 1)
        sums = jy.astype(np.float64).sum(axis=-1)
        what = "y in [0, 1], sum y = 1"
    dev = np.abs(sums - 1)
    ok = not bad.any() and not bad_y.any() and bool((dev <= 1e-6).all())
    summed = "" if name == "glu" else "; max diff = max |sum - 1|"
    rows.append((f"{name}: all {len(x)} rows: {what}; vjp finite ({int(bad.sum() + bad_y.sum())}"
                 f" bad{summed})", _max(dev), "1e-6 absolute", _status(ok)))

    # The VJP against Keras's tape (numpy for sparsemax), where the reference is finite.
    vfin = np.isfinite(kv) & (~huge[:, None] | np.isfinite(ky).all(axis=-1, keepdims=True))
    with np.errstate(invalid="ignore"):
        dv = np.where(jv == kv, 0.0, np.abs(jv - kv))
    tol_v = 1e-5 * np.maximum(1.0, np.abs(kv))
    tape = "tf.GradientTape of sum(y * g)" if reference == "Keras" else "numpy VJP"
    rows.append((f"{name}: vjp vs {reference} ({tape}), all rows where {reference} is finite "
                 f"({int(vfin.sum())} of {vfin.size})", _max(dv[vfin]), "1e-5 x max(1,|vjp|)",
                 _status(bool((dv[vfin] <= tol_v[vfin]).all()))))
    return rows


def run(models_dir):
    """The activation rows (what, max_diff, tolerance, status) for MODELS_DIR/activations/1."""
    path = os.path.join(models_dir, "activations", "1")
    if not os.path.exists(os.path.join(path, "saved_model.pb")):
        return [(f"activations SavedModel missing: no {path}/saved_model.pb", NAN, "must exist",
                 FAIL)]
    try:
        m = tf.saved_model.load(path)
    except Exception as e:  # noqa: BLE001 -- reported as a failed row
        return [(f"activations SavedModel at {path} does not load: {type(e).__name__}: {e}",
                 NAN, "must load", FAIL)]
    sigs = m.signatures
    rows = []
    for name in sorted(KERAS):
        if name not in sigs:
            rows.append((f"{name}: signature missing from {path}", NAN, "must exist", FAIL))
            continue
        sig = sigs[name]
        inputs, outputs = _signature_io(sig)
        want_in, want_out = ({"x", "g"}, {"y", "vjp"}) if name in ROW_WISE else ({"x"},
                                                                                 {"y", "dydx"})
        missing = sorted(want_in - inputs) + sorted(want_out - outputs)
        if missing:
            rows.append((f"{name}: signature lacks {', '.join(missing)} (inputs "
                         f"{sorted(inputs)}, outputs {sorted(outputs)})", NAN,
                         "DESIGN.md's names", FAIL))
            continue
        try:
            rows += check_row_wise(name, sig) if name in ROW_WISE else check_element_wise(
                name, sig)
        except Exception as e:  # noqa: BLE001 -- reported as a failed row
            rows.append((f"{name}: the check raised {type(e).__name__}: {str(e)[:200]}", NAN,
                         "-", FAIL))
    for name in sorted(set(sigs) - set(KERAS)):
        rows.append((f"{name}: signature with no Keras reference here (add it to KERAS)", NAN,
                     "-", FAIL))
    return rows


def main(argv):
    if len(argv) != 2:
        print("usage: xcheck_activations.py MODELS_DIR", file=sys.stderr)
        return 2
    rows = run(argv[1])
    width = max(len(r[0]) for r in rows)
    print(f"| {'check':<{width}} | {'max diff':>10} | {'tolerance':<20} | result |")
    print(f"|{'-' * (width + 2)}|{'-' * 12}|{'-' * 22}|--------|")
    for what, diff, tol, status in rows:
        print(f"| {what:<{width}} | {diff:>10.3g} | {tol:<20} | {status:<6} |")
    counts = {s: sum(1 for r in rows if r[3] == s) for s in (PASS, FAIL, NOTE)}
    print(f"{counts[PASS]} passed, {counts[FAIL]} failed, {counts[NOTE]} notes")
    return 1 if counts[FAIL] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
