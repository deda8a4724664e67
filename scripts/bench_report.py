#!/usr/bin/env python3
"""Merges one run's Java and Python benchmark results into one markdown table of ratios.

Usage: bench_report.py DIR
Reads DIR/java.json (Java's `bench --json`), DIR/java_tfdefaults.json (the same with TensorFlow's
defaults), DIR/python.json (bench.py), DIR/python_native.json (bench.py's same-work loops with the
library's native settings), DIR/process.json (the whole-process timings of bench.sh),
DIR/gates_times_*.json (where the Java gates run's time went), DIR/embed*.json and .err (the
embedding application), DIR/java_compute.err (the CLI's stderr), DIR/machine.txt, DIR/load.json,
and the seed sweep's DIR/java_sweep.json (`sweep --json`), DIR/java_sweep_1core.json,
DIR/java_scaling.json, DIR/jax_sweep.json and DIR/jax_{sweep,plain}_bench[_1core].json
(sweep_reference.py --bench, twin and plain formulations, every core and one). Writes
DIR/results.md and DIR/results.json (the rows), prints the table.

Every row: what it compares, its warmth (warm / first-run / cold, as defined in the table's
notes), the threads each side ran on, Java, Python, unit, ratio (how many times faster Java is:
Python time / Java time, or Java rate / Python rate), target, met?. A value that this run could
not measure is "n/a", with the reason in the row's note.
"""
import glob
import json
import os
import re
import sys

WARMTH = {
    "warm": "median of timed runs after untimed warm-up runs of the same object (graph built, XLA "
            "compiled; until 0.5 s is spent or 50 runs are done, at least one, the same rule on "
            "both sides; the JVM then until its JIT compilers have been idle for 3 runs and 0.2 s, "
            "at most 10 s: Python has no background compiler to wait for); Keras: model.fit again on the same compiled model after a first fit. "
            "Java runs with the library's native settings (set in-process, as in any application; "
            "see the machine lines) and Python's same-work rows too (python_native.json); rows "
            "marked ' are both sides with TensorFlow's defaults",
    "first-run": "a freshly built model's (or function's) first run, graph building, tracing and "
                 "XLA compilation included; median over fresh models, measured after the process "
                 "warmed up on another fresh model (process start-up is in the cold rows)",
    "cold": "a whole process, from the shell: start to trained and exported (or to the first "
            "result); the Java side is `java -jar` (one JVM)",
}


def load(d, name):
    p = os.path.join(d, name)
    if not os.path.exists(p):
        return None
    with open(p) as f:
        return json.load(f)


class Table:
    def __init__(self):
        self.rows = []

    def add(self, rid, what, warmth, java, python, unit, kind="time", target=None, note=None,
            threads=None):
        """kind: time (ratio = python / java), rate (java / python), none (no ratio).
        target: None, ("ratio", x): ratio >= x, or ("java_below", x): Java < x (in unit)."""
        ok = java is not None and python is not None
        ratio = None
        if ok and kind == "time" and java > 0:
            ratio = python / java
        elif ok and kind == "rate" and python > 0:
            ratio = java / python
        met = None
        text = None
        if target is not None:
            how, x = target[0], target[1]
            if how == "ratio":
                text = f">= {x:g}x"
                met = None if ratio is None else ratio >= x
            elif how == "java_below":
                text = f"Java < {x:g} {unit}"
                met = None if java is None else java < x
            elif how == "flat":
                text = f"<= {x:g}x the 1,000-seed cost"
                met = None if python is None else python <= x
            if len(target) > 2:
                text += f" ({target[2]})"
        self.rows.append({"id": rid, "what": what, "warmth": warmth, "java": java, "python": python,
                          "unit": unit, "ratio": ratio, "target": text, "met": met, "note": note,
                          "threads": threads or self.threads})

    threads = "-"


def g(d, key, scale=1.0):
    if d is None or d.get(key) is None:
        return None
    return d[key] * scale


