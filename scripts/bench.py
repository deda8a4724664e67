#!/usr/bin/env python3
"""The Python half of scripts/bench.sh: the same measurements as Java's `bench`, in Python.

Usage: bench.py MODEL_DIR OUT_JSON [--repeats 5]
MODEL_DIR is Java's export of the XOR MLP (models/xor-mlp), served here with tf.saved_model.load.
Writes metric -> value (us per step, ms, rows per second, MB).
"""
import argparse
import json
import os
import threading
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

tf.get_logger().setLevel("ERROR")


def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def median_ms(n, fn):
    fn()
    ts = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t0) * 1e3)
    ts.sort()
    return ts[n // 2]


def xor_model():
    keras.utils.set_random_seed(0)
    m = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(2, activation="sigmoid"),
                          keras.layers.Dense(1, activation="sigmoid")])
    return m


X = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=np.float32)
Y = np.array([[0], [1], [1], [0]], dtype=np.float32)


def loops(model, x, y, lr, steps_per_epoch, epochs, batch, jit):
    """A tf.function step called per step, and one tf.function running the whole loop."""
    opt = keras.optimizers.Adam(learning_rate=lr)
    mse = keras.losses.MeanSquaredError()
    opt.build(model.trainable_variables)

    def train_step(xb, yb):
        with tf.GradientTape() as tape:
            loss = mse(yb, model(xb, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    step = tf.function(train_step, jit_compile=jit)
    xs = tf.constant(x)
    ys = tf.constant(y)
    n = len(x)

    def per_step():
        for _ in range(epochs):
            for s in range(steps_per_epoch):
                lo = s * batch
                step(xs[lo:lo + batch], ys[lo:lo + batch])

    @tf.function(jit_compile=jit)
    def whole(total):
        i = tf.constant(0)
        while i < total:
            if steps_per_epoch == 1:  # full batch (static shapes, as XLA needs)
                train_step(xs, ys)
            else:
                lo = (i % steps_per_epoch) * batch
                size = tf.minimum(batch, n - lo)
                train_step(tf.slice(xs, [lo, 0], [size, x.shape[1]]), tf.slice(ys, [lo, 0], [size, y.shape[1]]))
            i += 1
        return i

    total = tf.constant(epochs * steps_per_epoch)
    return per_step, (lambda: whole(total))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("out")
    ap.add_argument("--repeats", type=int, default=5)
    a = ap.parse_args()
    rep = a.repeats
    r = {"rss_start_mb": rss_mb()}

    # 1. XOR MLP, 1000 epochs, full batch
    m = xor_model()
    m.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate=0.01), metrics=["accuracy"])
    t0 = time.perf_counter()
    m.fit(X, Y, epochs=1000, verbose=0)
    r["xor_keras_fit_us_step"] = (time.perf_counter() - t0) * 1e3
    for jit in (False, True):
        per_step, whole = loops(xor_model(), X, Y, 0.01, 1, 1000, 4, jit)
        tag = "_xla" if jit else ""
        r[f"xor_tf_function_step{tag}_us_step"] = median_ms(min(rep, 3), per_step)
        r[f"xor_tf_function_loop{tag}_us_step"] = median_ms(rep, whole)
    print("bench.py: training (XOR) done", flush=True)

    # 2. ReLU fit, 2001 samples, batch 32, 100 epochs
    rng = np.random.default_rng(0)
    qx = np.array([-10 + i / 100 for i in range(2001)], dtype=np.float32).reshape(-1, 1)
    qy = (qx ** 2 + rng.standard_normal(qx.shape) * 10).astype(np.float32)

    def relu_model():
        keras.utils.set_random_seed(0)
        return keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(6, activation="relu"),
                                 keras.layers.Dense(1)])
    m = relu_model()
    m.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate=0.005))
    t0 = time.perf_counter()
    m.fit(qx, qy, batch_size=32, epochs=100, verbose=0)
    r["relu_fit_keras_fit_ms"] = (time.perf_counter() - t0) * 1e3
    _, whole = loops(relu_model(), qx, qy, 0.005, 63, 100, 32, False)
    r["relu_fit_tf_function_loop_ms"] = median_ms(min(rep, 3), whole)
    # (no XLA variant here: the last batch of an epoch has another size, which XLA cannot slice)
    print("bench.py: training (ReLU fit) done", flush=True)

    # 3. activations, end to end (numpy array in, numpy array out)
    npf = {"relu": lambda x: np.maximum(x, 0), "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
           "tanh": np.tanh, "elu": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0)))}
    tff = {"relu": tf.nn.relu, "sigmoid": tf.math.sigmoid, "tanh": tf.math.tanh, "elu": tf.nn.elu}
    scalar = {"relu": lambda v: max(0, v), "sigmoid": lambda v: 1 / (1 + np.exp(-v)), "tanh": np.tanh,
              "elu": lambda v: v if v > 0 else np.exp(v) - 1}
    for name in ("relu", "sigmoid", "tanh", "elu"):
        for n, tag in ((1_000_000, "1m"), (1024 * 1024, "img")):
            x = (np.random.default_rng(1).standard_normal(n) * 3).astype(np.float32)
            r[f"act_{name}_{tag}_numpy_ms"] = median_ms(rep, lambda: npf[name](x))
            r[f"act_{name}_{tag}_tf_ms"] = median_ms(rep, lambda: tff[name](tf.constant(x)).numpy())
        img = (np.random.default_rng(2).random((256, 256)) - 0.5)
        out = np.zeros(img.shape)

        def per_pixel():
            h, w = img.shape
            for i in range(w):
                for j in range(h):
                    out[j][i] += scalar[name](img[j][i])
        # the notebook's loop over a 256 x 256 image, scaled to 1024 x 1024
        r[f"act_{name}_img_notebook_loop_ms"] = median_ms(1, per_pixel) * 16
    print("bench.py: activations done", flush=True)

    # 4. serving Java's export
    sig = tf.saved_model.load(a.model).signatures["serving_default"]
    one = tf.constant([[0.3, 0.7]], dtype=tf.float32)
    r["serve_latency_1row_us"] = median_ms(rep, lambda: [sig(x=one) for _ in range(1000)])
    for rows in (1, 64, 10000):
        batch = np.array([[(i % 100) / 100, (i % 37) / 37] for i in range(rows)], dtype=np.float32)
        for _ in range(20):
            sig(x=tf.constant(batch))
        for threads in (1, 2):
            end = time.perf_counter() + 1.0
            counts = [0] * threads

            def work(k):
                while time.perf_counter() < end:
                    sig(x=tf.constant(batch))["y"].numpy()
                    counts[k] += rows
            t0 = time.perf_counter()
            ts = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
            [t.start() for t in ts]
            [t.join() for t in ts]
            r[f"serve_rows_per_s_b{rows}_t{threads}"] = sum(counts) / (time.perf_counter() - t0)
    for _ in range(10_000):  # warm up first, as the Java side does
        sig(x=one)["y"].numpy()
    before = rss_mb()
    for _ in range(100_000):
        sig(x=one)["y"].numpy()
    r["rss_before_100k_mb"] = before
    r["rss_after_100k_mb"] = rss_mb()
    print("bench.py: serving done", flush=True)
    with open(a.out, "w") as f:
        json.dump(r, f, indent=1)


if __name__ == "__main__":
    main()
