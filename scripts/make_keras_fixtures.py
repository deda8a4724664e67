#!/usr/bin/env python3
"""Writes the Keras 3 `.keras` fixtures of the Java `keras` package's tests.

Into core/src/test/resources/keras-files/: one `<name>.keras` per fixture, written by Keras itself
(`model.save`), and `<name>.expected.json` with what the Java reader must find in it, in the
package's NEUTRAL form (activation layers as `Activation` + parameters, weights flattened
row-major, Adam's m and v per trainable weight), plus predictions on probe inputs and the
batch the model was trained on (scripts/check_keras_file.py takes one more step on it).
Also the unsupported files the reader must refuse with one clear message: a Conv2D model, a
Functional model and a Keras 2 HDF5 `.h5`.

Deterministic (keras.utils.set_random_seed per fixture); only metadata.json's date changes.
Run: /work/venv/bin/python scripts/make_keras_fixtures.py   (TensorFlow 2.21 / Keras 3.15.1)
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import keras  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "core", "src", "test", "resources",
                   "keras-files")
XOR_X = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=np.float32)
XOR_Y = np.array([[0], [1], [1], [0]], dtype=np.float32)
PROBE = np.array([[0, 0], [1, 0], [0, 1], [1, 1], [0.25, -0.5], [2.0, 3.0]], dtype=np.float32)


def policy_name(dtype):
    return dtype if isinstance(dtype, str) else dtype.name


def neutral_layer(layer):
    """The layer as the Java reader describes it (KerasLayer)."""
    cfg = layer.get_config()
    cls = type(layer).__name__
    out = {"class_name": cls, "name": layer.name, "dtype": policy_name(layer.dtype_policy),
           "units": 0, "use_bias": False, "activation": None, "activation_params": {}}
    if cls == "Dense":
        out.update(units=cfg["units"], use_bias=cfg["use_bias"], activation=cfg["activation"])
    elif cls == "Activation":
        out["activation"] = cfg["activation"]
    elif cls == "LeakyReLU":
        out.update(class_name="Activation", activation="leaky_relu",
                   activation_params={"negative_slope": cfg["negative_slope"]})
    elif cls == "ELU":
        out.update(class_name="Activation", activation="elu",
                   activation_params={"alpha": cfg["alpha"]})
    elif cls == "ReLU":
        params = {}
        if cfg["max_value"] is not None:
            params["max_value"] = cfg["max_value"]
        if cfg["negative_slope"] != 0.0:
            params["negative_slope"] = cfg["negative_slope"]
        if cfg["threshold"] != 0.0:
            params["threshold"] = cfg["threshold"]
        out.update(class_name="Activation", activation="relu", activation_params=params)
    elif cls == "Softmax":
        out.update(class_name="Activation", activation="softmax",
                   activation_params={"axis": cfg["axis"]})
    elif cls != "PReLU":
        raise ValueError(cls)
    out["weights"] = [{"name": w.name, "shape": list(w.shape),
                       "values": np.asarray(w.numpy(), dtype=np.float64).ravel().tolist()}
                      for w in layer.weights]
    return out


def expected(model, x_train, y_train):
    """Everything the Java test checks, from the model Keras just saved."""
    inp = model.inputs[0]
    out = {"name": model.name, "input_dim": int(inp.shape[-1]), "input_dtype": inp.dtype,
           "layers": [neutral_layer(layer) for layer in model.layers],
           "compile": None, "adam": None, "keras_version": keras.__version__}
    if model.compiled:
        cc = model.get_compile_config()
        opt = cc["optimizer"]
        loss = cc["loss"]
        out["compile"] = {
            "loss": loss if isinstance(loss, str) else loss["class_name"],
            "optimizer": opt["class_name"],
            "optimizer_config": opt["config"],
            "metrics": [m if isinstance(m, str) else m["class_name"]
                        for m in (cc["metrics"] or [])]}
        if opt["class_name"] == "Adam" and model.optimizer.built:
            o = model.optimizer
            out["adam"] = {
                "iterations": int(o.iterations.numpy()),
                "learning_rate": float(np.float32(o.learning_rate.numpy())),
                "m": [np.asarray(v.numpy(), np.float64).ravel().tolist() for v in o._momentums],
                "v": [np.asarray(v.numpy(), np.float64).ravel().tolist() for v in o._velocities]}
    n = out["input_dim"]
    probe = PROBE if n == 2 else np.random.default_rng(0).normal(size=(4, n)).astype("float32")
    probe = probe.astype(inp.dtype)
    out["probe"] = {"x": probe.astype(np.float64).tolist(),
                    "y": np.asarray(model.predict(probe, verbose=0), np.float64).tolist()}
    if x_train is not None:
        out["train"] = {"x": np.asarray(x_train, np.float64).tolist(),
                        "y": np.asarray(y_train, np.float64).tolist()}
    return out


CONTINUED_EPOCHS = 3


def continued(path, x_train, y_train):
    """The saved file, loaded back and trained 3 more full-batch epochs in order: what Java,
    loading the same file, must reproduce (the optimizer state crossed, not just the weights)."""
    m = keras.saving.load_model(path)
    m.fit(x_train, y_train, epochs=CONTINUED_EPOCHS, batch_size=len(x_train), shuffle=False,
          verbose=0)
    return {"epochs": CONTINUED_EPOCHS, "batch_size": len(x_train), "shuffle": False,
            "iterations": int(m.optimizer.iterations.numpy()),
            "weights": [np.asarray(w, np.float64).ravel().tolist() for w in m.get_weights()]}


def save(name, model, x_train=None, y_train=None):
    path = os.path.join(OUT, name + ".keras")
    model.save(path)
    exp = expected(model, x_train, y_train)
    if x_train is not None and exp["adam"] is not None and exp["compile"]["loss"] in (
            "mse", "mean_squared_error", "binary_crossentropy"):
        exp["continued"] = continued(path, x_train, y_train)
    with open(os.path.join(OUT, name + ".expected.json"), "w") as f:
        json.dump(exp, f, indent=1)
        f.write("\n")
    print(f"{name}.keras: {os.path.getsize(path)} bytes")


def seq(name, *layers, input_dtype="float32", n=2):
    return keras.Sequential([keras.Input(shape=(n,), dtype=input_dtype), *layers], name=name)


def trained(model, loss, learning_rate, epochs, x=XOR_X, y=XOR_Y, metrics=None):
    model.compile(loss=loss, optimizer=keras.optimizers.Adam(learning_rate), metrics=metrics)
    model.fit(x, y, epochs=epochs, batch_size=len(x), shuffle=False, verbose=0)
    return model


def main():
    os.makedirs(OUT, exist_ok=True)
    L = keras.layers

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
    m = seq("or-linear", L.Dense(1), input_dtype="float64")
    save("float64_input", trained(m, "mse", 0.01, 3, x=XOR_X.astype("float64"),
                                  y=np.array([[0], [1], [1], [1]], dtype="float64")),
         XOR_X.astype("float64"), np.array([[0], [1], [1], [1]], dtype="float64"))

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

    # Files the reader must refuse.
    keras.utils.set_random_seed(49)
    conv = keras.Sequential([keras.Input((4, 4, 1)), L.Conv2D(1, 2), L.Flatten(), L.Dense(1)],
                            name="conv")
    conv.save(os.path.join(OUT, "conv2d.keras"))
    inp = keras.Input((2,))
    functional = keras.Model(inp, L.Dense(1)(inp), name="functional")
    functional.save(os.path.join(OUT, "functional.keras"))
    legacy = seq("legacy", L.Dense(1, "sigmoid"))
    legacy.save(os.path.join(OUT, "keras2.h5"), include_optimizer=False)
    for f in sorted(os.listdir(OUT)):
        print(f, os.path.getsize(os.path.join(OUT, f)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
