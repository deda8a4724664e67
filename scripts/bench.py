#!/usr/bin/env python3
"""The Python half of scripts/bench.sh: the same measurements as Java's `bench --json`, in Python.

Usage: bench.py MODEL_DIR OUT_JSON [--repeats 5] [--loop-size 1024] [--only SECTIONS]
MODEL_DIR is Java's export of the XOR MLP (models/xor-mlp), served here with tf.saved_model.load.
Writes metric -> value (us per step, ms, s, rows per second, MB).

Warmth, as the report names it (the same rules as the Java side):
  warm       median of timed runs after untimed warm-up runs of the same object (until 0.5 s is
             spent or 50 runs are done, at least one: median_ms; the JVM then also waits for its JIT
             compilers to go idle, which Python has no counterpart of); for Keras, the
             warm-up is the first model.fit and the timed runs are further model.fit calls on the
             same compiled model (each continues from the weights the previous one left).
  first-run  a freshly built model's (or tf.function's) first run: tracing and XLA compilation
             included; measured after the process has warmed up on another, untimed, fresh model
             (one-time costs, importing TensorFlow, are in bench.sh's cold whole-process rows).

The "same work" loops (SameWorkFit) do per step exactly what Java's fused fit does (nn/FusedFit +
nn/TrainStep): gather the step's row of a precomputed shuffled schedule of sample indices (and,
when some batch is partial, its mask row: the ReLU fit; as Java, without a partial batch the mask
is fed but unused and the means are sum / B), gather the batch's x and y rows, forward, the
(masked) mean loss and accuracy, gradients,
Adam with Keras's formulas ((1 - beta) in double rounded to float32), and scatter the step's loss
and accuracy into [steps] arrays; the whole loop is one tf.function (jit_compile=True for XLA),
reading the weights and Adam's state from variables at the start and assigning them at the end.
Each fit also draws its schedule (one permutation per epoch, numpy) and turns the per-step
records into per-epoch History values, as Java's fit does.
"""
import argparse
import json
import os
import threading
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
from sweep_reference import warm_up  # noqa: E402  (the warm-up rule, written once)
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

tf.get_logger().setLevel("ERROR")


def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def median_cold_ms(n, fn):
    """Median of n timings (ms) of fn, with no warm-up."""
    ts = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t0) * 1e3)
    ts.sort()
    return ts[n // 2]


def median_ms(n, fn):
    """Median of n timings (ms) of fn, after untimed warm-up runs of the same object (warm_up:
    until 0.5 s is spent or 50 runs are done, the rule of Java's Bench.medianMs, which then also
    waits for the JVM's JIT compilers to go idle)."""
    warm_up(fn)
    return median_cold_ms(n, fn)


X = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=np.float32)
Y = np.array([[0], [1], [1], [0]], dtype=np.float32)
XOR_LAYERS = [(2, "sigmoid"), (1, "sigmoid")]
RELU_LAYERS = [(6, "relu"), (1, "linear")]


def keras_model(in_dim, layers, seed=0):
    keras.utils.set_random_seed(seed)
    return keras.Sequential([keras.Input(shape=(in_dim,))]
                            + [keras.layers.Dense(u, activation=a) for u, a in layers])


def keras_compiled(in_dim, layers, lr, seed=0):
    m = keras_model(in_dim, layers, seed)
    m.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate=lr), metrics=["accuracy"])
    return m


