#!/usr/bin/env python3
"""Cross-check of two seed sweeps (DESIGN.md, "Sweep JSON"): Java's `sweep --json` against the
JAX twin (scripts/sweep_reference.py), by statistics, not bit for bit: the two runtimes draw
different initial weights and shuffles for the same seed number, so only the distributions over
seeds can agree.

    run(java_json_path, jax_json_path) -> [(what, max_diff, tolerance, status), ...]

what       a sentence saying what was compared, with the numbers behind the verdict
max_diff   the observed difference (float; nan where none applies)
tolerance  the rule that decided, as text
status     "pass", "fail" or "note" (notes never fail)

Per activation present in either file (missing in one: a "fail" row, never a skip):
1. Solved rates: two-sided two-proportion z-test with the pooled proportion,
   z = (p1 - p2) / sqrt(p (1 - p) (1/n1 + 1/n2)); fail if p-value < 0.05 (both rates 0 or both 1:
   p = 1). The row gives both Wilson 95% intervals; tolerance shows the largest |p1 - p2| that
   would pass.
2. Median final loss: Mood's median test, two-sided, exact (Fisher's test on the 2 x 2 table of
   seeds above / below the pooled median of both files' per-seed final losses; seeds within
   1e-6 relative of the pooled median are ties and left out, so float32 round-off on a plateau
   such as 1/16 is no difference); fail if p < 0.05, unless the two medians agree within 1e-3
   relative. Needs the per-seed final losses of both files in results[].final_losses (a list of
   n numbers, seed order, the same quantity as final_loss: the last epoch's loss as Keras's
   History reports it; null for a non-finite loss, counted as +inf). Missing: a "fail" row that
   says so. The row also gives each median's distribution-free 95% confidence interval from the
   order statistics [x_(l), x_(n+1-l)] (binomial(n, 1/2)), and whether the JAX median lies in the
   Java one. Why not that as the test: when both medians are estimates from the same number of
   seeds, "the JAX median lies in Java's 95% CI" fails about 17% of the time with no difference at
   all (the JAX median has its own sampling error), so it is not a 5% test; Mood's test is one.
Also: model, epochs and learning_rate must match (fail); each file's own summary must agree with
itself (n = len(final_losses), solved_rate = solved / n, solved_ci95 = Wilson, final_loss.median
between the middle order statistics of final_losses) (fail); same engine and overlapping seed
ranges (samples not independent) is a note.

Each test is at the 5% level (alpha): with the same distributions on both sides, one test
fails 5% of the time, and a run of k tests fails at least one of them up to 1 - 0.95^k of the time
(3 activations, 2 tests each: up to ~26%; the two tests of one activation are correlated, and so
are activations swept over the same seeds). For a gate that should rarely fail by chance, pass
holm=True (Holm-Bonferroni over all the run's statistical tests: the family fails by chance at
most 5% of the time) or fix both sides' seed ranges so the verdict is reproducible.

Usage: xcheck_sweep.py [--alpha 0.05] [--holm] JAVA_JSON JAX_JSON   (prints the rows and
`N passed, M failed`; exit 1 on any failure)
"""
import json
import math
import sys

from sweep_reference import Z95, wilson  # the JAX twin's Wilson interval, one definition

ALPHA = 0.05
TIE_REL = 1e-6
MEDIAN_EQUAL_REL = 1e-3


def two_proportion(k1, n1, k2, n2):
    """(z, two-sided p, critical |p1 - p2| at ALPHA) with the pooled proportion."""
    p = (k1 + k2) / (n1 + n2)
    se = math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    if se == 0:
        return 0.0, 1.0, 0.0
    z = (k1 / n1 - k2 / n2) / se
    return z, math.erfc(abs(z) / math.sqrt(2)), Z95 * se


def Z_CRIT(alpha):
    """The two-sided standard normal critical value for alpha (bisection on erfc)."""
    lo, hi = 0.0, 10.0
    for _ in range(100):
        mid = (lo + hi) / 2
        if math.erfc(mid / math.sqrt(2)) > alpha:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _log_comb(n, k):
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def fisher_exact(a, b, c, d):
    """Two-sided Fisher exact p-value of [[a, b], [c, d]] (tables as likely or less likely)."""
    r1, c1, n = a + b, a + c, a + b + c + d
    lo, hi = max(0, c1 - (n - r1)), min(r1, c1)
    if lo == hi:
        return 1.0

    def logp(x):
        return _log_comb(r1, x) + _log_comb(n - r1, c1 - x) - _log_comb(n, c1)
    obs = logp(a)
    total = 0.0
    for x in range(lo, hi + 1):
        lp = logp(x)
        if lp <= obs + 1e-7:
            total += math.exp(lp)
    return min(1.0, total)


