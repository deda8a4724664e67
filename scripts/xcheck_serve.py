#!/usr/bin/env python3
"""Cross-check 8: `serve` answers a client written for TensorFlow Serving as TensorFlow Serving
does, and serves this project's models with the numbers of `predict`.

A plain http.client client (keep-alive, no TensorFlow Serving library) talks to one `serve`
process (java -cp CLASSPATH ...Main serve --model_config_file=...) on loopback:

- half_plus_two, made here by Python TensorFlow as TensorFlow Serving's
  saved_model_half_plus_two.py makes it (TF1 flavour: ParseExample over a string placeholder,
  variables, predict / regress / classify signatures, versions 00000123 and 00000124, served with
  the specific policy {123} and the label Version_Label), gets the requests of TensorFlow
  Serving's http_rest_api_handler_test.cc and must answer its expected bodies and codes; the TF2
  flavour (tf.function signatures, tf.saved_model.save) its predict / regress / classify cases.
- every exported model MODELS/<name> (SavedModel) and MODELS/<name>.keras: the probe inputs of
  run.json, predicted over HTTP, must equal Java's `predict` on the same model exactly (float32);
  every Keras reference export KERAS/<name> (model.export()) must equal Python TensorFlow's serving
  of the same export (1e-6 x max(1, |y|)).
- a Keras-on-JAX export (jax2tf, XlaCallModule) is refused at start with one line naming
  XlaCallModule and the .keras route.

run(models, keras_dir, classpath) returns rows (what, max_diff, tolerance, status). Whatever is
missing (a model, the Keras directory, the classpath, the server) is a fail row.
"""
import http.client
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

import java_cli

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import tensorflow as tf  # noqa: E402

TRAINED = ["or-linear", "and-linear", "or-sigmoid", "and-sigmoid", "xor-sigmoid", "xor-mlp",
           "relu-parallel", "relu-serial", "xor-bce", "xor-prelu"]
HP2 = "saved_model_half_plus_two_2_versions"
PASS, FAIL = "pass", "fail"


# ------------------------------------------------------------------ half_plus_two, made here

def half_plus_two_tf1(export_dir):
    """The TF1 graph of TensorFlow Serving's test model: y = a*x + b, y2 = a*x + c, y3 = a2*x2 + c2
    with a = a2 = 0.5, b = 2, c = c2 = 3; x and x2 parsed from serialized tf.Examples."""
    v1 = tf.compat.v1
    graph = tf.Graph()
    with graph.as_default():
        examples = v1.placeholder(tf.string, name="tf_example", shape=[None])
        features = v1.parse_example(examples, {
            "x": v1.FixedLenFeature([1], tf.float32),
            "x2": v1.FixedLenFeature([1], tf.float32, default_value=[0.0])})
        x = tf.identity(features["x"], name="x")
        x2 = tf.identity(features["x2"], name="x2")
        a, b, c = (v1.Variable(v, name=n) for n, v in (("a", 0.5), ("b", 2.0), ("c", 3.0)))
        a2, c2 = v1.Variable(0.5, name="a2"), v1.Variable(3.0, name="c2")
        y = tf.identity(a * x + b, name="y")
        y2 = tf.identity(a * x + c, name="y2")
        y3 = tf.identity(a2 * x2 + c2, name="y3")
        info = v1.saved_model.utils.build_tensor_info
        sig = v1.saved_model.signature_def_utils.build_signature_def

        def one(inp, in_key, out, out_key, method):
            return sig({in_key: info(inp)}, {out_key: info(out)}, method)

        predict, regress, classify = ("tensorflow/serving/predict", "tensorflow/serving/regress",
                                      "tensorflow/serving/classify")
        signatures = {
            "serving_default": one(x, "x", y, "y", predict),
            "regress_x_to_y": one(examples, "inputs", y, "outputs", regress),
            "regress_x_to_y2": one(examples, "inputs", y2, "outputs", regress),
            "regress_x2_to_y3": one(x2, "inputs", y3, "outputs", regress),
            "classify_x_to_y": one(examples, "inputs", y, "scores", classify),
        }
        with v1.Session(graph=graph) as s:
            s.run(v1.global_variables_initializer())
            builder = v1.saved_model.builder.SavedModelBuilder(export_dir)
            builder.add_meta_graph_and_variables(s, ["serve"], signature_def_map=signatures)
            builder.save()


