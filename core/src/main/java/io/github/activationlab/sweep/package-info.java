/**
 * What a seed sweep gives (the notebook's "seed lottery" at scale): the per-seed rules (solved,
 * collapsed, dead units), the per-activation summary, the table and the Sweep JSON ({@link
 * io.github.activationlab.sweep.SweepResults}), and its statistics: Wilson intervals and numpy's
 * percentiles ({@link io.github.activationlab.sweep.SweepStats}). The seeds themselves are trained
 * by {@link io.github.activationlab.nn.SeedSweep}.
 */
package io.github.activationlab.sweep;
