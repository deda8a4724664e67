#!/usr/bin/env python3
"""Cross-check of Keras 3 .keras files, both ways, with the optimizer state.

Java -> Keras: every exported model's MODELS/<name>.keras opens with keras.saving.load_model as
a compiled model (Java's loss, Adam's hyperparameters, Adam's step count = the steps Java took);
its predictions equal Java's (run.json's probe); Keras continuing training for a few epochs in
order (shuffle=False) equals Java's `fit` continuing the same epochs from the same file.

Keras -> Java: every Keras reference run's KERAS/<name>/model.keras (model.fit, as the notebook) loads
in Java: Java's `predict` reproduces Keras's model.predict, and Java's `fit` continuing equals
Keras continuing.

The zoo (scripts/make_keras_fixtures.py's ZOO, built here by Keras at run time): every new layer,
optimizer and loss, Functional models with a skip connection, BatchNormalization and Dropout, two
inputs, merges and two outputs, both ways:
  Keras -> Java: Keras's file K.keras; Java's predict equals Keras's predict; Java continuing E
    epochs (in order, full batch) equals Keras continuing: weights, step count, History (loss and
    metrics).
  Java -> Keras: Java's file J.keras (written by that Java fit) opens compiled in Keras with the
    same optimizer (class and hyperparameters), loss and step count; Keras's predict on it equals
    Java's; Keras continuing from it equals Java continuing from it.
  Dropout: its randomness differs between the two (Java's masks come from TF's stateless
    generator, seeded by the fit's seed and step), so a model with an active Dropout is compared
    exactly in inference (both ways) and, for training, with Dropout off (the same graph with rate
    0: functional_skip_nodrop) and by the mask-free statistics of its training loss: a Dropout(0.4)
    on 200 ones before a fixed Dense(1) of ones gives (K/0.6)^2, K ~ Binomial(200, 0.6), per
    sample; Java's and Keras's mean epoch losses agree with each other and with the theory.

run(models, keras_dir, classpath) returns rows (what, max_diff, tolerance, status), status one
of "pass", "fail", "note". A missing file is a fail row.
"""
import json
import os
import tempfile

import numpy as np

import java_cli
import make_keras_fixtures as mk

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.get_logger().setLevel("ERROR")  # Keras's retracing warnings: one predict per model here

TRAINED = ["or-linear", "and-linear", "or-sigmoid", "and-sigmoid", "xor-sigmoid", "xor-mlp",
           "relu-parallel", "relu-serial", "xor-bce", "xor-prelu"]
# continuing: a few epochs in order; the gates full batch, the ReLU fits in batches of 32
CONTINUE = {"gates": (5, None), "relu": (1, 32)}
TOL = {"predict": 1e-6, "gates": 1e-5, "relu": 1e-4}


def _scaled_diff(got, want):
    """max |got - want| / max(1, |want|): float32 outputs of ~100 (the ReLU fits) differ in
    their last bit (7.6e-6) between two graphs of the same model."""
    got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
    if got.shape != want.shape:
        return float("inf")
    return float(np.max(np.abs(got - want) / np.maximum(1.0, np.abs(want))))


def _java(classpath, *args):
    """One Java command. A few epochs of a tiny model: XLA's compile would cost more than the
    training, and C1 alone starts faster (the XLA-compiled fit is checked by check 2)."""
    return java_cli.run(classpath, *args,
                        jvm=("-XX:TieredStopAtLevel=1", "-Dactivationlab.xla=false"))


def _csv(rows, path):
    with open(path, "w") as f:
        for r in rows:
            f.write(",".join(repr(float(v)) for v in r) + "\n")


def _weights(path):
    return [np.asarray(w, np.float64) for w in keras.saving.load_model(path).get_weights()]


def _max_diff(a, b):
    return max(float(np.max(np.abs(np.asarray(x, np.float64) - np.asarray(y, np.float64))))
               if np.shape(x) == np.shape(y) else float("inf") for x, y in zip(a, b))


