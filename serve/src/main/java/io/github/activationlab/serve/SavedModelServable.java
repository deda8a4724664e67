package io.github.activationlab.serve;

import io.github.activationlab.tf.NativeRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * Any SavedModel, served through its session as TensorFlow Serving's TF1 runtime serves it: a
 * signature's inputs are fed by tensor name, its outputs fetched by tensor name, so every signature
 * works — several inputs and outputs, string inputs, ParseExample graphs, Keras's {@code
 * model.export()}, TensorFlow Serving's own test models. (Core's {@code savedmodel.Predictor}
 * serves one float input to one output as rows of doubles; the REST API needs any tensor, so this
 * class talks to the session itself.)
 *
 * <p>Refused at load, in one line: a graph that calls {@code XlaCallModule} (a JAX export, e.g.
 * Keras on JAX's {@code model.export()}: its StableHLO is newer than TensorFlow Java 1.1's XLA and
 * every call fails with "Cannot deserialize computation"; save the Keras model as {@code .keras}
 * and serve that instead).
 */
final class SavedModelServable implements Servable {
  private final Path dir;
  private final SavedModelBundle bundle;
  private final Map<String, SignatureDef> signatures;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed; // guarded by lock

  private SavedModelServable(Path dir, SavedModelBundle bundle) {
    this.dir = dir;
    this.bundle = bundle;
    this.signatures = bundle.metaGraphDef().getSignatureDefMap();
  }

  /**
   * Loads the SavedModel in {@code dir} with {@code tags}; a model this runtime cannot run fails.
   */
  static SavedModelServable load(Path dir, String... tags) {
    NativeRuntime.load();
    SavedModelBundle bundle;
    try {
      bundle = SavedModelBundle.loader(dir.toString()).withTags(tags).load();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot load SavedModel " + dir + ": " + firstLine(e.getMessage()));
    }
    try {
      String why = unsupported(bundle.metaGraphDef());
      if (why != null) throw new IllegalArgumentException(dir + ": " + why);
      if (bundle.metaGraphDef().getSignatureDefCount() == 0) {
        throw new IllegalArgumentException(dir + ": the SavedModel has no signatures");
      }
      return new SavedModelServable(dir, bundle);
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  static String firstLine(String s) {
    return s == null ? "" : s.strip().lines().findFirst().orElse("");
  }

  /** Why TensorFlow Java cannot run this graph, or null. */
  static String unsupported(MetaGraphDef meta) {
    GraphDef g = meta.getGraphDef();
    boolean xla = g.getNodeList().stream().map(NodeDef::getOp).anyMatch("XlaCallModule"::equals);
    for (FunctionDef f : g.getLibrary().getFunctionList()) {
      xla |= f.getNodeDefList().stream().map(NodeDef::getOp).anyMatch("XlaCallModule"::equals);
    }
    if (!xla) return null;
    return "this SavedModel calls XlaCallModule (a JAX export, e.g. jax2tf or Keras on JAX's"
        + " model.export()); TensorFlow Java "
        + NativeRuntime.TENSORFLOW_JAVA_VERSION
        + "'s XLA cannot deserialize its StableHLO module, so every call would fail; save the"
        + " Keras model as a .keras file and serve that instead";
  }

  @Override
  public Map<String, SignatureDef> signatures() {
    return signatures;
  }

  @Override
  public SortedMap<String, TensorValue> run(
      String signature, Map<String, TensorValue> inputs, List<String> outputs, long timeoutMillis) {
    SignatureDef sig = signatures.get(signature);
    List<Tensor> fed = new ArrayList<>(inputs.size());
    lock.readLock().lock();
    try {
      if (closed) throw new Servable.Closed();
      Session.Runner r = bundle.session().runner();
      if (timeoutMillis > 0) {
        r.setOptions(RunOptions.newBuilder().setTimeoutInMs(timeoutMillis).build());
      }
      for (var e : inputs.entrySet()) {
        TensorInfo info = sig.getInputsOrThrow(e.getKey());
        Tensor t = Tensors.of(e.getValue());
        fed.add(t);
        r.feed(info.getName(), t);
      }
      for (String alias : outputs) r.fetch(sig.getOutputsOrThrow(alias).getName());
      try (Result result = r.run()) {
        SortedMap<String, TensorValue> out = new TreeMap<>();
        for (int i = 0; i < outputs.size(); i++) {
          out.put(outputs.get(i), Tensors.value(result.get(i)));
        }
        return out;
      }
    } catch (ServeException | Servable.Closed e) {
      throw e;
    } catch (RuntimeException e) {
      if (!e.getClass().getName().startsWith("org.tensorflow.")) throw e;
      throw ServeException.fromTensorFlow(e);
    } finally {
      lock.readLock().unlock();
      fed.forEach(Tensor::close);
    }
  }

  @Override
  public String describe() {
    return dir + " (SavedModel, " + signatures.size() + " signatures)";
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) return;
      closed = true;
      bundle.close();
    } finally {
      lock.writeLock().unlock();
    }
  }
}
