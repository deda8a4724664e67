package io.github.activationlab.savedmodel;

import io.github.activationlab.activation.Activation;
import io.github.activationlab.activation.ActivationGraph;
import io.github.activationlab.activation.RowWise;
import io.github.activationlab.tf.NativeRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The {@code activations} SavedModel of DESIGN.md: one signature per activation, named by its
 * Keras-style name, written to {@code <out>/activations/1/}.
 *
 * <ul>
 *   <li>Element-wise: input {@code x} (float32, {@code [-1]}), outputs {@code y} and {@code dydx} =
 *       dy/dx by TF autodiff (0 for binary step, which has no TF gradient).
 *   <li>Row-wise (softmax, log_softmax, sparsemax, glu): inputs {@code x} (float32, {@code [-1,
 *       k]}) and {@code g} (the upstream gradient, shaped like y: {@code [-1, k]}, glu {@code [-1,
 *       k/2]}), outputs {@code y} and {@code vjp} = the gradient of sum(y * g) with respect to x,
 *       by TF autodiff ({@code tf.gradients} with upstream g), shaped like x.
 * </ul>
 */
public final class ActivationsExport {
  private ActivationsExport() {}

  /** The model's name, and its directory's under {@code models/}: {@code activations}. */
  public static final String NAME = "activations";

  /**
   * Exports {@code activations} to {@code modelDir/1}, float32, with the parameters each instance
   * carries. Loads TensorFlow first.
   *
   * <pre>{@code
   * ActivationsExport.export(Path.of("models", ActivationsExport.NAME), Activations.all(), true);
   * }</pre>
   *
   * @param modelDir the model directory, e.g. {@code models/activations}
   * @param activations the activations, one signature each (their names must differ)
   * @param force whether to replace an existing export
   * @return the version directory, {@code modelDir/1}
   * @throws java.nio.file.FileAlreadyExistsException if {@code modelDir} exists and {@code force}
   *     is false
   * @throws IOException if writing fails (the target is left as it was)
   */
  public static Path export(Path modelDir, Collection<Activation> activations, boolean force)
      throws IOException {
    NativeRuntime.load();
    ExportDirectory.write(
        modelDir,
        force,
        dir -> {
          try (Graph g = new Graph();
              Session session = new Session(g)) {
            Ops tf = Ops.create(g);
            List<Signature> signatures = new ArrayList<>();
            for (Activation a : activations) {
              var ends = ActivationGraph.build(tf, a, TFloat32.class, a.name());
              var b = Signature.builder(a.name()).input("x", ends.x()).output("y", ends.y());
              Ops s = tf.withSubScope(a.name());
              if (a instanceof RowWise) {
                // the VJP for the upstream gradient g: ActivationGraph's autodiff of y against dy
                if (ends.autodiff() == null) {
                  throw new IllegalStateException(a.name() + ": TF has no gradient for it");
                }
                b.input("g", ends.dy());
                b.output("vjp", s.withName("autodiff_vjp").identity(ends.autodiff()));
              } else {
                // dy/dx of an element-wise activation: the gradient of sum(y), i.e. upstream ones
                Operand<TFloat32> ones = s.fill(s.shape(ends.y()), s.constant(1f));
                Operand<TFloat32> dydx = ActivationGraph.autodiff(s, ends.y(), ends.x(), ones);
                var d = dydx != null ? dydx : s.zerosLike(ends.x());
                b.output("dydx", s.withName("dydx").identity(d));
              }
              signatures.add(b.build());
            }
            SavedModelBundle.exporter(dir.resolve("1").toString())
                .withSession(session)
                .withSignatures(signatures.toArray(new Signature[0]))
                .export();
          }
          SavedModelBytes.canonical(dir.resolve("1"));
        });
    return modelDir.resolve("1");
  }
}
