#!/usr/bin/env python3
"""Checks a `.keras` file in Keras 3: it loads, and (with EXPECTED_JSON) holds what it should.

  scripts/check_keras_file.py FILE.keras [EXPECTED.json] [--tol 1e-6]

Loads FILE with `keras.saving.load_model(FILE)` (compile=True) and prints what Keras made of it:
layers, loss, optimizer and its hyperparameters, step count and variable count. Any Keras warning
while loading (e.g. "Skipping variable loading for optimizer") is a failure.

With EXPECTED.json (the format of core/src/test/resources/keras-files/*.expected.json, which
scripts/make_keras_fixtures.py writes, and which core's KerasModelsTest copies beside the files it
writes into core/target/keras-roundtrip/) it also compares, printing the largest absolute
difference of each:
  - every layer's weights (Keras's get_weights() vs "layers[*].weights");
  - the compile config: loss, optimizer class and hyperparameters;
  - the optimizer's state: iterations, learning_rate and its variables in Keras's order;
  - predictions on "probe.x" (flat rows, split into the model's inputs) vs "probe.y";
  - with "train" and "continued": the model trained on as the fixture was (full batch, in order),
    weights and History vs "continued" (what Keras did from the file Keras wrote).
Exits 1 if anything differs by more than --tol (default 1e-6; continued training: 100 x tol),
0 otherwise.
"""
import argparse
import json
import os
import sys
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402
import keras  # noqa: E402


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
    print(f"model {model.name!r}: inputs {[tuple(t.shape) for t in model.inputs]}")
    for layer in model.layers:
        print(f"  {type(layer).__name__:20s} {layer.name!r} {layer.dtype_policy.name} "
              f"weights {[tuple(w.shape) for w in layer.weights]}")
    if model.compiled:
        opt = model.optimizer
        cfg = {k: v for k, v in opt.get_config().items() if v is not None and k != "name"}
        print(f"  compiled: loss={model.loss!r} optimizer={type(opt).__name__} {cfg}"
              f" iterations={int(opt.iterations.numpy())} variables={len(opt.variables)}")
    else:
        print("  not compiled")


def check(model, exp, rep):
    import make_keras_fixtures as mk
    layers = [l for l in model.layers
              if not (isinstance(l, keras.layers.InputLayer) and isinstance(model, keras.Sequential))]
    rep.same("layer count", len(layers), len(exp["layers"]))
    for layer, le in zip(layers, exp["layers"]):
        got = layer.get_weights()
        rep.same(f"layer {layer.name!r} weight count", len(got), len(le["weights"]))
        for i, (g, we) in enumerate(zip(got, le["weights"])):
            rep.same(f"layer {layer.name!r} weight {i} shape", list(g.shape), we["shape"])
            rep.diff(f"layer {layer.name!r} weight {i}", maxdiff(g, we["values"]))
    ce = exp.get("compile")
    rep.same("compiled", bool(model.compiled), ce is not None)
    if ce is not None and model.compiled:
        cc = model.get_compile_config()
        loss = cc["loss"] if isinstance(cc["loss"], str) else cc["loss"]["class_name"]
        aliases = {"mean_squared_error": "mse", "mean_absolute_error": "mae"}
        rep.same("loss", aliases.get(loss, loss), aliases.get(ce["loss"], ce["loss"]))
        rep.same("optimizer", cc["optimizer"]["class_name"], ce["optimizer"])
        for k, v in ce["optimizer_config"].items():
            if k not in ("name", "learning_rate"):
                rep.same(f"optimizer {k}", cc["optimizer"]["config"].get(k), v)
        oe = exp.get("optimizer")
        if oe is not None:
            opt = model.optimizer
            rep.same("iterations", int(opt.iterations.numpy()), oe["iterations"])
            rep.diff("learning_rate variable", abs(float(opt.learning_rate.numpy())
                                                   - oe["learning_rate"]))
            rep.same("optimizer variable count", len(opt.variables) - 2, len(oe["variables"]))
            for i, (v, want) in enumerate(zip(opt.variables[2:], oe["variables"])):
                rep.diff(f"optimizer variable {i} ({v.path})", maxdiff(v.numpy(), want))
    probe = exp.get("probe")
    if probe:
        x = mk.split_inputs(model, np.asarray(probe["x"], np.float64))
        rep.diff("predictions on probe.x", maxdiff(mk.flat_outputs(model.predict(x, verbose=0)),
                                                   probe["y"]))
    cont, train = exp.get("continued"), exp.get("train")
    if cont and train and model.compiled:
        x = mk.split_inputs(model, np.asarray(train["x"], np.float64))
        y = mk.split_targets(model, np.asarray(train["y"], np.float64))
        h = model.fit(x, y, epochs=cont["epochs"], batch_size=cont["batch_size"], shuffle=False,
                      verbose=0)
        tol = rep.tol
        rep.tol = 100 * tol
        rep.same("iterations after continuing", int(model.optimizer.iterations.numpy()),
                 cont["iterations"])
        for i, (w, want) in enumerate(zip(model.get_weights(), cont["weights"])):
            rep.diff(f"continued: weight {i}", maxdiff(w, want))
        for k, want in cont["history"].items():
            if k in h.history:
                rep.diff(f"continued: History {k}", maxdiff(h.history[k], want))
        rep.tol = tol


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