def _continue(tag, name, start, x, y, classpath, tmp):
    """Keras and Java each continue from the same file; returns a row."""
    relu = name.startswith("relu")
    epochs, batch = CONTINUE["relu" if relu else "gates"]
    batch = batch or len(x)
    tol = TOL["relu" if relu else "gates"]
    k = keras.saving.load_model(start)
    it0 = int(k.optimizer.iterations.numpy())
    k.fit(np.asarray(x, np.float32), np.asarray(y, np.float32), epochs=epochs, batch_size=batch,
          shuffle=False, verbose=0)
    data = os.path.join(tmp, name + ".csv")
    _csv([list(a) + list(b) for a, b in zip(x, y)], data)
    out = os.path.join(tmp, name + ".continued.keras")
    p = _java(classpath, "fit", "--model", start, "--data", data, "--epochs", str(epochs),
              "--batch-size", str(batch), "--no-shuffle", "--out", out, "--force")
    what = (f"{tag} / {name}: Adam from step {it0}, {epochs} more epoch(s) in order (batch "
            f"{batch}): Java fit vs Keras fit, weights max |diff|")
    if p.returncode != 0:
        return (what + f" -- Java fit failed: {p.stderr.strip()[-200:]}", float("nan"), str(tol),
                "fail")
    j = keras.saving.load_model(out)
    steps_ok = int(j.optimizer.iterations.numpy()) == int(k.optimizer.iterations.numpy())
    d = _max_diff(j.get_weights(), k.get_weights())
    return (what + ("" if steps_ok else " -- step counts differ"), d, str(tol),
            "pass" if d <= tol and steps_ok else "fail")


def java_to_keras(models, classpath, tmp):
    rows = []
    for name in TRAINED:
        path = os.path.join(models, name + ".keras")
        run_json = os.path.join(models, name, "run.json")
        if not os.path.exists(path) or not os.path.exists(run_json):
            rows.append((f"java->keras / {name}: missing {path if not os.path.exists(path) else run_json}",
                         float("nan"), "present", "fail"))
            continue
        with open(run_json) as f:
            run = json.load(f)
        m = keras.saving.load_model(path)
        cc = m.get_compile_config()
        opt = cc["optimizer"]["config"]
        steps = sum(len(e) for e in run["batches"])
        loss = cc["loss"] if isinstance(cc["loss"], str) else cc["loss"]["class_name"]
        same = (loss == run["loss"] and abs(opt["learning_rate"] - run["optimizer"]["learning_rate"])
                <= 1e-7 * run["optimizer"]["learning_rate"]
                and int(m.optimizer.iterations.numpy()) == steps)
        rows.append((f"java->keras / {name}: load_model compiled: loss {loss}, Adam lr "
                     f"{opt['learning_rate']:.3g}, at step {int(m.optimizer.iterations.numpy())} "
                     f"(Java took {steps})", 0.0 if same else 1.0, "equal",
                     "pass" if same else "fail"))
        probe = np.array(run["probe"]["x"], np.float32)
        got = m.predict(probe, verbose=0)
        d = _scaled_diff(got, run["probe"]["y"])
        rows.append((f"java->keras / {name}: Keras predict vs Java's probe outputs", d,
                     f"{TOL['predict']:g} x max(1,|y|)", "pass" if d <= TOL["predict"] else "fail"))
        rows.append(_continue("java->keras", name, path, run["x"], run["y"], classpath, tmp))
    return rows


