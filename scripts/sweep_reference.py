#!/usr/bin/env python3
"""The seed sweep in JAX: many seeds of one notebook model trained in ONE jitted XLA call.

The Python twin of the Java `sweep` command (issue 12, "The seed lottery, measured"): for seeds
FIRST .. FIRST+N-1 it trains the model from scratch, exactly as Keras's `model.fit` would
(Glorot-uniform kernels, zero biases, a fresh shuffle every epoch, batches of --batch-size with
the last partial batch kept, mse, Keras's Adam), all seeds at once: `jax.jit(jax.vmap(train_one))`
where `train_one` runs the whole training loop with `lax.scan`. It then reports, per activation,
how many seeds solved the task (DESIGN.md, "Sweep JSON").

Usage:
  sweep_reference.py --model xor-mlp --seeds 1000 --seed 42 --activation sigmoid,tanh,relu \
      [--epochs E] [--lr LR] [--batch-size 32] [--json OUT] [--dtype float32|float64] [--bench]
  sweep_reference.py --model xor-mlp --keras-check       # one seed, JAX vs Keras, final weights

Models (DESIGN.md's names): xor-mlp, relu-serial, relu-parallel, or-sigmoid, and-sigmoid,
xor-sigmoid, or-linear, and-linear. Defaults as the notebook: 1000 epochs and lr 0.01 for the
gates, 100 epochs and lr 0.005 for the ReLU fits, batch 32. --activation (default: the model's
own) replaces the hidden layers' activation; for the single-layer gate models it replaces the
one layer's. The ReLU fits' output layer stays linear; xor-mlp's output layer stays sigmoid.
`all` sweeps every activation in ACTIVATIONS, in that order.

Per seed s (s = FIRST + k):
  key = jax.random.PRNGKey(s); k_init, k_shuffle = split(key)
  kernels ~ U(-limit, limit), limit = sqrt(6 / (fan_in + fan_out)) (one fold_in(k_init, layer)
  per layer); biases 0
  epoch e: the rows in ascending order of random keys threefry2x32(key_data(k_shuffle), (e, row))
  (ties in row order), cut into ceil(n / batch) batches of min(batch, n) rows (the gates' 4 rows
  make one batch of 4, as in Keras); the last one is padded to the batch size and masked, its
  loss is the mean over its real samples (sum(mask * se) / count), as Keras's loss on the short
  batch. --no-shuffle: data order every epoch (Keras fit(shuffle=False)).
  Adam (Keras 3): t = step + 1, alpha = lr sqrt(1 - b2^t) / (1 - b1^t),
  m += (g - m)(1 - b1), v += (g^2 - v)(1 - b2), w -= (m alpha) / (sqrt(v) + eps), with
  b1 0.9, b2 0.999, eps 1e-7 and (1 - b) computed in double then rounded to the dtype.
The ReLU fits' data is fixed, not per seed: q_x = -10 + i/100 (i = 0..2000),
q_y = q_x^2 + 10 N(0,1) from numpy.random.default_rng(--data-seed, default 42)
(or --data-rng java: java.util.Random(--data-seed).nextGaussian(), the Java side's generator).

Per seed it records (final weights, on the whole training set):
  final_loss        the last epoch's loss as Keras's History reports it: batch losses, each computed
                    before its step's update, averaged with the batch sizes as weights. The table's
                    "final loss" and the JSON's final_loss / final_losses are this one.
  final_loss_eval   mse of the final weights on the whole training set (model.evaluate's loss).
  solved            gates: max |output - label| < 0.4 over the 4 inputs; ReLU fits: the mse of the
                    final model's outputs against the noiseless x^2 (on the 2001 q_x) < 50.
  dead units        per hidden layer, the units whose activation is the same for every training
                    input: max - min <= 1e-6 * max(1, |mean|) over the n inputs (a ReLU unit that is
                    0 everywhere; also any unit behind a dead layer, whose input is constant).
  collapsed         the output is constant over the training inputs, by the same test:
                    max - min <= 1e-6 * max(1, |mean|) over the n outputs.
Non-finite final losses (diverged runs) count as +inf in the quantiles and are counted apart.

Two code paths, the same arithmetic (checked against Keras by --keras-check):
  one batch of <= 8 rows (the gates): rows, weights and Adam's slots held as Python lists of
      per-seed scalars, so under vmap every op works on a [seeds] vector, the shuffle a sorting
      network (epoch_perm's order); ~70 ns CPU per seed-step for xor-mlp;
  otherwise (the ReLU fits): [batch, units] arrays, a gather of the shuffled batch from one sort
      of packed keys per epoch, lax.scan over the batches; ~2.5 us CPU per seed-step for
      relu-serial (XLA's CPU code for per-seed 32 x 2 @ 2 x 2 products is scalar).
Memory: a few hundred bytes per seed for the gates, ~32 kB for the ReLU fits (XLA's own count,
"memory" in the JSON); --chunk N runs more seeds as several calls of the same compiled program.

Output: --json OUT in DESIGN.md's "Sweep JSON" shape plus extra fields (engine, versions, dtype,
per-layer dead fractions, the per-seed final losses `final_losses`, timings, memory per seed),
and a table on stdout. --bench adds cold (trace + compile + first run, after
jax.clear_caches()) and warm (median of repeated runs of the compiled call) timings.
"""
import argparse
import json
import math
import os
import platform
import sys
import time

import numpy as np

GATE_X = [[0, 0], [1, 0], [0, 1], [1, 1]]
GATES = {"or": [0, 1, 1, 1], "and": [0, 0, 0, 1], "xor": [0, 1, 1, 0]}

# model -> (kind, gate, hidden units per layer, default activation, output activation)
# output activation None: the single layer is the output layer and takes --activation.
MODELS = {
    "xor-mlp": ("gate", "xor", [2], "sigmoid", "sigmoid"),
    "or-sigmoid": ("gate", "or", [], "sigmoid", None),
    "and-sigmoid": ("gate", "and", [], "sigmoid", None),
    "xor-sigmoid": ("gate", "xor", [], "sigmoid", None),
    "or-linear": ("gate", "or", [], "linear", None),
    "and-linear": ("gate", "and", [], "linear", None),
    "relu-parallel": ("fit", None, [6], "relu", "linear"),
    "relu-serial": ("fit", None, [2, 2, 2], "relu", "linear"),
}

ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "silu", "softplus", "selu",
               "mish", "linear", "hard_sigmoid", "relu6", "softsign", "log_sigmoid", "celu",
               "hard_silu", "hard_tanh"]

