#!/usr/bin/env python3
"""The Python side of bench.sh's cold whole-process gates row: the notebook's six gate models
(or-linear, and-linear, or-sigmoid, and-sigmoid, xor-sigmoid, xor-mlp) trained as the notebook
does, one after the other in this one process — keras.utils.set_random_seed(SEED), build,
compile(loss='mse', optimizer=Adam(0.01), metrics=['accuracy']), fit(X, y, epochs=1000) (batch
size 32 by default: one batch of the 4 rows per epoch, shuffled) — and each exported with
model.export() to OUT/<name>/1/ (a SavedModel, as Java's export writes). The models are built by
keras_reference.build (the cross-check's definitions). bench.sh times the whole process.

Usage: bench_gates_keras.py OUT [--seed 0] [--epochs 1000] [--no-export]
"""
import argparse
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

GATE_MODELS = ["or-linear", "and-linear", "or-sigmoid", "and-sigmoid", "xor-sigmoid", "xor-mlp"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=1000)
    ap.add_argument("--no-export", action="store_true")
    a = ap.parse_args()
    import numpy as np
    import keras
    from keras_reference import GATE_X, GATES, build
    os.makedirs(a.out, exist_ok=True)
    x = np.array(GATE_X, dtype=np.float64)
    for name in GATE_MODELS:
        t0 = time.perf_counter()
        keras.utils.set_random_seed(a.seed)
        y = np.array(GATES[name.split("-")[0]], dtype=np.float64).reshape(-1, 1)
        model = build(name)
        model.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate=0.01),
                      metrics=["accuracy"])
        h = model.fit(x, y, epochs=a.epochs, verbose=0)
        if not a.no_export:
            model.export(os.path.join(a.out, name, "1"), verbose=False)
        print(f"bench_gates_keras: {name} fit{'' if a.no_export else ' + export'} in "
              f"{time.perf_counter() - t0:.1f} s, loss {h.history['loss'][-1]:.4f}", flush=True)


if __name__ == "__main__":
    main()