def sweep_entry(doc, activation="sigmoid"):
    if not doc:
        return None
    for e in doc.get("results", []):
        if e.get("activation") == activation:
            return e
    return None


NATIVE_LINE = re.compile(
    r"^(?:\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}: ([IWEF]) [^\]]+:\d+\] .*"
    r"|([IWEF])\d{4} \d{2}:\d{2}:\d+\.\d{6} +\d+ [^\]]+:\d+\] .*"
    r"|WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    r"|To enable the following instructions: .*rebuild TensorFlow with the appropriate compiler flags\.)$")


def native_lines(d, name):
    """(native log lines, those below WARNING) on a stderr file; None if it is missing. The absl
    preamble and the CPU-instructions line count as INFO (they come with an I line)."""
    path = os.path.join(d, name)
    if not os.path.exists(path):
        return None
    total = below = 0
    with open(path, errors="replace") as f:
        for line in f:
            m = NATIVE_LINE.match(line.rstrip("\n"))
            if m:
                total += 1
                level = m.group(1) or m.group(2) or "I"
                below += level == "I"
    return total, below


def py_threads(p):
    t = (p or {}).get("tf_threads") or {}
    if not t:
        return "TF's default pools"
    n = t.get("cores")
    intra = t.get("intra_op") or f"one per core ({n})"
    inter = t.get("inter_op") or f"one per core ({n})"
    return f"TF intra-op {intra}, inter-op {inter}"