def keras_to_java(keras_dir, classpath, tmp):
    rows = []
    for name in TRAINED:
        path = os.path.join(keras_dir, name, "model.keras")
        ref_json = os.path.join(keras_dir, name, "keras.json")
        if not os.path.exists(path) or not os.path.exists(ref_json):
            rows.append((f"keras->java / {name}: missing {path if not os.path.exists(path) else ref_json}",
                         float("nan"), "present", "fail"))
            continue
        with open(ref_json) as f:
            ref = json.load(f)
        if "x" not in ref or "y" not in ref:
            rows.append((f"keras->java / {name}: {ref_json} has no training data", float("nan"),
                         "present", "fail"))
            continue
        probe = np.array(ref["probe"]["x"])
        csv = os.path.join(tmp, name + ".probe.csv")
        _csv(probe, csv)
        p = _java(classpath, "predict", "--model", path, "--input-file", csv)
        if p.returncode != 0:
            rows.append((f"keras->java / {name}: Java predict failed: {p.stderr.strip()[-200:]}",
                         float("nan"), str(TOL["predict"]), "fail"))
        else:
            lines = [l for l in p.stdout.splitlines() if "->" in l and not l.startswith("#")]
            got = np.array([[float(v) for v in l.split("->")[1].split(",")] for l in lines])
            want = np.array(ref["probe"]["y"])
            d = _scaled_diff(got, want)
            rows.append((f"keras->java / {name}: Java predict on Keras's .keras vs Keras "
                         f"model.predict, {len(want)} rows", d, f"{TOL['predict']:g} x max(1,|y|)",
                         "pass" if d <= TOL["predict"] else "fail"))
        rows.append(_continue("keras->java", name, path, ref["x"], ref["y"], classpath, tmp))
    return rows


# ---------------------------------------------------------------------- the zoo, both ways

ZOO_EPOCHS = 3
ZOO_TOL = {"predict": 1e-6, "weights": 2e-5, "history": 2e-5}


def _java_predict(classpath, path, flat, tmp, tag):
    csv = os.path.join(tmp, tag + ".probe.csv")
    _csv(flat, csv)
    p = _java(classpath, "predict", "--model", path, "--input-file", csv)
    if p.returncode != 0:
        return None, p.stderr.strip()[-300:]
    lines = [l for l in p.stdout.splitlines() if "->" in l and not l.startswith("#")]
    return np.array([[float(v) for v in l.split("->")[1].split(",")] for l in lines]), None


def _java_fit(classpath, path, flat_x, flat_y, epochs, out, tmp, tag):
    data = os.path.join(tmp, tag + ".train.csv")
    _csv(np.concatenate([flat_x, flat_y], 1), data)
    hist = out + ".history.json"
    p = _java(classpath, "fit", "--model", path, "--data", data, "--epochs", str(epochs),
              "--batch-size", str(len(flat_x)), "--no-shuffle", "--out", out, "--history", hist,
              "--force")
    if p.returncode != 0:
        return None, p.stderr.strip()[-300:]
    with open(hist) as f:
        return json.load(f), None


def _keras_continue(path, x, y, epochs):
    m = keras.saving.load_model(path)
    n = len(mk.flat_inputs(x))
    h = m.fit(x, y, epochs=epochs, batch_size=n, shuffle=False, verbose=0)
    return m, {k: [float(v) for v in vs] for k, vs in h.history.items()}


def _history_diff(java, keras_h):
    """max scaled diff over loss and the metrics both report (Keras also has per-output losses)."""
    keys = [k for k in java if k in keras_h]
    if "loss" not in keys:
        return float("inf"), keys
    return max(_scaled_diff(java[k], keras_h[k]) for k in keys), keys


def _both_continued(tag, name, start, x, y, fx, fy, classpath, tmp):
    """Java and Keras each continue from the same file; rows, and Java's file."""
    out = os.path.join(tmp, f"{name}.{tag}.keras")
    k, kh = _keras_continue(start, x, y, ZOO_EPOCHS)
    jh, err = _java_fit(classpath, start, fx, fy, ZOO_EPOCHS, out, tmp, f"{name}.{tag}")
    what = f"zoo {tag} / {name}: {ZOO_EPOCHS} more epochs in order, full batch"
    if err:
        return [(f"{what} -- Java fit failed: {err}", float("nan"), "runs", "fail")], None
    j = keras.saving.load_model(out)
    steps_ok = int(j.optimizer.iterations.numpy()) == int(k.optimizer.iterations.numpy())
    d = _max_diff(j.get_weights(), k.get_weights())
    hd, keys = _history_diff(jh, kh)
    return [
        (f"{what}: Java fit vs Keras fit, weights"
         + (" (the moving statistics too)" if any(isinstance(l, keras.layers.BatchNormalization)
                                                   for l in k.layers) else "")
         + ("" if steps_ok else " -- step counts differ"), d, str(ZOO_TOL["weights"]),
         "pass" if d <= ZOO_TOL["weights"] and steps_ok else "fail"),
        (f"{what}: Java's History vs Keras's ({', '.join(keys)})", hd,
         f"{ZOO_TOL['history']:g} x max(1,|h|)", "pass" if hd <= ZOO_TOL["history"] else "fail"),
    ], out


