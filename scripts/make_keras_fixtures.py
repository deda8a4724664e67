#!/usr/bin/env python3
"""Writes the Keras 3 `.keras` fixtures of core's Keras-file tests, and defines the model zoo that
cross-check 6 (scripts/xcheck_keras_files.py) builds at run time.

Into core/src/test/resources/keras-files/: one `<name>.keras` per fixture, written by Keras itself
(`model.save`), and `<name>.expected.json` with what Java must find in it:
  - "class_name" (Sequential / Functional), "name", "layers": each layer's class, name and weights
    (in Keras's `model.layers` order and `get_weights()` order, flattened row-major), and for
    Functional models "inputs" / "outputs" (layer names);
  - "compile": loss (name or class name, and a loss object's config), optimizer class and config,
    metrics; "optimizer": iterations, learning_rate and the optimizer's variables in Keras's order
    (what model.weights.h5 stores under optimizer/vars/2...);
  - "probe": inputs (one flat row per sample, the inputs side by side) and Keras's predictions
    (the outputs side by side);
  - "train" (the data the model was trained on, x flat, y the targets side by side) and
    "continued": the saved file loaded back and trained 3 more full-batch epochs in order —
    weights, iterations, and Keras's History (loss and metrics per epoch). A model with an active
    Dropout has no "continued" (Keras's masks are its own; see the Dropout fixture's pair).
Also the files the reader must refuse with one clear message: a Conv2D model, a Keras 2 `.h5`, a
Normalization layer never adapted, a layer called twice (shared).

Deterministic (keras.utils.set_random_seed per fixture); only metadata.json's date changes.
Run: .venv/bin/python scripts/make_keras_fixtures.py   (TensorFlow 2.21 / Keras 3.15.1)
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import keras  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "core", "src", "test",
                   "resources", "keras-files")
L = keras.layers
XOR_X = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=np.float32)
XOR_Y = np.array([[0], [1], [1], [0]], dtype=np.float32)
PROBE = np.array([[0, 0], [1, 0], [0, 1], [1, 1], [0.25, -0.5], [2.0, 3.0]], dtype=np.float32)
CONTINUED_EPOCHS = 3


def flat_inputs(x):
    """Several inputs side by side, each flattened row-major: Java's one row per sample."""
    xs = x if isinstance(x, (list, tuple)) else [x]
    return np.concatenate([np.asarray(a, np.float64).reshape(len(a), -1) for a in xs], axis=1)


def split_inputs(model, flat):
    """Java's flat rows back into the model's inputs."""
    out, at = [], 0
    for t in model.inputs:
        shape = tuple(t.shape[1:])
        n = int(np.prod(shape))
        out.append(flat[:, at:at + n].reshape((-1,) + shape).astype(t.dtype))
        at += n
    return out if len(out) > 1 else out[0]


def flat_outputs(y):
    ys = y if isinstance(y, (list, tuple)) else [y]
    return np.concatenate([np.asarray(a, np.float64).reshape(len(a), -1) for a in ys], axis=1)


def split_targets(model, flat):
    """Targets side by side back into one array per output (as many columns as each takes)."""
    if len(model.outputs) == 1:
        return flat.astype("float32")
    out, at = [], 0
    loss = model.loss if isinstance(model.loss, str) else ""
    for t in model.outputs:
        n = 1 if "sparse" in loss else int(np.prod(t.shape[1:]))
        out.append(flat[:, at:at + n].astype("float32"))
        at += n
    return out


def has_active_dropout(model):
    return any(isinstance(l, L.Dropout) and l.rate > 0 for l in model.layers)


def weights_of(model):
    return [np.asarray(w, np.float64).ravel().tolist() for w in model.get_weights()]


def optimizer_of(model):
    o = model.optimizer
    if o is None or not o.built:
        return None
    variables = o.variables
    return {"class_name": type(o).__name__,
            "iterations": int(o.iterations.numpy()),
            "learning_rate": float(np.float32(o.learning_rate.numpy())),
            "variables": [np.asarray(v.numpy(), np.float64).ravel().tolist()
                          for v in variables[2:]]}