def build(d):
    j = load(d, "java.json") or {}
    p = load(d, "python.json") or {}
    pn = load(d, "python_native.json") or {}
    proc = load(d, "process.json") or {}
    t = Table()
    cores = (p.get("tf_threads") or {}).get("cores")
    t.threads = f"Java 1 (session: 1 intra-op, 1 inter-op) / Python {py_threads(p)}"
    no_native = None if pn else "python_native.json missing: bench.py --only same-work did not run"

    # 1. XOR MLP
    steps = "1000 epochs = 1000 steps of the 4 rows (batch 32: one shuffled batch of 4 per epoch)"
    t.add("1a", "XOR MLP: Java fit (fused loop, XLA) vs Python whole-loop tf.function(jit_compile) "
          "doing the same work, both with the library's native settings", "warm",
          g(j, "xor_fit_xla_us_step"), g(pn, "xor_same_xla_us_step"),
          "us/step", target=("ratio", 1.0),
          note=(no_native + "; " if no_native else "") + "equal settings by construction: Python "
               "ran with `bench --native-env`'s variables; same work per step: the schedule's row gathered (and the mask's row when a batch "
               "is partial: the ReLU fit, not this one; the mask is fed either way), x/y rows "
               "gathered, forward, (masked) mean loss and accuracy, gradients, Adam (Keras's "
               "formulas), loss and accuracy scattered into [steps] records; weights and Adam "
               "state read from and written back to variables; both fits also draw the "
               "schedule and build the History; " + steps)
    nt = load(d, "java_tfdefaults.json") or {}
    what_if = ("both sides with TensorFlow's native defaults (XLA's CPU thunk runtime on, oneDNN "
               "on): Java with -Dactivationlab.native.defaults=false, what embedding the library "
               "gave before it set its settings in-process; Python as installed")
    t.add("1a'", "XOR MLP: Java fit (XLA) vs Python same-work whole loop (XLA), both with TF's "
          "native defaults", "warm", g(nt, "xor_fit_xla_us_step"), g(p, "xor_same_xla_us_step"),
          "us/step", note=what_if)
    t.add("1b", "XOR MLP: Java fit (XLA) vs the anchor to beat: Python whole-loop tf.function("
          "jit_compile), whole 4-row batch every step, no gathers, masks or records", "warm",
          g(j, "xor_fit_xla_us_step"), g(p, "xor_anchor_loop_xla_us_step"), "us/step",
          note="less work on the Python side: no shuffled schedule, no per-step records (Keras's "
               "model and Adam)")
    t.add("1c", "XOR MLP: Java fit (XLA) vs Keras model.fit (a further fit of the same compiled "
          "model)", "warm", g(j, "xor_fit_xla_us_step"), g(p, "xor_keras_fit_us_step"), "us/step",
          target=("ratio", 300, "the earlier target, now warm vs warm"),
          note="Keras: the model's first fit is the warm-up; the timed fits continue training it "
               "(as Java's do)")
    t.add("1d", "XOR MLP, 10,000 epochs: Java fit (XLA) vs Python same-work whole loop (XLA), "
          "both with the library's settings", "warm", g(j, "xor_fit_xla_10k_us_step"),
          g(pn, "xor_same_xla_10k_us_step"), "us/step",
          note="the same work as 1a over 10x the steps: the per-fit fixed costs weigh less")
    t.add("1d'", "XOR MLP, 10,000 epochs: Java fit (XLA) vs Python same-work whole loop (XLA), both "
          "with TF's native defaults", "warm", g(nt, "xor_fit_xla_10k_us_step"),
          g(p, "xor_same_xla_10k_us_step"), "us/step", note=what_if)
    t.add("1e", "XOR MLP: Java fused loop without XLA vs Python same-work whole-loop tf.function "
          "without XLA", "warm", g(j, "xor_fit_noxla_us_step"), g(p, "xor_same_noxla_us_step"),
          "us/step", note="same work as 1a, both on TF's kernels")
    t.add("1f", "XOR MLP: Java Session.run per step vs Python tf.function called per step",
          "warm", g(j, "xor_per_step_us_step"), g(p, "xor_anchor_step_us_step"), "us/step",
          note="Java's step does 1a's work; Python's the anchor's (whole batch, no records)")
    t.add("1g", "XOR MLP: Java Session.run per step vs Python tf.function(jit_compile) called per "
          "step", "warm", g(j, "xor_per_step_us_step"), g(p, "xor_anchor_step_xla_us_step"),
          "us/step", note="as 1f; Python's step compiled by XLA")
    t.add("1h", "XOR MLP, new model: Java compile + first fit (graph build + XLA compile + 1000 "
          "steps) vs Python same-work loop's first call (tracing + XLA compile + 1000 steps)",
          "first-run", g(j, "xor_first_fit_ms", 1e-3), g(p, "xor_same_xla_first_ms", 1e-3), "s")
    t.add("1i", "XOR MLP, new model: Java compile + first fit vs Keras build + compile + first "
          "model.fit (tracing included)", "first-run", g(j, "xor_first_fit_ms", 1e-3),
          g(p, "xor_keras_first_fit_ms", 1e-3), "s",
          note="Keras: one fresh model (a fit of 1000 epochs takes tens of seconds); Java: median "
               "of fresh models")

    # 2. ReLU fit
    relu = "2001 samples, batch 32: 63 steps per epoch, the last of 17 samples padded and masked"
    t.add("2a", "ReLU fit, 100 epochs: Java fit (XLA) vs Python same-work whole loop (XLA), both "
          "with the library's settings", "warm", g(j, "relu_fit_xla_ms"),
          g(pn, "relu_same_xla_ms"), "ms", note="same work as 1a; " + relu)
    t.add("2a'", "ReLU fit, 100 epochs: Java fit (XLA) vs Python same-work whole loop (XLA), both "
          "with TF's native defaults", "warm", g(nt, "relu_fit_xla_ms"), g(p, "relu_same_xla_ms"),
          "ms", note=what_if)
    t.add("2b", "ReLU fit, 100 epochs: Java fit (XLA) vs Keras model.fit (a further fit of the "
          "same compiled model)", "warm", g(j, "relu_fit_xla_ms"), g(p, "relu_keras_fit_ms"), "ms",
          target=("ratio", 20, "the earlier target, now warm vs warm"))
    t.add("2c", "ReLU fit: Java fused loop without XLA vs Python same-work whole loop without XLA",
          "warm", g(j, "relu_fit_noxla_ms"), g(p, "relu_same_noxla_ms"), "ms")
    t.add("2d", "ReLU fit: Java Session.run per step vs Keras model.fit", "warm",
          g(j, "relu_fit_per_step_ms"), g(p, "relu_keras_fit_ms"), "ms")
    t.add("2e", "ReLU fit, new model: Java compile + first fit vs Python same-work loop's first "
          "call (tracing + XLA compile)", "first-run", g(j, "relu_first_fit_ms", 1e-3),
          g(p, "relu_same_xla_first_ms", 1e-3), "s")
    t.add("2f", "ReLU fit, new model: Java compile + first fit vs Keras build + compile + first "
          "model.fit", "first-run", g(j, "relu_first_fit_ms", 1e-3),
          g(p, "relu_keras_first_fit_ms", 1e-3), "s")

    # 3. activations, end to end
    pixels = p.get("act_notebook_loop_pixels")
    for k, name in enumerate(("relu", "sigmoid", "tanh", "elu")):
        base = f"3{'abcd'[k]}"
        tfop = "tf.nn.elu: TF's one fused kernel, exp(x) - 1, less precise near 0" if name == "elu" \
            else f"tf.{'nn' if name == 'relu' else 'math'}.{name}"
        for tag, what in (("1m", "1,000,000 values"), ("img", "1024x1024 image")):
            t.add(f"{base}.{tag}.1", f"{name} on {what}: Java XLA-compiled (CompiledActivation) vs "
                  "Python TF", "warm", g(j, f"act_{name}_{tag}_xla_ms"), g(p, f"act_{name}_{tag}_tf_ms"),
                  "ms", target=("ratio", 0.67, "within 1.5x"),
                  note=f"Python: {tfop}; medians of at least 21 runs each side (with the CLI's "
                       "TF_ENABLE_ONEDNN_OPTS=0, some Java calls stall 10-20 ms allocating the 4 MB "
                       "tensors)")
            if name == "elu":
                t.add(f"{base}.{tag}.1'", f"{name} on {what}: Java XLA-compiled with TF's native "
                      "defaults vs Python TF", "warm", g(nt, f"act_{name}_{tag}_xla_ms"),
                      g(p, f"act_{name}_{tag}_tf_ms"), "ms", note=what_if)
            t.add(f"{base}.{tag}.2", f"{name} on {what}: Java plain TF graph vs Python TF", "warm",
                  g(j, f"act_{name}_{tag}_graph_ms"), g(p, f"act_{name}_{tag}_tf_ms"), "ms",
                  target=("ratio", 0.67, "within 1.5x"),
                  note="Java: one TF kernel per op of the definition" + (
                      " (where, greater, min, expm1, mul: five passes)" if name == "elu" else ""))
            if tag == "img":
                continue
            t.add(f"{base}.{tag}.3", f"{name} on {what}: Java XLA-compiled vs Python tf.function("
                  "jit_compile) of the same formula", "warm", g(j, f"act_{name}_{tag}_xla_ms"),
                  g(p, f"act_{name}_{tag}_tf_xla_ms"), "ms", note="like for like: one XLA "
                  "kernel each side, the same ops")
            if name == "elu":
                t.add(f"{base}.{tag}.4", f"{name} on {what}: Java XLA-compiled vs Python TF running "
                      "Java's formula (where/expm1/min, eager)", "warm",
                      g(j, f"act_{name}_{tag}_xla_ms"), g(p, f"act_{name}_{tag}_tf_same_ms"), "ms",
                      note="the same precision on both sides")
            t.add(f"{base}.{tag}.5", f"{name} on {what}: Java XLA-compiled vs numpy", "warm",
                  g(j, f"act_{name}_{tag}_xla_ms"), g(p, f"act_{name}_{tag}_numpy_ms"), "ms")
            t.add(f"{base}.{tag}.6", f"{name} on {what}, new function: Java CompiledActivation "
                  "build + XLA compile + first call vs Python tf.function(jit_compile) first call",
                  "first-run", g(j, f"act_{name}_{tag}_xla_first_ms"),
                  g(p, f"act_{name}_{tag}_tf_xla_first_ms"), "ms")
        loop_note = "the notebook's Python loop over every pixel of the full image, one run"
        if pixels is not None and pixels != 1024 * 1024:
            loop_note = f"NOT the full image: {int(pixels)} pixels (--loop-size), one run"
        t.add(f"{base}.img.7", f"{name} on 1024x1024: Java XLA-compiled vs the notebook's per-pixel "
              "loop", "warm vs 1 run", g(j, f"act_{name}_img_xla_ms"),
              g(p, f"act_{name}_img_notebook_loop_ms"), "ms", note=loop_note)

    # 4. serving
    t.add("4a", "serving latency, 1 row (SavedModel predict, 1000 calls)", "warm",
          g(j, "serve_latency_1row_us"), g(p, "serve_latency_1row_us"), "us")
    for b in (1, 64, 10000):
        for th in (1, 2):
            t.add(f"4b.{b}.{th}", f"serving throughput, batch {b}, {th} thread(s)", "warm",
                  g(j, f"serve_rows_per_s_b{b}_t{th}"), g(p, f"serve_rows_per_s_b{b}_t{th}"),
                  "rows/s", kind="rate")

    # 5. process start, memory
    t.add("5a", "process start to first prediction (`java -jar ... predict` vs python -c import "
          "tensorflow, load, predict)", "cold", g(proc, "java_first_result_s"),
          g(proc, "python_first_result_s"), "s", note="one JVM; median of 3 each")
    if j.get("rss_after_100k_mb") is not None and p.get("rss_after_100k_mb") is not None:
        t.add("5c", "RSS growth over 100,000 predict calls", "warm",
              j["rss_after_100k_mb"] - j["rss_before_100k_mb"],
              p["rss_after_100k_mb"] - p["rss_before_100k_mb"], "MB", kind="none",
              target=("java_below", 30), note="Java: one JVM (no launcher child), heap fixed at "
              "512 MB and pre-touched, after 10,000 warm-up calls")
        t.add("5d", "RSS after 100,000 predict calls", "warm", j["rss_after_100k_mb"],
              p["rss_after_100k_mb"], "MB", note="Java's includes its pre-touched 512 MB heap")

    # 6. whole processes
    gates_py = g(proc, "python_gates_s")
    gt = [load(d, os.path.basename(f)) for f in sorted(glob.glob(os.path.join(d, "gates_times_*.json")))]
    breakdown = ""
    if gt:
        parts = []
        for phase in ("compile", "fit", "export"):
            vals = sorted(sum(v for k, v in x.items() if k.endswith(f"_{phase}_ms")) for x in gt)
            parts.append(f"{phase} {vals[len(vals) // 2] / 1e3:.2f} s")
        med = lambda key: sorted(x.get(key, 0) for x in gt)[len(gt) // 2] / 1e3  # noqa: E731
        breakdown = (f"; where Java's time went (median of {len(gt)} runs, ms from the JVM's start): "
                     f"JVM + CLI to the bench {med('jvm_to_bench_ms'):.2f} s, TensorFlow's load "
                     f"with the library's settings {med('native_load_ms'):.2f} s, then the six "
                     f"models on {int(gt[0].get('threads', 1))} threads (summed over the models: "
                     + ", ".join(parts) + f"), the whole process {med('total_ms'):.2f} s")
    t.add("6a", "six gate models, fitted and exported as SavedModels: `java -jar ... bench "
          "--gates-export DIR` vs bench_gates_keras.py (six model.fit + model.export())", "cold",
          g(proc, "java_gates_export_s"), gates_py, "s", target=("ratio", 50),
          threads=f"Java one per core ({cores}), 1 per model / Python {py_threads(p)}",
          note="the same work: 1000 epochs each, Adam 0.01, batch 32, mse; Java's export also "
               "writes run.json; Python: " + proc.get("python_gates_runs", "1 run") + breakdown)
    t.add("6b", "six gate models: `java -jar ... gates --out --graphs --force` vs "
          "bench_gates_keras.py", "cold", g(proc, "java_gates_s"), gates_py, "s",
          target=("ratio", 50), note="Java does more: summaries, decision-map charts, .keras "
          "files beside the SavedModels")
    if "java_notebook_s" in proc:
        t.add("6c", "whole notebook: `java -jar ... notebook` vs keras_reference.py --jobs 1 (its "
              "Keras fits, each with model.export() and model.save(), one at a time in a worker "
              "process)", "cold", proc["java_notebook_s"],
              proc.get("python_notebook_s"), "s", target=("ratio", 10, "earlier target"),
              note="not the same work: Java does every section of the notebook (charts, the "
                   "activations SavedModel, .keras files); keras_reference.py fits the 8 notebook "
                   "models and the extras xor-bce, xor-prelu; 1 run each")

    # 7. seed sweep of xor-mlp (sigmoid), 1000 seeds x 1000 epochs
    def jax_warm(name):
        e = sweep_entry(load(d, name))
        return e.get("bench") if e else None
    jt, jp = jax_warm("jax_sweep_bench.json"), jax_warm("jax_plain_bench.json")
    jt1, jp1 = jax_warm("jax_sweep_bench_1core.json"), jax_warm("jax_plain_bench_1core.json")
    j1 = load(d, "java_sweep_1core.json") or {}
    js = load(d, "java_sweep.json")
    seeds, epochs = g(j, "sweep_seeds"), g(j, "sweep_epochs")
    se = seeds * epochs if seeds and epochs else None

    def java_rate(doc):
        return se / doc["sweep_warm_s"] if se and doc.get("sweep_warm_s") else None

    def best(*benches):
        rates = [b["warm_seed_epochs_per_second"] for b in benches if b]
        return max(rates) if rates else None
    what = ("seed sweep xor-mlp (sigmoid), 1000 seeds x 1000 epochs: Java SeedSweep (built once, a "
            "later run) vs ")
    for rid, where, jdoc, twin, plain, thr in (
            ("7a.1", "both pinned to one core (taskset)", j1, jt1, jp1, "Java 1 / JAX 1 core"),
            ("7a.2", "both on every core", j, jt, jp,
             f"Java {int(j.get('sweep_threads', 1))} chunk threads / JAX every core ({cores})")):
        missing = None if (twin or plain) else "sweep_reference.py --bench did not run here"
        t.add(rid, what + f"the best JAX vmap+jit formulation (a later call), {where}", "warm",
              java_rate(jdoc), best(twin, plain), "seed-epochs/s", kind="rate",
              target=("ratio", 1.0), threads=thr, note=missing or (
                  "JAX's best of the twin (per-seed scalars, scripts/sweep_reference.py) and the "
                  "plain formulation (h @ w + b on [batch, units] arrays); Java: chunks of "
                  f"{int(jdoc.get('sweep_chunk', 0))} seeds"))
        t.add(rid + "t", what + f"JAX's twin (per-seed scalars), {where}", "warm", java_rate(jdoc),
              best(twin), "seed-epochs/s", kind="rate", threads=thr)
        t.add(rid + "p", what + f"JAX's plain formulation (h @ w + b), {where}", "warm",
              java_rate(jdoc), best(plain), "seed-epochs/s", kind="rate", threads=thr)
    jcold = g(proc, "java_sweep_process_s")
    t.add("7b", "seed sweep, whole process: `java -jar ... sweep --model xor-mlp --seeds 1000 "
          "--activation sigmoid --json F` vs `sweep_reference.py ... --json F`", "cold", jcold,
          g(proc, "python_sweep_process_s"), "s", target=("java_below", 5),
          threads=f"Java one per core ({cores}) / JAX every core")
    java_first = None
    if j.get("sweep_first_run_s") is not None:
        java_first = j["sweep_first_run_s"] + j.get("sweep_build_s", 0)
    t.add("7c", "seed sweep, in-process first run: Java SeedSweep build + first run (XLA compile) "
          "vs JAX trace + compile + first run (after jax.clear_caches())", "first-run", java_first,
          g(jt, "cold_seconds"), "s", threads=f"Java one per core ({cores}) / JAX every core")
    loop_rate = None
    if j.get("fit_loop_s") and epochs:
        loop_rate = j["fit_loop_seeds"] * epochs / j["fit_loop_s"]
    t.add("7d", "seed sweep as a loop of Java fits (a new model per seed; 20 seeds timed, the rate "
          "extrapolated to 1000) vs JAX vmap+jit", "first-run each vs warm", loop_rate,
          best(jt, jp), "seed-epochs/s", kind="rate",
          note="extrapolated from 20 seeds; each seed compiles its own model")
    reused_rate = None
    if j.get("fit_loop_reused_s") and epochs:
        reused_rate = j["fit_loop_seeds"] * epochs / j["fit_loop_reused_s"]
    t.add("7d'", "seed sweep as a loop of Java fits on ONE compiled model (per seed: its initial "
          "weights, a fresh Adam state, its shuffles; 20 seeds timed, extrapolated) vs JAX vmap+jit",
          "warm", reused_rate, best(jt, jp), "seed-epochs/s",
          kind="rate", note="extrapolated from 20 seeds; compiled once, so per seed only the fit")
    keras_rate = None
    if p.get("xor_keras_first_fit_ms"):
        keras_rate = 1000 / (p["xor_keras_first_fit_ms"] / 1e3)
    t.add("7e", "seed sweep: Java SeedSweep vs Keras, one model.fit per seed (rate of a fresh "
          "model's fit, 1i, extrapolated to 1000 seeds)", "warm vs first-run each",
          java_rate(j), keras_rate, "seed-epochs/s", kind="rate",
          note="Keras: 1 seed timed (1i), the other 999 extrapolated at its rate")
    if js is not None:
        e = sweep_entry(js)
        if e is not None and e.get("seconds"):
            t.add("7f", "seed sweep: Java `sweep` command's own timing (its JSON `seconds`) vs JAX "
                  "cold in-process", "first-run", e["seconds"], g(jt, "cold_seconds"), "s",
                  note="what the command measures around its sweep")
    sc = load(d, "java_scaling.json") or {}
    chunks = ", ".join(f"{n:,}: {int(sc[f'sweep_scaling_{n}_chunk'])}" for n in (1_000, 10_000, 100_000, 1_000_000)
                       if sc.get(f"sweep_scaling_{n}_chunk"))
    base = sc.get("sweep_scaling_1000_ns")
    for n in (1_000, 10_000, 100_000, 1_000_000):
        v = sc.get(f"sweep_scaling_{n}_ns")
        flat = None if v is None or not base else v / base
        t.add(f"7g.{n}", f"seed sweep xor-mlp (sigmoid), warm, {n:,} seeds, one core: Java's cost "
              "per seed-step, and its ratio to the 1,000-seed cost (the JAX column)", "warm", v,
              flat, "ns/seed-step", kind="none", threads="Java 1 core / -",
              target=None if n == 1_000 else ("flat", 1.25),
              note=("java_scaling.json missing (no taskset?)" if v is None else
                    f"seeds per chunk ({chunks}), chosen for a core's cache" if n == 1_000 else None))

    # 8. an application that embeds the library vs the CLI (Java column: the application; Python
    # column: the CLI, whose values are the Java side's of rows 1a, 1h and the bench's first fit)
    emb = load(d, "embed.json") or {}
    embd = load(d, "embed_tfdefaults.json") or {}
    why = ("EmbeddingApp: its own main on the jar's class path, the core library's public API, no "
           "CLI; in this row the Java column is the application, the Python column the CLI")
    cli = native_lines(d, "java_compute.err")
    for suffix, e, label in (("", emb, "the library's settings"),
                             ("'", embd, "TensorFlow's defaults (-Dactivationlab.native.defaults=false)")):
        t.add(f"8a{suffix}", f"XOR MLP fit, warm: an embedding application ({label}) vs the CLI "
              "(`bench`, row 1a's Java)", "warm", g(e, "xor_fit_xla_us_step"),
              g(j, "xor_fit_xla_us_step"), "us/step",
              target=None if suffix else ("ratio", 1 / 1.2, "the application within 1.2x of the CLI"),
              note=why)
        t.add(f"8b{suffix}", f"XOR MLP, the process's first fit (from the JVM's start: TF's load, "
              f"settings and XLA included): the embedding application ({label}) vs the CLI",
              "cold", g(e, "process_first_fit_ms", 1e-3), g(j, "process_first_fit_ms", 1e-3), "s",
              note=why)
        t.add(f"8c{suffix}", f"XOR MLP, a new model's compile + first fit in a warm process: the "
              f"embedding application ({label}) vs the CLI", "first-run",
              g(e, "xor_first_fit_ms", 1e-3), g(j, "xor_first_fit_ms", 1e-3), "s", note=why)
        lines = native_lines(d, "embed.err" if not suffix else "embed_tfdefaults.err")
        t.add(f"8d{suffix}", f"native log lines below WARNING on stderr: the embedding application "
              f"({label}) and the CLI", "-", lines[1] if lines else None, cli[1] if cli else None,
              "lines", kind="none", target=None if suffix else ("java_below", 1),
              note=(f"every native line: application {lines[0] if lines else 'n/a'}, CLI "
                    f"{cli[0] if cli else 'n/a'} (the Java column is the application)"))
    return t.rows, j, p


def fmt(v):
    if v is None:
        return "n/a"
    return f"{v:.4g}"


def main(d):
    rows, j, p = build(d)
    machine = open(os.path.join(d, "machine.txt")).read().strip()
    loadinfo = load(d, "load.json")
    lines = ["# Activation Lab benchmark", "", machine, ""]
    if loadinfo:
        lines.append(loadinfo["text"])
        if loadinfo.get("warning"):
            lines += ["", "**WARNING: " + loadinfo["warning"] + "**"]
        lines.append("")
    lines += ["Ratio = how many times faster Java is than the Python side in the same run (Python "
              "time / Java time; for throughput, Java rate / Python rate); below 1 Python is "
              "faster. Everything ran one process at a time.", "",
              "| row | what | warmth | threads | Java | Python | unit | ratio | target | met? |",
              "|---|---|---|---|---:|---:|---|---:|---|---|"]
    for r in rows:
        ratio = "" if r["ratio"] is None else f"{r['ratio']:.2f}x"
        met = "" if r["target"] is None else ("n/a" if r["met"] is None else
                                              ("met" if r["met"] else "**missed**"))
        lines.append(f"| {r['id']} | {r['what']} | {r['warmth']} | {r['threads']} | "
                     f"{fmt(r['java'])} | {fmt(r['python'])} | {r['unit']} | {ratio} | "
                     f"{r['target'] or ''} | {met} |")
    lines += ["", "Warmth:"] + [f"- {k}: {v}" for k, v in WARMTH.items()]
    lines += ["", "Notes per row:"]
    lines += [f"- {r['id']}: {r['note']}" for r in rows if r["note"]]
    if j.get("xor_plain_java_us_step") is not None:
        lines += ["", f"Floor: the XOR MLP in plain-Java float arithmetic (full batch, no framework) "
                  f"takes {j['xor_plain_java_us_step']:.3g} us/step."]
    targets = [r for r in rows if r["target"] is not None]
    lines += ["", "Targets: " + ", ".join(
        f"{r['id']} {'met' if r['met'] else 'n/a' if r['met'] is None else 'MISSED'}"
        for r in targets) + "."]
    text = "\n".join(lines) + "\n"
    with open(os.path.join(d, "results.md"), "w") as f:
        f.write(text)
    with open(os.path.join(d, "results.json"), "w") as f:
        json.dump(rows, f, indent=1)
    print(text)


if __name__ == "__main__":
    main(sys.argv[1])
