package io.github.activationlab.tf;

import io.github.activationlab.activation.CompiledActivation;
import io.github.activationlab.nn.Adam;
import io.github.activationlab.nn.Dense;
import io.github.activationlab.nn.Fit;
import io.github.activationlab.nn.Loss;
import io.github.activationlab.nn.Sequential;
import io.github.activationlab.savedmodel.Predictor;
import java.nio.file.Path;

/**
 * An application that embeds the library, as a user writes one: fits the XOR MLP (XLA), serves a
 * Keras-exported SavedModel through {@link Predictor}, runs an activation through XLA, then prints
 * {@link NativeRuntime#status()} on one line. With {@code tf-first} it touches TF Java itself
 * before the library.
 *
 * <p>{@code java -cp <test classpath> EmbeddingProcess SAVED_MODEL [tf-first]}
 */
public final class EmbeddingProcess {
  public static void main(String[] args) throws Exception {
    if (args.length > 1 && args[1].equals("tf-first")) org.tensorflow.TensorFlow.version();
    double[][] x = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
    double[][] y = {{0}, {1}, {1}, {0}};
    try (Sequential m =
        Sequential.of(2, Dense.of(2, "sigmoid"), Dense.of(1, "sigmoid"))
            .compile(Loss.MSE, Adam.learningRate(0.01), 42)) {
      m.fit(x, y, Fit.epochs(50));
    }
    try (Predictor p = Predictor.load(Path.of(args[0]))) {
      p.predict(x);
    }
    try (CompiledActivation elu = CompiledActivation.of("elu")) {
      elu.apply(new float[] {-1, 0, 1});
    }
    System.err.println("stderr of the application itself");
    NativeRuntime.Status s = NativeRuntime.status();
    System.out.println(
        "applied="
            + s.applied()
            + " quiet="
            + s.quiet()
            + " env="
            + s.environment()
            + " notes="
            + s.notes()
            + " javacppMaxPhysicalBytes="
            + org.bytedeco.javacpp.Pointer.maxPhysicalBytes());
  }
}
