package io.github.activationlab.savedmodel;

import com.google.gson.GsonBuilder;
import io.github.activationlab.internal.tf.Arrays2;
import io.github.activationlab.nn.Architecture;
import io.github.activationlab.nn.Sequential;
import io.github.activationlab.tf.FloatOps;
import io.github.activationlab.tf.NativeRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * Exports a trained model as DESIGN.md lays it out: {@code <dir>/1/} a SavedModel holding the
 * inference graph only (tag {@code serve}, signature {@code serving_default}, input {@code x}
 * float32 {@code [-1, n_in]}, output {@code y} float32 {@code [-1, n_out]}; the weights are
 * variables restored from {@code variables/}), and {@code <dir>/run.json} beside it. Written
 * atomically, race- and crash-safe ({@link ExportDirectory}: {@code <dir>} is a link to a hidden
 * complete version).
 *
 * <pre>{@code
 * List<double[]> initial = model.getWeights();
 * History h = model.fit(x, y, fit);
 * var run = new RunRecord("xor-mlp", model, fit, x, y, initial, model.getWeights(), h, x,
 *     model.predict(x));
 * Path version = ModelExport.export(model, run, Path.of("models/xor-mlp"), false); // .../1
 * try (Predictor p = Predictor.load(version)) { ... }
 * }</pre>
 */
public final class ModelExport {
  private ModelExport() {}

  /**
   * Exports {@code model} (its current weights) and {@code run} to {@code dir}. The model computes
   * in its own dtype inside the SavedModel; the signature is float32 either way, cast at both ends.
   *
   * @param model a compiled model
   * @param run what {@code run.json} records
   * @param dir the model directory, e.g. {@code models/xor-mlp}
   * @param force whether to replace an existing export
   * @return the SavedModel directory, {@code dir/1}
   * @throws java.nio.file.FileAlreadyExistsException if {@code dir} exists and {@code force} is
   *     false
   * @throws IOException if writing fails (the target is left as it was)
   */
  public static Path export(Sequential model, RunRecord run, Path dir, boolean force)
      throws IOException {
    List<double[]> weights = model.getWeights();
    List<long[]> shapes = model.weightShapes();
    ExportDirectory.write(
        dir,
        force,
        tmp -> {
          writeSavedModel(model, weights, shapes, tmp.resolve("1"));
          Files.writeString(
              tmp.resolve("run.json"),
              new GsonBuilder().serializeSpecialFloatingPointValues().create().toJson(run.toJson())
                  + "\n");
        });
    return dir.resolve("1");
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void writeSavedModel(
      Sequential model, List<double[]> weights, List<long[]> shapes, Path versionDir)
      throws IOException {
    Class<TFloating> dtype = (Class) model.dtype();
    NativeRuntime.load();
    try (Graph g = new Graph();
        Session session = new Session(g)) {
      Ops tf = Ops.create(g);
      FloatOps f = new FloatOps(tf, dtype);
      Placeholder<TFloat32> x =
          tf.withName("x")
              .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, model.inputDim())));
      Operand<TFloating> h = tf.dtypes.cast(x, dtype);
      List<Variable<TFloating>> vars = new ArrayList<>();
      for (Architecture.Weight w : model.architecture().weights()) {
        vars.add(
            tf.withSubScope(w.layerName()).withName(w.name()).variable(Shape.of(w.shape()), dtype));
      }
      h = model.architecture().forward(f, h, vars, null).output();
      Operand<TFloat32> y = tf.withName("y").dtypes.cast(h, TFloat32.class);
      // set the variables' values, then save them with the graph
      List<Tensor> tensors = new ArrayList<>();
      try {
        Session.Runner r = session.runner();
        for (int i = 0; i < vars.size(); i++) {
          Tensor t = Arrays2.tensor(dtype, Shape.of(shapes.get(i)), weights.get(i));
          tensors.add(t);
          Placeholder<TFloating> feed =
              tf.placeholder(dtype, Placeholder.shape(Shape.of(shapes.get(i))));
          r.feed(feed, t).addTarget(tf.assign(vars.get(i), feed));
        }
        r.run();
      } finally {
        tensors.forEach(Tensor::close);
      }
      SavedModelBundle.exporter(versionDir.toString())
          .withSession(session)
          .withSignature(
              Signature.builder(Signature.DEFAULT_KEY).input("x", x).output("y", y).build())
          .export();
    }
    SavedModelBytes.canonical(versionDir);
  }
}
