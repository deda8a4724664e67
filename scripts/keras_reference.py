#!/usr/bin/env python3
"""The notebook's models in Keras 3, trained exactly as the notebook does (model.fit).

For each model: keras.utils.set_random_seed(SEED), build, compile(loss, Adam(lr),
metrics=['accuracy']), fit(...); then model.export() to OUT/<name>/1/ and OUT/<name>/keras.json
with the final loss and accuracy, and the predictions of model.predict on the probe inputs (an
11 x 11 grid over [0,1]^2 for the gates, or the x^2 data for the ReLU fits). The models are
Java's export set (MODELS): the notebook's eight and the two extras, xor-bce (the XOR MLP with
binary cross-entropy) and xor-prelu (Dense(4) -> PReLU, alpha per unit from 0.1 -> Dense(1,
sigmoid)).

Exits non-zero if any run fails or any model's outputs are missing. --stamp S writes S to
OUT/.stamp, only when every run succeeded and every output is there (cross_check.sh reuses OUT
while its stamp matches; with no stamp the next run retries).

Usage: keras_reference.py OUT [--seed 0] [--jobs 2] [--epochs N] [--only NAME,...] [--stamp S]
"""
import argparse
import concurrent.futures as cf
import json
import multiprocessing as mp
import os
import shutil
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

GATE_X = [[0, 0], [1, 0], [0, 1], [1, 1]]
GATES = {"or": [0, 1, 1, 1], "and": [0, 0, 0, 1], "xor": [0, 1, 1, 0]}
MODELS = ["or-linear", "and-linear", "or-sigmoid", "and-sigmoid", "xor-sigmoid", "xor-mlp",
          "relu-parallel", "relu-serial", "xor-bce", "xor-prelu"]
LOSS = {"xor-bce": "binary_crossentropy"}  # the others: mse


def gate_probe():
    return [[i / 10, j / 10] for i in range(11) for j in range(11)]


def build(name):
    import keras
    if name.endswith("-linear"):
        return keras.Sequential([keras.Input(shape=(2,), dtype="float64"),
                                 keras.layers.Dense(1, activation="linear")])
    if name in ("or-sigmoid", "and-sigmoid", "xor-sigmoid"):
        return keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, activation="sigmoid")])
    if name in ("xor-mlp", "xor-bce"):
        return keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(2, activation="sigmoid"),
                                 keras.layers.Dense(1, activation="sigmoid")])
    if name == "xor-prelu":
        return keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(4),
                                 keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(0.1)),
                                 keras.layers.Dense(1, activation="sigmoid")])
    if name == "relu-parallel":
        return keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(6, activation="relu"),
                                 keras.layers.Dense(1)])
    if name == "relu-serial":
        return keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(2, activation="relu"),
                                 keras.layers.Dense(2, activation="relu"),
                                 keras.layers.Dense(2, activation="relu"), keras.layers.Dense(1)])
    raise ValueError(name)


def run_one(args):
    name, out, seed, epochs = args
    shutil.rmtree(os.path.join(out, name), ignore_errors=True)  # no stale outputs of an earlier run
    import numpy as np
    import keras
    keras.utils.set_random_seed(seed)
    if name.startswith("relu"):
        q_x = np.array([-10 + x / 100 for x in range(2001)])
        q_y = np.array([x ** 2 + np.random.randn() * 10 for x in q_x])
        x, y, lr, batch, ep = q_x.reshape(-1, 1), q_y.reshape(-1, 1), 0.005, 32, epochs or 100
        probe = x
    else:
        x = np.array(GATE_X, dtype=np.float64)
        y = np.array(GATES[name.split("-")[0]], dtype=np.float64).reshape(-1, 1)
        lr, batch, ep = 0.01, None, epochs or 1000
        probe = np.array(gate_probe())
    model = build(name)
    model.compile(loss=LOSS.get(name, "mse"), optimizer=keras.optimizers.Adam(learning_rate=lr), metrics=["accuracy"])
    t0 = time.time()
    h = model.fit(x, y, batch_size=batch, epochs=ep, verbose=0)
    wall = time.time() - t0
    pred = model.predict(probe.astype(np.float32), verbose=0)
    result = {"name": name, "seed": seed, "epochs": ep, "fit_seconds": wall,
              "loss": float(h.history["loss"][-1]), "accuracy": float(h.history["accuracy"][-1]),
              "probe": {"x": probe.tolist(), "y": pred.astype(float).tolist()},
              "x": x.tolist(), "y": y.tolist()}
    if name.startswith("relu"):
        truth = (q_x ** 2).reshape(-1, 1)
        result["mse_vs_truth"] = float(np.mean((pred - truth) ** 2))
    model.export(os.path.join(out, name, "1"), verbose=False)
    model.save(os.path.join(out, name, "model.keras"))  # with Adam's state, for Java to go on
    with open(os.path.join(out, name, "keras.json"), "w") as f:
        json.dump(result, f)
    return name, wall


def outputs_missing(out, name):
    return [p for p in (os.path.join(out, name, "keras.json"), os.path.join(out, name, "1", "saved_model.pb"),
                        os.path.join(out, name, "model.keras"))
            if not os.path.isfile(p)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=None, help="override (quick runs only)")
    ap.add_argument("--only", default=None)
    ap.add_argument("--stamp", default=None, help="written to OUT/.stamp when all succeeded")
    a = ap.parse_args()
    names = a.only.split(",") if a.only else MODELS
    os.makedirs(a.out, exist_ok=True)
    stamp = os.path.join(a.out, ".stamp")
    if os.path.exists(stamp):
        os.remove(stamp)
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        sys.exit(f"keras reference: unknown model(s) {', '.join(unknown)}; valid: {', '.join(MODELS)}")
    failed = []
    # a process pool that reports a worker that died (a plain Pool would wait for it forever)
    with cf.ProcessPoolExecutor(a.jobs, mp_context=mp.get_context("spawn")) as pool:
        futures = {pool.submit(run_one, (n, a.out, a.seed, a.epochs)): n for n in names}
        for fut in cf.as_completed(futures):
            try:
                name, wall = fut.result()
                print(f"keras reference: {name} fit in {wall:.1f} s", flush=True)
            except Exception as e:  # noqa: BLE001 -- reported, and the exit status says so
                failed.append(futures[fut])
                print(f"keras reference: {futures[fut]} FAILED: {type(e).__name__}: {e}", flush=True)
    # a stamp vouches for the whole directory: then every model's outputs must be there
    missing = [p for n in (MODELS if a.stamp else names) for p in outputs_missing(a.out, n)]
    for p in missing:
        print(f"keras reference: MISSING {p}", flush=True)
    if failed or missing:
        print(f"keras reference: {len(failed)} run(s) failed, {len(missing)} output(s) missing", flush=True)
        sys.exit(1)
    if a.stamp:
        with open(stamp, "w") as f:
            f.write(a.stamp + "\n")


if __name__ == "__main__":
    main()