def describe(model):
    """Everything the Java test checks, from the model Keras just saved."""
    layers = []
    for layer in model.layers:
        if isinstance(layer, L.InputLayer) and isinstance(model, keras.Sequential):
            continue
        layers.append({"class_name": type(layer).__name__, "name": layer.name,
                       "weights": [{"shape": list(w.shape),
                                    "values": np.asarray(w.numpy(), np.float64).ravel().tolist()}
                                   for w in layer.weights]})
    out = {"class_name": "Sequential" if isinstance(model, keras.Sequential) else "Functional",
           "name": model.name, "layers": layers, "compile": None, "optimizer": None,
           "keras_version": keras.__version__}
    if out["class_name"] == "Functional":
        out["inputs"] = [t._keras_history[0].name for t in model.inputs]
        out["outputs"] = [t._keras_history[0].name for t in model.outputs]
    if model.compiled:
        cc = model.get_compile_config()
        loss = cc["loss"]
        out["compile"] = {
            "loss": loss if isinstance(loss, str) else loss["class_name"],
            "loss_config": {} if isinstance(loss, str) else loss["config"],
            "optimizer": cc["optimizer"]["class_name"],
            "optimizer_config": cc["optimizer"]["config"],
            "metrics": [m if isinstance(m, str) else m["class_name"]
                        for m in (cc["metrics"] or [])]}
        out["optimizer"] = optimizer_of(model)
    return out


def probe_for(model):
    if len(model.inputs) == 1 and tuple(model.inputs[0].shape[1:]) == (2,):
        return PROBE.astype(model.inputs[0].dtype)
    rng = np.random.default_rng(0)
    xs = [rng.normal(size=(5,) + tuple(t.shape[1:])).astype(t.dtype) for t in model.inputs]
    return xs if len(xs) > 1 else xs[0]


def continued(path, x, y, epochs=CONTINUED_EPOCHS):
    """The saved file, loaded back and trained more full-batch epochs in order: what Java,
    loading the same file, must reproduce (the optimizer state crossed, not just the weights)."""
    m = keras.saving.load_model(path)
    h = m.fit(x, y, epochs=epochs, batch_size=len(flat_inputs(x)), shuffle=False, verbose=0)
    return {"epochs": epochs, "batch_size": len(flat_inputs(x)), "shuffle": False,
            "iterations": int(m.optimizer.iterations.numpy()), "weights": weights_of(m),
            "history": {k: [float(v) for v in vs] for k, vs in h.history.items()}}


def save(name, model, x=None, y=None):
    path = os.path.join(OUT, name + ".keras")
    model.save(path)
    exp = describe(model)
    probe = probe_for(model)
    exp["probe"] = {"x": flat_inputs(probe).tolist(),
                    "y": flat_outputs(model.predict(probe, verbose=0)).tolist()}
    if x is not None:
        exp["train"] = {"x": flat_inputs(x).tolist(), "y": flat_outputs(y).tolist()}
        if exp["optimizer"] is not None and not has_active_dropout(model):
            exp["continued"] = continued(path, x, y)
    with open(os.path.join(OUT, name + ".expected.json"), "w") as f:
        json.dump(exp, f, indent=1)
        f.write("\n")
    print(f"{name}.keras: {os.path.getsize(path)} bytes")


def seq(name, *layers, input_dtype="float32", shape=(2,)):
    return keras.Sequential([keras.Input(shape=shape, dtype=input_dtype), *layers], name=name)


def trained(model, loss, optimizer, epochs, x=XOR_X, y=XOR_Y, metrics=None, batch=None):
    if isinstance(optimizer, float):
        optimizer = keras.optimizers.Adam(optimizer)
    model.compile(loss=loss, optimizer=optimizer, metrics=metrics)
    model.fit(x, y, epochs=epochs, batch_size=batch or len(flat_inputs(x)), shuffle=False,
              verbose=0)
    return model


# ------------------------------------------------------------------ the zoo of the new layers
# Each builder returns (model compiled and trained a few steps, x, y): what the fixtures save
# and what cross-check 6 builds again at run time, both ways.

def rng_data(seed, n, *shapes):
    r = np.random.default_rng(seed)
    return [r.normal(size=(n,) + s).astype("float32") for s in shapes]