# How each activation is written, and why (Keras 3.15's TF backend is the definition).
ACTIVATION_NOTES = {
    "sigmoid": "jax.nn.sigmoid",
    "tanh": "jnp.tanh",
    "relu": "jax.nn.relu (gradient 0 at 0, as tf.nn.relu)",
    "leaky_relu": "by hand: where(x > 0, x, 0.01 x) (slope 0.01 as the notebook, Keras's default "
                  "is 0.2; jax.nn.leaky_relu tests x >= 0, tf.nn.leaky_relu's gradient x > 0)",
    "elu": "jax.nn.elu (alpha 1)",
    "gelu": "jax.nn.gelu(approximate=False) (Keras's default is exact, jax's is tanh)",
    "silu": "jax.nn.silu",
    "softplus": "jax.nn.softplus",
    "selu": "by hand: scale * where(x < 0, alpha expm1(x), x) (tf.nn.selu's gradient at 0 is "
            "scale; jax.nn.selu's is scale * alpha)",
    "mish": "jax.nn.mish (x tanh(softplus(x)))",
    "linear": "identity",
    "hard_sigmoid": "jax.nn.hard_sigmoid (relu6(x + 3) / 6, as Keras)",
    "relu6": "jax.nn.relu6",
    "softsign": "jax.nn.soft_sign",
    "log_sigmoid": "jax.nn.log_sigmoid",
    "celu": "by hand: where(x >= 0, x, 0) + expm1(where(x <= 0, x, 0)) (Keras writes "
            "tf.maximum + tf.minimum: TF gives a tie's gradient to x, so 2 at 0; jnp splits it)",
    "hard_silu": "jax.nn.hard_silu",
    "hard_tanh": "jax.nn.hard_tanh",
}

DATA_SEED = 42
N_FIT = 2001
Z95 = 1.959963984540054


def wilson(k, n, z=Z95):
    """Wilson score interval for k successes out of n."""
    if n == 0:
        return [0.0, 1.0]
    p = k / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return [max(0.0, centre - half), min(1.0, centre + half)]


class JavaRandom:
    """java.util.Random (48-bit LCG) and its polar-method nextGaussian (Java 17)."""

    def __init__(self, seed):
        self.s = (seed ^ 0x5DEECE66D) & ((1 << 48) - 1)
        self.next_next = None

    def _next(self, bits):
        self.s = (self.s * 0x5DEECE66D + 0xB) & ((1 << 48) - 1)
        return self.s >> (48 - bits)

    def next_double(self):
        return ((self._next(26) << 27) + self._next(27)) * 2.0 ** -53

    def next_gaussian(self):
        if self.next_next is not None:
            g, self.next_next = self.next_next, None
            return g
        while True:
            v1 = 2 * self.next_double() - 1
            v2 = 2 * self.next_double() - 1
            s = v1 * v1 + v2 * v2
            if 0 < s < 1:
                break
        # Java uses StrictMath.log (fdlibm); math.log can differ in the last bit: for seed 42, 66
        # of the 2001 doubles differ by <= 4e-16 relative, the float32 training data not at all.
        mult = math.sqrt(-2 * math.log(s) / s)
        self.next_next = v2 * mult
        return v1 * mult


def make_data(model, data_seed=DATA_SEED, data_rng="numpy"):
    """(x, y, truth) as float64 numpy arrays; truth is the noiseless target (fits) or y (gates)."""
    kind, gate = MODELS[model][0], MODELS[model][1]
    if kind == "gate":
        x = np.array(GATE_X, dtype=np.float64)
        y = np.array(GATES[gate], dtype=np.float64).reshape(-1, 1)
        return x, y, y
    q_x = np.array([-10 + i / 100 for i in range(N_FIT)])
    truth = q_x ** 2
    if data_rng == "java":
        r = JavaRandom(data_seed)
        noise = np.array([r.next_gaussian() for _ in range(N_FIT)])
    else:
        noise = np.random.default_rng(data_seed).standard_normal(N_FIT)
    q_y = truth + 10 * noise
    return q_x.reshape(-1, 1), q_y.reshape(-1, 1), truth.reshape(-1, 1)


def layer_sizes(model):
    kind, _, hidden, _, _ = MODELS[model]
    n_in = 2 if kind == "gate" else 1
    return [n_in] + list(hidden) + [1]


def layers_doc(model, acts):
    """The Dense layers; a swept activation shows as "swept" when more than one is swept."""
    names = layer_activations(model, "swept" if len(acts) > 1 else acts[0])
    return [{"units": u, "activation": f} for u, f in zip(layer_sizes(model)[1:], names)]


def defaults(model):
    kind = MODELS[model][0]
    return (1000, 0.01) if kind == "gate" else (100, 0.005)


# --------------------------------------------------------------------------------------------
# JAX part (imported lazily: --dtype float64 must switch x64 on before jax builds anything)

WARM_UP_MS, WARM_UP_RUNS = 500, 50   # the rule of Java's Bench.medianMs; bench.py uses this too


def warm_up(fn):
    """Untimed warm-up runs of fn: until WARM_UP_MS is spent or WARM_UP_RUNS are done, whichever
    comes first (at least one run)."""
    t0 = time.perf_counter()
    for _ in range(WARM_UP_RUNS):
        fn()
        if (time.perf_counter() - t0) * 1e3 >= WARM_UP_MS:
            break


def jax_modules():
    import jax
    import jax.numpy as jnp
    from jax import lax
    return jax, jnp, lax


def activation_fn(name):
    jax, jnp, _ = jax_modules()
    nn = jax.nn
    if name == "sigmoid":
        return nn.sigmoid
    if name == "tanh":
        return jnp.tanh
    if name == "relu":
        return nn.relu
    if name == "leaky_relu":
        return lambda x: jnp.where(x > 0, x, x * jnp.asarray(0.01, x.dtype))
    if name == "elu":
        return nn.elu
    if name == "gelu":
        return lambda x: nn.gelu(x, approximate=False)
    if name == "silu":
        return nn.silu
    if name == "softplus":
        return nn.softplus
    if name == "selu":
        alpha = 1.6732632423543772848170429916717
        scale = 1.0507009873554804934193349852946

        def selu(x):
            neg = jnp.asarray(scale * alpha, x.dtype) * jnp.expm1(jnp.minimum(x, 0))
            return jnp.where(x < 0, neg, jnp.asarray(scale, x.dtype) * x)
        return selu
    if name == "mish":
        return nn.mish
    if name == "linear":
        return lambda x: x
    if name == "hard_sigmoid":
        return nn.hard_sigmoid
    if name == "relu6":
        return nn.relu6
    if name == "softsign":
        return nn.soft_sign
    if name == "log_sigmoid":
        return nn.log_sigmoid
    if name == "celu":
        def celu(x):
            zero = jnp.zeros_like(x)
            return jnp.where(x >= 0, x, zero) + jnp.expm1(jnp.where(x <= 0, x, zero))
        return celu
    if name == "hard_silu":
        return nn.hard_silu
    if name == "hard_tanh":
        return nn.hard_tanh
    raise SystemExit(f"unknown activation {name!r}; known: {', '.join(ACTIVATIONS)}")