def half_plus_two_tf2(export_dir):
    """The TF2 flavour: a tf.Module whose signatures are tf.functions."""
    spec = {"x": tf.io.FixedLenFeature([1], tf.float32),
            "x2": tf.io.FixedLenFeature([1], tf.float32, default_value=[0.0])}

    class HalfPlusTwo(tf.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b, self.c = tf.Variable(0.5), tf.Variable(2.0), tf.Variable(3.0)

        @tf.function(input_signature=[tf.TensorSpec([1], tf.float32)])
        def predict(self, x):
            return {"y": self.a * x + self.b}

        @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="inputs")])
        def regress_xy(self, serialized):
            return {"outputs": self.a * tf.io.parse_example(serialized, spec)["x"] + self.b}

        @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="inputs")])
        def classify_xy(self, serialized):
            return {"scores": self.a * tf.io.parse_example(serialized, spec)["x"] + self.b}

    m = HalfPlusTwo()
    tf.saved_model.save(m, export_dir, signatures={
        "serving_default": m.predict, "regress_x_to_y": m.regress_xy,
        "classify_x_to_y": m.classify_xy})


# ------------------------------------------------------------------ the server and the client

class Server:
    """`serve` in its own JVM, on a free loopback port."""

    def __init__(self, classpath, config, log):
        self.log = open(log, "w")
        env = dict(os.environ)  # the library applies its native settings itself
        self.p = subprocess.Popen(
            ["java", "-cp", classpath, "io.github.activationlab.cli.Main", "serve",
             "--rest_api_port=0", "--rest_api_host", "127.0.0.1",
             f"--model_config_file={config}", "--file_system_poll_wait_seconds=0"],
            stdout=subprocess.DEVNULL, stderr=self.log, env=env)
        self.logfile = log
        self.port = None
        deadline = time.time() + 180
        while time.time() < deadline and self.p.poll() is None:
            with open(log) as f:
                m = re.search(r"Exporting HTTP/REST API at:127\.0\.0\.1:(\d+)", f.read())
            if m:
                self.port = int(m.group(1))
                break
            time.sleep(0.2)

    def tail(self):
        with open(self.logfile) as f:
            return " | ".join(f.read().strip().splitlines()[-3:])[-400:]

    def stop(self):
        if self.p.poll() is None:
            self.p.terminate()  # SIGTERM: a graceful stop, exit 0
        code = self.p.wait(60)
        self.log.close()
        return code


class Client:
    """What a TensorFlow Serving user writes: JSON over one keep-alive HTTP connection."""

    def __init__(self, port):
        self.c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method, path, body=None):
        data = None if body is None else (body if isinstance(body, str) else json.dumps(body))
        self.c.request(method, path, body=data, headers={"Content-Type": "application/json"})
        r = self.c.getresponse()
        text = r.read().decode()
        return r.status, json.loads(text, parse_constant=float)


def same_json(a, b):
    """rapidjson's ==: numbers by value (12 == 12.0, NaN == NaN), objects whatever their order."""
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b))
    return a == b


# TensorFlow Serving's http_rest_api_handler_test.cc: (method, path, body, code, expected body or
# error substring)
V = f"/v1/models/{HP2}"
STATUS_123 = {"model_version_status": [{"version": "123", "state": "AVAILABLE",
                                        "status": {"error_code": "OK", "error_message": ""}}]}
