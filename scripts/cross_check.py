#!/usr/bin/env python3
"""Cross-check of Activation Lab against Python TensorFlow 2.21 / Keras 3, both ways.

1. Java -> Python, serving: every MODELS/<name>/1/ loads with tf.saved_model.load and its
   serving_default signature, fed run.json's probe inputs, gives the probe outputs Java recorded.
2. Keras parity of training: each run.json's model rebuilt in Keras, set_weights(initial_weights),
   trained with the same Adam on exactly the recorded batches, in order; final weights and probe
   outputs compared with Java's, with the per-epoch loss drift.
3. Activations: every signature of MODELS/activations/1/ against Keras's own activation (or a
   numpy formula), value and tf.GradientTape derivative, on the notebook's grid and extremes.
4. Python -> Java: the Keras reference runs (scripts/keras_reference.py, model.fit as the notebook
   does, exported with model.export()) loaded by Java's `predict`, which must reproduce Keras's
   predictions.
5. The notebook's results as each side gets them, side by side.

Prints one table row per check (largest difference found, tolerance), then `N passed, M failed`;
exits non-zero on any failure.

Usage: cross_check.py MODELS_DIR [KERAS_DIR JAVA_CLASSPATH]
"""
import json
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

tf.get_logger().setLevel("ERROR")
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


def check_activations(models):
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
    return [("3 activations / " + r[0],) + r[1:] for r in rows]


TRAINED = ["or-linear", "and-linear", "or-sigmoid", "and-sigmoid", "xor-sigmoid", "xor-mlp",
           "relu-parallel", "relu-serial"]


def load_run(models, name):
    with open(os.path.join(models, name, "run.json")) as f:
        return json.load(f)


def check_serving(models):
    rows = []
    for name in TRAINED:
        run = load_run(models, name)
        sig = tf.saved_model.load(os.path.join(models, name, "1")).signatures["serving_default"]
        got = sig(x=tf.constant(run["probe"]["x"], dtype=tf.float32))["y"].numpy()
        diff = float(np.abs(got - np.array(run["probe"]["y"])).max())
        rows.append((f"1 serving / {name}: tf.saved_model.load, {len(got)} probe rows", diff, "1e-6",
                     diff <= 1e-6))
    return rows


def keras_model(run):
    layers = [keras.Input(shape=(run["input_dim"],))]
    for spec in run["layers"]:
        layers.append(keras.layers.Dense(spec["units"], activation=spec["activation"]))
    model = keras.Sequential(layers)
    model.set_weights([np.array(w, dtype=np.float32) for w in run["initial_weights"]])
    return model


