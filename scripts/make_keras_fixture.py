#!/usr/bin/env python3
"""Writes the Keras-exported SavedModel the Java tests load (core/src/test/resources/keras-xor-mlp/).

A Keras 3 Sequential (Input(2) -> Dense(2, sigmoid) -> Dense(1, sigmoid)) with fixed weights,
written with `model.export()`, and `expected.json` with its predictions on the four XOR inputs.
Run: .venv/bin/python scripts/make_keras_fixture.py
"""
import json
import os
import shutil

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import keras  # noqa: E402

out = os.path.join(os.path.dirname(__file__), "..", "core", "src", "test", "resources", "keras-xor-mlp")
shutil.rmtree(out, ignore_errors=True)
model = keras.Sequential([keras.Input(shape=(2,), name="features"),
                          keras.layers.Dense(2, activation="sigmoid"),
                          keras.layers.Dense(1, activation="sigmoid")])
model.set_weights([np.array([[5.5, -4.1], [5.4, -4.2]]), np.array([-2.3, 6.0]),
                   np.array([[7.9], [7.6]]), np.array([-11.2])])
x = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=np.float32)
model.export(os.path.join(out, "1"), verbose=False)
y = model.predict(x, verbose=0)
with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump({"x": x.tolist(), "y": y.astype(float).tolist(),
               "keras": keras.__version__}, f, indent=1)
print("wrote", os.path.abspath(out), y.ravel())