def _zoo_model(name, classpath, tmp):
    rows = []
    model, x, y = mk.zoo(name, 60 + list(mk.ZOO).index(name))
    fx, fy = mk.flat_inputs(x), mk.flat_outputs(y)
    kfile = os.path.join(tmp, name + ".keras")
    model.save(kfile)
    probe = mk.probe_for(model)
    fp = mk.flat_inputs(probe)
    want = mk.flat_outputs(model.predict(probe, verbose=0))
    got, err = _java_predict(classpath, kfile, fp, tmp, name + ".k")
    what = f"zoo keras->java / {name}: Java predict vs Keras predict, {len(fp)} rows"
    if err:
        rows.append((f"{what} -- Java failed: {err}", float("nan"), "runs", "fail"))
    else:
        d = _scaled_diff(got, want)
        rows.append((what, d, f"{ZOO_TOL['predict']:g} x max(1,|y|)",
                     "pass" if d <= ZOO_TOL["predict"] else "fail"))
    if mk.has_active_dropout(model):
        # training with an active Dropout: its own rows (statistics, and the rate-0 twin)
        jfile = os.path.join(tmp, name + ".java.keras")
        _, err = _java_fit(classpath, kfile, fx, fy, 1, jfile, tmp, name + ".dropout")
        if err:
            return rows + [(f"zoo java->keras / {name}: Java fit failed: {err}", float("nan"),
                            "runs", "fail")]
    else:
        more, jfile = _both_continued("keras->java", name, kfile, x, y, fx, fy, classpath, tmp)
        rows += more
        if jfile is None:
            return rows
    # Java -> Keras: Java's file opens compiled in Keras, predicts and trains on as Java does
    j = keras.saving.load_model(jfile)
    cc, kc = j.get_compile_config(), model.get_compile_config()
    same_opt = cc["optimizer"]["class_name"] == kc["optimizer"]["class_name"] and all(
        cc["optimizer"]["config"].get(key) == v for key, v in kc["optimizer"]["config"].items()
        if key not in ("name", "learning_rate"))
    lr_ok = abs(float(j.optimizer.learning_rate.numpy())
                - float(model.optimizer.learning_rate.numpy())) == 0
    same_loss = json.dumps(cc["loss"], sort_keys=True) == json.dumps(kc["loss"], sort_keys=True)
    same_metrics = json.dumps(cc.get("metrics"), sort_keys=True) == json.dumps(
        kc.get("metrics"), sort_keys=True)
    ok = same_opt and lr_ok and same_loss and same_metrics
    rows.append((f"zoo java->keras / {name}: load_model compiled: {cc['optimizer']['class_name']} "
                 f"with Keras's hyperparameters, the loss, metrics {cc['metrics']} (Keras's "
                 f"{kc.get('metrics')})", 0.0 if ok else 1.0, "equal", "pass" if ok else "fail"))
    got, err = _java_predict(classpath, jfile, fp, tmp, name + ".j")
    what = f"zoo java->keras / {name}: Keras predict on Java's file vs Java predict"
    if err:
        rows.append((f"{what} -- Java failed: {err}", float("nan"), "runs", "fail"))
    else:
        d = _scaled_diff(got, mk.flat_outputs(j.predict(probe, verbose=0)))
        rows.append((what, d, f"{ZOO_TOL['predict']:g} x max(1,|y|)",
                     "pass" if d <= ZOO_TOL["predict"] else "fail"))
    if not mk.has_active_dropout(model):
        more, _ = _both_continued("java->keras", name, jfile, x, y, fx, fy, classpath, tmp)
        rows += more
    return rows


