#!/usr/bin/env python3
"""Cross-check of two seed sweeps (DESIGN.md, "Sweep JSON"): Java's `sweep --json` against the
JAX twin (scripts/sweep_reference.py), as an EQUIVALENCE test: the two runtimes draw different
initial weights and shuffles for the same seed number, so only the distributions over seeds can
agree, and a difference test that passes says only that no difference was found (300 seeds a side
let a 10-point gap in the solved rate pass). Here each row must show that the two sides are equal
within a stated margin, with the power to show it when they are.

    run(java_json_path, jax_json_path) -> [(what, max_diff, tolerance, status), ...]

what       a sentence saying what was compared, with the numbers behind the verdict
max_diff   the observed difference (float; nan where none applies)
tolerance  the rule that decided, as text
status     "pass", "fail" or "note" (notes never fail)

Per activation present in either file (missing in one: a "fail" row, never a skip):
1. Solved rates equal within +-5 points (RATE_MARGIN): two one-sided tests at alpha = 5% (TOST),
   i.e. the 90% confidence interval of p_java - p_jax (Wald, unpooled standard error) lies inside
   (-0.05, 0.05). The row gives the interval and the test's power at equal rates (the normal
   approximation: P(|Z| < margin / se - z_0.95)).
2. Median final losses equal within +-10% relative (MEDIAN_MARGIN), for each mode of the XOR
   MLP's final-loss distribution: "converged", final loss below 0.04 (CONVERGED_LOSS: an output 0.4
   off its label alone makes the mean squared error 0.04, so these seeds solve XOR), and "stuck",
   the rest (plateaus at 1/16 and above: 0.125, 1/6, 0.25). TOST on the ratio: the 90% percentile
   bootstrap interval (BOOTSTRAP resamples of each side, a fixed generator: the same verdict on the
   same files) of median_java / median_jax lies inside (1/1.1, 1.1). Each row gives the power at
   equal medians (the bootstrap's standard deviation of the log ratio, the normal approximation).
   Why per mode: the overall median of a two-mode distribution sits where the solved rate puts it;
   near 50% solved (tanh) it falls on the edge of a mode, where the losses are sparse, and with
   20,000 seeds a side its 90% interval still spans 0.94-1.21 (measured): no useful margin has
   power there. The modes' medians are estimated to +-1-3% with 5,000 seeds a side; the modes'
   shares are the solved rates, tested in 1. The overall medians are given as a note.
Also: model, epochs and learning_rate must match (fail); each file's own summary must agree with
itself (n = len(final_losses), solved_rate = solved / n, solved_ci95 = Wilson, final_loss.median
between the middle order statistics of final_losses) (fail); fewer than MIN_SEEDS seeds on a side
(fail); same engine and overlapping seed ranges (samples not independent) is a note.

Multiplicity: the claim is that every activation is equivalent in every tested quantity, an
intersection-union test, which rejects (passes) at level alpha when each of its tests does; no
correction is needed (Berger 1982). Each test is at alpha = 5%: a real difference at the margin
passes one row at most 5% of the time.

Usage: xcheck_sweep.py [--alpha 0.05] JAVA_JSON JAX_JSON   (prints the rows and
`N passed, M failed`; exit 1 on any failure)
"""
import json
import math
import sys

import numpy as np

from sweep_reference import wilson  # the JAX twin's Wilson interval, one definition

ALPHA = 0.05
RATE_MARGIN = 0.05       # solved rates equal within +-5 points
MEDIAN_MARGIN = 0.10     # modes' median final losses equal within +-10% (ratio in (1/1.1, 1.1))
CONVERGED_LOSS = 0.04    # below: the "converged" mode of the XOR MLP's final losses
BOOTSTRAP = 1000         # resamples of each side for the medians' interval
MIN_SEEDS = 1000         # seeds a side at least
BOOTSTRAP_SEED = 20261204


