#!/usr/bin/env python3
"""Merges the Java and Python benchmark results into one markdown table of ratios.

Usage: bench_report.py DIR   (reads DIR/java.json, DIR/python.json, DIR/process.json and
DIR/machine.txt; writes DIR/results.md and DIR/results.json, prints the table)
"""
import json
import os
import sys


def main(d):
    j = json.load(open(os.path.join(d, "java.json")))
    p = json.load(open(os.path.join(d, "python.json")))
    proc = json.load(open(os.path.join(d, "process.json")))
    machine = open(os.path.join(d, "machine.txt")).read().strip()
    rows = []

    def time_row(what, java, python, unit, target=None):
        rows.append({"what": what, "java": java, "python": python, "unit": unit,
                     "ratio": python / java, "target": target})

    def rate_row(what, java, python, unit, target=None):
        rows.append({"what": what, "java": java, "python": python, "unit": unit,
                     "ratio": java / python, "target": target})

    best_py = min(p["xor_tf_function_step_us_step"], p["xor_tf_function_loop_us_step"])
    time_row("1 XOR MLP 1000 ep: Java fused+XLA vs Keras fit", j["xor_fused_xla_us_step"], p["xor_keras_fit_us_step"], "us/step", ">= 300x")
    time_row("1 XOR MLP: Java fused+XLA vs best Python loop without XLA", j["xor_fused_xla_us_step"], best_py, "us/step", "> 1x")
    time_row("1 XOR MLP: Java fused+XLA vs Python whole-loop tf.function + XLA", j["xor_fused_xla_us_step"], p["xor_tf_function_loop_xla_us_step"], "us/step", "moonshot: >= 1x")
    time_row("1 XOR MLP: Java fused+XLA (10k epochs) vs Python whole-loop + XLA", j["xor_fused_xla_10k_us_step"], p["xor_tf_function_loop_xla_us_step"], "us/step")
    time_row("1 XOR MLP: Java fused loop (no XLA) vs Python whole-loop tf.function", j["xor_fused_us_step"], p["xor_tf_function_loop_us_step"], "us/step")
    time_row("1 XOR MLP: Java Session.run per step vs Python tf.function per step", j["xor_per_step_us_step"], p["xor_tf_function_step_us_step"], "us/step")
    time_row("1 XOR MLP: Java Session.run per step vs Python tf.function step + XLA", j["xor_per_step_us_step"], p["xor_tf_function_step_xla_us_step"], "us/step")
    time_row("1 XOR MLP: plain-Java reference vs Java fused+XLA", j["xor_plain_java_us_step"], j["xor_fused_xla_us_step"], "us/step")
    time_row("2 ReLU fit 100 ep: Java fused+XLA vs Keras fit", j["relu_fit_fused_xla_ms"], p["relu_fit_keras_fit_ms"], "ms", ">= 20x")
    time_row("2 ReLU fit: Java fused+XLA vs Python whole-loop tf.function", j["relu_fit_fused_xla_ms"], p["relu_fit_tf_function_loop_ms"], "ms")
    time_row("2 ReLU fit: Java Session.run per step vs Keras fit", j["relu_fit_per_step_ms"], p["relu_fit_keras_fit_ms"], "ms")
    for name in ("relu", "sigmoid", "tanh", "elu"):
        for tag, what in (("1m", "1,000,000 values"), ("img", "1024x1024 image")):
            time_row(f"3 {name} on {what}: Java end to end vs Python TF", j[f"act_{name}_{tag}_ms"], p[f"act_{name}_{tag}_tf_ms"], "ms", ">= 0.67x")
            time_row(f"3 {name} on {what}: Java end to end vs numpy", j[f"act_{name}_{tag}_ms"], p[f"act_{name}_{tag}_numpy_ms"], "ms")
        time_row(f"3 {name} on 1024x1024: Java vs the notebook's per-pixel loop", j[f"act_{name}_img_ms"], p[f"act_{name}_img_notebook_loop_ms"], "ms")
    time_row("4 serving latency, 1 row", j["serve_latency_1row_us"], p["serve_latency_1row_us"], "us")
    for b in (1, 64, 10000):
        for t in (1, 2):
            rate_row(f"4 serving throughput, batch {b}, {t} thread(s)", j[f"serve_rows_per_s_b{b}_t{t}"], p[f"serve_rows_per_s_b{b}_t{t}"], "rows/s")
    time_row("5 process start to first prediction", proc["java_first_result_s"], proc["python_first_result_s"], "s")
    jg = j["rss_after_100k_mb"] - j["rss_before_100k_mb"]
    pg = p["rss_after_100k_mb"] - p["rss_before_100k_mb"]
    rows.append({"what": "5 RSS growth over 100,000 predict calls", "java": jg, "python": pg, "unit": "MB",
                 "ratio": None, "target": "Java < 30 MB"})
    rows.append({"what": "5 RSS after 100,000 predict calls", "java": j["rss_after_100k_mb"], "python": p["rss_after_100k_mb"],
                 "unit": "MB", "ratio": p["rss_after_100k_mb"] / j["rss_after_100k_mb"], "target": None})
    if "java_notebook_s" in proc:
        time_row("6 whole notebook: Java exec vs Python experiments back to back", proc["java_notebook_s"], proc["python_notebook_s"], "s", ">= 10x")

    lines = ["# Activation Lab benchmark", "", machine, "",
             "Ratio = how many times faster (or, for throughput, more rows/s) Java is than the Python "
             "side in the same run; below 1 Python is faster.", "",
             "| row | Java | Python | unit | ratio | target |", "|---|---:|---:|---|---:|---|"]
    for r in rows:
        ratio = "" if r["ratio"] is None else f"{r['ratio']:.2f}x"
        lines.append(f"| {r['what']} | {r['java']:.4g} | {r['python']:.4g} | {r['unit']} | {ratio} | {r['target'] or ''} |")
    text = "\n".join(lines) + "\n"
    open(os.path.join(d, "results.md"), "w").write(text)
    json.dump(rows, open(os.path.join(d, "results.json"), "w"), indent=1)
    print(text)


if __name__ == "__main__":
    main(sys.argv[1])