def zoo_functional_skip(rate=0.5):
    """A Functional MLP as Keras users write it: Dense, BatchNormalization, Dropout, a skip
    connection (Add), binary cross-entropy, Adam, accuracy."""
    inp = keras.Input((4,), name="features")
    h = L.Dense(8, "relu")(inp)
    h = L.BatchNormalization()(h)
    h = L.Dropout(rate, seed=7)(h)
    h = L.Dense(4)(h)
    h = L.Add()([h, inp])
    out = L.Dense(1, "sigmoid")(h)
    m = keras.Model(inp, out, name="functional_skip" if rate else "functional_skip_nodrop")
    (x,) = rng_data(1, 32, (4,))
    y = (x[:, :1] + x[:, 1:2] > 0).astype("float32")
    return trained(m, "binary_crossentropy", keras.optimizers.Adam(0.01), 3, x, y,
                   metrics=["accuracy"], batch=8), x, y


def zoo_two_inputs():
    """Two inputs, Concatenate, LayerNormalization, softmax, categorical cross-entropy, SGD with
    Nesterov momentum."""
    a = keras.Input((3,), name="a")
    b = keras.Input((2,), name="b")
    h = L.Dense(4, "tanh")(a)
    h = L.Concatenate()([h, b])
    h = L.LayerNormalization()(h)
    out = L.Dense(3, "softmax")(h)
    m = keras.Model([a, b], out, name="two_inputs")
    xa, xb = rng_data(2, 24, (3,), (2,))
    y = np.eye(3, dtype="float32")[np.argmax(np.concatenate([xa, xb], 1)[:, :3], 1)]
    opt = keras.optimizers.SGD(0.05, momentum=0.9, nesterov=True)
    return trained(m, "categorical_crossentropy", opt, 3, [xa, xb], y,
                   metrics=["accuracy"]), [xa, xb], y


def zoo_merges():
    """Subtract, Multiply, Average, Add and two outputs; mae, RMSprop with momentum, centered."""
    a = keras.Input((3,), name="left")
    b = keras.Input((3,), name="right")
    d = L.Subtract()([a, b])
    p = L.Multiply()([a, b])
    v = L.Average()([a, b, d])
    s = L.Add()([d, p, v])
    h = L.Dense(4, "elu")(s)
    o1 = L.Dense(1, name="sum")(h)
    o2 = L.Dense(2, name="pair")(h)
    m = keras.Model([a, b], [o1, o2], name="merges")
    xa, xb = rng_data(3, 20, (3,), (3,))
    y1 = (xa - xb).sum(1, keepdims=True)
    y2 = np.stack([(xa * xb).sum(1), xa.mean(1)], 1)
    opt = keras.optimizers.RMSprop(0.01, momentum=0.5, centered=True)
    return trained(m, "mae", opt, 3, [xa, xb], [y1, y2]), [xa, xb], [y1, y2]


def zoo_preprocess():
    """Normalization (adapted), Reshape, Flatten, Identity, Dense with L2 / L1 regularizers,
    BatchNormalization without center, huber loss, AdamW."""
    (x,) = rng_data(4, 16, (6,))
    x = x * 3 + 1
    norm = L.Normalization()
    norm.adapt(x)
    m = seq("preprocess", norm, L.Reshape((2, 3)), L.Flatten(), L.Identity(),
            L.Dense(3, "relu", kernel_regularizer=keras.regularizers.L2(0.01),
                    bias_regularizer=keras.regularizers.L1(0.02)),
            L.BatchNormalization(center=False, momentum=0.9), L.Dense(1), shape=(6,))
    y = x[:, :1] - x[:, 1:2] * 0.5
    return trained(m, "huber", keras.optimizers.AdamW(0.02, weight_decay=0.01), 3, x, y,
                   batch=8), x, y


def zoo_sparse_logits():
    """Sparse categorical cross-entropy from logits, Adam with amsgrad, accuracy."""
    (x,) = rng_data(5, 24, (4,))
    y = np.argmax(x[:, :3], 1).reshape(-1, 1).astype("float32")
    m = seq("sparse_logits", L.Dense(6, "gelu"), L.Dense(3), shape=(4,))
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    return trained(m, loss, keras.optimizers.Adam(0.02, amsgrad=True), 3, x, y,
                   metrics=["accuracy"]), x, y


def zoo_categorical_logits():
    """Categorical cross-entropy from logits, plain RMSprop."""
    (x,) = rng_data(6, 24, (4,))
    y = np.eye(3, dtype="float32")[np.argmax(x[:, 1:], 1)]
    m = seq("categorical_logits", L.Dense(5, "tanh"), L.Dense(3), shape=(4,))
    loss = keras.losses.CategoricalCrossentropy(from_logits=True)
    return trained(m, loss, keras.optimizers.RMSprop(0.01), 3, x, y,
                   metrics=["categorical_accuracy"]), x, y


