#!/usr/bin/env python3
"""Checks a `.keras` file in Keras 3: it loads, and (with EXPECTED_JSON) holds what it should.

  scripts/check_keras_file.py FILE.keras [EXPECTED.json] [--tol 1e-6]

Loads FILE with `keras.saving.load_model(FILE)` (compile=True) and prints what Keras made of it:
layers, loss, optimizer hyperparameters, optimizer iterations and variable count. Any Keras
warning while loading (e.g. "Skipping variable loading for optimizer") is a failure.

With EXPECTED.json (the format of core/src/test/resources/keras-files/*.expected.json, which
scripts/make_keras_fixtures.py and the Java round-trip test write) it also compares, printing
the largest absolute difference of each:
  - the weights of every layer (Keras's get_weights() vs "layers[*].weights");
  - the compile config (loss, optimizer class, Adam's learning_rate/beta_1/beta_2/epsilon/amsgrad);
  - Adam's state: iterations, learning_rate, m and v per trainable weight;
  - predictions on "probe.x" vs "probe.y";
  - when "train" is given and the file has Adam state: one more training step. The gradient is
    taken once with tf.GradientTape (model.compute_loss, as fit does); a numpy Adam step with
    Keras's formulas from the EXPECTED state gives the new weights, m and v; then
    model.train_on_batch does the step in Keras and both are compared.
Exits 1 if anything differs by more than --tol (default 1e-6), 0 otherwise.
"""
import argparse
import json
import os
import sys
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402


def flat(a):
    return np.asarray(a, dtype=np.float64).ravel()


def maxdiff(a, b):
    a, b = flat(a), flat(b)
    if a.shape != b.shape:
        return float("inf")
    return float(np.max(np.abs(a - b))) if a.size else 0.0


class Report:
    def __init__(self, tol):
        self.tol = tol
        self.failed = []

    def diff(self, what, d):
        ok = d <= self.tol
        print(f"  {'ok  ' if ok else 'FAIL'} {what}: max |diff| = {d:.3g}")
        if not ok:
            self.failed.append(what)

    def same(self, what, got, want):
        ok = got == want
        print(f"  {'ok  ' if ok else 'FAIL'} {what}: {got!r}" + ("" if ok else f" != {want!r}"))
        if not ok:
            self.failed.append(what)


def describe(model):
    print(f"model {model.name!r}: input {model.inputs[0].shape} {model.inputs[0].dtype}")
    for layer in model.layers:
        cfg = layer.get_config()
        extra = {k: cfg[k] for k in ("units", "activation", "negative_slope", "alpha",
                                     "max_value", "axis") if k in cfg}
        print(f"  {type(layer).__name__:10s} {layer.name!r} {layer.dtype_policy.name} {extra} "
              f"weights {[tuple(w.shape) for w in layer.weights]}")
    if model.compiled:
        opt = model.optimizer
        print(f"  compiled: loss={model.loss!r} optimizer={type(opt).__name__} "
              f"lr={float(opt.learning_rate.numpy()):.9g} beta_1={opt.beta_1} "
              f"beta_2={opt.beta_2} epsilon={opt.epsilon} amsgrad={getattr(opt, 'amsgrad', None)}"
              f" iterations={int(opt.iterations.numpy())} variables={len(opt.variables)}")
    else:
        print("  not compiled")


def adam_step(w, g, m, v, t, lr, b1, b2, eps):
    """Keras 3's Adam.update_step in float64 numpy; t = iterations + 1.

    Trap (measured, TF backend): the bias correction uses beta_1 and beta_2 ROUNDED TO FLOAT32
    even for float64 variables (`ops.cast(self.beta_2, variable.dtype)` makes a float32 tensor
    of the Python float first), while m and v use the Python floats' `1 - beta`. With exact
    0.999 a float64 model's step differs by a factor 1 - 6.5e-6 at t = 13; this way it is exact.
    """
    m = m + (g - m) * (1 - b1)
    v = v + (g * g - v) * (1 - b2)
    b1_32, b2_32 = float(np.float32(b1)), float(np.float32(b2))
    alpha = lr * np.sqrt(1 - b2_32 ** t) / (1 - b1_32 ** t)
    return w - (m * alpha) / (np.sqrt(v) + eps), m, v