def median(sorted_xs):
    n = len(sorted_xs)
    return 0.5 * (sorted_xs[(n - 1) // 2] + sorted_xs[n // 2])


def median_ci(sorted_xs, level=0.95):
    """Distribution-free CI for the median: [x_(l), x_(n+1-l)] (1-based), the largest l with
    P(Bin(n, 1/2) <= l - 1) <= (1 - level) / 2; coverage >= level. None when n is too small."""
    n = len(sorted_xs)
    tail = (1 - level) / 2
    cdf, l = 0.0, 0
    for k in range(0, n // 2 + 1):
        cdf += math.exp(_log_comb(n, k) - n * math.log(2))  # P(B <= k)
        if cdf > tail:
            break
        l = k + 1  # P(B <= l - 1) <= tail
    if l < 1:
        return None
    return sorted_xs[l - 1], sorted_xs[n - l], l


def mood_median_test(xs, ys):
    """(p, pooled median, above_x, below_x, above_y, below_y); ties at the pooled median left out."""
    pooled = sorted(xs + ys)
    m = median(pooled)
    tol = TIE_REL * max(abs(m), 1e-30) if math.isfinite(m) else 0.0

    def split(v):
        above = sum(1 for t in v if t > m + tol)
        below = sum(1 for t in v if t < m - tol)
        return above, below
    ax, bx = split(xs)
    ay, by = split(ys)
    return fisher_exact(ax, bx, ay, by), m, ax, bx, ay, by


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


def run(java_json_path, jax_json_path, alpha=ALPHA, holm=False):
    """The rows (what, max_diff, tolerance, status); see the module's docstring."""
    rows = []
    tests = []  # (row index, p-value, passes anyway) of the statistical tests, for Holm
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
        if all(isinstance(v, int) for v in (n1, k1, n2, k2)) and n1 > 0 and n2 > 0:
            z, p, crit = two_proportion(k1, n1, k2, n2)
            w1, w2 = wilson(k1, n1), wilson(k2, n2)
            tests.append((len(rows), p, False))
            rows.append((f"{act}: solved rate java {k1}/{n1} = {k1 / n1:.3f} "
                         f"[{w1[0]:.3f}, {w1[1]:.3f}] vs jax {k2}/{n2} = {k2 / n2:.3f} "
                         f"[{w2[0]:.3f}, {w2[1]:.3f}] (Wilson 95%); two-proportion z = {z:.2f}, "
                         f"p = {p:.3g}", abs(k1 / n1 - k2 / n2),
                         f"p >= {alpha:g} (|diff| <= {Z_CRIT(alpha) / Z95 * crit:.3g})",
                         "pass" if p >= alpha else "fail"))
        else:
            rows.append((f"{act}: solved rates not comparable (n, solved: java {n1!r}, {k1!r}; "
                         f"jax {n2!r}, {k2!r})", math.nan, "integers", "fail"))

        if lj is None or lx is None:
            missing = [s for s, v in (("java", lj), ("jax", lx)) if v is None]
            rows.append((f"{act}: median final loss not tested: the {' and '.join(missing)} JSON "
                         f"lacks usable per-seed losses (results[].final_losses: one number per "
                         f"seed, n of them, the last epoch's Keras-style loss)", math.nan,
                         "final_losses present", "fail"))
            continue
        mj, mx = median(lj), median(lx)
        p, pooled, a1, b1, a2, b2 = mood_median_test(lj, lx)
        cij, cix = median_ci(lj), median_ci(lx)
        if cij:
            inside = cij[0] <= mx <= cij[1]
            ci_text = (f"java 95% CI [{_fmt(cij[0])}, {_fmt(cij[1])}] (order statistics {cij[2]}, "
                       f"{len(lj) + 1 - cij[2]}), jax median {'inside' if inside else 'outside'}")
        else:
            ci_text = "java sample too small for a 95% median CI"
        if cix:
            ci_text += f"; jax 95% CI [{_fmt(cix[0])}, {_fmt(cix[1])}]"
        equal = (math.isfinite(mj) and math.isfinite(mx)
                 and abs(mj - mx) <= MEDIAN_EQUAL_REL * max(abs(mj), abs(mx), 1e-30))
        ok = p >= alpha or equal or (mj == mx)
        diff = abs(mj - mx) if math.isfinite(mj) and math.isfinite(mx) else math.inf
        tests.append((len(rows), p, equal or mj == mx))
        rows.append((f"{act}: median final loss java {_fmt(mj)} vs jax {_fmt(mx)}; Mood's median "
                     f"test (pooled median {_fmt(pooled)}: above/below java {a1}/{b1}, jax {a2}/{b2}) "
                     f"p = {p:.3g}; {ci_text}", diff,
                     f"Mood p >= {alpha:g} (or medians equal within {MEDIAN_EQUAL_REL:g} rel)",
                     "pass" if ok else "fail"))
    if holm and tests:
        # Holm-Bonferroni: the i-th smallest p (0-based) must be >= alpha / (m - i) until the first
        # one that passes; every test after that passes.
        m = len(tests)
        rejected = set()
        for i, (idx, p, _) in enumerate(sorted(tests, key=lambda t: t[1])):
            if p >= alpha / (m - i):
                break
            rejected.add(idx)
        for idx, p, anyway in tests:
            what, diff, tol, _ = rows[idx]
            status = "fail" if idx in rejected and not anyway else "pass"
            rows[idx] = (what, diff, tol + f"; Holm over {m} tests, family alpha {alpha:g}", status)
    return rows


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
    p = argparse.ArgumentParser(description="Cross-check two seed sweeps (Sweep JSON).")
    p.add_argument("java_json")
    p.add_argument("jax_json")
    p.add_argument("--alpha", type=float, default=ALPHA)
    p.add_argument("--holm", action="store_true", help="Holm-Bonferroni over the run's tests")
    a = p.parse_args(argv)
    return 1 if print_rows(run(a.java_json, a.jax_json, a.alpha, a.holm)) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