def zoo_sparse_probabilities():
    """Sparse categorical cross-entropy from softmax probabilities, plain SGD, a 2-D input
    flattened."""
    (x,) = rng_data(7, 24, (2, 2))
    y = np.argmax(x.reshape(-1, 4)[:, :3], 1).reshape(-1, 1).astype("float32")
    m = seq("sparse_probabilities", L.Flatten(), L.Dense(3, "softmax"), shape=(2, 2))
    return trained(m, "sparse_categorical_crossentropy", keras.optimizers.SGD(0.1), 3, x, y,
                   metrics=["accuracy", "sparse_categorical_accuracy"]), x, y


def zoo_sgd_momentum():
    """SGD with (non-Nesterov) momentum, mse, LayerNormalization without scale."""
    (x,) = rng_data(8, 16, (3,))
    y = x.sum(1, keepdims=True)
    m = seq("sgd_momentum", L.Dense(4, "relu"), L.LayerNormalization(scale=False), L.Dense(1),
            shape=(3,))
    return trained(m, "mse", keras.optimizers.SGD(0.05, momentum=0.8), 3, x, y), x, y


def zoo_activation_layers():
    """The activation layers (LeakyReLU, ELU, ReLU, Activation), Dense with an L1L2 regularizer,
    binary cross-entropy from logits, Adam with weight decay, binary accuracy and mae."""
    (x,) = rng_data(9, 24, (3,))
    y = (x[:, :1] * x[:, 1:2] > 0).astype("float32")
    m = seq("activation_layers",
            L.Dense(4, kernel_regularizer=keras.regularizers.L1L2(l1=0.01, l2=0.02)),
            L.LeakyReLU(negative_slope=0.2), L.Dense(4), L.ELU(alpha=0.5), L.Dense(4), L.ReLU(),
            L.Dense(4), L.Activation("softsign"), L.Dense(1), shape=(3,))
    loss = keras.losses.BinaryCrossentropy(from_logits=True)
    return trained(m, loss, keras.optimizers.Adam(0.02, weight_decay=0.01), 3, x, y,
                   metrics=["binary_accuracy", "mae"]), x, y


def zoo_given_normalization():
    """Normalization with its mean and variance given, a Softmax layer, categorical
    cross-entropy, SGD with weight decay, acc and mse."""
    (x,) = rng_data(10, 24, (3,))
    x = x * np.array([2.0, 1.0, 0.5], "float32") + np.array([1.0, -2.0, 0.5], "float32")
    y = np.eye(3, dtype="float32")[np.argmax(x * np.array([0.5, 1.0, 2.0], "float32"), 1)]
    m = seq("given_normalization",
            L.Normalization(mean=[1.0, -2.0, 0.5], variance=[4.0, 1.0, 0.25]), L.Dense(3),
            L.Softmax(), shape=(3,))
    return trained(m, "categorical_crossentropy",
                   keras.optimizers.SGD(0.05, weight_decay=0.01), 3, x, y,
                   metrics=["acc", "mse"]), x, y


def zoo_inverted_normalization():
    """Normalization(invert=True) after a Dense, mse, RMSprop with weight decay, mae."""
    (x,) = rng_data(11, 16, (2,))
    y = np.stack([x[:, 0] * 2 + 1, x[:, 1] * 0.5 - 1], 1).astype("float32")
    m = seq("inverted_normalization", L.Dense(2),
            L.Normalization(invert=True, mean=[1.0, -1.0], variance=[4.0, 0.25]), shape=(2,))
    return trained(m, "mse", keras.optimizers.RMSprop(0.01, weight_decay=0.005), 3, x, y,
                   metrics=["mae"]), x, y


ZOO = {"functional_skip": zoo_functional_skip,
       "functional_skip_nodrop": lambda: zoo_functional_skip(0.0),
       "two_inputs": zoo_two_inputs, "merges": zoo_merges, "preprocess": zoo_preprocess,
       "sparse_logits": zoo_sparse_logits, "categorical_logits": zoo_categorical_logits,
       "sparse_probabilities": zoo_sparse_probabilities, "sgd_momentum": zoo_sgd_momentum,
       "activation_layers": zoo_activation_layers,
       "given_normalization": zoo_given_normalization,
       "inverted_normalization": zoo_inverted_normalization}


