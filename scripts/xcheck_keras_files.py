#!/usr/bin/env python3
"""Cross-check of Keras 3 .keras files, both ways, with the optimizer state.

Java -> Keras: every exported model's MODELS/<name>.keras opens with keras.saving.load_model as
a compiled model (Java's loss, Adam's hyperparameters, Adam's step count = the steps Java took);
its predictions equal Java's (run.json's probe); Keras continuing training for a few epochs in
order (shuffle=False) equals Java's `fit` continuing the same epochs from the same file.

Keras -> Java: every Keras reference run's KERAS/<name>/model.keras (model.fit, as the notebook) loads
in Java: Java's `predict` reproduces Keras's model.predict, and Java's `fit` continuing equals
Keras continuing.

run(models, keras_dir, classpath) returns rows (what, max_diff, tolerance, status), status one
of "pass", "fail", "note". A missing file is a fail row.
"""
import json
import os
import tempfile

import numpy as np

import java_cli

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


def run(models, keras_dir, classpath):
    with tempfile.TemporaryDirectory() as tmp:
        return java_to_keras(models, classpath, tmp) + keras_to_java(keras_dir, classpath, tmp)


if __name__ == "__main__":
    import sys
    rows = run(*sys.argv[1:4])
    for r in rows:
        print(f"| {r[0]} | {r[1]:.3g} | {r[2]} | {r[3]} |")
    sys.exit(1 if any(r[3] == "fail" for r in rows) else 0)