def z_upper(alpha):
    """The standard normal quantile z with P(Z > z) = alpha (bisection on erfc)."""
    lo, hi = 0.0, 10.0
    for _ in range(100):
        mid = (lo + hi) / 2
        if 0.5 * math.erfc(mid / math.sqrt(2)) > alpha:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def tost_power(margin, se, alpha):
    """Power of a TOST with this margin and standard error when the true difference is 0."""
    if se <= 0:
        return 1.0
    x = margin / se - z_upper(alpha)
    return max(0.0, math.erf(x / math.sqrt(2))) if x > 0 else 0.0


def rate_tost(k1, n1, k2, n2, alpha=ALPHA, margin=RATE_MARGIN):
    """(difference, 90% interval lo, hi, se, passes, power) of the solved rates' TOST."""
    p1, p2 = k1 / n1, k2 / n2
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    z = z_upper(alpha)
    d = p1 - p2
    lo, hi = d - z * se, d + z * se
    # power at equal rates, with the pooled rate's standard error
    p = (k1 + k2) / (n1 + n2)
    se0 = math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    return d, lo, hi, se, (-margin < lo and hi < margin), tost_power(margin, se0, alpha)


def median_ratio_tost(xs, ys, alpha=ALPHA, margin=MEDIAN_MARGIN, resamples=BOOTSTRAP,
                      seed=BOOTSTRAP_SEED):
    """(ratio of medians, interval lo, hi, sd of the log ratio, passes, power): the percentile
    bootstrap's (1 - 2 alpha) interval of median(xs) / median(ys) against (1/(1+m), 1+m)."""
    a, b = np.asarray(xs, float), np.asarray(ys, float)
    ratio = float(np.median(a) / np.median(b))
    rng = np.random.default_rng(seed)
    ma = np.median(rng.choice(a, (resamples, a.size)), axis=1)
    mb = np.median(rng.choice(b, (resamples, b.size)), axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log(ma / mb)
    if not np.all(np.isfinite(logs)):
        return ratio, math.nan, math.nan, math.inf, False, 0.0
    lo, hi = (math.exp(v) for v in np.quantile(logs, [alpha, 1 - alpha]))
    sd = float(np.std(logs))
    bound = math.log(1 + margin)
    return ratio, lo, hi, sd, (1 / (1 + margin) < lo and hi < 1 + margin), \
        tost_power(bound, sd, alpha)


def _losses(entry):
    fl = entry.get("final_losses")
    if not isinstance(fl, list):
        return None
    return sorted(math.inf if v is None else float(v) for v in fl)


def _fmt(x):
    if x is None:
        return "-"
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    return f"{x:.4g}"


def _load(path, side, rows):
    try:
        with open(path) as f:
            doc = json.load(f)
    except FileNotFoundError:
        rows.append((f"{side} sweep JSON {path}: missing", math.nan, "file must exist", "fail"))
        return None
    except (OSError, ValueError) as e:
        rows.append((f"{side} sweep JSON {path}: unreadable ({e})", math.nan, "valid JSON", "fail"))
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("results"), list):
        rows.append((f"{side} sweep JSON {path}: no results[] list", math.nan,
                     "DESIGN.md Sweep JSON", "fail"))
        return None
    return doc