HANDLER_CASES = [
    ("POST", f"{V}:predict", '{"instances": [[1.0, 2.0], [3.0, 4.0]]}', 200,
     {"predictions": [[2.5, 3.0], [3.5, 4.0]]}),
    ("POST", f"{V}/versions/123:predict", '{"instances": [1.0, 2.0]}', 200, {"predictions": [2.5, 3.0]}),
    ("POST", f"{V}/labels/Version_Label:predict", '{"instances": [1.0, 2.0]}', 200,
     {"predictions": [2.5, 3.0]}),
    ("POST", f"{V}/versions/123:predict",
     '{"signature_name": "serving_default", "instances": [3.0, 4.0]}', 200, {"predictions": [3.5, 4.0]}),
    ("POST", f"{V}/versions/123:predict",
     '{"signature_name": "serving_default", "inputs": [3.0, 4.0]}', 200, {"outputs": [3.5, 4.0]}),
    ("POST", f"{V}:regress", '{"signature_name": "regress_x_to_y", "examples": [ { "x": 80.0 } ] }',
     200, {"results": [42]}),
    ("POST", f"{V}/versions/123:regress",
     '{"signature_name": "regress_x_to_y", "examples": [ { "x": 80.0 } ] }', 200, {"results": [42]}),
    ("POST", f"{V}/labels/Version_Label:regress",
     '{"signature_name": "regress_x_to_y", "examples": [ { "x": 80.0 } ] }', 200, {"results": [42]}),
    ("POST", f"{V}:classify", '{"signature_name": "classify_x_to_y", "examples": [ { "x": 20.0 } ] }',
     200, {"results": [[["", 12]]]}),
    ("POST", f"{V}/labels/Version_Label:classify",
     '{"signature_name": "classify_x_to_y", "examples": [ { "x": 10.0 } ] }', 200, {"results": [[["", 7]]]}),
    ("GET", V, None, 200, STATUS_123),
    ("GET", f"{V}/versions/123", None, 200, STATUS_123),
    ("GET", f"{V}/labels/Version_Label", None, 200, STATUS_123),
    ("GET", "/v1/foo", None, 400, "Malformed request"),
    ("GET", "/v1/models", None, 400, "Missing model name"),
    ("POST", "/v1/models/foo/versions/HELLO:regress", "", 400, "Malformed request"),
    ("POST", "/v1/models/foo/versions/18446744073709551615:regress", "", 400, "Failed to convert version"),
    ("POST", "/v1/models/foo:predict", '{ "instances": [1] }', 404, "Servable not found"),
    ("POST", f"{V}/versions/99:predict", '{ "instances": [1] }', 404, "Servable not found"),
    ("POST", f"{V}:predict", "", 400, "JSON Parse error: The document is empty"),
    ("POST", f"{V}:predict", "instances = [1, 2]", 400, "JSON Parse error: Invalid value"),
    ("POST", f"{V}:predict", '{ "instances": ["x", "y"] }', 400, "not of expected type: float"),
    ("POST", f"{V}/labels/Version_Nonexistent:predict", '{ "instances": ["x", "y"] }', 400,
     "Unrecognized servable version label"),
    ("POST", f"{V}:predict", '{ "signature_name": 100 }', 400,
     "'signature_name' key must be a string value."),
    ("POST", f"{V}:predict", '{"instances": [NaN, Infinity, -Infinity]}', 200,
     {"predictions": [float("nan"), float("inf"), float("-inf")]}),
]
TF2_CASES = [
    ("POST", "/v1/models/half_plus_two_tf2:predict", '{"instances": [1.0]}', 200, {"predictions": [2.5]}),
    ("POST", "/v1/models/half_plus_two_tf2:predict", '{"inputs": [3.0]}', 200, {"outputs": [3.5]}),
    ("POST", "/v1/models/half_plus_two_tf2:regress",
     '{"signature_name": "regress_x_to_y", "examples": [{"x": 80.0}, {"x": 10.0}]}', 200, {"results": [42, 7]}),
    ("POST", "/v1/models/half_plus_two_tf2:classify",
     '{"signature_name": "classify_x_to_y", "examples": [{"x": 20.0}]}', 200, {"results": [[["", 12]]]}),
]


def case_rows(client, tag, cases):
    rows = []
    for method, path, body, code, want in cases:
        what = f"{tag}: {method} {path} {(body or '')[:60]}"
        try:
            status, got = client.call(method, path, body)
        except Exception as e:  # noqa: BLE001 -- a fail row
            rows.append((f"{what} -- {type(e).__name__}: {e}", float("nan"), f"{code}", FAIL))
            continue
        if isinstance(want, str):
            ok = status == code and isinstance(got.get("error"), str) and want in got["error"]
            rows.append((f"{what} -> {status} error contains '{want}'", 0.0 if ok else 1.0,
                         f"{code} + substring", PASS if ok else FAIL))
        else:
            ok = status == code and same_json(got, want)
            rows.append((f"{what} -> {status} {json.dumps(want)[:60]}", 0.0 if ok else 1.0,
                         f"{code} + equal JSON", PASS if ok else FAIL))
    return rows