def check(model, exp, rep):
    rep.same("input_dim", int(model.inputs[0].shape[-1]), exp["input_dim"])
    rep.same("input dtype", model.inputs[0].dtype, exp["input_dtype"])
    rep.same("layer count", len(model.layers), len(exp["layers"]))
    trainable_exp = []
    for layer, le in zip(model.layers, exp["layers"]):
        rep.same(f"layer {layer.name!r} dtype", layer.dtype_policy.name, le["dtype"])
        got = layer.get_weights()
        rep.same(f"layer {layer.name!r} weight count", len(got), len(le["weights"]))
        for g, we in zip(got, le["weights"]):
            rep.same(f"layer {layer.name!r} {we['name']} shape", list(g.shape), we["shape"])
            rep.diff(f"layer {layer.name!r} {we['name']}", maxdiff(g, we["values"]))
            trainable_exp.append((g.shape, we["values"]))
    ce = exp.get("compile")
    rep.same("compiled", bool(model.compiled), ce is not None)
    if ce is not None and model.compiled:
        rep.same("loss", model.loss, ce["loss"])
        rep.same("optimizer", type(model.optimizer).__name__, ce["optimizer"])
        oc = ce.get("optimizer_config") or {}
        opt = model.optimizer
        for k in ("beta_1", "beta_2", "epsilon", "amsgrad"):
            if k in oc:
                rep.same(f"optimizer {k}", getattr(opt, k), oc[k])
        if "learning_rate" in oc:
            rep.diff("optimizer config learning_rate (as float32)",
                     abs(float(opt.learning_rate.numpy()) - float(np.float32(oc["learning_rate"]))))
    ae = exp.get("adam")
    if ae is not None:
        opt = model.optimizer
        rep.same("optimizer variable count", len(opt.variables), 2 + 2 * len(ae["m"]))
        rep.same("iterations", int(opt.iterations.numpy()), ae["iterations"])
        rep.diff("learning_rate variable", abs(float(opt.learning_rate.numpy())
                                               - ae["learning_rate"]))
        for i, (m, v) in enumerate(zip(opt._momentums, opt._velocities)):
            rep.diff(f"Adam m[{i}]", maxdiff(m.numpy(), ae["m"][i]))
            rep.diff(f"Adam v[{i}]", maxdiff(v.numpy(), ae["v"][i]))
    probe = exp.get("probe")
    if probe:
        x = np.asarray(probe["x"], dtype=model.inputs[0].dtype)
        rep.diff("predictions on probe.x", maxdiff(model.predict(x, verbose=0), probe["y"]))
    train = exp.get("train")
    if train and ae is not None and model.compiled:
        x = np.asarray(train["x"], dtype=model.inputs[0].dtype)
        y = np.asarray(train["y"], dtype="float32")
        with tf.GradientTape() as tape:
            y_pred = model(x, training=True)
            loss = model.compute_loss(x=x, y=y, y_pred=y_pred, training=True)
        grads = tape.gradient(loss, model.trainable_variables)
        opt = model.optimizer
        oc = ce.get("optimizer_config") or {}
        b1, b2 = oc.get("beta_1", 0.9), oc.get("beta_2", 0.999)
        eps, lr = oc.get("epsilon", 1e-7), ae["learning_rate"]
        t = ae["iterations"] + 1
        want = [adam_step(flat(w), flat(g.numpy()), np.asarray(m, np.float64),
                          np.asarray(v, np.float64), t, lr, b1, b2, eps)
                for (_, w), g, m, v in zip(trainable_exp, grads, ae["m"], ae["v"])]
        model.train_on_batch(x, y)
        rep.same("iterations after one step", int(opt.iterations.numpy()), t)
        for i, (var, (w, m, v)) in enumerate(zip(model.trainable_variables, want)):
            rep.diff(f"step: weight {i} ({var.path})", maxdiff(var.numpy(), w))
            rep.diff(f"step: Adam m[{i}]", maxdiff(opt._momentums[i].numpy(), m))
            rep.diff(f"step: Adam v[{i}]", maxdiff(opt._velocities[i].numpy(), v))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file")
    ap.add_argument("expected", nargs="?")
    ap.add_argument("--tol", type=float, default=1e-6)
    args = ap.parse_args()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = keras.saving.load_model(args.file)
    rep = Report(args.tol)
    describe(model)
    for w in caught:
        if "keras" in str(w.filename) or "Skipping" in str(w.message):
            print(f"  FAIL Keras warned while loading: {w.message}")
            rep.failed.append("warning")
    if args.expected:
        with open(args.expected) as f:
            check(model, json.load(f), rep)
    if rep.failed:
        print(f"{args.file}: {len(rep.failed)} check(s) failed: {', '.join(rep.failed)}")
        return 1
    print(f"{args.file}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
