package io.github.activationlab.internal.keras;

import io.github.activationlab.internal.keras.ConfigReader.ExpectedWeight;
import io.github.activationlab.internal.keras.ConfigReader.LayerPlan;
import io.github.activationlab.internal.keras.ConfigReader.Plan;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import io.jhdf.exceptions.HdfException;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code model.weights.h5}, the HDF5 file inside a {@code .keras} archive, as Keras 3.15 lays it
 * out (h5py, no compression, no chunking):
 *
 * <pre>
 *   /layers/&lt;path&gt;/vars          attribute name = the layer's name (not read by Keras)
 *   /layers/&lt;path&gt;/vars/0, 1, ..  the layer's weights in get_weights() order, in the layer's
 *                                 dtype: Dense kernel [in, units] and bias [units]; PReLU alpha
 *   /optimizer/vars               attribute name = the optimizer's name ("adam")
 *   /optimizer/vars/0             iterations, int64 scalar
 *   /optimizer/vars/1             learning_rate, float32 scalar (loading assigns it: it wins
 *                                 over the compile config's learning_rate)
 *   /optimizer/vars/2, 3, ..      Adam: m, v of trainable weight 0, then m, v of weight 1, ...
 *                                 (interleaved), each in its weight's shape and dtype
 *   /vars                         attribute name = the model's name (empty; not needed)
 * </pre>
 *
 * {@code <path>} is {@link KerasNames#layerPaths}: by class, not by layer name. Keras also writes
 * an empty {@code vars} group for each layer without weights; loading does not need them (a missing
 * group reads as "no variables"), and this writer never writes an empty group (jhdf 0.9.4 writes
 * empty groups that h5py cannot open).
 *
 * <p>When Keras loads a compiled model it builds the optimizer for the model's trainable weights
 * and loads {@code optimizer/vars} only if the number of datasets equals the number of optimizer
 * variables (2 + 2 per trainable weight for Adam); otherwise it warns ("Skipping variable loading
 * for optimizer") and keeps a fresh state. A model compiled but saved before training has only
 * {@code 0} and {@code 1} there (read as no state).
 */
final class WeightsH5 {
  private WeightsH5() {}

  record Result(List<KerasLayer> layers, KerasAdamState adam) {}

  // ---------------------------------------------------------------------------------- reading

  static Result read(byte[] h5, Plan plan) throws KerasFormatException {
    if (h5.length < 8 || h5[0] != (byte) 0x89 || h5[1] != 'H' || h5[2] != 'D' || h5[3] != 'F') {
      throw new KerasFormatException("model.weights.h5 could not be read: not an HDF5 file");
    }
    try (HdfFile f = HdfFile.fromBytes(h5)) {
      List<KerasLayer> layers = new ArrayList<>();
      List<KerasWeight> trainable = new ArrayList<>();
      for (LayerPlan p : plan.layers()) {
        KerasLayer l = p.layer();
        List<KerasWeight> weights = readLayer(f, p);
        trainable.addAll(weights);
        layers.add(
            new KerasLayer(
                l.className(),
                l.name(),
                l.dtype(),
                l.units(),
                l.useBias(),
                l.activation(),
                l.activationParams(),
                weights));
      }
      KerasAdamState adam = readAdam(f, plan.compile(), trainable);
      return new Result(layers, adam);
    } catch (RuntimeException e) {
      // jhdf reports a corrupt file with any runtime exception (HdfException,
      // BufferUnderflowException, ...)
      throw new KerasFormatException(
          "model.weights.h5 could not be read: "
              + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()),
          e);
    }
  }

  private static List<KerasWeight> readLayer(HdfFile f, LayerPlan p) throws KerasFormatException {
    String varsPath = p.h5Path() + "/vars";
    Group vars = group(f, varsPath);
    List<ExpectedWeight> expected = p.weights();
    int found = vars == null ? 0 : vars.getChildren().size();
    if (expected.isEmpty()) {
      if (found > 0) {
        throw new KerasFormatException(
            p.where() + " has no weights, but " + varsPath + " holds " + found + " datasets");
      }
      return List.of();
    }
    if (vars == null) {
      throw new KerasFormatException(
          p.where()
              + ": no weights in model.weights.h5 (expected "
              + varsPath
              + " with "
              + expected
              + ")");
    }
    List<KerasWeight> out = new ArrayList<>();
    for (int i = 0; i < expected.size(); i++) {
      ExpectedWeight e = expected.get(i);
      String path = varsPath + "/" + i;
      Node n = vars.getChild(String.valueOf(i));
      if (!(n instanceof Dataset ds)) {
        throw new KerasFormatException(
            p.where() + ": missing weight dataset " + path + " (" + e + ")");
      }
      long[] shape = shape(ds);
      if (!Arrays.equals(shape, e.shape())) {
        String what =
            p.kerasClass().equals("Dense")
                ? " for Dense(" + p.layer().units() + ") on " + e.shape()[0] + " inputs"
                : " for " + e.shape()[0] + " inputs";
        throw new KerasFormatException(
            p.where()
                + ": weight "
                + e.name()
                + " ("
                + path
                + ") has shape "
                + Arrays.toString(shape)
                + ", expected "
                + Arrays.toString(e.shape())
                + what);
      }
      double[] values = floats(ds, p.where() + ": weight " + e.name() + " (" + path + ")");
      finite(values, p.where() + ": weight " + e.name() + " (" + path + ")");
      out.add(new KerasWeight(e.name(), shape, values));
    }
    if (found > expected.size()) {
      throw new KerasFormatException(
          p.where()
              + ": "
              + varsPath
              + " holds "
              + found
              + " datasets, expected "
              + expected.size()
              + " ("
              + expected
              + ")");
    }
    return out;
  }

  /**
   * Adam's state when the compile config is plain Adam (amsgrad, use_ema and gradient accumulation
   * add variables: then null, like any other optimizer) and the file has one.
   */
  private static KerasAdamState readAdam(
      HdfFile f, KerasCompile compile, List<KerasWeight> trainable) throws KerasFormatException {
    if (!isPlainAdam(compile)) {
      return null;
    }
    Group vars = group(f, "optimizer/vars");
    if (vars == null || vars.getChildren().isEmpty()) {
      return null; // compiled but never trained: Keras starts a fresh Adam too
    }
    int n = trainable.size();
    int found = vars.getChildren().size();
    if (found == 2 && n > 0) {
      // compiled and saved before any training: Keras saved only iterations (0) and
      // learning_rate, and on loading warns and starts a fresh Adam
      return null;
    }
    if (found != 2 + 2 * n) {
      throw new KerasFormatException(
          "optimizer/vars holds "
              + found
              + " datasets; Adam over "
              + n
              + " trainable weights has "
              + (2 + 2 * n)
              + " (iterations, learning_rate, then m and v per weight)");
    }
    Dataset it = dataset(vars, 0, "optimizer/vars/0 (iterations)");
    if (!(it.getDataType() instanceof FixedPoint) || shape(it).length != 0) {
      throw new KerasFormatException(
          "optimizer/vars/0 (iterations) should be an integer" + " scalar");
    }
    long iterations = ((Number) it.getData()).longValue();
    Dataset lrSet = dataset(vars, 1, "optimizer/vars/1 (learning_rate)");
    double[] lr = floats(lrSet, "optimizer/vars/1 (learning_rate)");
    if (lr.length != 1 || shape(lrSet).length != 0) {
      throw new KerasFormatException("optimizer/vars/1 (learning_rate) should be a scalar");
    }
    finite(lr, "optimizer/vars/1 (learning_rate)");
    List<double[]> m = new ArrayList<>();
    List<double[]> v = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      KerasWeight w = trainable.get(i);
      for (int k = 0; k < 2; k++) {
        int index = 2 + 2 * i + k;
        String what =
            "optimizer/vars/"
                + index
                + " (Adam "
                + (k == 0 ? "m" : "v")
                + " of weight "
                + i
                + ", "
                + w.name()
                + " "
                + Arrays.toString(w.shape())
                + ")";
        Dataset ds = dataset(vars, index, what);
        if (!Arrays.equals(shape(ds), w.shape())) {
          throw new KerasFormatException(what + " has shape " + Arrays.toString(shape(ds)));
        }
        double[] values = floats(ds, what);
        finite(values, what);
        (k == 0 ? m : v).add(values);
      }
    }
    if (iterations < 0) {
      throw new KerasFormatException("optimizer/vars/0: iterations = " + iterations);
    }
    return new KerasAdamState(iterations, lr[0], m, v);
  }

  static boolean isPlainAdam(KerasCompile c) {
    if (c == null || !c.optimizer().equalsIgnoreCase("adam")) {
      return false;
    }
    Map<String, Object> cfg = c.optimizerConfig();
    return !Boolean.TRUE.equals(cfg.get("amsgrad"))
        && !Boolean.TRUE.equals(cfg.get("use_ema"))
        && (cfg.get("gradient_accumulation_steps") == null
            || ((Number) cfg.get("gradient_accumulation_steps")).longValue() <= 1);
  }

  private static Group group(Group root, String path) {
    Group g = root;
    for (String part : path.split("/")) {
      Node n = g.getChildren().get(part);
      if (!(n instanceof Group child) || n.isLink()) {
        return null;
      }
      g = child;
    }
    return g;
  }

  private static Dataset dataset(Group vars, int index, String what) throws KerasFormatException {
    Node n = vars.getChild(String.valueOf(index));
    if (!(n instanceof Dataset ds)) {
      throw new KerasFormatException("missing dataset " + what);
    }
    return ds;
  }

  private static long[] shape(Dataset ds) {
    return Arrays.stream(ds.getDimensions()).asLongStream().toArray();
  }

  private static double[] floats(Dataset ds, String what) throws KerasFormatException {
    if (!(ds.getDataType() instanceof FloatingPoint)) {
      throw new KerasFormatException(
          what + " is not floating point (" + ds.getDataType().getClass().getSimpleName() + ")");
    }
    Object data = ds.isScalar() ? ds.getData() : ds.getDataFlat();
    if (data instanceof float[] fs) {
      double[] out = new double[fs.length];
      for (int i = 0; i < fs.length; i++) {
        out[i] = fs[i];
      }
      return out;
    }
    if (data instanceof double[] ds2) {
      return ds2.clone();
    }
    if (data instanceof Number x) {
      return new double[] {x.doubleValue()};
    }
    throw new KerasFormatException(what + ": unexpected data " + data.getClass().getSimpleName());
  }

  private static void finite(double[] values, String what) throws KerasFormatException {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new KerasFormatException(
            what + " holds " + values[i] + " at index " + i + " (row-major)");
      }
    }
  }

  // ---------------------------------------------------------------------------------- writing

  /**
   * The HDF5 bytes for {@code model} (already validated): one group per layer with weights, the
   * optimizer group when {@code model.adam()} is set, nothing empty.
   *
   * @param paths the h5 group of each layer ({@link KerasNames#layerPaths})
   * @param optimizerName the {@code name} attribute of {@code optimizer/vars}
   */
  static byte[] write(KerasModelFile model, List<String> paths, String optimizerName)
      throws IOException {
    // jhdf writes to a file only; a private temporary file, deleted here
    Path tmp = Files.createTempFile("keras-weights-", ".h5");
    try {
      try (WritableHdfFile f = HdfFile.write(tmp)) {
        WritableGroup layersGroup = null;
        for (int i = 0; i < model.layers().size(); i++) {
          KerasLayer layer = model.layers().get(i);
          if (layer.weights().isEmpty()) {
            continue;
          }
          if (layersGroup == null) {
            layersGroup = f.putGroup("layers");
          }
          String leaf = paths.get(i).substring("layers/".length());
          WritableGroup vars = layersGroup.putGroup(leaf).putGroup("vars");
          vars.putAttribute("name", layer.name());
          boolean f64 = "float64".equals(layer.dtype());
          for (int k = 0; k < layer.weights().size(); k++) {
            KerasWeight w = layer.weights().get(k);
            vars.putDataset(String.valueOf(k), array(w.shape(), w.values(), f64));
          }
        }
        KerasAdamState adam = model.adam();
        if (adam != null) {
          WritableGroup vars = f.putGroup("optimizer").putGroup("vars");
          vars.putAttribute("name", optimizerName);
          vars.putDataset("0", adam.iterations());
          vars.putDataset("1", (float) adam.learningRate());
          int index = 2;
          int w = 0;
          for (KerasLayer layer : model.layers()) {
            boolean f64 = "float64".equals(layer.dtype());
            for (KerasWeight weight : layer.weights()) {
              vars.putDataset(String.valueOf(index++), array(weight.shape(), adam.m(w), f64));
              vars.putDataset(String.valueOf(index++), array(weight.shape(), adam.v(w), f64));
              w++;
            }
          }
        }
      }
      return Files.readAllBytes(tmp);
    } catch (HdfException e) {
      throw new IOException("writing model.weights.h5 failed: " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A Java array of {@code shape} (float[]..., or double[]... for float64) from flat values. */
  static Object array(long[] shape, double[] flat, boolean f64) {
    int[] dims = Arrays.stream(shape).mapToInt(Math::toIntExact).toArray();
    Object out = Array.newInstance(f64 ? double.class : float.class, dims);
    fill(out, dims, 0, flat, new int[] {0}, f64);
    return out;
  }

  private static void fill(Object a, int[] dims, int d, double[] flat, int[] pos, boolean f64) {
    if (d == dims.length - 1) {
      for (int i = 0; i < dims[d]; i++) {
        if (f64) {
          ((double[]) a)[i] = flat[pos[0]++];
        } else {
          ((float[]) a)[i] = (float) flat[pos[0]++];
        }
      }
      return;
    }
    for (int i = 0; i < dims[d]; i++) {
      fill(Array.get(a, i), dims, d + 1, flat, pos, f64);
    }
  }
}