def layer_activations(model, act):
    """The activation name of every Dense layer, in order."""
    _, _, hidden, _, out_act = MODELS[model]
    if out_act is None:
        return [act]
    return [act] * len(hidden) + [out_act]


def seed_keys(seed):
    jax, _, _ = jax_modules()
    key = jax.random.PRNGKey(seed)
    return jax.random.split(key)


def init_params(k_init, sizes, dtype):
    """[(kernel, bias), ...]: Glorot uniform U(-limit, limit) kernels, zero biases."""
    jax, jnp, _ = jax_modules()
    params = []
    for i in range(len(sizes) - 1):
        fan_in, fan_out = sizes[i], sizes[i + 1]
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        w = jax.random.uniform(jax.random.fold_in(k_init, i), (fan_in, fan_out), dtype=dtype,
                               minval=-limit, maxval=limit)
        params.append((w, jnp.zeros((fan_out,), dtype)))
    return params


SMALL_ROWS = 8  # one batch of at most this many rows: the row-wise (scalar) path
_ROT = ((13, 15, 26, 6), (17, 29, 16, 24))


def threefry2x32(k0, k1, x0, x1):
    """Threefry-2x32, 20 rounds (Random123; the hash jax.random is built on), unrolled.

    jax.random lowers it on CPU as a 5-trip while loop: inside the epoch loop that cost more than
    the training step. This is the same function written out (bit-identical, checked by
    --keras-check); it draws the shuffles' random keys from (per-seed key, epoch, row)."""
    _, jnp, _ = jax_modules()
    u = jnp.uint32
    k2 = k0 ^ k1 ^ u(0x1BD11BDA)
    ks = (k0, k1, k2)
    x0, x1 = x0 + k0, x1 + k1
    for block in range(5):
        for r in _ROT[block % 2]:
            x0 = x0 + x1
            x1 = (x1 << u(r)) | (x1 >> u(32 - r))
            x1 = x0 ^ x1
        x0 = x0 + ks[(block + 1) % 3]
        x1 = x1 + ks[(block + 2) % 3] + u(block + 1)
    return x0, x1


def epoch_bits(k_shuffle, epoch, n):
    """The epoch's random keys, one per row: threefry2x32(key_data(k_shuffle), (epoch, row))[0]."""
    jax, jnp, lax = jax_modules()
    kd = jax.random.key_data(k_shuffle) if jnp.issubdtype(k_shuffle.dtype, jax.dtypes.prng_key) \
        else k_shuffle
    bits, _ = threefry2x32(kd[0], kd[1], jnp.full((n,), epoch, jnp.uint32),
                           jnp.arange(n, dtype=jnp.uint32))
    return bits


def epoch_perm(k_shuffle, epoch, n):
    """The epoch's shuffle: the rows in ascending order of their random keys (epoch_bits), ties
    in index order; perm[p] = the row at position p.

    XLA's CPU sort is slow (a key-value sort of 2001 rows ~0.5 ms; jax.random.permutation, two
    such rounds, ~1.2 ms, 6x the 63 training steps of a ReLU-fit epoch), so this sorts ONE
    uint32 array whose high bits are the key's and whose low ceil(log2 n) bits hold the row
    (~5x faster than a key-value sort). The index bits break ties of the remaining random bits:
    for n = 2001 (21 random bits) any two rows keep their index order with probability
    1/2 + 2^-22 instead of 1/2, otherwise the permutation is uniform. (The gates' 4 rows never
    come here during training: shuffle_rows sorts them with a network on the full 32-bit keys.)"""
    _, jnp, _ = jax_modules()
    if n > 1 << 16:
        raise ValueError("epoch_perm: more than 65536 rows")
    bits = epoch_bits(k_shuffle, epoch, n)
    if n <= SMALL_ROWS:
        return jnp.argsort(bits, stable=True).astype(jnp.int32)  # == shuffle_rows' order
    i = jnp.arange(n, dtype=jnp.uint32)
    low = max(1, (n - 1).bit_length())
    mask = jnp.uint32((1 << low) - 1)
    return (jnp.sort((bits & ~mask) | i) & mask).astype(jnp.int32)


def shuffle_rows(bits, *row_lists):
    """Sorts rows (lists of per-seed scalars) by their keys with odd-even transposition (n rounds
    of compare-exchange of neighbours, swapping only on key_a > key_b: stable), all selects."""
    _, jnp, _ = jax_modules()
    keys = [bits[i] for i in range(len(row_lists[0]))]
    items = [(keys[i], [rl[i] for rl in row_lists]) for i in range(len(keys))]
    n = len(items)
    for rnd in range(n):
        for a in range(rnd % 2, n - 1, 2):
            (ka, ra), (kb, rb) = items[a], items[a + 1]
            swap = ka > kb
            pick = lambda u, v: jnp.where(swap, v, u)  # noqa: E731
            na = (pick(ka, kb), [[pick(u, v) for u, v in zip(ua, ub)] for ua, ub in zip(ra, rb)])
            nb = (pick(kb, ka), [[pick(v, u) for u, v in zip(ua, ub)] for ua, ub in zip(ra, rb)])
            items[a], items[a + 1] = na, nb
    return tuple([it[1][j] for it in items] for j in range(len(row_lists)))


def to_scalars(params):
    """[(kernel, bias)] -> [([[w_kj per j] per k], [b_j])], per-seed scalars."""
    return [([[w[k, j] for j in range(w.shape[1])] for k in range(w.shape[0])],
             [b[j] for j in range(b.shape[0])]) for w, b in params]


def from_scalars(sparams):
    _, jnp, _ = jax_modules()
    return [(jnp.stack([jnp.stack(row) for row in w]), jnp.stack(b)) for w, b in sparams]