def replay(run):
    """Keras, trained on exactly the batches Java recorded, with the same Adam."""
    model = keras_model(run)
    o = run["optimizer"]
    opt = keras.optimizers.Adam(learning_rate=o["learning_rate"], beta_1=o["beta_1"],
                                beta_2=o["beta_2"], epsilon=o["epsilon"])
    mse = keras.losses.MeanSquaredError()
    x = np.array(run["x"], dtype=np.float32)
    y = np.array(run["y"], dtype=np.float32)

    @tf.function(reduce_retracing=True)
    def step(xb, yb):
        with tf.GradientTape() as tape:
            loss = mse(yb, model(xb, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    history = []
    for epoch in run["batches"]:
        total = 0.0
        for idx in epoch:
            total += float(step(tf.constant(x[idx]), tf.constant(y[idx]))) * len(idx)
        history.append(total / len(x))
    return model, np.array(history)


def check_training(models):
    rows = []
    for name in TRAINED:
        run = load_run(models, name)
        model, history = replay(run)
        relu = name.startswith("relu")
        jw = [np.array(w, dtype=np.float64) for w in run["final_weights"]]
        kw = [w.astype(np.float64) for w in model.get_weights()]
        wdiff = max(float(np.abs(a - b).max()) for a, b in zip(jw, kw))
        scale = max(float(np.abs(a).max()) for a in jw)
        jp = np.array(run["probe"]["y"])
        kp = model(tf.constant(run["probe"]["x"], dtype=tf.float32)).numpy()
        pdiff = float(np.abs(jp - kp).max())
        jh = np.array(run["history"]["loss"])
        drift = np.abs(jh - history) / np.maximum(np.abs(history), 1e-12)
        worst = int(np.argmax(drift))
        steps = sum(len(e) for e in run["batches"])
        if relu:
            ok = wdiff <= 1e-3 * scale and pdiff <= 1e-3 * max(1.0, float(np.abs(kp).max()))
            tol = "1e-3 relative"
            what = f"weights max |diff| (scale {scale:.3g}), probe max |diff| {pdiff:.3g}"
        else:
            ok = wdiff <= 1e-5 and pdiff <= 1e-5
            tol = "1e-5 absolute"
            what = f"weights max |diff|, probe max |diff| {pdiff:.3g}"
        rows.append((f"2 training / {name}: {steps} Adam steps on the recorded batches; {what}; "
                     f"loss drift max {drift.max():.2g} (epoch {worst + 1})", wdiff, tol, ok))
    return rows


def check_keras_in_java(keras_dir, classpath):
    rows = []
    for name in TRAINED:
        with open(os.path.join(keras_dir, name, "keras.json")) as f:
            ref = json.load(f)
        probe = np.array(ref["probe"]["x"])
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
            for r in probe:
                f.write(",".join(repr(float(v)) for v in r) + "\n")
            csv = f.name
        cmd = ["java", "-cp", classpath, "io.github.activationlab.cli.Main", "predict",
               "--model", os.path.join(keras_dir, name), "--input-file", csv]
        p = subprocess.run(cmd, capture_output=True, text=True,
                           env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"))
        os.unlink(csv)
        if p.returncode != 0:
            rows.append((f"4 keras->java / {name}: Java predict failed: {p.stderr.strip()[-200:]}",
                         float("nan"), "1e-6", False))
            continue
        lines = [l for l in p.stdout.splitlines() if "->" in l and not l.startswith("#")]
        # Java prints the shortest decimal of each float32: parse it back to that float32
        got = np.array([[float(v) for v in l.split("->")[1].split(",")] for l in lines]).astype(np.float32)
        # the export as Python serves it: the same graph and kernels Java runs
        sig = tf.saved_model.load(os.path.join(keras_dir, name, "1")).signatures["serving_default"]
        (arg, spec), = sig.structured_input_signature[1].items()
        served = list(sig(**{arg: tf.constant(probe, dtype=spec.dtype)}).values())[0].numpy()
        diff = float(np.abs(got - served).max())
        vs_predict = float(np.abs(got - np.array(ref["probe"]["y"])).max())
        rows.append((f"4 keras->java / {name}: Keras model.export() -> Java predict, {len(got)} rows "
                     f"(vs Keras model.predict: {vs_predict:.2g})",
                     diff, "1e-6", diff <= 1e-6))
    return rows


def story(models, keras_dir):
    rows = []
    print()
    print("| model | Java loss | Java acc | Keras loss | Keras acc | Keras fit (s) |")
    print("|---|---:|---:|---:|---:|---:|")
    res = {}
    for name in TRAINED:
        run = load_run(models, name)
        with open(os.path.join(keras_dir, name, "keras.json")) as f:
            k = json.load(f)
        jl, ja = run["history"]["loss"][-1], run["history"]["accuracy"][-1]
        res[name] = (jl, ja, k["loss"], k["accuracy"], k.get("mse_vs_truth"), run)
        print(f"| {name} | {jl:.4f} | {ja:.2f} | {k['loss']:.4f} | {k['accuracy']:.2f} | {k['fit_seconds']:.1f} |")
    print()
    xs = res["xor-sigmoid"]
    rows.append(("5 story / one sigmoid layer fails on XOR on both sides (loss ~0.25)",
                 abs(xs[0] - xs[2]), "both > 0.2", xs[0] > 0.2 and xs[2] > 0.2))
    xm = res["xor-mlp"]
    rows.append((f"5 story / the XOR MLP beats one layer (Java loss {xm[0]:.4f}, Keras {xm[2]:.4f})",
                 abs(xm[0] - xm[2]), "both < one layer", xm[0] < xs[0] and xm[2] < xs[2]))
    for g in ("or-linear", "and-linear"):
        rows.append((f"5 story / {g} reaches least squares 1/16 on both sides", abs(res[g][0] - res[g][2]),
                     "|loss - 0.0625| < 1e-3", abs(res[g][0] - 0.0625) < 1e-3 and abs(res[g][2] - 0.0625) < 1e-3))

    def mse_truth(run):
        x = np.array(run["probe"]["x"])[:, 0]
        return float(np.mean((np.array(run["probe"]["y"])[:, 0] - x ** 2) ** 2))
    jp, js = mse_truth(res["relu-parallel"][5]), mse_truth(res["relu-serial"][5])
    kp, ks = res["relu-parallel"][4], res["relu-serial"][4]
    rows.append((f"5 story / ReLU fits, MSE vs x^2: Java parallel {jp:.1f} serial {js:.1f}; Keras parallel "
                 f"{kp:.1f} serial {ks:.1f} (seed-dependent; reported)", abs(jp - kp), "parallel < 20 both",
                 jp < 20 and kp < 20))
    return rows


def main(models, keras_dir=None, classpath=None):
    rows = []
    trained = all(os.path.exists(os.path.join(models, n, "run.json")) for n in TRAINED)
    if trained:
        rows += check_serving(models)
        rows += check_training(models)
    import xcheck_activations  # scripts/xcheck_activations.py
    rows += [("3 activations / " + r[0], r[1], r[2], r[3] != "fail")
             for r in xcheck_activations.run(models)]
    if keras_dir and trained:
        if classpath:
            rows += check_keras_in_java(keras_dir, classpath)
        rows += story(models, keras_dir)
    if not trained:
        print(f"(no trained models in {models}: checks 1, 2, 4, 5 need `export` first)")
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
    if len(sys.argv) not in (2, 3, 4):
        print("usage: cross_check.py MODELS_DIR [KERAS_DIR [JAVA_CLASSPATH]]", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
