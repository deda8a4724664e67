"""Writes xor.keras: the README's Python snippet ("Keras files: trainable models both ways"), run
as written with Keras 3.15 (the project's .venv: scripts/cross_check.sh makes it).

    .venv/bin/python examples/data/make_xor_keras.py examples/data/xor.keras
"""
import sys

import keras
import numpy as np

keras.utils.set_random_seed(0)
x = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], "float32"); y = np.array([[0], [1], [1], [0]], "float32")
m = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2, "tanh"), keras.layers.Dense(1, "sigmoid")])
m.compile(loss="binary_crossentropy", optimizer=keras.optimizers.Adam(0.05))
m.fit(x, y, epochs=100, verbose=0)
m.save(sys.argv[1] if len(sys.argv) > 1 else "xor.keras")
print("predictions", m.predict(x, verbose=0).ravel().tolist())
print("iterations", int(m.optimizer.iterations))