def sum_seq(terms):
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total


def dense_unit(h, w, b, j):
    """Unit j of a Dense layer on one row of per-seed scalars: (sum_k h_k w_kj) + b_j."""
    return sum_seq([h[k] * w[k][j] for k in range(len(h))]) + b[j]


def forward(params, x, acts, keep=False):
    """Outputs of a Dense stack; with keep, also every layer's activations."""
    outs = []
    h = x
    for (w, b), f in zip(params, acts):
        h = f(h @ w + b)
        outs.append(h)
    return (h, outs) if keep else h


class Config:
    def __init__(self, model, act, epochs, lr, batch, dtype, data_seed=DATA_SEED, data_rng="numpy",
                 shuffle=True, formulation="twin"):
        self.shuffle = shuffle
        self.formulation = formulation
        self.model, self.act, self.epochs, self.lr, self.batch = model, act, epochs, lr, batch
        self.dtype = dtype
        self.kind = MODELS[model][0]
        self.sizes = layer_sizes(model)
        self.act_names = layer_activations(model, act)
        self.n_hidden_layers = len(self.sizes) - 2
        self.x, self.y, self.truth = make_data(model, data_seed, data_rng)
        self.n = len(self.x)
        self.steps = -(-self.n // batch)  # ceil: the last partial batch is kept
        self.data = {"rng": "java.util.Random" if data_rng == "java" else "numpy.default_rng",
                     "seed": data_seed} if self.kind == "fit" else "the 4 gate rows"


def build_train_one(cfg, return_params=False):
    """train_one(seed) -> dict of per-seed results; the whole training loop as lax.scan."""
    jax, jnp, lax = jax_modules()
    dt = jnp.dtype(cfg.dtype)
    acts = [activation_fn(a) for a in cfg.act_names]
    X = jnp.asarray(cfg.x, dt)
    Y = jnp.asarray(cfg.y, dt)
    T = jnp.asarray(cfg.truth, dt)
    n, S = cfg.n, cfg.steps
    B = min(cfg.batch, n)  # Keras: 4 samples with batch_size 32 make one batch of 4
    pad = S * B - n
    # static per-step masks and real sample counts (the last batch may be short)
    mask_np = (np.arange(S * B) < n).reshape(S, B)
    count_np = mask_np.sum(axis=1)
    MASK = jnp.asarray(mask_np, dt)
    COUNT = jnp.asarray(count_np, dt)
    b1, b2 = 0.9, 0.999
    B1, B2 = jnp.asarray(b1, dt), jnp.asarray(b2, dt)
    ONE_M_B1, ONE_M_B2 = jnp.asarray(1 - b1, dt), jnp.asarray(1 - b2, dt)  # double, then dtype
    EPS = jnp.asarray(1e-7, dt)
    LR = jnp.asarray(cfg.lr, dt)
    N_DT = jnp.asarray(n, dt)

    def batch_loss(params, xb, yb, mb, cnt):
        pred = forward(params, xb, acts)
        se = jnp.mean((pred - yb) ** 2, axis=-1)  # Keras mse: mean over the output axis
        return jnp.sum(se * mb) / cnt  # sum_over_batch_size over the real samples

    grad_fn = jax.value_and_grad(batch_loss)

    # One batch of all n rows, n small (the gates: 4 rows): the rows, the weights and Adam's
    # slots as Python lists of per-seed scalars, which vmap turns into [seeds] vectors, so every
    # op vectorizes over the seeds. (As [seeds, 4, 2] and [seeds, 2, 2] arrays the minor
    # dimensions are 2 and 4: XLA's CPU code for the gather of the shuffled rows and the per-seed
    # 4 x 2 @ 2 x 2 products is scalar, and cost 2-3x the whole training step.) The shuffle is a
    # stable sorting network on the rows' random keys: the order epoch_perm gives.
    # --formulation plain: the model written the ordinary way ([batch, units] arrays, h @ w + b,
    # a gather of the shuffled rows) for every model, as a plain jax.vmap(jit) of it would be
    small = S == 1 and n <= SMALL_ROWS and cfg.formulation == "twin"
    rows_x = [[X[r, c] for c in range(X.shape[1])] for r in range(n)]
    rows_y = [[Y[r, c] for c in range(Y.shape[1])] for r in range(n)]

    def rows_loss(sparams, xs, ys):
        total = None
        for x_row, y_row in zip(xs, ys):
            h = x_row
            for (w, b), f in zip(sparams, acts):
                h = [f(dense_unit(h, w, b, j)) for j in range(len(b))]
            se = sum_seq([(p_ - t_) ** 2 for p_, t_ in zip(h, y_row)]) / len(y_row)
            total = se if total is None else total + se
        return total / N_DT

    rows_grad_fn = jax.value_and_grad(rows_loss)

    def adam(params, grads, m, v, t):
        tf_ = t.astype(dt)
        alpha = LR * jnp.sqrt(1 - B2 ** tf_) / (1 - B1 ** tf_)
        m = jax.tree_util.tree_map(lambda m_, g: m_ + (g - m_) * ONE_M_B1, m, grads)
        v = jax.tree_util.tree_map(lambda v_, g: v_ + (g * g - v_) * ONE_M_B2, v, grads)
        params = jax.tree_util.tree_map(lambda w, m_, v_: w - (m_ * alpha) / (jnp.sqrt(v_) + EPS),
                                        params, m, v)
        return params, m, v

    def step(carry, xs):
        params, m, v, t, total = carry
        bidx, mb, cnt = xs
        xb, yb = X[bidx], Y[bidx]
        loss, grads = grad_fn(params, xb, yb, mb, cnt)
        t = t + 1
        params, m, v = adam(params, grads, m, v, t)
        return (params, m, v, t, total + loss * cnt), None

    def train_one(seed):
        k_init, k_shuffle = seed_keys(seed)
        params = init_params(k_init, cfg.sizes, dt)
        if small:
            params = to_scalars(params)
        zeros = jax.tree_util.tree_map(jnp.zeros_like, params)

        def small_epoch(carry, e):
            # A two-stage pipeline through the loop carry: epoch e trains on rows shuffled in
            # epoch e - 1 from keys hashed in epoch e - 2. Loop values are stored, where XLA
            # would otherwise fuse (recompute) the 20-round hash and the sorting network into
            # each of the ~30 fusions that read a shuffled row (5x the step's cost; an
            # optimization_barrier does not survive XLA's CPU pipeline).
            params, m, v, t, _, (xs, ys), bits_next = carry
            loss, grads = rows_grad_fn(params, xs, ys)
            t = t + 1
            params, m, v = adam(params, grads, m, v, t)
            rows_next = shuffle_rows(bits_next, rows_x, rows_y) if cfg.shuffle else (rows_x, rows_y)
            return (params, m, v, t, loss, rows_next, epoch_bits(k_shuffle, e + 2, n)), None

        def epoch(carry, e):
            params, m, v, t, _ = carry
            if cfg.shuffle and n <= SMALL_ROWS:
                # the plain formulation of the gates: the twin's sorting network gives the same
                # order as epoch_perm's argsort without an XLA sort in the loop
                order = shuffle_rows(epoch_bits(k_shuffle, e, n),
                                     [[jnp.int32(r)] for r in range(n)])[0]
                perm = jnp.stack([row[0] for row in order])
            elif cfg.shuffle:
                perm = epoch_perm(k_shuffle, e, n)
            else:
                perm = jnp.arange(n, dtype=jnp.int32)
            if pad:
                perm = jnp.concatenate([perm, jnp.zeros((pad,), perm.dtype)])  # masked out
            idx = perm.reshape(S, B)
            inner = (params, m, v, t, jnp.zeros((), dt))
            if S == 1:
                inner, _ = step(inner, (idx[0], MASK[0], COUNT[0]))
            else:
                inner, _ = lax.scan(step, inner, (idx, MASK, COUNT))
            params, m, v, t, total = inner
            return (params, m, v, t, total / N_DT), None  # Keras's Mean, batch sizes as weights

        carry = (params, zeros, zeros, jnp.zeros((), jnp.int32), jnp.zeros((), dt))
        if small:
            first = shuffle_rows(epoch_bits(k_shuffle, 0, n), rows_x, rows_y) if cfg.shuffle \
                else (rows_x, rows_y)
            carry = carry + (first, epoch_bits(k_shuffle, 1, n))
            carry, _ = lax.scan(small_epoch, carry, jnp.arange(cfg.epochs))
            params, last_loss = from_scalars(carry[0]), carry[4]
        else:
            (params, _, _, _, last_loss), _ = lax.scan(epoch, carry, jnp.arange(cfg.epochs))

        out, layers = forward(params, X, acts, keep=True)

        def constant(a):  # per column: the same value for every training input
            rng_ = jnp.max(a, axis=0) - jnp.min(a, axis=0)
            return rng_ <= 1e-6 * jnp.maximum(1.0, jnp.abs(jnp.mean(a, axis=0)))

        dead = [jnp.sum(constant(h)).astype(jnp.int32) for h in layers[:-1]]
        res = {
            "final_loss": last_loss,
            "final_loss_eval": jnp.mean((out - Y) ** 2),
            "collapsed": constant(out)[0],
            "dead": jnp.stack(dead) if dead else jnp.zeros((0,), jnp.int32),
        }
        if cfg.kind == "gate":
            res["max_error"] = jnp.max(jnp.abs(out - Y))
            res["solved"] = res["max_error"] < 0.4
        else:
            res["mse_vs_truth"] = jnp.mean((out - T) ** 2)
            res["solved"] = res["mse_vs_truth"] < 50
        if return_params:
            res["params"] = params
        return res

    return train_one


def compiled_sweep(cfg, chunk, return_params=False):
    """(compiled callable on a uint32[chunk] seed array, lower+compile seconds, memory info)."""
    jax, jnp, _ = jax_modules()
    fn = jax.jit(jax.vmap(build_train_one(cfg, return_params)))
    t0 = time.perf_counter()
    lowered = fn.lower(jax.ShapeDtypeStruct((chunk,), jnp.uint32))
    t1 = time.perf_counter()
    compiled = lowered.compile()
    t_compile = time.perf_counter() - t0
    mem = {"trace_lower_seconds": t1 - t0, "xla_compile_seconds": t_compile - (t1 - t0)}
    try:
        ma = compiled.memory_analysis()
        if ma is not None:
            total = (ma.temp_size_in_bytes + ma.argument_size_in_bytes + ma.output_size_in_bytes)
            mem.update({"chunk": chunk, "temp_bytes": int(ma.temp_size_in_bytes),
                        "output_bytes": int(ma.output_size_in_bytes),
                        "bytes_per_seed": total / chunk})
    except Exception as e:  # not every backend reports it
        mem["error"] = str(e)
    return compiled, t_compile, mem


def run_seeds(compiled, chunk, seeds):
    """Runs the compiled sweep over `seeds` in chunks (the last one padded); numpy results."""
    jax, _, _ = jax_modules()
    parts = []
    for start in range(0, len(seeds), chunk):
        s = seeds[start:start + chunk]
        real = len(s)
        if real < chunk:
            s = np.concatenate([s, np.arange(chunk - real, dtype=np.uint32) + s[-1] + 1])
        out = jax.block_until_ready(compiled(s))
        parts.append(jax.tree_util.tree_map(lambda a, r=real: np.asarray(a)[:r], out))
    return jax.tree_util.tree_map(lambda *a: np.concatenate(a), *parts)


def quantiles(values):
    v = np.where(np.isfinite(values), values, np.inf)
    q = np.quantile(v, [0.5, 0.1, 0.9])
    f = [float(x) if np.isfinite(x) else None for x in q]
    return {"median": f[0], "p10": f[1], "p90": f[2]}


def summarise(cfg, res, n):
    solved = int(np.sum(res["solved"]))
    entry = {
        "activation": cfg.act,
        "n": n,
        "solved": solved,
        "solved_rate": solved / n,
        "solved_ci95": wilson(solved, n),
        "final_loss": quantiles(res["final_loss"]),
        "dead_unit_rate": None,
        "collapsed_rate": float(np.mean(res["collapsed"])),
    }
    hidden = cfg.sizes[1:-1]
    if hidden:
        dead = res["dead"]  # [n, layers]
        entry["dead_unit_rate"] = float(np.sum(dead) / (n * sum(hidden)))
        entry["dead_unit_rate_per_layer"] = [float(np.mean(dead[:, i]) / u)
                                             for i, u in enumerate(hidden)]
        full = dead == np.array(hidden)  # [n, layers]: the whole layer dead
        entry["all_hidden_dead_rate"] = float(np.mean(np.all(full, axis=1)))
        entry["some_layer_all_dead_rate"] = float(np.mean(np.any(full, axis=1)))
    entry["final_loss_eval"] = quantiles(res["final_loss_eval"])
    entry["nonfinite_rate"] = float(np.mean(~np.isfinite(res["final_loss"])))
    if cfg.kind == "gate":
        entry["max_error"] = quantiles(res["max_error"])
    else:
        entry["mse_vs_truth"] = quantiles(res["mse_vs_truth"])
    entry["activation_impl"] = ACTIVATION_NOTES[cfg.act]
    entry["final_losses"] = [float(x) if np.isfinite(x) else None for x in res["final_loss"]]
    return entry


def sweep_activation(cfg, seeds, chunk, per_seed):
    t0 = time.perf_counter()
    compiled, t_compile, mem = compiled_sweep(cfg, chunk)
    t1 = time.perf_counter()
    res = run_seeds(compiled, chunk, seeds)
    t_run = time.perf_counter() - t1
    entry = summarise(cfg, res, len(seeds))
    entry["seconds"] = time.perf_counter() - t0
    entry["compile_seconds"] = t_compile  # trace + lower + XLA compile
    entry["trace_lower_seconds"] = mem.get("trace_lower_seconds")
    entry["xla_compile_seconds"] = mem.get("xla_compile_seconds")
    entry["run_seconds"] = t_run
    entry["memory"] = mem
    if per_seed:
        entry["per_seed"] = {k: np.asarray(v).tolist() for k, v in res.items()}
    return entry


def bench(cfg, seeds, chunk, warm_repeats, cold_repeats):
    """Cold: clear jax's caches, trace + compile + first run. Warm: reruns of the compiled call,
    after untimed warm-up reruns (0.5 s or 50 runs, at least one).
    Wall time (perf_counter) and this process's CPU time (process_time, all its threads): on a
    shared machine the CPU time is the steadier of the two."""
    jax, _, _ = jax_modules()
    load_before = os.getloadavg()
    colds, cold_cpu, compiles = [], [], []
    compiled = mem = None
    for _ in range(cold_repeats):
        jax.clear_caches()
        t0, c0 = time.perf_counter(), time.process_time()
        compiled, t_compile, mem = compiled_sweep(cfg, chunk)
        run_seeds(compiled, chunk, seeds)
        colds.append(time.perf_counter() - t0)
        cold_cpu.append(time.process_time() - c0)
        compiles.append(t_compile)
    warm_up(lambda: run_seeds(compiled, chunk, seeds))
    warms, warm_cpu = [], []
    for _ in range(warm_repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        run_seeds(compiled, chunk, seeds)
        warms.append(time.perf_counter() - t0)
        warm_cpu.append(time.process_time() - c0)
    n = len(seeds)
    seed_steps = n * cfg.epochs * cfg.steps
    warm, cold = float(np.median(warms)), float(np.median(colds))
    wcpu, ccpu = float(np.median(warm_cpu)), float(np.median(cold_cpu))
    return {
        "seeds": n, "epochs": cfg.epochs, "steps_per_epoch": cfg.steps, "chunk": chunk,
        "shuffle": cfg.shuffle, "seed_steps": seed_steps,
        "cold_seconds": cold, "cold_all": colds, "cold_compile_seconds": compiles,
        "cold_cpu_seconds": ccpu,
        "warm_seconds": warm, "warm_all": warms, "warm_min_seconds": float(min(warms)),
        "warm_cpu_seconds": wcpu, "warm_cpu_all": warm_cpu,
        "warm_seed_epochs_per_second": n * cfg.epochs / warm,
        "warm_ns_per_seed_step": warm / seed_steps * 1e9,
        "warm_cpu_ns_per_seed_step": wcpu / seed_steps * 1e9,
        "cold_seed_epochs_per_second": n * cfg.epochs / cold,
        "cold_ns_per_seed_step": cold / seed_steps * 1e9,
        "memory": mem,
        "load_average_before_after": [list(load_before), list(os.getloadavg())],
        "cpu_count": os.cpu_count(),
        "note": "cold = jax.clear_caches(), then trace + XLA compile + first run (median of "
                "cold_all); warm = median of reruns of the same compiled call (results copied to "
                "host each time); *_cpu_* = process CPU time over all threads",
    }


def fmt(x, spec=".4g"):
    return "-" if x is None else format(x, spec)


def print_table(doc):
    gate = MODELS[doc["model"]][0] == "gate"
    print(f"# {doc['model']}: {doc['seeds']} seeds from {doc['first_seed']}, {doc['epochs']} epochs, "
          f"lr {doc['learning_rate']}, batch {doc['batch_size']}, {doc['dtype']}, engine jax "
          f"{doc['jax_version']}")
    print("# final loss = the last epoch's loss as Keras reports it (median [p10, p90]); "
          + ("solved: max |out - label| < 0.4" if gate else "solved: mse vs noiseless x^2 < 50"))
    head = (f"{'activation':<13}{'solved':>11}{'rate':>7}  {'ci95':<15}{'final loss median [p10, p90]':<34}"
            f"{'dead':>6}{'collapsed':>10}{'compile s':>10}{'run s':>8}")
    print(head)
    for r in doc["results"]:
        ci = f"[{r['solved_ci95'][0]:.3f},{r['solved_ci95'][1]:.3f}]"
        fl = r["final_loss"]
        loss = f"{fmt(fl['median'])} [{fmt(fl['p10'])}, {fmt(fl['p90'])}]"
        dead = fmt(r["dead_unit_rate"], ".3f")
        print(f"{r['activation']:<13}{r['solved']:>5}/{r['n']:<5}{r['solved_rate']:>7.3f}  {ci:<15}"
              f"{loss:<34}{dead:>6}{r['collapsed_rate']:>10.3f}{r['compile_seconds']:>10.2f}"
              f"{r['run_seconds']:>8.2f}")
        if "dead_unit_rate_per_layer" in r and len(r["dead_unit_rate_per_layer"]) > 1:
            per = ", ".join(f"{d:.3f}" for d in r["dead_unit_rate_per_layer"])
            print(f"{'':<13}dead per layer [{per}]; seeds with a whole layer dead "
                  f"{r['some_layer_all_dead_rate']:.3f}, with every hidden unit dead "
                  f"{r['all_hidden_dead_rate']:.3f}")
        if "bench" in r:
            b = r["bench"]
            print(f"{'':<13}bench: cold {b['cold_seconds']*1e3:.1f} ms (compile "
                  f"{np.median(b['cold_compile_seconds'])*1e3:.1f} ms) = "
                  f"{b['cold_ns_per_seed_step']:.1f} ns/seed-step; warm {b['warm_seconds']*1e3:.1f} ms "
                  f"median of {len(b['warm_all'])} = {b['warm_ns_per_seed_step']:.1f} ns/seed-step, "
                  f"{b['warm_seed_epochs_per_second']:.3g} seed-epochs/s; warm CPU "
                  f"{b['warm_cpu_seconds']*1e3:.1f} ms = {b['warm_cpu_ns_per_seed_step']:.1f} ns/seed-step; "
                  f"load avg {b['load_average_before_after'][0][0]:.1f} -> "
                  f"{b['load_average_before_after'][1][0]:.1f} on {b['cpu_count']} cores")


# --------------------------------------------------------------------------------------------
# Keras check: one seed, the same initial weights and batches, keras.optimizers.Adam

def keras_check(model, act, seed, epochs, lr, batch, data_seed, data_rng):
    """Trains seed `seed` in JAX (the sweep's function) and in Keras (GradientTape loop over the
    same permutations, float32); returns the comparison."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import jax
    import tensorflow as tf
    import keras
    cfg = Config(model, act, epochs, lr, batch, "float32", data_seed, data_rng)
    compiled, _, _ = compiled_sweep(cfg, 1, return_params=True)
    res = run_seeds(compiled, 1, np.array([seed], dtype=np.uint32))
    jax_final = [np.asarray(a)[0] for wb in res["params"] for a in wb]

    k_init, k_shuffle = seed_keys(np.uint32(seed))
    init = [np.asarray(a) for wb in init_params(k_init, cfg.sizes, np.float32) for a in wb]
    perms = [np.asarray(epoch_perm(k_shuffle, e, cfg.n)) for e in range(epochs)]

    layers = [keras.Input(shape=(cfg.sizes[0],))]
    for units, a in zip(cfg.sizes[1:], cfg.act_names):
        layers.append(keras.layers.Dense(units, activation=keras_activation(a)))
    km = keras.Sequential(layers)
    mse = keras.losses.MeanSquaredError()
    x = cfg.x.astype(np.float32)
    y = cfg.y.astype(np.float32)

    def train(schedule):
        km.set_weights(init)
        opt = keras.optimizers.Adam(learning_rate=lr)
        opt.build(km.trainable_variables)

        @tf.function(reduce_retracing=True)
        def step(xb, yb):
            with tf.GradientTape() as tape:
                loss = mse(yb, km(xb, training=True))
            grads = tape.gradient(loss, km.trainable_variables)
            opt.apply_gradients(zip(grads, km.trainable_variables))
            return loss

        last = None
        for perm in schedule:
            total, count = 0.0, 0
            for b in range(cfg.steps):
                idx = perm[b * batch:(b + 1) * batch]
                loss = float(step(tf.constant(x[idx]), tf.constant(y[idx])))
                total += loss * len(idx)
                count += len(idx)
            last = total / count
        return [np.asarray(w) for w in km.get_weights()], last

    t0 = time.perf_counter()
    keras_final, last = train(perms)
    keras_seconds = time.perf_counter() - t0
    diffs = [float(np.max(np.abs(a - b))) for a, b in zip(jax_final, keras_final)]
    scale = max(float(np.max(np.abs(a))) for a in keras_final)
    moved = max(float(np.max(np.abs(a - b))) for a, b in zip(keras_final, init))
    out = {"model": model, "activation": act, "seed": int(seed), "epochs": epochs,
           "steps": epochs * cfg.steps, "max_abs_weight_diff": max(diffs),
           "max_rel_weight_diff": max(diffs) / max(scale, 1e-30),
           "per_tensor_max_abs_diff": diffs, "max_abs_weight": scale,
           "max_weight_change_from_init": moved,
           "jax_final_loss": float(res["final_loss"][0]), "keras_final_loss": last,
           "keras_seconds": keras_seconds, "tf_version": tf.__version__,
           "keras_version": keras.__version__, "jax_version": jax.__version__}
    if cfg.steps > 1:
        # control: the same start on another seed's shuffles; shows what the check can see
        other = seed_keys(np.uint32(seed + 1))[1]
        ctrl, _ = train([np.asarray(epoch_perm(other, e, cfg.n)) for e in range(epochs)])
        out["control_other_shuffles_max_abs_weight_diff"] = max(
            float(np.max(np.abs(a - b))) for a, b in zip(ctrl, keras_final))
    return out


def keras_activation(name):
    import keras
    A = keras.activations
    if name == "leaky_relu":
        return lambda x: A.leaky_relu(x, negative_slope=0.01)
    if name == "gelu":
        return lambda x: A.gelu(x, approximate=False)
    return getattr(A, name)


def check_activations():
    """Every activation's value and derivative, JAX vs Keras, on a grid with its kinks."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import jax
    import jax.numpy as jnp
    import tensorflow as tf
    grid = np.concatenate([np.linspace(-8, 8, 1601), [-6, -3, -1, 0, 1, 3, 6, -0.0, 30, -30]])
    grid = grid.astype(np.float32)
    rows = []
    for name in ACTIVATIONS:
        f = activation_fn(name)
        jv = np.asarray(f(jnp.asarray(grid)))
        jd = np.asarray(jax.vmap(jax.grad(lambda t: f(t)))(jnp.asarray(grid)))
        kf = keras_activation(name)
        xt = tf.constant(grid)
        with tf.GradientTape() as tape:
            tape.watch(xt)
            kv = kf(xt)
        kd = tape.gradient(kv, xt)
        kd = np.ones_like(grid) if kd is None else np.asarray(kd)
        rows.append((name, float(np.max(np.abs(jv - np.asarray(kv)))),
                     float(np.max(np.abs(jd - kd)))))
    return rows


# --------------------------------------------------------------------------------------------

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, choices=list(MODELS))
    p.add_argument("--seeds", type=int, default=1000, help="number of seeds (default 1000)")
    p.add_argument("--seed", type=int, default=42, help="first seed (default 42)")
    p.add_argument("--activation", default=None,
                   help="comma-separated activations or 'all' (default: the model's own)")
    p.add_argument("--epochs", type=int, default=None)
    p.add_argument("--lr", type=float, default=None)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--json", default=None, help="write the Sweep JSON here")
    p.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    p.add_argument("--bench", action="store_true", help="cold and warm timings of the sweep")
    p.add_argument("--bench-repeats", type=int, default=5, help="warm runs (default 5)")
    p.add_argument("--cold-repeats", type=int, default=3, help="cold runs (default 3)")
    p.add_argument("--chunk", type=int, default=100_000,
                   help="seeds per compiled call; more seeds run as several calls (default 100000)")
    p.add_argument("--data-seed", type=int, default=DATA_SEED, help="ReLU fits' noise seed (42)")
    p.add_argument("--data-rng", default="numpy", choices=["numpy", "java"],
                   help="ReLU fits' noise: numpy.default_rng or java.util.Random")
    p.add_argument("--formulation", default="twin", choices=["twin", "plain"],
                   help="twin (default): the gates' rows, weights and Adam's slots as per-seed "
                        "scalars (what XLA compiles best here); plain: [batch, units] arrays and "
                        "h @ w + b for every model, the ordinary way")
    p.add_argument("--no-shuffle", action="store_true",
                   help="Keras fit(shuffle=False): the batches in data order every epoch (for "
                        "the gates' one 4-row batch only the summation order changes)")
    p.add_argument("--per-seed", action="store_true",
                   help="also write every per-seed result (solved, losses, dead, ...) to the JSON")
    p.add_argument("--keras-check", action="store_true",
                   help="no sweep: train seed --seed in JAX and in Keras from the same weights on "
                        "the same batches, compare final weights; and every activation vs Keras")
    a = p.parse_args(argv)

    if a.dtype == "float64":
        os.environ["JAX_ENABLE_X64"] = "1"
    import jax
    if a.dtype == "float64":
        jax.config.update("jax_enable_x64", True)

    d_epochs, d_lr = defaults(a.model)
    epochs = a.epochs if a.epochs is not None else d_epochs
    lr = a.lr if a.lr is not None else d_lr
    if a.activation in (None, ""):
        acts = [MODELS[a.model][3]]
    elif a.activation == "all":
        acts = list(ACTIVATIONS)
    else:
        acts = [s.strip() for s in a.activation.split(",") if s.strip()]
    for act in acts:
        if act not in ACTIVATIONS:
            p.error(f"unknown activation {act!r}; known: {', '.join(ACTIVATIONS)}")

    if a.keras_check:
        if a.dtype != "float32":
            p.error("--keras-check compares float32 runs")
        rows = check_activations()
        print("# activations, JAX vs Keras 3 on a float32 grid (-8..8 and the kinks): max |diff|")
        print(f"{'activation':<13}{'value':>12}{'derivative':>12}")
        for name, dv, dd in rows:
            print(f"{name:<13}{dv:>12.3g}{dd:>12.3g}")
        out = {"activations": [{"activation": r[0], "value_diff": r[1], "derivative_diff": r[2]}
                               for r in rows], "training": []}
        for act in acts:
            r = keras_check(a.model, act, a.seed, epochs, lr, a.batch_size, a.data_seed, a.data_rng)
            out["training"].append(r)
            print(f"# keras check {a.model} {act} seed {a.seed}, {r['steps']} steps: max |w_jax - "
                  f"w_keras| = {r['max_abs_weight_diff']:.3g} (weights up to {r['max_abs_weight']:.3g}, "
                  f"moved up to {r['max_weight_change_from_init']:.3g}; relative "
                  f"{r['max_rel_weight_diff']:.2g}); final epoch loss jax "
                  f"{r['jax_final_loss']:.7g} keras {r['keras_final_loss']:.7g}"
                  + (f"; control, Keras on another seed's shuffles: max |diff| "
                     f"{r['control_other_shuffles_max_abs_weight_diff']:.3g}"
                     if "control_other_shuffles_max_abs_weight_diff" in r else ""))
        if a.json:
            with open(a.json, "w") as f:
                json.dump(out, f, indent=1)
        return 0

    seeds = np.arange(a.seed, a.seed + a.seeds, dtype=np.int64)
    if seeds[0] < 0 or seeds[-1] >= 2 ** 32:
        p.error("seeds must lie in [0, 2^32)")
    seeds = seeds.astype(np.uint32)
    chunk = min(a.chunk, a.seeds)

    import jaxlib
    doc = {"model": a.model, "epochs": epochs, "learning_rate": lr, "first_seed": a.seed,
           "seeds": a.seeds, "results": [],
           "batch_size": a.batch_size, "shuffle": not a.no_shuffle, "dtype": a.dtype, "engine": "jax", "formulation": a.formulation,
           "jax_version": jax.__version__, "jaxlib_version": jaxlib.__version__,
           "device": str(jax.devices()[0]), "cpu_count": os.cpu_count(),
           "python": platform.python_version(),
           "layers": layers_doc(a.model, acts), "data": None,
           "definitions": {
               "final_loss": "last epoch's loss as Keras's History reports it (batch losses before "
                             "each update, weighted by batch size); final_losses lists it per seed",
               "final_loss_eval": "mse of the final weights on the whole training set",
               "solved": ("max |output - label| < 0.4 on the 4 gate inputs"
                          if MODELS[a.model][0] == "gate" else
                          "mse of the final model vs the noiseless x^2 on the 2001 q_x < 50"),
               "dead_unit": "hidden unit with max - min <= 1e-6 * max(1, |mean|) of its activation "
                            "over the training inputs; dead_unit_rate = dead / (seeds * hidden units); "
                            "null when the model has no hidden layer",
               "collapsed": "output with max - min <= 1e-6 * max(1, |mean|) over the training inputs",
               "seeds": "seed s: jax.random.PRNGKey(s) split into init and shuffle keys",
               "quantiles": "numpy.quantile (linear); non-finite losses count as +inf"}}
    for act in acts:
        cfg = Config(a.model, act, epochs, lr, a.batch_size, a.dtype, a.data_seed, a.data_rng,
                     shuffle=not a.no_shuffle, formulation=a.formulation)
        doc["data"] = cfg.data
        entry = sweep_activation(cfg, seeds, chunk, a.per_seed)
        if a.bench:
            entry["bench"] = bench(cfg, seeds, chunk, a.bench_repeats, a.cold_repeats)
        doc["results"].append(entry)
        print(f"# {act}: {entry['solved']}/{entry['n']} solved, {entry['seconds']:.2f} s",
              file=sys.stderr, flush=True)
    print_table(doc)
    if a.json:
        os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
        with open(a.json, "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
        print(f"# wrote {a.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
