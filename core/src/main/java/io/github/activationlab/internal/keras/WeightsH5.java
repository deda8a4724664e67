package io.github.activationlab.internal.keras;

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

/**
 * {@code model.weights.h5}, the HDF5 file inside a {@code .keras} archive, as Keras 3.15 lays it
 * out (h5py, no compression, no chunking):
 *
 * <pre>
 *   /layers/&lt;path&gt;/vars          attribute name = the layer's name (not read by Keras)
 *   /layers/&lt;path&gt;/vars/0, 1, ..  the layer's weights in get_weights() order, in the layer's
 *                                 dtype (a Normalization's count: int64)
 *   /optimizer/vars               attribute name = the optimizer's name ("adam")
 *   /optimizer/vars/0             iterations, int64 scalar
 *   /optimizer/vars/1             learning_rate, float32 scalar (loading assigns it: it wins
 *                                 over the compile config's learning_rate)
 *   /optimizer/vars/2, 3, ..      the optimizer's variables in Keras's order (Adam: m, v of
 *                                 trainable weight 0, then m, v of weight 1, ...)
 *   /vars                         attribute name = the model's name (empty; not needed)
 * </pre>
 *
 * {@code <path>} is {@link KerasNames#layerPaths}: by class, not by layer name, in Keras's {@code
 * model.layers} order. Keras also writes an empty {@code vars} group for each layer without
 * weights; loading does not need them (a missing group reads as "no variables"), and this writer
 * never writes an empty group (jhdf 0.9.4 writes empty groups that h5py cannot open).
 *
 * <p>This class reads whatever datasets a layer's group holds; whether they are the weights the
 * layer needs, and whether the optimizer's variables fit the optimizer, the library's layer
 * registry and optimizers decide. A model compiled but saved before training has only {@code 0} and
 * {@code 1} under {@code optimizer/vars} (read as no variables: a fresh optimizer).
 */
final class WeightsH5 {
  private WeightsH5() {}

  record Result(List<KerasLayer> layers, KerasOptimizerState optimizer) {}

  // ---------------------------------------------------------------------------------- reading

