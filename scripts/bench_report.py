#!/usr/bin/env python3
"""Merges one run's Java and Python benchmark results into one markdown table of ratios.

Usage: bench_report.py DIR
Reads DIR/java.json (Java's `bench --json`), DIR/python.json (bench.py), DIR/process.json (the
whole-process timings of bench.sh), DIR/machine.txt, DIR/load.json, and when present the seed
sweep's DIR/java_sweep.json (`sweep --json`), DIR/jax_sweep.json and DIR/jax_sweep_bench.json
(sweep_reference.py, plain and --bench). Writes DIR/results.md and DIR/results.json (the rows),
prints the table.

Every row: what it compares, its warmth (warm / first-run / cold, as defined in the table's
notes), Java, Python, unit, ratio (how many times faster Java is: Python time / Java time, or
Java rate / Python rate), target, met?. A value that this run could not measure is "n/a", with
the reason in the row's note.
"""
import json
import os
import sys

WARMTH = {
    "warm": "median of timed runs after untimed warm-up runs of the same object (graph built, XLA "
            "compiled; until 0.5 s is spent or 50 runs are done, at least one, the same rule on "
            "both sides); Keras: model.fit again on the same compiled model after a first fit. "
            "Java's in-process rows run in JVMs with the CLI's native settings (see the "
            "machine lines); rows marked ' are the same library with TensorFlow's defaults",
    "first-run": "a freshly built model's (or function's) first run, graph building, tracing and "
                 "XLA compilation included; median over fresh models, measured after the process "
                 "warmed up on another fresh model (process start-up is in the cold rows)",
    "cold": "a whole process, from the shell: start to trained and exported (or to the first "
            "result); the Java side is `java -jar` (its quiet launcher starts a child JVM: "
            "about +0.2-0.3 s, part of the real cost)",
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

    def add(self, rid, what, warmth, java, python, unit, kind="time", target=None, note=None):
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
            if len(target) > 2:
                text += f" ({target[2]})"
        self.rows.append({"id": rid, "what": what, "warmth": warmth, "java": java, "python": python,
                          "unit": unit, "ratio": ratio, "target": text, "met": met, "note": note})


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


def build(d):
    j = load(d, "java.json") or {}
    p = load(d, "python.json") or {}
    proc = load(d, "process.json") or {}
    t = Table()

    # 1. XOR MLP
    steps = "1000 epochs = 1000 steps of the 4 rows (batch 32: one shuffled batch of 4 per epoch)"
    t.add("1a", "XOR MLP: Java fit (fused loop, XLA) vs Python whole-loop tf.function(jit_compile) "
          "doing the same work", "warm", g(j, "xor_fit_xla_us_step"), g(p, "xor_same_xla_us_step"),
          "us/step", target=("ratio", 1.0),
          note="same work per step: the schedule's row gathered (and the mask's row when a batch "
               "is partial: the ReLU fit, not this one; the mask is fed either way), x/y rows "
               "gathered, forward, (masked) mean loss and accuracy, gradients, Adam (Keras's "
               "formulas), loss and accuracy scattered into [steps] records; weights and Adam "
               "state read from and written back to variables; both fits also draw the "
               "schedule and build the History; " + steps)
    nt = load(d, "java_tfdefaults.json") or {}
    what_if = ("what-if: the same Java library in a JVM with TensorFlow's native defaults (XLA's "
               "CPU thunk runtime on, oneDNN on), as an application embedding it gets them unless "
               "it sets XLA_FLAGS=--xla_cpu_use_thunk_runtime=false and TF_ENABLE_ONEDNN_OPTS=0 "
               "(the CLI's child JVM sets both); Python as is")
    t.add("1a'", "XOR MLP: Java fit (XLA) in a JVM with TF's native defaults vs Python same-work "
          "whole loop (XLA)", "warm", g(nt, "xor_fit_xla_us_step"), g(p, "xor_same_xla_us_step"),
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
    t.add("1d", "XOR MLP, 10,000 epochs: Java fit (XLA) vs Python same-work whole loop (XLA)",
          "warm", g(j, "xor_fit_xla_10k_us_step"), g(p, "xor_same_xla_10k_us_step"), "us/step",
          note="the same work as 1a over 10x the steps: the per-fit fixed costs weigh less")
    t.add("1d'", "XOR MLP, 10,000 epochs: Java fit (XLA) with TF's native defaults vs Python "
          "same-work whole loop (XLA)", "warm", g(nt, "xor_fit_xla_10k_us_step"),
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
    t.add("2a", "ReLU fit, 100 epochs: Java fit (XLA) vs Python same-work whole loop (XLA)", "warm",
          g(j, "relu_fit_xla_ms"), g(p, "relu_same_xla_ms"), "ms", note="same work as 1a; " + relu)
    t.add("2a'", "ReLU fit, 100 epochs: Java fit (XLA) with TF's native defaults vs Python "
          "same-work whole loop (XLA)", "warm", g(nt, "relu_fit_xla_ms"), g(p, "relu_same_xla_ms"), "ms",
          note=what_if)
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
          g(proc, "python_first_result_s"), "s",
          note="Java includes the quiet launcher's child JVM; median of 3 each")
    t.add("5b", "process start to first prediction, Java in one JVM (ACTIVATIONLAB_NATIVE_LOG=1)",
          "cold", g(proc, "java_first_result_1jvm_s"), g(proc, "python_first_result_s"), "s",
          note="what the launcher costs: 5a - 5b")
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
    t.add("6a", "six gate models, fitted and exported as SavedModels: `java -jar ... bench "
          "--gates-export DIR` vs bench_gates_keras.py (six model.fit + model.export())", "cold",
          g(proc, "java_gates_export_s"), gates_py, "s", target=("ratio", 50),
          note="the same work: 1000 epochs each, Adam 0.01, batch 32, mse; Java's export also "
               "writes run.json; Python: " + proc.get("python_gates_runs", "1 run"))
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
    jax_b = sweep_entry(load(d, "jax_sweep_bench.json"))
    jax_bench = jax_b.get("bench") if jax_b else None
    js = load(d, "java_sweep.json")
    seeds, epochs = g(j, "sweep_seeds"), g(j, "sweep_epochs")
    se = seeds * epochs if seeds and epochs else None
    java_warm_rate = se / j["sweep_warm_s"] if se and j.get("sweep_warm_s") else None
    no_jax = None if jax_bench else "sweep_reference.py --bench did not run (not on this branch?)"
    t.add("7a", "seed sweep xor-mlp (sigmoid), 1000 seeds x 1000 epochs: Java SeedSweep (built "
          "once, a later run) vs JAX vmap+jit (a later call of the compiled sweep)", "warm",
          java_warm_rate, g(jax_bench, "warm_seed_epochs_per_second"), "seed-epochs/s",
          kind="rate", target=("ratio", 1.0), note=no_jax)
    jcold = g(proc, "java_sweep_process_s")
    t.add("7b", "seed sweep, whole process: `java -jar ... sweep --model xor-mlp --seeds 1000 "
          "--activation sigmoid --json F` vs `sweep_reference.py ... --json F`", "cold", jcold,
          g(proc, "python_sweep_process_s"), "s", target=("java_below", 5),
          note=None if jcold is not None else "the `sweep` command is not in this jar (not on "
               "main yet)")
    java_first = None
    if j.get("sweep_first_run_s") is not None:
        java_first = j["sweep_first_run_s"] + j.get("sweep_build_s", 0)
    t.add("7c", "seed sweep, in-process first run: Java SeedSweep build + first run (XLA compile) "
          "vs JAX trace + compile + first run (after jax.clear_caches())", "first-run", java_first,
          g(jax_bench, "cold_seconds"), "s", note=no_jax)
    loop_rate = None
    if j.get("fit_loop_s") and epochs:
        loop_rate = j["fit_loop_seeds"] * epochs / j["fit_loop_s"]
    t.add("7d", "seed sweep as a loop of Java fits (a new model per seed; 20 seeds timed, the rate "
          "extrapolated to 1000) vs JAX vmap+jit", "first-run each vs warm", loop_rate,
          g(jax_bench, "warm_seed_epochs_per_second"), "seed-epochs/s", kind="rate",
          note="extrapolated from 20 seeds; each seed compiles its own model")
    reused_rate = None
    if j.get("fit_loop_reused_s") and epochs:
        reused_rate = j["fit_loop_seeds"] * epochs / j["fit_loop_reused_s"]
    t.add("7d'", "seed sweep as a loop of Java fits on ONE compiled model (per seed: its initial "
          "weights, a fresh Adam state, its shuffles; 20 seeds timed, extrapolated) vs JAX vmap+jit",
          "warm", reused_rate, g(jax_bench, "warm_seed_epochs_per_second"), "seed-epochs/s",
          kind="rate", note="extrapolated from 20 seeds; compiled once, so per seed only the fit")
    keras_rate = None
    if p.get("xor_keras_first_fit_ms"):
        keras_rate = 1000 / (p["xor_keras_first_fit_ms"] / 1e3)
    t.add("7e", "seed sweep: Java SeedSweep vs Keras, one model.fit per seed (rate of a fresh "
          "model's fit, 1i, extrapolated to 1000 seeds)", "warm vs first-run each", java_warm_rate,
          keras_rate, "seed-epochs/s", kind="rate",
          note="Keras: 1 seed timed (1i), the other 999 extrapolated at its rate")
    if js is not None:
        e = sweep_entry(js)
        if e is not None and e.get("seconds"):
            t.add("7f", "seed sweep: Java `sweep` command's own timing (its JSON `seconds`) vs JAX "
                  "cold in-process", "first-run", e["seconds"], g(jax_bench, "cold_seconds"), "s",
                  note="what the command measures around its sweep")
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
              "| row | what | warmth | Java | Python | unit | ratio | target | met? |",
              "|---|---|---|---:|---:|---|---:|---|---|"]
    for r in rows:
        ratio = "" if r["ratio"] is None else f"{r['ratio']:.2f}x"
        met = "" if r["target"] is None else ("n/a" if r["met"] is None else
                                              ("met" if r["met"] else "**missed**"))
        lines.append(f"| {r['id']} | {r['what']} | {r['warmth']} | {fmt(r['java'])} | "
                     f"{fmt(r['python'])} | {r['unit']} | {ratio} | {r['target'] or ''} | {met} |")
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
