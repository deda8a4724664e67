#!/usr/bin/env python3
"""The notebook check: notebooks/activation-functions.ipynb re-executed headless is held to the
committed one.

    notebook_check.py NOTEBOOK OUT_DIR JAR [--update]

Run by scripts/notebook_check.sh (which installs the activation-lab kernel into a scratch Jupyter
data directory). It executes a copy of NOTEBOOK with nbclient and the activation-lab kernel, then:

1. errors: no cell may have an error output or write to stderr;
2. the committed numbers: every code cell's text (printed lines, the text form of its values and
   displays) must equal the committed cell's, number by number within 1e-3 relative, once timings
   are masked (``... ms``, ``in ... s``, ``... s wall/CPU``, ``... seed-epochs/s``, a sweep
   table's ``seconds`` column); a chart must be where the committed notebook has one, of the same
   size;
3. the CLI's lines: the cells that run a notebook section (ActivationsExperiment, ...) must print
   what the same subcommand of the application jar prints for the same run (model names such as
   ``sequential_6``, which count the models built before in the same JVM, masked);
4. at least eight charts;
5. the kernel's messages: kernel_info, execute, an interrupt_request that stops a Java loop, a
   System.exit survived, complete, inspect (with core's Javadoc), is_complete.

It writes the executed notebook and its HTML (nbconvert) into OUT_DIR and ends with
``N passed, M failed``. With --update the executed notebook replaces NOTEBOOK (after check 1 and 4),
which is how the committed outputs are made.
"""
import argparse
import base64
import copy
import os
import re
import shutil
import struct
import subprocess
import sys
import time

import nbformat
from jupyter_client.manager import start_new_kernel
from nbclient import NotebookClient
from nbconvert import HTMLExporter

NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
TIMINGS = [
    (re.compile(r"\d+(?:\.\d+)? ms\b"), "<t> ms"),
    (re.compile(r"\bin \d+(?:\.\d+)? s\b"), "in <t> s"),
    (re.compile(r"\d+(?:\.\d+)? s (wall|CPU)"), r"<t> s \1"),
    (re.compile(r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)? seed-epochs/s"), "<t> seed-epochs/s"),
]
MODEL_NAME = re.compile(r'Model: "sequential(?:_\d+)?"')
LAYER_NAME = re.compile(r"\b(dense|p_re_lu)(?:_\d+)? \(")


def mask_names(text):
    """Keras-style names count the models and layers built before in the same JVM: masked, and
    the column padding that follows them collapsed."""
    text = LAYER_NAME.sub(r"\1* (", MODEL_NAME.sub('Model: "sequential*"', text))
    return re.sub(r" {2,}", "  ", text)
REL_TOL = 1e-3

# cells that run a section of the notebook, and the subcommand that runs the same
CLI = {
    "new ActivationsExperiment(": [
        "activations", "--only",
        "binary_step,linear,sigmoid,tanh,relu,leaky_relu,prelu,elu,softmax",
        "--out", "../target/notebook/models", "--graphs", "../target/notebook/graphs", "--force"],
    "PerceptronExperiment.run(ctx)": [
        "perceptron", "--out", "../target/notebook/models", "--graphs", "../target/notebook/graphs"],
    "GatesExperiment.run(ctx)": [
        "gates", "--out", "../target/notebook/models", "--graphs", "../target/notebook/graphs",
        "--force"],
    "ReluFitExperiment.run(ctx)": [
        "relu-fit", "--out", "../target/notebook/models", "--graphs", "../target/notebook/graphs",
        "--force"],
}


def mask_timings(text):
    for pattern, repl in TIMINGS:
        text = pattern.sub(repl, text)
    lines = text.split("\n")
    in_table = False
    for i, line in enumerate(lines):
        if line.rstrip().endswith("seconds") and line.lstrip().startswith("activation"):
            in_table = True
            continue
        if in_table:
            tokens = line.split()
            if len(tokens) >= 9 and NUMBER.fullmatch(tokens[-1]):
                # the column's padding varies with the timing's width: masked with it
                lines[i] = line[: line.rstrip().rfind(tokens[-1])].rstrip() + " <t>"
            elif not line.startswith(" " * 14):
                in_table = False
    return "\n".join(lines)


def png_size(b64):
    raw = base64.b64decode(b64[:64])
    return struct.unpack(">II", raw[16:24]) if raw[:8] == b"\x89PNG\r\n\x1a\n" else None


def cell_text(cell):
    """The cell's outputs as one text: streams, values' text forms, charts as [image WxH]."""
    parts = []
    for o in cell.get("outputs", []):
        kind = o["output_type"]
        if kind == "stream":
            parts.append(o["text"])
        elif kind in ("execute_result", "display_data"):
            data = o.get("data", {})
            if "image/png" in data:
                parts.append("[image %sx%s]\n" % png_size(data["image/png"]))
            else:
                parts.append(data.get("text/plain", "") + "\n")
        elif kind == "error":
            parts.append("ERROR %s: %s\n" % (o["ename"], o["evalue"]))
    return "".join(parts)


def stdout_of(cell):
    return "".join(o["text"] for o in cell.get("outputs", [])
                   if o["output_type"] == "stream" and o["name"] == "stdout")


def images(cell):
    return [png_size(o["data"]["image/png"]) for o in cell.get("outputs", [])
            if o["output_type"] in ("execute_result", "display_data")
            and "image/png" in o.get("data", {})]


def compare(label, expected, actual, stats):
    """Equal text once timings are masked, numbers within REL_TOL; returns the problems."""
    e, a = mask_timings(expected), mask_timings(actual)
    if e == a:
        stats["numbers"] += len(NUMBER.findall(e))
        return []
    if NUMBER.sub("#", e) != NUMBER.sub("#", a):
        el, al = e.split("\n"), a.split("\n")
        for i in range(max(len(el), len(al))):
            x = el[i] if i < len(el) else "<missing>"
            y = al[i] if i < len(al) else "<missing>"
            if NUMBER.sub("#", x) != NUMBER.sub("#", y):
                return ["%s: line %d differs:\n      expected: %s\n      got:      %s"
                        % (label, i + 1, x, y)]
    problems = []
    for x, y in zip(NUMBER.findall(e), NUMBER.findall(a)):
        fx, fy = float(x), float(y)
        stats["numbers"] += 1
        if abs(fx - fy) > REL_TOL * max(abs(fx), abs(fy)) + 1e-12:
            problems.append("%s: %s expected, got %s" % (label, x, y))
    return problems


def protocol_check():
    """The kernel's Jupyter messages, one each, through jupyter_client: kernel_info, execute (a
    value), interrupt_request (message mode) of a Java loop, a cell's System.exit and the next
    cell, complete, inspect (core's Javadoc) and is_complete."""
    problems = []
    km, kc = start_new_kernel(kernel_name="activation-lab", startup_timeout=120)
    try:
        def run(code, timeout=120):
            msg_id = kc.execute(code)
            outputs = []
            while True:
                msg = kc.get_iopub_msg(timeout=timeout)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                t = msg["msg_type"]
                if t == "status" and msg["content"]["execution_state"] == "idle":
                    break
                if t in ("stream", "error", "execute_result", "display_data"):
                    outputs.append((t, msg["content"]))
            reply = kc.get_shell_msg(timeout=timeout)
            return reply["content"], outputs

        info = kc.kernel_info(reply=True)["content"]
        if info["language_info"]["name"] != "java":
            problems.append("kernel_info: language %s" % info["language_info"]["name"])
        r, _ = run("int x = 40;")
        r, out = run("x + 2")
        if not any(t == "execute_result" and c["data"]["text/plain"] == "42" for t, c in out):
            problems.append("execute: x + 2 gave %s" % out)
        msg_id = kc.execute("long n = 0;\nwhile (true) { n++; }")
        time.sleep(2)
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=60)["content"]
        if reply["status"] != "error" or reply.get("ename") != "Interrupted":
            problems.append("interrupt: reply %s" % reply)
        r, out = run("System.exit(1);")
        if r.get("ename") != "SystemExit":
            problems.append("System.exit: reply %s" % r)
        r, out = run("1 + 1")
        if r["status"] != "ok":
            problems.append("after System.exit: %s" % r)
        c = kc.complete("Fit.epo", 7, reply=True)["content"]
        if "epochs(" not in c["matches"]:
            problems.append("complete: %s" % c)
        i = kc.inspect("Fit.epochs(", 11, reply=True)["content"]
        if not i["found"] or "Keras's defaults" not in i["data"]["text/plain"]:
            problems.append("inspect: %s" % i)
        kc.is_complete("for (int i = 0; i < 3; i++) {")
        ic = kc.get_shell_msg(timeout=60)["content"]
        if ic["status"] != "incomplete":
            problems.append("is_complete: %s" % ic)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    return problems


