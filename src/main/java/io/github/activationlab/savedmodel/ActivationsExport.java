package io.github.activationlab.savedmodel;

import io.github.activationlab.activation.Activation;
import io.github.activationlab.activation.ActivationGraph;
import io.github.activationlab.activation.RowWise;
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
 * Keras-style name, input {@code x} (float32, {@code [-1]}; row-wise ones {@code [-1, k]}),
 * output {@code y} and, for element-wise activations, {@code dydx} = dy/dx by TF autodiff (0 for
 * binary step, which has no TF gradient). Written to {@code <out>/activations/1/}.
 */
public final class ActivationsExport {
  private ActivationsExport() {}

  public static final String NAME = "activations";

  /** Exports {@code activations} to {@code modelDir/1}; returns the version directory. */
  public static Path export(Path modelDir, Collection<Activation> activations, boolean force)
      throws IOException {
    ExportDirectory.write(modelDir, force, dir -> {
      try (Graph g = new Graph(); Session session = new Session(g)) {
        Ops tf = Ops.create(g);
        List<Signature> signatures = new ArrayList<>();
        for (Activation a : activations) {
          var ends = ActivationGraph.build(tf, a, TFloat32.class, a.name());
          var b = Signature.builder(a.name()).input("x", ends.x()).output("y", ends.y());
          if (!(a instanceof RowWise)) {
            Ops s = tf.withSubScope(a.name());
            // dy/dx of an element-wise activation: the gradient of sum(y), i.e. upstream ones
            Operand<TFloat32> ones = s.fill(s.shape(ends.y()), s.constant(1f));
            Operand<TFloat32> dydx = ActivationGraph.autodiff(s, ends.y(), ends.x(), ones);
            b.output("dydx", s.withName("dydx").identity(dydx != null ? dydx : s.zerosLike(ends.x())));
          }
          signatures.add(b.build());
        }
        SavedModelBundle.exporter(dir.resolve("1").toString())
            .withSession(session)
            .withSignatures(signatures.toArray(new Signature[0]))
            .export();
      }
    });
    return modelDir.resolve("1");
  }
}