def schedule(rng, n, batch, epochs):
    """Keras's batching as static shapes: [steps, B] sample indices (a fresh permutation per
    epoch, cut into batches, the last one padded with index 0) and the [steps, B] mask."""
    b = min(batch, n)
    per = -(-n // batch)
    order = np.argsort(rng.random((epochs, n)), axis=1).astype(np.int32)
    index = np.zeros((epochs, per * b), np.int32)
    index[:, :n] = order
    mask = np.zeros((epochs, per * b), np.float32)
    mask[:, :n] = 1
    return index.reshape(epochs * per, b), mask.reshape(epochs * per, b)


ACT = {"sigmoid": tf.math.sigmoid, "relu": tf.nn.relu, "linear": lambda h: h}


class SameWorkFit:
    """Java's fused fit, op for op, in Python TF (see the module docstring)."""

    def __init__(self, in_dim, layers, x, y, lr, epochs, batch, jit, seed=0):
        rng = np.random.default_rng(seed)
        self.rng = rng
        self.x, self.y = tf.constant(x), tf.constant(y)
        self.n, self.epochs, self.batch = len(x), epochs, batch
        self.per = -(-self.n // batch)
        self.acts = [ACT[a] for _, a in layers]
        ws = []
        d = in_dim
        for units, _ in layers:
            limit = np.sqrt(6 / (d + units))
            ws += [rng.uniform(-limit, limit, (d, units)).astype(np.float32),
                   np.zeros((units,), np.float32)]
            d = units
        self.w = [tf.Variable(w) for w in ws]
        self.m = [tf.Variable(np.zeros_like(w)) for w in ws]
        self.v = [tf.Variable(np.zeros_like(w)) for w in ws]
        self.it = tf.Variable(0, dtype=tf.int64)
        self.lr = lr
        self.fn = tf.function(self._loop, jit_compile=jit)

    def _forward(self, ws, xb):
        h = xb
        for k, act in enumerate(self.acts):
            h = act(tf.matmul(h, ws[2 * k]) + ws[2 * k + 1])
        return h

    def _loop(self, index, mask):
        steps = index.shape[0]
        k = len(self.w)
        b1, b2, eps, lr = 0.9, 0.999, 1e-7, self.lr
        omb1, omb2 = tf.constant(1 - b1, tf.float32), tf.constant(1 - b2, tf.float32)  # double -> f32

        masked = self.n % index.shape[1] != 0  # a partial batch: Java gathers and uses the mask

        def body(i, it, ws, ms, vs, losses, accs):
            idx = tf.gather(index, i)
            xb = tf.gather(self.x, idx)
            yb = tf.gather(self.y, idx)
            with tf.GradientTape() as tape:
                tape.watch(ws)
                out = self._forward(ws, xb)
                per = tf.reduce_mean(tf.square(yb - out), axis=-1)
                if masked:
                    m = tf.gather(mask, i)
                    count = tf.reduce_sum(m)
                    per = per * m
                else:
                    count = tf.constant(float(index.shape[1]))
                loss = tf.reduce_sum(per) / count
            hit = tf.reduce_mean(tf.cast(tf.equal(yb, tf.cast(out > 0.5, yb.dtype)), yb.dtype), axis=-1)
            acc = tf.reduce_sum(hit * m if masked else hit) / count
            gs = tape.gradient(loss, ws)
            nxt = it + 1
            t = tf.cast(nxt, tf.float32)
            alpha = lr * tf.sqrt(1 - tf.pow(tf.constant(b2, tf.float32), t)) / (
                1 - tf.pow(tf.constant(b1, tf.float32), t))
            ms2 = [mj + (g - mj) * omb1 for mj, g in zip(ms, gs)]
            vs2 = [vj + (tf.square(g) - vj) * omb2 for vj, g in zip(vs, gs)]
            ws2 = [w - (mj * alpha) / (tf.sqrt(vj) + eps) for w, mj, vj in zip(ws, ms2, vs2)]
            at = tf.reshape(i, [1, 1])
            losses = tf.tensor_scatter_nd_update(losses, at, tf.reshape(loss, [1]))
            accs = tf.tensor_scatter_nd_update(accs, at, tf.reshape(acc, [1]))
            return i + 1, nxt, ws2, ms2, vs2, losses, accs

        init = (tf.constant(0), self.it.read_value(), [w.read_value() for w in self.w],
                [m.read_value() for m in self.m], [v.read_value() for v in self.v],
                tf.zeros([steps]), tf.zeros([steps]))
        _, it, ws, ms, vs, losses, accs = tf.while_loop(lambda i, *_: i < steps, body, init)
        self.it.assign(it)
        for j in range(k):
            self.w[j].assign(ws[j])
            self.m[j].assign(ms[j])
            self.v[j].assign(vs[j])
        return losses, accs

    def fit(self, epochs=None):
        epochs = epochs or self.epochs
        index, mask = schedule(self.rng, self.n, self.batch, epochs)
        losses, accs = self.fn(tf.constant(index), tf.constant(mask))
        counts = mask.reshape(epochs, self.per, -1).sum(axis=2)
        history = (losses.numpy().reshape(epochs, self.per) * counts).sum(axis=1) / self.n
        accuracy = (accs.numpy().reshape(epochs, self.per) * counts).sum(axis=1) / self.n
        return history, accuracy


def anchor_loops(x, y, lr, epochs, jit):
    """Python's fastest loops (the anchor): the Keras model and optimizer, the whole 4-row batch
    every step (no schedule, no gathers, no masks, no records); a tf.function step called per
    step, and one tf.function running the whole loop."""
    model = keras_model(2, XOR_LAYERS)
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
    xs, ys = tf.constant(x), tf.constant(y)

    def per_step():
        for _ in range(epochs):
            step(xs, ys)

    @tf.function(jit_compile=jit)
    def whole(total):
        i = tf.constant(0)
        while i < total:
            train_step(xs, ys)
            i += 1
        return i

    total = tf.constant(epochs)
    return per_step, (lambda: whole(total))


def training(r, rep, keras_rows=True):
    """Sections 1 and 2; keras_rows=False: only the same-work and anchor loops (no Keras fits)."""
    fresh = min(rep, 3)
    kreps = min(rep, 3)  # Keras warm fits take ~20 s each on a quiet machine
    # the process warms up on fresh, untimed models: Keras's fit, a same-work loop with and
    # without XLA (tracing, the first XLA compile)
    if keras_rows:
        m = keras_compiled(2, XOR_LAYERS, 0.01)
        m.fit(X, Y, epochs=1, verbose=0)
    for jit in (True, False):
        SameWorkFit(2, XOR_LAYERS, X, Y, 0.01, 1, 32, jit).fit()

    # 1. XOR MLP, 1000 epochs: 4 samples, batch 32 -> one shuffled batch of 4 per epoch
    firsts = []

    def keras_first():
        t0 = time.perf_counter()
        km = keras_compiled(2, XOR_LAYERS, 0.01, seed=len(firsts))
        km.fit(X, Y, epochs=1000, verbose=0)
        firsts.append(time.perf_counter() - t0)
        return km
    if keras_rows:
        km = keras_first()
        r["xor_keras_first_fit_ms"] = firsts[0] * 1e3
        r["xor_keras_fit_us_step"] = median_cold_ms(kreps, lambda: km.fit(X, Y, epochs=1000,
                                                                          verbose=0))
        print("bench.py: Keras XOR fits done", flush=True)

    def same_first(jit, epochs=1000):
        return lambda: SameWorkFit(2, XOR_LAYERS, X, Y, 0.01, epochs, 32, jit).fit()
    r["xor_same_xla_first_ms"] = median_cold_ms(fresh, same_first(True))
    r["xor_same_noxla_first_ms"] = median_cold_ms(fresh, same_first(False))
    s = SameWorkFit(2, XOR_LAYERS, X, Y, 0.01, 1000, 32, True)
    r["xor_same_xla_us_step"] = median_ms(rep, s.fit)
    s10 = SameWorkFit(2, XOR_LAYERS, X, Y, 0.01, 10000, 32, True)
    r["xor_same_xla_10k_us_step"] = median_ms(rep, s10.fit) / 10
    s = SameWorkFit(2, XOR_LAYERS, X, Y, 0.01, 1000, 32, False)
    r["xor_same_noxla_us_step"] = median_ms(rep, s.fit)
    for jit in (False, True):
        per_step, whole = anchor_loops(X, Y, 0.01, 1000, jit)
        tag = "_xla" if jit else ""
        r[f"xor_anchor_step{tag}_us_step"] = median_ms(min(rep, 3), per_step)
        r[f"xor_anchor_loop{tag}_us_step"] = median_ms(rep, whole)
    print("bench.py: training (XOR) done", flush=True)

    # 2. ReLU fit, 2001 samples, batch 32 -> 63 steps per epoch (the last 17 samples), 100 epochs
    rng = np.random.default_rng(0)
    qx = np.array([-10 + i / 100 for i in range(2001)], dtype=np.float32).reshape(-1, 1)
    qy = (qx ** 2 + rng.standard_normal(qx.shape) * 10).astype(np.float32)
    if keras_rows:
        t0 = time.perf_counter()
        km = keras_compiled(1, RELU_LAYERS, 0.005)
        km.fit(qx, qy, batch_size=32, epochs=100, verbose=0)
        r["relu_keras_first_fit_ms"] = (time.perf_counter() - t0) * 1e3
        r["relu_keras_fit_ms"] = median_cold_ms(kreps, lambda: km.fit(qx, qy, batch_size=32,
                                                                       epochs=100, verbose=0))
    r["relu_same_xla_first_ms"] = median_cold_ms(
        fresh, lambda: SameWorkFit(1, RELU_LAYERS, qx, qy, 0.005, 100, 32, True).fit())
    s = SameWorkFit(1, RELU_LAYERS, qx, qy, 0.005, 100, 32, True)
    r["relu_same_xla_ms"] = median_ms(rep, s.fit)
    s = SameWorkFit(1, RELU_LAYERS, qx, qy, 0.005, 100, 32, False)
    r["relu_same_noxla_ms"] = median_ms(min(rep, 3), s.fit)
    print("bench.py: training (ReLU fit) done", flush=True)


def elu_formula(x):
    """Java's ELU, op for op: where(x > 0, x, alpha * expm1(min(x, 0))), alpha 1."""
    return tf.where(x > 0, x, 1.0 * tf.math.expm1(tf.minimum(x, 0.0)))


ACTIVATION_REPEATS = 21  # at least this many timed runs per activation row (each a few ms), as Java


def activations(r, runs, loop_size):
    fresh = min(runs, 3)
    rep = max(runs, ACTIVATION_REPEATS)
    npf = {"relu": lambda x: np.maximum(x, 0), "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
           "tanh": np.tanh, "elu": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0)))}
    # TF's own op (tf.nn.elu: one fused kernel, exp(x) - 1, less precise near 0 than Java's)
    tff = {"relu": tf.nn.relu, "sigmoid": tf.math.sigmoid, "tanh": tf.math.tanh, "elu": tf.nn.elu}
    # the formula Java's graph runs, op for op
    same = {"relu": tf.nn.relu, "sigmoid": tf.math.sigmoid, "tanh": tf.math.tanh, "elu": elu_formula}
    scalar = {"relu": lambda v: max(0, v), "sigmoid": lambda v: 1 / (1 + np.exp(-v)), "tanh": np.tanh,
              "elu": lambda v: v if v > 0 else np.exp(v) - 1}
    tf.function(tf.nn.relu, jit_compile=True)(tf.constant([1.0]))  # process warm-up: first XLA use
    for name in ("relu", "sigmoid", "tanh", "elu"):
        for n, tag in ((1_000_000, "1m"), (1024 * 1024, "img")):
            x = (np.random.default_rng(1).standard_normal(n) * 3).astype(np.float32)
            r[f"act_{name}_{tag}_numpy_ms"] = median_ms(rep, lambda: npf[name](x))
            r[f"act_{name}_{tag}_tf_ms"] = median_ms(rep, lambda: tff[name](tf.constant(x)).numpy())
            if name == "elu":
                r[f"act_{name}_{tag}_tf_same_ms"] = median_ms(rep, lambda: same[name](tf.constant(x)).numpy())
            jitted = tf.function(same[name], jit_compile=True)
            r[f"act_{name}_{tag}_tf_xla_ms"] = median_ms(rep, lambda: jitted(tf.constant(x)).numpy())
            if tag == "1m":
                r[f"act_{name}_{tag}_tf_xla_first_ms"] = median_cold_ms(
                    fresh, lambda: tf.function(same[name], jit_compile=True)(tf.constant(x)).numpy())
        img = (np.random.default_rng(2).random((loop_size, loop_size)) - 0.5)
        out = np.zeros(img.shape)

        def per_pixel():
            h, w = img.shape
            for i in range(w):
                for j in range(h):
                    out[j][i] += scalar[name](img[j][i])
        # the notebook's loop over the whole image, one run (a pure Python loop has no warm-up)
        r[f"act_{name}_img_notebook_loop_ms"] = median_cold_ms(1, per_pixel)
        r["act_notebook_loop_pixels"] = float(img.size)
        print(f"bench.py: activation {name} done", flush=True)