def metadata_rows(client):
    """GET .../metadata: model_spec and serving_default as TensorFlow Serving's
    saved_model_half_plus_two_2_versions_metadata.json has them; every signature listed."""
    dim = lambda n: {"size": str(n), "name": ""}  # noqa: E731
    f32 = lambda name: {"dtype": "DT_FLOAT", "tensor_shape": {"dim": [dim(-1), dim(1)],  # noqa: E731
                                                              "unknown_rank": False}, "name": name}
    want_spec = {"name": HP2, "signature_name": "", "version": "123"}
    want_default = {"inputs": {"x": f32("x:0")}, "outputs": {"y": f32("y:0")},
                    "method_name": "tensorflow/serving/predict", "defaults": {}}
    status, got = client.call("GET", f"{V}/metadata")
    sigs = got.get("metadata", {}).get("signature_def", {}).get("signature_def", {})
    ok = (status == 200 and got.get("model_spec") == want_spec
          and same_json(sigs.get("serving_default"), want_default)
          and set(sigs) == {"serving_default", "regress_x_to_y", "regress_x_to_y2",
                            "regress_x2_to_y3", "classify_x_to_y"})
    return [(f"half_plus_two (TF1): GET {V}/metadata -> {status}: model_spec, serving_default and "
             "the five signatures as TensorFlow Serving's metadata file", 0.0 if ok else 1.0,
             "200 + equal JSON", PASS if ok else FAIL)]


def java_predict(classpath, model, x):
    """Java's `predict` on the rows x: the outputs as float32."""
    p = java_cli.run(classpath, "predict", "--model", model, "--input",
                     ";".join(",".join(repr(float(v)) for v in r) for r in x))
    if p.returncode != 0:
        raise RuntimeError(f"predict failed: {p.stderr.strip()[-200:]}")
    out = [line.split(" -> ")[1] for line in p.stdout.splitlines()
           if " -> " in line and not line.startswith("#")]
    return np.array([[float(v) for v in o.split(",")] for o in out], np.float32)


def scaled(got, want):
    got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
    if got.shape != want.shape:
        return float("inf")
    return float(np.max(np.abs(got - want) / np.maximum(1.0, np.abs(want))))


def model_rows(client, classpath, models, keras_dir):
    rows = []
    for name in TRAINED:
        run_json = os.path.join(models, name, "run.json")
        if not os.path.exists(run_json):
            rows.append((f"models / {name}: MISSING {run_json}", float("nan"), "present", FAIL))
            continue
        with open(run_json) as f:
            x = json.load(f)["probe"]["x"]
        try:
            want = java_predict(classpath, os.path.join(models, name), x)
            status, got = client.call("POST", f"/v1/models/{name}:predict", {"instances": x})
            got = np.array(got.get("predictions"), np.float32) if status == 200 else None
            d = float("inf") if got is None or got.shape != want.shape else float(np.max(np.abs(got - want)))
            rows.append((f"models / {name}: HTTP predict vs Java `predict`, {len(x)} probe rows, "
                         f"float32 max |diff|", d, "0 (equal)", PASS if d == 0 else FAIL))
            status, k = client.call("POST", f"/v1/models/{name}-keras:predict", {"instances": x})
            dk = scaled(k.get("predictions"), want) if status == 200 else float("inf")
            rows.append((f"models / {name}.keras: HTTP predict vs Java `predict` on the SavedModel",
                         dk, "1e-6 x max(1,|y|)", PASS if dk <= 1e-6 else FAIL))
        except Exception as e:  # noqa: BLE001
            rows.append((f"models / {name}: ERROR {type(e).__name__}: {e}", float("nan"), "no error", FAIL))
        if keras_dir and os.path.isdir(os.path.join(keras_dir, name, "1")):
            try:
                served = tf.saved_model.load(os.path.join(keras_dir, name, "1")).signatures["serving_default"]
                arg, spec = list(served.structured_input_signature[1].items())[0]
                py = list(served(**{arg: tf.constant(x, spec.dtype)}).values())[0].numpy()
                status, got = client.call("POST", f"/v1/models/{name}-keras-export:predict", {"instances": x})
                d = scaled(got.get("predictions"), py) if status == 200 else float("inf")
                rows.append((f"keras export / {name} ({spec.dtype.name}): HTTP predict (Java) vs "
                             "Python TF serving it", d, "1e-6 x max(1,|y|)", PASS if d <= 1e-6 else FAIL))
            except Exception as e:  # noqa: BLE001
                rows.append((f"keras export / {name}: ERROR {type(e).__name__}: {str(e)[:200]}",
                             float("nan"), "no error", FAIL))
        else:
            rows.append((f"keras export / {name}: MISSING {keras_dir}/{name}/1", float("nan"), "present", FAIL))
    return rows


