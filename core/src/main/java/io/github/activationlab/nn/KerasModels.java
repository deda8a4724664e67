package io.github.activationlab.nn;

import io.github.activationlab.activation.Activation;
import io.github.activationlab.internal.keras.KerasAdamState;
import io.github.activationlab.internal.keras.KerasCompile;
import io.github.activationlab.internal.keras.KerasFiles;
import io.github.activationlab.internal.keras.KerasLayer;
import io.github.activationlab.internal.keras.KerasModelFile;
import io.github.activationlab.internal.keras.KerasWeight;
import io.github.activationlab.tf.DTypes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * A {@link Sequential} as a Keras 3 {@code .keras} file and back ({@link KerasFiles} does the
 * format): the architecture, the weights, the compile config (loss, Adam's hyperparameters) and
 * Adam's state (iterations, m, v), so that training continues where it stopped.
 *
 * <p>Java to Keras: Dense layers keep their activation by name when its parameters are Keras's
 * defaults; otherwise the Dense is written linear and followed by the activation layer that stores
 * the parameters ({@code LeakyReLU(0.01)}, ...). Keras to Java: Dense, PReLU and the activation
 * layers; a loss or optimizer Java lacks still loads, for prediction only.
 */
final class KerasModels {
  private KerasModels() {}

  /** The model as a {@code .keras} file's contents. */
  public static KerasModelFile toKeras(Sequential model) {
    String dtype = DTypes.name(model.dtype());
    List<double[]> weights = model.getWeights();
    List<KerasLayer> layers = new ArrayList<>();
    Architecture arch = model.architecture();
    int at = 0;
    int d = arch.inputDim();
    for (int i = 0; i < arch.layers().size(); i++) {
      Layer l = arch.layers().get(i);
      String name = arch.layerNames().get(i);
      if (l instanceof Dense dense) {
        KerasFunctions.Keras act = KerasFunctions.toKeras(dense.activation());
        KerasWeight kernel =
            new KerasWeight("kernel", new long[] {d, dense.units()}, weights.get(at++));
        KerasWeight bias =
            dense.useBias()
                ? new KerasWeight("bias", new long[] {dense.units()}, weights.get(at++))
                : null;
        boolean split = !act.params().isEmpty();
        layers.add(KerasLayer.dense(name, dtype, split ? "linear" : act.name(), kernel, bias));
        if (split) {
          layers.add(KerasLayer.activation(name + "_activation", dtype, act.name(), act.params()));
        }
      } else if (l instanceof PRelu) {
        layers.add(KerasLayer.prelu(name, dtype, weights.get(at++)));
      } else if (l instanceof ActivationLayer a) {
        KerasFunctions.Keras act = KerasFunctions.toKeras(a.activation());
        layers.add(KerasLayer.activation(name, dtype, act.name(), act.params()));
      }
      d = l.units(d);
    }
    Adam adam = model.optimizer();
    Map<String, Object> config = adam.config();
    config.put("amsgrad", false);
    KerasCompile compile = new KerasCompile(model.loss().kerasName, "Adam", config, List.of());
    Adam.Values s = model.optimizerState();
    KerasAdamState state = new KerasAdamState(s.iterations(), adam.learningRate(), s.m(), s.v());
    return new KerasModelFile(model.name(), arch.inputDim(), dtype, layers, compile, state, null);
  }

  /** Writes the model to a temporary file beside {@code target}; the caller moves it in place. */
  public static Path writeTemporary(Sequential model, Path target) throws IOException {
    return KerasFiles.writeTemporary(toKeras(model), target);
  }

  /**
   * A compiled model from a {@code .keras} file: weights and, when the file has it, Adam's state.
   * With a loss or optimizer Java lacks, the model predicts but refuses {@code fit}.
   */
  public static Sequential load(Path file) throws IOException {
    return fromKeras(KerasFiles.read(file), file.toString());
  }

  static Sequential fromKeras(KerasModelFile f, String source) {
    Class<? extends TFloating> dtype = null;
    List<Layer> layers = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<double[]> weights = new ArrayList<>();
    for (KerasLayer k : f.layers()) {
      Class<? extends TFloating> t =
          switch (k.dtype()) {
            case "float32" -> TFloat32.class;
            case "float64" -> TFloat64.class;
            default ->
                throw new IllegalArgumentException(
                    source
                        + ": layer '"
                        + k.name()
                        + "' has dtype "
                        + k.dtype()
                        + "; only float32 and float64 are supported");
          };
      if (dtype != null && dtype != t) {
        throw new IllegalArgumentException(
            source
                + ": layers of mixed dtypes ("
                + k.name()
                + " is "
                + k.dtype()
                + "); only one dtype per model is supported");
      }
      dtype = t;
      Layer layer =
          switch (k.className()) {
            case KerasLayer.DENSE -> new Dense(k.units(), activation(k, source), k.useBias());
            case KerasLayer.PRELU -> new PRelu(0);
            case KerasLayer.ACTIVATION -> new ActivationLayer(activation(k, source));
            default ->
                throw new IllegalArgumentException(
                    source + ": layer '" + k.name() + "' (" + k.className() + ") is not supported");
          };
      layers.add(layer);
      names.add(k.name());
      for (KerasWeight w : k.weights()) weights.add(w.values());
    }
    if (layers.isEmpty()) throw new IllegalArgumentException(source + ": the model has no layers");
    Sequential model =
        Sequential.of(f.name(), new Architecture(f.inputDim(), layers, names)).dtype(dtype);
    String why = trainable(f.compile());
    KerasCompile c = f.compile();
    Loss loss = why == null ? Loss.of(kerasLoss(c.loss())) : Loss.MSE;
    Adam adam =
        why == null
            ? new Adam(
                learningRate(f),
                c.optimizerNumber("beta_1", 0.9),
                c.optimizerNumber("beta_2", 0.999),
                c.optimizerNumber("epsilon", 1e-7))
            : Adam.defaults();
    model.compile(loss, adam, 0);
    try {
      model.setWeights(weights);
      if (why == null && f.adam() != null) {
        model.setOptimizerState(new Adam.Values(f.adam().iterations(), f.adam().m(), f.adam().v()));
      }
      model.notTrainable(why == null ? null : source + ": " + why);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    return model;
  }

  private static Activation activation(KerasLayer k, String source) {
    try {
      return KerasFunctions.fromKeras(k.activation(), k.activationParams());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          source + ": layer '" + k.name() + "': " + e.getMessage(), e);
    }
  }

  /**
   * The learning rate: Keras loads it from the optimizer's state (a float32), which overrides the
   * config's. The config's value is kept when it is the same float32 (Java writes it in full
   * precision), so a Java model round-trips exactly.
   */
  private static double learningRate(KerasModelFile f) {
    double config = f.compile().optimizerNumber("learning_rate", 0.001);
    if (f.adam() == null) return config;
    double state = f.adam().learningRate();
    return (float) config == (float) state ? config : state;
  }

  /** Why the file's compile config cannot be trained in Java, or null when it can. */
  private static String trainable(KerasCompile c) {
    if (c == null) return "the model was saved uncompiled (no loss, no optimizer)";
    if (!"Adam".equals(c.optimizer())) {
      return "optimizer " + c.optimizer() + " is not supported (only Adam)";
    }
    if (Boolean.TRUE.equals(c.optimizerConfig().get("amsgrad"))) {
      return "Adam with amsgrad is not supported";
    }
    if (kerasLoss(c.loss()) == null) {
      return "loss " + c.loss() + " is not supported (mse, binary_crossentropy)";
    }
    return null;
  }

  /** The Java loss name for Keras's spellings of it, or null. */
  private static String kerasLoss(String loss) {
    if (loss == null) return null;
    return switch (loss) {
      case "mse", "mean_squared_error", "MeanSquaredError" -> "mse";
      case "binary_crossentropy", "BinaryCrossentropy" -> "binary_crossentropy";
      default -> null;
    };
  }
}
