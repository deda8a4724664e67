package io.github.activationlab.nn;

import io.github.activationlab.activation.Activations;
import io.github.activationlab.tf.FloatOps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * {@link Architecture#forward}'s walk: the flat input split into the model's inputs (each
 * reshaped), every node applied to the tensors it reads in topological order (each layer given its
 * weights and its view of the context), the outputs flattened side by side.
 */
final class Forwarding {
  private Forwarding() {}

  static Architecture.Forward run(
      Architecture a,
      CallContext c,
      Operand<TFloating> x,
      List<? extends Operand<TFloating>> weights,
      Loss loss,
      List<Operand<TFloating>> collect) {
    FloatOps f = c.ops();
    var tf = f.ops;
    List<Operand<TFloating>> tensors = new ArrayList<>();
    List<Architecture.Input> inputs = a.inputs();
    if (inputs.size() == 1 && inputs.get(0).shape().length == 1) {
      tensors.add(x); // the common case: used as it is (a seed sweep's [B, in, S] too)
    } else {
      int off = 0;
      for (Architecture.Input in : inputs) {
        Operand<TFloating> part =
            inputs.size() == 1
                ? x
                : tf.slice(
                    x, tf.constant(new int[] {0, off}), tf.constant(new int[] {-1, in.size()}));
        off += in.size();
        tensors.add(
            in.shape().length == 1 ? part : tf.reshape(part, tf.constant(batched(in.shape()))));
      }
    }
    List<Integer> outs = a.outputs();
    List<Operand<TFloating>> logitsOf = new ArrayList<>();
    for (int t = 0; t < inputs.size(); t++) logitsOf.add(null);
    int at = 0;
    for (int k = 0; k < a.nodes().size(); k++) {
      Architecture.Node n = a.nodes().get(k);
      List<Operand<TFloating>> in = new ArrayList<>();
      for (int t : n.inbound()) in.add(tensors.get(t));
      int count = n.layer().weights(a.inputShapes(k)).size();
      List<Operand<TFloating>> lw = List.copyOf(weights.subList(at, at + count));
      CallContext ck = c.at(k, at);
      at += count;
      Operand<TFloating> logits = null;
      Operand<TFloating> h;
      if (loss != null && loss.usesLogits() && outs.contains(inputs.size() + k)) {
        logits = n.layer().logits(ck, in, lw);
      }
      if (logits != null) {
        // the output computed from the logits, as Keras's sigmoid / softmax keeps them
        h = Activations.get(n.layer().activationName()).call(tf, logits);
      } else {
        h = n.layer().call(ck, in, lw);
      }
      tensors.add(h);
      logitsOf.add(logits);
      if (collect != null) collect.add(h);
    }
    List<Architecture.Forward.Output> parts = new ArrayList<>();
    for (int t : outs) {
      long[] s = a.shape(t);
      parts.add(
          new Architecture.Forward.Output(
              flat(f, tensors.get(t), s),
              logitsOf.get(t) == null ? null : flat(f, logitsOf.get(t), s)));
    }
    Operand<TFloating> output =
        parts.size() == 1
            ? parts.get(0).value()
            : tf.concat(
                parts.stream().map(Architecture.Forward.Output::value).toList(), tf.constant(-1));
    return new Architecture.Forward(
        output,
        parts.size() == 1 ? parts.get(0).logits() : null,
        parts,
        new LinkedHashMap<>(c.updates()));
  }

  private static Operand<TFloating> flat(FloatOps f, Operand<TFloating> t, long[] shape) {
    if (shape.length == 1) return t;
    long n = 1;
    for (long d : shape) n *= d;
    return f.ops.reshape(t, f.ops.constant(new long[] {-1, n}));
  }

  private static long[] batched(long[] shape) {
    long[] out = new long[shape.length + 1];
    out[0] = -1;
    System.arraycopy(shape, 0, out, 1, shape.length);
    return out;
  }
}