def serving(r, rep, model):
    sig = tf.saved_model.load(model).signatures["serving_default"]
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("out")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--loop-size", type=int, default=1024,
                    help="side of the image of the per-pixel loop (1024: the full image)")
    ap.add_argument("--only", default="training,activations,serving",
                    help="sections, comma-separated: training, same-work (training without the "
                         "Keras fits), activations, serving")
    a = ap.parse_args()
    only = a.only.split(",")
    rep = a.repeats
    r = {"rss_start_mb": rss_mb(), "tf_threads": {
        "intra_op": tf.config.threading.get_intra_op_parallelism_threads(),
        "inter_op": tf.config.threading.get_inter_op_parallelism_threads(),
        "cores": len(os.sched_getaffinity(0))},
        "env": {k: os.environ.get(k) for k in ("XLA_FLAGS", "TF_ENABLE_ONEDNN_OPTS")}}
    if "training" in only or "same-work" in only:
        training(r, rep, keras_rows="training" in only)
    if "activations" in only:
        activations(r, rep, a.loop_size)
        print("bench.py: activations done", flush=True)
    if "serving" in only:
        serving(r, rep, a.model)
        print("bench.py: serving done", flush=True)
    with open(a.out, "w") as f:
        json.dump(r, f, indent=1)


if __name__ == "__main__":
    main()