  static Result read(byte[] h5, ConfigReader.Plan plan) throws KerasFormatException {
    if (h5.length < 8 || h5[0] != (byte) 0x89 || h5[1] != 'H' || h5[2] != 'D' || h5[3] != 'F') {
      throw new KerasFormatException("model.weights.h5 could not be read: not an HDF5 file");
    }
    try (HdfFile f = HdfFile.fromBytes(h5)) {
      List<KerasLayer> layers = new ArrayList<>();
      for (int i = 0; i < plan.layers().size(); i++) {
        KerasLayer l = plan.layers().get(i);
        String path = plan.paths().get(i);
        layers.add(path == null ? l : l.withWeights(readVars(f, path + "/vars", where(l))));
      }
      KerasOptimizerState optimizer = plan.compile() == null ? null : readOptimizer(f);
      return new Result(layers, optimizer);
    } catch (RuntimeException e) {
      // jhdf reports a corrupt file with any runtime exception (HdfException,
      // BufferUnderflowException, ...)
      throw new KerasFormatException(
          "model.weights.h5 could not be read: "
              + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()),
          e);
    }
  }

  private static String where(KerasLayer l) {
    return "layer '" + l.name() + "' (" + l.className() + ")";
  }

  /** The datasets 0, 1, ... of a vars group (none when the group is absent). */
  private static List<KerasWeight> readVars(HdfFile f, String varsPath, String where)
      throws KerasFormatException {
    Group vars = group(f, varsPath);
    if (vars == null) return List.of();
    int n = vars.getChildren().size();
    List<KerasWeight> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String what = where + ": " + varsPath + "/" + i;
      Node node = vars.getChild(String.valueOf(i));
      if (!(node instanceof Dataset ds)) {
        throw new KerasFormatException(
            what
                + " is missing ("
                + varsPath
                + " holds "
                + n
                + " entries, not numbered 0.."
                + (n - 1)
                + ")");
      }
      out.add(weight(ds, String.valueOf(i), what));
    }
    return out;
  }

  private static KerasWeight weight(Dataset ds, String name, String what)
      throws KerasFormatException {
    long[] shape = shape(ds);
    if (ds.getDataType() instanceof FixedPoint) {
      return new KerasWeight(name, shape, integers(ds, what), "int64");
    }
    double[] values = floats(ds, what);
    finite(values, what);
    boolean f64 = ds.getDataType() instanceof FloatingPoint fp && fp.getSize() == 8;
    return new KerasWeight(name, shape, values, f64 ? "float64" : "float32");
  }

  /** The optimizer's variables, or null when the file has none. */
  private static KerasOptimizerState readOptimizer(HdfFile f) throws KerasFormatException {
    Group vars = group(f, "optimizer/vars");
    if (vars == null || vars.getChildren().isEmpty()) {
      return null; // compiled but never trained: Keras starts a fresh optimizer too
    }
    Dataset it = dataset(vars, 0, "optimizer/vars/0 (iterations)");
    if (!(it.getDataType() instanceof FixedPoint) || shape(it).length != 0) {
      throw new KerasFormatException("optimizer/vars/0 (iterations) should be an integer scalar");
    }
    long iterations = ((Number) it.getData()).longValue();
    if (iterations < 0) {
      throw new KerasFormatException("optimizer/vars/0: iterations = " + iterations);
    }
    Dataset lrSet = dataset(vars, 1, "optimizer/vars/1 (learning_rate)");
    double[] lr = floats(lrSet, "optimizer/vars/1 (learning_rate)");
    if (lr.length != 1 || shape(lrSet).length != 0) {
      throw new KerasFormatException("optimizer/vars/1 (learning_rate) should be a scalar");
    }
    finite(lr, "optimizer/vars/1 (learning_rate)");
    List<KerasWeight> variables = new ArrayList<>();
    int n = vars.getChildren().size();
    for (int i = 2; i < n; i++) {
      String what = "optimizer/vars/" + i;
      variables.add(weight(dataset(vars, i, what), String.valueOf(i), what));
    }
    return new KerasOptimizerState(iterations, lr[0], variables);
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

  private static double[] integers(Dataset ds, String what) throws KerasFormatException {
    Object data = ds.isScalar() ? ds.getData() : ds.getDataFlat();
    if (data instanceof Number x) return new double[] {x.doubleValue()};
    if (data instanceof long[] ls) return java.util.Arrays.stream(ls).asDoubleStream().toArray();
    if (data instanceof int[] is) return java.util.Arrays.stream(is).asDoubleStream().toArray();
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
   * optimizer group when {@code model.optimizer()} is set, nothing empty.
   *
   * @param paths the h5 group of each of {@link KerasModelFile#weightedLayers()}
   * @param optimizerName the {@code name} attribute of {@code optimizer/vars}
   */
  static byte[] write(KerasModelFile model, List<String> paths, String optimizerName)
      throws IOException {
    // jhdf writes to a file only; a private temporary file, deleted here
    Path tmp = Files.createTempFile("keras-weights-", ".h5");
    try {
      try (WritableHdfFile f = HdfFile.write(tmp)) {
        WritableGroup layersGroup = null;
        List<KerasLayer> layers = model.weightedLayers();
        for (int i = 0; i < layers.size(); i++) {
          KerasLayer layer = layers.get(i);
          if (layer.weights().isEmpty()) {
            continue;
          }
          if (layersGroup == null) {
            layersGroup = f.putGroup("layers");
          }
          String leaf = paths.get(i).substring("layers/".length());
          WritableGroup vars = layersGroup.putGroup(leaf).putGroup("vars");
          vars.putAttribute("name", layer.name());
          for (int k = 0; k < layer.weights().size(); k++) {
            vars.putDataset(String.valueOf(k), data(layer.weights().get(k)));
          }
        }
        KerasOptimizerState opt = model.optimizer();
        if (opt != null) {
          WritableGroup vars = f.putGroup("optimizer").putGroup("vars");
          vars.putAttribute("name", optimizerName);
          vars.putDataset("0", opt.iterations());
          vars.putDataset("1", (float) opt.learningRate());
          int index = 2;
          for (KerasWeight w : opt.variables()) {
            vars.putDataset(String.valueOf(index++), data(w));
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

  /** A weight as jhdf writes it: a scalar or an array of its dtype. */
  private static Object data(KerasWeight w) {
    long[] shape = w.shape();
    double[] v = w.values();
    if (shape.length == 0) {
      return switch (w.dtype()) {
        case "int64" -> (long) v[0];
        case "float64" -> v[0];
        default -> (float) v[0];
      };
    }
    if (w.integer()) {
      if (shape.length != 1)
        throw new IllegalArgumentException("integer weights are scalars or vectors");
      long[] out = new long[v.length];
      for (int i = 0; i < v.length; i++) out[i] = (long) v[i];
      return out;
    }
    return array(shape, v, w.dtype().equals("float64"));
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