def jax_rows(classpath, tmp):
    """A Keras-on-JAX export must be refused at start, in one line naming XlaCallModule."""
    export = os.path.join(tmp, "jax", "1")
    code = ("import keras\n"
            "m = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\n"
            f"m.export({export!r}, format='tf_saved_model')\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env=dict(os.environ, KERAS_BACKEND="jax"))
    if p.returncode != 0 or not os.path.exists(os.path.join(export, "saved_model.pb")):
        return [("jax export: MISSING (Keras on JAX could not export: "
                 f"{p.stderr.strip()[-200:]})", float("nan"), "present", FAIL)]
    env = dict(os.environ)  # the library applies its native settings itself
    s = subprocess.run(["java", "-cp", classpath, "io.github.activationlab.cli.Main", "serve",
                        "--rest_api_port=0", "--rest_api_host=127.0.0.1", "--model_name=jax",
                        f"--model_base_path={os.path.dirname(export)}"],
                       capture_output=True, text=True, env=env, timeout=180)
    err = [l for l in s.stderr.splitlines() if l.startswith("error:")]
    ok = s.returncode == 1 and len(err) == 1 and "XlaCallModule" in err[0] and ".keras" in err[0]
    return [(f"jax export: refused at start, exit {s.returncode}: {(err or [''])[0][:90]}",
             0.0 if ok else 1.0, "exit 1, one line", PASS if ok else FAIL)]


def run(models, keras_dir, classpath):
    tmp = tempfile.mkdtemp(prefix="xcheck-serve-")
    try:
        half_plus_two_tf1(os.path.join(tmp, "hp2", "00000123"))
        half_plus_two_tf1(os.path.join(tmp, "hp2", "00000124"))
        half_plus_two_tf2(os.path.join(tmp, "hp2_tf2", "1"))
        cfg = [f'config {{ name: "{HP2}" base_path: "{tmp}/hp2" model_version_policy {{ specific '
               '{ versions: 123 } } version_labels { key: "Version_Label" value: 123 } }',
               f'config {{ name: "half_plus_two_tf2" base_path: "{tmp}/hp2_tf2" }}']
        for name in TRAINED:
            if os.path.isdir(os.path.join(models, name)):
                cfg.append(f'config {{ name: "{name}" base_path: "{models}/{name}" }}')
            if os.path.isfile(os.path.join(models, name + ".keras")):
                cfg.append(f'config {{ name: "{name}-keras" base_path: "{models}/{name}.keras" }}')
            if keras_dir and os.path.isdir(os.path.join(keras_dir, name, "1")):
                cfg.append(f'config {{ name: "{name}-keras-export" base_path: "{keras_dir}/{name}" }}')
        config = os.path.join(tmp, "models.config")
        with open(config, "w") as f:
            f.write("model_config_list {\n  " + "\n  ".join(cfg) + "\n}\n")
        server = Server(classpath, config, os.path.join(tmp, "serve.log"))
        if server.port is None:
            code = server.stop()
            return [(f"server: did not start (exit {code}): {server.tail()}", float("nan"), "started", FAIL)]
        rows = []
        try:
            client = Client(server.port)
            rows += case_rows(client, "half_plus_two (TF1, TensorFlow Serving's handler tests)", HANDLER_CASES)
            rows += metadata_rows(client)
            rows += case_rows(client, "half_plus_two (TF2)", TF2_CASES)
            rows += model_rows(client, classpath, models, keras_dir)
        finally:
            code = server.stop()
            rows.append((f"server: SIGTERM -> exit {code}", float(code), "0", PASS if code == 0 else FAIL))
        rows += jax_rows(classpath, tmp)
        return rows
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