def zoo(name, seed):
    keras.utils.set_random_seed(seed)
    return ZOO[name]()


def main():
    os.makedirs(OUT, exist_ok=True)

    # The notebook's XOR MLP: Dense(2, sigmoid) -> Dense(1, sigmoid), mse, Adam(0.01).
    keras.utils.set_random_seed(42)
    # Layer names differ from the h5 paths (layers/dense, layers/dense_1): Keras keys by class.
    m = seq("xor-mlp", L.Dense(2, "sigmoid", name="hidden"),
            L.Dense(1, "sigmoid", name="output"))
    save("xor_mlp", trained(m, "mse", 0.01, 5), XOR_X, XOR_Y)

    keras.utils.set_random_seed(43)
    m = seq("xor-bce", L.Dense(2, "tanh"), L.Dense(1, "sigmoid"))
    save("bce", trained(m, "binary_crossentropy", 0.05, 3, metrics=["accuracy"]), XOR_X, XOR_Y)

    # PReLU between Dense layers (alpha per unit, trained so the alphas differ), then tanh.
    keras.utils.set_random_seed(44)
    m = seq("prelu-tanh", L.Dense(3), L.PReLU(alpha_initializer=keras.initializers.Constant(0.1)),
            L.Dense(2, "tanh"), L.Dense(1))
    save("prelu_tanh", trained(m, "mean_squared_error", 0.02, 4), XOR_X, XOR_Y)

    # The notebook's linear gates: keras.Input(dtype="float64") with float32 layers.
    keras.utils.set_random_seed(45)
    y_or = np.array([[0], [1], [1], [1]], dtype="float64")
    m = seq("or-linear", L.Dense(1), input_dtype="float64")
    save("float64_input", trained(m, "mse", 0.01, 3, x=XOR_X.astype("float64"), y=y_or),
         XOR_X.astype("float64"), y_or)

    # float64 layers: float64 weights and float64 Adam slots (iterations int64, lr float32).
    keras.utils.set_random_seed(46)
    m = seq("and-sigmoid-f64", L.Dense(1, "sigmoid", dtype="float64"), input_dtype="float64")
    y_and = np.array([[0], [0], [0], [1]], dtype="float64")
    save("float64", trained(m, "binary_crossentropy", 0.1, 3, x=XOR_X.astype("float64"),
                            y=y_and), XOR_X.astype("float64"), y_and)

    # Activation layers between Dense layers, and Dense activations given by name.
    keras.utils.set_random_seed(47)
    m = seq("activation-layers", L.Dense(3), L.LeakyReLU(negative_slope=0.01), L.Dense(3),
            L.ELU(alpha=0.5), L.Dense(2), L.Activation("gelu"), L.Dense(2, "silu"),
            L.ReLU(max_value=6.0), L.Dense(2, "hard_sigmoid"), L.Softmax())
    y2 = np.array([[1, 0], [0, 1], [0, 1], [1, 0]], dtype=np.float32)
    save("activation_layers", trained(m, "categorical_crossentropy", 0.01, 2, y=y2), XOR_X, y2)

    keras.utils.set_random_seed(48)
    save("uncompiled", seq("uncompiled", L.Dense(2, "relu"), L.Dense(1)))

    # The new layers, optimizers and losses (the zoo cross-check 6 also runs).
    for i, name in enumerate(ZOO):
        model, x, y = zoo(name, 60 + i)
        save(name, model, x, y)

    # Files the reader must refuse.
    keras.utils.set_random_seed(49)
    conv = keras.Sequential([keras.Input((4, 4, 1)), L.Conv2D(1, 2), L.Flatten(), L.Dense(1)],
                            name="conv")
    conv.save(os.path.join(OUT, "conv2d.keras"))
    legacy = seq("legacy", L.Dense(1, "sigmoid"))
    legacy.save(os.path.join(OUT, "keras2.h5"), include_optimizer=False)
    seq("unadapted", L.Normalization(), L.Dense(1)).save(os.path.join(OUT, "unadapted.keras"))
    inp = keras.Input((2,))
    shared = L.Dense(2)
    keras.Model(inp, shared(shared(inp)), name="shared").save(os.path.join(OUT, "shared.keras"))
    for f in sorted(os.listdir(OUT)):
        print(f, os.path.getsize(os.path.join(OUT, f)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