def _dropout_statistics(classpath, tmp):
    """Dropout's training by its mask-free statistics: Java's and Keras's mean epoch loss of a
    Dropout(0.4) on 200 ones before a fixed Dense(1) of ones (target 0, SGD with a learning rate
    of 1e-30: the weights stay put) against each other and against E[(K/0.6)^2]."""
    n, rate, samples, epochs = 200, 0.4, 256, 20
    keras.utils.set_random_seed(90)
    m = keras.Sequential([keras.Input((n,)), keras.layers.Dropout(rate),
                          keras.layers.Dense(1, use_bias=False, kernel_initializer="ones")],
                         name="dropout_statistics")
    m.compile(loss="mse", optimizer=keras.optimizers.SGD(1e-30))
    x = np.ones((samples, n), "float32")
    y = np.zeros((samples, 1), "float32")
    path = os.path.join(tmp, "dropout_statistics.keras")
    m.save(path)
    kh = m.fit(x, y, epochs=epochs, batch_size=32, shuffle=False, verbose=0).history["loss"]
    data = os.path.join(tmp, "dropout_statistics.csv")
    _csv(np.concatenate([x, y], 1), data)
    hist = os.path.join(tmp, "dropout_statistics.history.json")
    p = _java(classpath, "fit", "--model", path, "--data", data, "--epochs", str(epochs),
              "--batch-size", "32", "--no-shuffle", "--out", path + ".java.keras", "--history",
              hist, "--force")
    what = (f"zoo dropout statistics: Dropout({rate}) on {n} ones, {samples} samples x {epochs} "
            "epochs, mean training loss")
    if p.returncode != 0:
        return [(f"{what} -- Java fit failed: {p.stderr.strip()[-300:]}", float("nan"), "runs",
                 "fail")]
    with open(hist) as f:
        jh = json.load(f)["loss"]
    keep = 1 - rate
    k_mean, k_var = n * keep, n * keep * rate
    expected = (k_var + k_mean ** 2) / keep ** 2
    # per-sample sd of (K/keep)^2, by the delta method; the mean of samples * epochs of them
    se = 2 * (k_mean / keep) * np.sqrt(k_var) / keep / np.sqrt(samples * epochs)
    jm, km = float(np.mean(jh)), float(np.mean(kh))
    rows = [(f"{what}: Java {jm:.0f} vs Keras {km:.0f} (standard error {se:.0f} each)",
             abs(jm - km) / se, "4 x sqrt(2) standard errors",
             "pass" if abs(jm - km) <= 4 * np.sqrt(2) * se else "fail")]
    for who, v in (("Java", jm), ("Keras", km)):
        rows.append((f"{what}: {who} {v:.0f} vs E[(K/{keep})^2] = {expected:.0f}, "
                     f"K ~ Binomial({n}, {keep})", abs(v - expected) / se, "4 standard errors",
                     "pass" if abs(v - expected) <= 4 * se else "fail"))
    return rows


def zoo_rows(classpath, tmp):
    rows = []
    for name in mk.ZOO:
        try:
            rows += _zoo_model(name, classpath, tmp)
        except Exception as e:  # noqa: BLE001 -- one model's failure is its own row
            rows.append((f"zoo / {name}: ERROR {type(e).__name__}: {str(e)[:300]}",
                         float("nan"), "no error", "fail"))
    rows += _dropout_statistics(classpath, tmp)
    return rows


def run(models, keras_dir, classpath):
    with tempfile.TemporaryDirectory() as tmp:
        return (java_to_keras(models, classpath, tmp) + keras_to_java(keras_dir, classpath, tmp)
                + zoo_rows(classpath, tmp))


if __name__ == "__main__":
    import sys
    if sys.argv[1] == "--zoo":  # the zoo alone: xcheck_keras_files.py --zoo CLASSPATH
        with tempfile.TemporaryDirectory() as t:
            rows = zoo_rows(sys.argv[2], t)
    else:
        rows = run(*sys.argv[1:4])
    for r in rows:
        print(f"| {r[0]} | {r[1]:.3g} | {r[2]} | {r[3]} |")
    sys.exit(1 if any(r[3] == "fail" for r in rows) else 0)
