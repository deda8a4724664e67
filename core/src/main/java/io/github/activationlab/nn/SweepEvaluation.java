package io.github.activationlab.nn;

import io.github.activationlab.internal.tf.Arrays2;
import io.github.activationlab.tf.FloatOps;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * What a {@link SeedSweep} reports per seed, as ops on its final state (seed axis last) and as
 * {@link SeedSweep.Outcome}s: the final weights; the last epoch's loss as Keras's History reports
 * it (the epoch's batch losses, weighted by the batch sizes, summed as {@code Trainer} sums them);
 * and the final weights evaluated on the whole training set: the loss, the largest and the mean
 * squared error against the truth, the output's range, whether it is constant (collapsed), and per
 * hidden layer the number of dead units (a unit whose output is the same for every input).
 *
 * <p>Fetched in the order of the record's components: the weights ({@code [.., S]}), the last
 * epoch's loss records ({@code [steps per epoch, S]}), then one value per seed each.
 */
record SweepEvaluation(
    List<Operand<TFloating>> weights,
    Operand<TFloating> lastEpoch,
    Operand<TFloating> loss,
    Operand<TFloating> maxAbsError,
    Operand<TFloating> mse,
    Operand<TFloating> range,
    Operand<TFloating> collapsed,
    List<Operand<TInt32>> dead) {

  /** The evaluation of {@code w} (seed axis last) on x, y and the truth ({@code [n, ...]}). */
  static SweepEvaluation of(
      FloatOps f,
      Architecture arch,
      Loss lossFn,
      Operand<TFloating> x,
      Operand<TFloating> y,
      Operand<TFloating> truth,
      List<Operand<TFloating>> w,
      Operand<TFloating> lastEpoch) {
    Ops tf = f.ops;
    var seedAxis = tf.constant(2);
    Operand<TFloating> x3 = tf.expandDims(x, seedAxis); // [n, in, 1]: broadcasts over the seeds
    var fw = arch.forward(f, x3, w, lossFn);
    var out = fw.output(); // [n, out, S]
    var samplesAndOutputs = tf.constant(new int[] {0, 1});
    var perSample = lossFn.perSample(f, tf.expandDims(y, seedAxis), out, fw.logits());
    var err = f.sub(out, tf.expandDims(truth, seedAxis));
    List<Operand<TInt32>> dead = new ArrayList<>();
    List<Operand<TFloating>> layers = arch.layerOutputs(f, x3, w);
    for (int l = 0; l < layers.size() - 1; l++) {
      var deadUnits = tf.dtypes.cast(constant(f, layers.get(l)), TInt32.class); // [units, S]
      dead.add(tf.sum(deadUnits, tf.constant(0)));
    }
    return new SweepEvaluation(
        w,
        lastEpoch,
        tf.math.mean(perSample, tf.constant(0)),
        tf.max(f.abs(err), samplesAndOutputs),
        tf.math.mean(f.square(err), samplesAndOutputs),
        f.sub(tf.max(out, samplesAndOutputs), tf.min(out, samplesAndOutputs)),
        tf.min(constant(f, out), tf.constant(0)), // every output constant: 1
        dead);
  }

  /**
   * Whether {@code a} [n, units, S] is constant over the n inputs, per unit and seed: max - min <=
   * 1e-6 * max(1, |mean|) (float rounding aside, the same value for every input).
   */
  private static Operand<TFloating> constant(FloatOps f, Operand<TFloating> a) {
    Ops tf = f.ops;
    var samples = tf.constant(0);
    var range = f.sub(tf.max(a, samples), tf.min(a, samples));
    var scale = f.max(f.abs(tf.math.mean(a, samples)), 1);
    return tf.dtypes.cast(tf.math.lessEqual(range, f.mul(1e-6, scale)), a.type()); // [units, S]
  }

  /** Asks {@code run} for every value, in the record's order. */
  void fetch(Session.Runner run) {
    weights.forEach(run::fetch);
    for (var v : List.of(lastEpoch, loss, maxAbsError, mse, range, collapsed)) run.fetch(v);
    dead.forEach(run::fetch);
  }

  /**
   * The outcomes of the first {@code real} of a chunk's {@code seeds} slots, read from {@code res}
   * (fetched by {@link #fetch}); slot s is seed {@code first + s}.
   */
  List<SeedSweep.Outcome> outcomes(Result res, Batching recipe, long first, int seeds, int real) {
    int[] at = {0};
    Supplier<Tensor> next = () -> res.get(at[0]++);
    List<double[]> w = new ArrayList<>();
    for (int j = 0; j < weights.size(); j++) w.add(Arrays2.doubles(next.get()));
    double[] last = Arrays2.doubles(next.get());
    double[] evalLoss = Arrays2.doubles(next.get());
    double[] maxErr = Arrays2.doubles(next.get());
    double[] mseVsTruth = Arrays2.doubles(next.get());
    double[] outputRange = Arrays2.doubles(next.get());
    double[] isCollapsed = Arrays2.doubles(next.get());
    int[][] deadUnits = new int[dead.size()][seeds];
    for (int[] d : deadUnits) ((TInt32) next.get()).asRawTensor().data().asInts().read(d);
    List<SeedSweep.Outcome> out = new ArrayList<>(real);
    for (int s = 0; s < real; s++) {
      double loss = 0;
      for (int k = 0; k < recipe.stepsPerEpoch(); k++) {
        loss += last[k * seeds + s] * recipe.batchLength(k);
      }
      int[] d = new int[deadUnits.length];
      for (int l = 0; l < d.length; l++) d[l] = deadUnits[l][s];
      out.add(
          new SeedSweep.Outcome(
              first + s,
              loss / recipe.n(),
              evalLoss[s],
              maxErr[s],
              mseVsTruth[s],
              outputRange[s],
              isCollapsed[s] > 0,
              d,
              SeedAxis.unstack(w, seeds, s)));
    }
    return out;
  }
}