def _self_consistency(side, entry, rows):
    """The file's summary agrees with itself; returns the sorted per-seed losses or None."""
    act = entry.get("activation")
    n, k = entry.get("n"), entry.get("solved")
    if not isinstance(n, int) or not isinstance(k, int) or n <= 0 or not 0 <= k <= n:
        rows.append((f"{side} {act}: n = {n!r}, solved = {k!r}", math.nan,
                     "integers, 0 <= solved <= n, n > 0", "fail"))
        return None
    problems, worst = [], 0.0
    rate = entry.get("solved_rate")
    if not isinstance(rate, (int, float)) or abs(rate - k / n) > 1e-9:
        problems.append(f"solved_rate {rate!r} != solved/n {k / n:.6g}")
    ci = entry.get("solved_ci95")
    w = wilson(k, n)
    if not (isinstance(ci, list) and len(ci) == 2 and all(isinstance(c, (int, float)) for c in ci)):
        problems.append(f"solved_ci95 {ci!r} is not [lo, hi]")
    else:
        worst = max(abs(ci[0] - w[0]), abs(ci[1] - w[1]))
        if worst > 1e-6:
            problems.append(f"solved_ci95 {ci} != Wilson [{w[0]:.6f}, {w[1]:.6f}]")
    losses = _losses(entry)
    if losses is None:
        problems.append("no per-seed final_losses")
    elif len(losses) != n:
        problems.append(f"len(final_losses) {len(losses)} != n {n}")
        losses = None
    else:
        med = (entry.get("final_loss") or {}).get("median")
        lo, hi = losses[(n - 1) // 2], losses[n // 2]
        if med is None:
            if math.isfinite(hi):
                problems.append("final_loss.median is null but finite")
        elif not (lo - 1e-6 * abs(lo) <= med <= hi + 1e-6 * abs(hi)):
            problems.append(f"final_loss.median {med:.6g} outside the middle order statistics "
                            f"[{lo:.6g}, {hi:.6g}] of final_losses")
    rows.append((f"{side} {act}: summary consistent with itself (solved_rate, Wilson solved_ci95, "
                 f"final_loss.median vs final_losses)" + ("" if not problems else ": " + "; ".join(problems)),
                 worst, "exact; Wilson within 1e-6", "fail" if problems else "pass"))
    return losses


def run(java_json_path, jax_json_path, alpha=ALPHA):
    """The rows (what, max_diff, tolerance, status); see the module's docstring."""
    rows = []
    java = _load(java_json_path, "java", rows)
    jx = _load(jax_json_path, "jax", rows)
    if java is None or jx is None:
        return rows

    for key in ("model", "epochs", "learning_rate"):
        a, b = java.get(key), jx.get(key)
        same = a == b or (isinstance(a, (int, float)) and isinstance(b, (int, float))
                          and abs(a - b) <= 1e-12 * max(1.0, abs(a)))
        diff = abs(a - b) if isinstance(a, (int, float)) and isinstance(b, (int, float)) else math.nan
        rows.append((f"same {key}: java {a!r}, jax {b!r}", diff, "equal", "pass" if same else "fail"))
    ej, ex = java.get("engine", "java"), jx.get("engine", "jax")
    fj, nj = java.get("first_seed"), java.get("seeds")
    fx, nx = jx.get("first_seed"), jx.get("seeds")
    text = f"engines {ej} / {ex}; seeds {fj}..+{nj} / {fx}..+{nx}"
    if ej == ex and all(isinstance(v, int) for v in (fj, nj, fx, nx)) and fj < fx + nx and fx < fj + nj:
        text += ": same engine, overlapping seeds, so the samples are not independent"
    rows.append((text, math.nan, "-", "note"))

    acts_j = [e.get("activation") for e in java["results"]]
    acts_x = [e.get("activation") for e in jx["results"]]
    for act in acts_j:
        if act not in acts_x:
            rows.append((f"{act}: in the java sweep, missing from the jax sweep", math.nan,
                         "present in both", "fail"))
    for act in acts_x:
        if act not in acts_j:
            rows.append((f"{act}: in the jax sweep, missing from the java sweep", math.nan,
                         "present in both", "fail"))

    for act in [a for a in acts_j if a in acts_x]:
        ej_ = java["results"][acts_j.index(act)]
        ex_ = jx["results"][acts_x.index(act)]
        lj = _self_consistency("java", ej_, rows)
        lx = _self_consistency("jax", ex_, rows)
        n1, k1, n2, k2 = ej_.get("n"), ej_.get("solved"), ex_.get("n"), ex_.get("solved")
        if not (all(isinstance(v, int) for v in (n1, k1, n2, k2)) and n1 > 0 and n2 > 0):
            rows.append((f"{act}: solved rates not comparable (n, solved: java {n1!r}, {k1!r}; "
                         f"jax {n2!r}, {k2!r})", math.nan, "integers", "fail"))
            continue
        if min(n1, n2) < MIN_SEEDS:
            rows.append((f"{act}: {n1} java and {n2} jax seeds", math.nan,
                         f">= {MIN_SEEDS} seeds a side", "fail"))
        d, lo, hi, _, ok, power = rate_tost(k1, n1, k2, n2, alpha)
        w1, w2 = wilson(k1, n1), wilson(k2, n2)
        rows.append((f"{act}: solved rate java {k1}/{n1} = {k1 / n1:.3f} [{w1[0]:.3f}, {w1[1]:.3f}] "
                     f"vs jax {k2}/{n2} = {k2 / n2:.3f} [{w2[0]:.3f}, {w2[1]:.3f}] (Wilson 95%); "
                     f"difference {d:+.4f}, its {1 - 2 * alpha:.0%} interval [{lo:+.4f}, {hi:+.4f}]; "
                     f"power at equal rates {power:.3f}", abs(d),
                     f"TOST at {alpha:g}: interval inside +-{RATE_MARGIN:g}",
                     "pass" if ok else "fail"))

        if lj is None or lx is None:
            missing = [s for s, v in (("java", lj), ("jax", lx)) if v is None]
            rows.append((f"{act}: median final losses not tested: the {' and '.join(missing)} JSON "
                         f"lacks usable per-seed losses (results[].final_losses: one number per "
                         f"seed, n of them, the last epoch's Keras-style loss)", math.nan,
                         "final_losses present", "fail"))
            continue
        rows.append((f"{act}: overall median final loss java {_fmt(median(lj))} vs jax "
                     f"{_fmt(median(lx))} (ratio {median(lj) / median(lx):.4f}; not a test: see "
                     f"the modes)", math.nan, "-", "note"))
        for mode, pick in (("converged", lambda v: v < CONVERGED_LOSS),
                           ("stuck", lambda v: v >= CONVERGED_LOSS)):
            cj = [v for v in lj if pick(v) and math.isfinite(v)]
            cx = [v for v in lx if pick(v) and math.isfinite(v)]
            where = (f"final loss {'<' if mode == 'converged' else '>='} {CONVERGED_LOSS:g}: "
                     f"java {len(cj)}, jax {len(cx)} seeds")
            if min(len(cj), len(cx)) < 30:
                rows.append((f"{act}: {mode} seeds ({where}): too few on a side for a median "
                             f"interval", math.nan, ">= 30 seeds a side", "note"))
                continue
            r, rlo, rhi, sd, ok, power = median_ratio_tost(cj, cx, alpha)
            rows.append((f"{act}: median final loss of the {mode} seeds ({where}) java "
                         f"{_fmt(median(sorted(cj)))} vs jax {_fmt(median(sorted(cx)))}, ratio "
                         f"{r:.4f}, its {1 - 2 * alpha:.0%} bootstrap interval [{rlo:.4f}, "
                         f"{rhi:.4f}]; power at equal medians {power:.3f}", abs(math.log(r)),
                         f"TOST at {alpha:g}: interval inside (1/{1 + MEDIAN_MARGIN:g}, "
                         f"{1 + MEDIAN_MARGIN:g})", "pass" if ok else "fail"))
    return rows


def median(sorted_xs):
    n = len(sorted_xs)
    return 0.5 * (sorted_xs[(n - 1) // 2] + sorted_xs[n // 2])


def print_rows(rows, out=sys.stdout):
    for what, diff, tol, status in rows:
        d = "-" if isinstance(diff, float) and math.isnan(diff) else f"{diff:.3g}"
        print(f"[{status:<4}] {what} | diff {d} | {tol}", file=out)
    passed = sum(1 for r in rows if r[3] == "pass")
    failed = sum(1 for r in rows if r[3] == "fail")
    print(f"{passed} passed, {failed} failed", file=out)
    return failed


def main(argv):
    import argparse
    p = argparse.ArgumentParser(description="Cross-check two seed sweeps (Sweep JSON) for "
                                            "equivalence.")
    p.add_argument("java_json")
    p.add_argument("jax_json")
    p.add_argument("--alpha", type=float, default=ALPHA)
    a = p.parse_args(argv)
    return 1 if print_rows(run(a.java_json, a.jax_json, a.alpha)) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