def run_cli(jar, args, cwd):
    os.makedirs(cwd, exist_ok=True)
    p = subprocess.run(["java", "-jar", jar] + args, cwd=cwd, capture_output=True, text=True,
                       timeout=600)
    if p.returncode != 0:
        raise RuntimeError("%s failed (exit %d): %s" % (" ".join(args), p.returncode,
                                                      p.stderr.strip()[-400:]))
    return p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("notebook")
    ap.add_argument("out")
    ap.add_argument("jar")
    ap.add_argument("--update", action="store_true")
    args = ap.parse_args()

    committed = nbformat.read(args.notebook, as_version=4)
    nb = copy.deepcopy(committed)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    workdir = os.path.dirname(os.path.abspath(args.notebook))
    # coalesce_streams: the kernel sends a line per stream message; the notebook keeps one text
    client = NotebookClient(nb, kernel_name="activation-lab", timeout=900, allow_errors=True,
                            record_timing=False, coalesce_streams=True,
                            resources={"metadata": {"path": workdir}})
    t0 = time.time()
    client.execute()
    seconds = time.time() - t0

    checks = []  # (name, problems)
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    problems = []
    for i, cell in code:
        for o in cell.outputs:
            if o["output_type"] == "error":
                problems.append("cell %d: error output %s: %s" % (i, o["ename"], o["evalue"]))
            elif o["output_type"] == "stream" and o["name"] == "stderr":
                problems.append("cell %d: wrote to stderr: %s" % (i, o["text"].strip()[:300]))
    checks.append(("no error output", problems))
    charts = sum(len(images(c)) for _, c in code)
    checks.append(("at least eight charts", [] if charts >= 8 else ["only %d charts" % charts]))

    stats = {"numbers": 0}
    if not args.update:
        problems = []
        old = [c for c in committed.cells if c.cell_type == "code"]
        if len(old) != len(code):
            problems.append("%d code cells, the committed notebook has %d" % (len(code), len(old)))
        else:
            for (i, cell), was in zip(code, old):
                if images(cell) != images(was):
                    problems.append("cell %d: charts %s, committed %s"
                                    % (i, images(cell), images(was)))
                problems += compare("cell %d" % i, cell_text(was), cell_text(cell), stats)
        checks.append(("the committed outputs", problems))

        problems = []
        cli_dir = os.path.join(args.out, "cli", "notebooks")
        shutil.rmtree(os.path.join(args.out, "cli"), ignore_errors=True)
        for key, cli_args in CLI.items():
            cells = [c for _, c in code if key in c.source]
            if len(cells) != 1:
                problems.append("%d cells run %s (expected one)" % (len(cells), key))
                continue
            try:
                expected = run_cli(args.jar, cli_args, cli_dir)
            except Exception as e:  # one line per failed command
                problems.append("CLI %s" % e)
                continue
            problems += compare("%s vs `%s`" % (key, cli_args[0]), mask_names(expected),
                                mask_names(stdout_of(cells[0])), stats)
        checks.append(("the CLI's lines", problems))
    try:
        checks.append(("the kernel's messages", protocol_check()))
    except Exception as e:  # a kernel that does not answer
        checks.append(("the kernel's messages", ["%s: %s" % (type(e).__name__, e)]))
    failed = [p for _, ps in checks for p in ps]

    os.makedirs(args.out, exist_ok=True)
    executed = os.path.join(args.out, "activation-functions.ipynb")
    nbformat.write(nb, executed)
    body, _ = HTMLExporter().from_notebook_node(nb)
    with open(os.path.join(args.out, "activation-functions.html"), "w", encoding="utf-8") as f:
        f.write(body)
    if args.update and not failed:
        nbformat.write(nb, args.notebook)
        print("notebook check: wrote the outputs into %s" % args.notebook)

    for name, ps in checks:
        print("notebook check: %s: %s" % (name, "pass" if not ps else "FAIL"))
        for p in ps:
            print("    " + p)
    print("notebook check: %d code cells, %d charts, %d numbers compared, in %.0f s; executed"
          " notebook and HTML in %s" % (len(code), charts, stats["numbers"], seconds, args.out))
    print("notebook: %d passed, %d failed" % (sum(1 for _, ps in checks if not ps),
                                             sum(1 for _, ps in checks if ps)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
