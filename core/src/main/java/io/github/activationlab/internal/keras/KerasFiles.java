package io.github.activationlab.internal.keras;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes Keras 3 {@code .keras} files of Sequential and Functional models, with the
 * compile config and the optimizer's state, as the neutral {@link KerasModelFile} (which layers
 * exist and what their configs mean is the library's layer registry's business).
 *
 * <h2>The format (as Keras 3.15.1 writes it; measured)</h2>
 *
 * A zip archive of three entries, stored uncompressed, in this order:
 *
 * <ul>
 *   <li>{@code metadata.json}: {@code {"keras_version": "3.15.1", "date_saved":
 *       "2026-11-29@05:35:48"}} (not read by Keras when loading).
 *   <li>{@code config.json}: {@code {"module": "keras", "class_name": "Sequential", "config":
 *       {"name", "trainable", "dtype": <policy>, "layers": [...], "build_input_shape": [null, n]},
 *       "registered_name": null, "build_config": {"input_shape": [null, n]}, "compile_config":
 *       {...}}}. Each layer is {@code {"module": "keras.layers", "class_name", "config",
 *       "registered_name": null}} plus {@code "build_config": {"input_shape": [null, in]}} for
 *       layers with weights. The InputLayer's config is {@code {"batch_shape": [null, n], "dtype":
 *       "float32", "sparse": false, "ragged": false, "name": "input_layer", "optional": false}}
 *       (its dtype a plain string); every other layer's {@code dtype} is a policy {@code {"module":
 *       "keras", "class_name": "DTypePolicy", "config": {"name": "float64"}, "registered_name":
 *       null}}. Dense: {@code units, activation} (a function name: {@code "linear"} for none),
 *       {@code use_bias}, initializers, regularizers, constraints. {@code compile_config} is {@code
 *       {}} for an uncompiled model, else {@code {"optimizer": {"module": "keras.optimizers",
 *       "class_name": "Adam", "config": {"name", "learning_rate", ..., "beta_1", "beta_2",
 *       "epsilon", "amsgrad"}}, "loss": "mse", "loss_weights": null, "metrics": ["accuracy"] or
 *       null, "weighted_metrics": null, "run_eagerly": false, "steps_per_execution": 1,
 *       "jit_compile": false}}. The {@code module} keys are required; {@code build_config}s are not
 *       when an InputLayer comes first. A loss stored as an object (from_logits) is {@code
 *       {"module": "keras.losses", "class_name": "CategoricalCrossentropy", "config": {"name",
 *       "reduction", "from_logits": true, ...}}}.
 *       <p>A Functional model is {@code {"module": "keras.src.models.functional", "class_name":
 *       "Functional", "config": {"name", "trainable", "layers": [...], "input_layers": [["a", 0,
 *       0], ...], "output_layers": [["dense_1", 0, 0]]}, "registered_name": "Functional",
 *       "build_config": {"input_shape": null}, "compile_config": {...}}}; each layer also has
 *       {@code "name"} and {@code "inbound_nodes": [{"args": [tensor] or [[tensor, ...]], "kwargs":
 *       {...}}]}, a tensor being {@code {"class_name": "__keras_tensor__", "config": {"shape",
 *       "dtype", "keras_history": [layer, 0, 0]}}}; InputLayers have no inbound node. The layers
 *       come in Keras's {@code map_graph} order ({@link KerasGraph}).
 *   <li>{@code model.weights.h5}: see {@link WeightsH5} (groups per layer class in {@code
 *       model.layers} order, not per layer name; the optimizer's variables in Keras's order).
 * </ul>
 *
 * {@code keras.saving.load_model(path)} (compile=True) rebuilds the model from config.json,
 * compiles it from {@code compile_config}, builds the optimizer for the trainable weights, then
 * assigns the weights and the optimizer variables (iterations, learning_rate, m, v) from the h5; an
 * optimizer whose variable count does not match is skipped with a warning only.
 *
 * <p>The writer is a pure function of the model ({@link #write(KerasModelFile, OutputStream)});
 * {@link #writeTemporary} writes beside a target for the caller's atomic rename.
 */
public final class KerasFiles {
  private KerasFiles() {}

  /** The Keras release whose format this package writes (metadata.json by default). */
  public static final String KERAS_VERSION = "3.15.1";

  static final String CONFIG = "config.json";
  static final String METADATA = "metadata.json";
  static final String WEIGHTS = "model.weights.h5";
  private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  private static final long MAX_ENTRY_BYTES = 1L << 30;
  private static final Gson GSON =
      new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

  // ---------------------------------------------------------------------------------- reading

  /**
   * Reads a {@code .keras} file.
   *
   * @throws KerasFormatException with one message naming the file and what is wrong: not a zip, a
   *     Keras 2 HDF5 file, no config.json, neither Sequential nor Functional, a custom layer, a
   *     Functional graph with a cycle, a missing inbound layer or a shared layer, NaN or Inf
   *     weights, a missing weight dataset. An unknown layer class, loss or optimizer is not an
   *     error here (see {@link KerasCompile}).
   */
  public static KerasModelFile read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    }
  }

  /** Reads a {@code .keras} archive from a stream; {@code source} names it in messages. */
  public static KerasModelFile read(InputStream in, String source) throws IOException {
    byte[] head = in.readNBytes(HDF5_SIGNATURE.length);
    if (Arrays.equals(head, HDF5_SIGNATURE)) {
      throw new KerasFormatException(
          source
              + ": this is a Keras 2 HDF5 file; re-save it in"
              + " Keras 3 with model.save('model.keras')");
    }
    if (head.length < 4 || head[0] != 'P' || head[1] != 'K') {
      throw new KerasFormatException(
          source + ": not a Keras 3 .keras file (not a zip" + " archive)");
    }
    Map<String, byte[]> entries = new HashMap<>();
    try (ZipInputStream zip =
        new ZipInputStream(
            new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(head), in))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        if (e.isDirectory() || !Set.of(CONFIG, METADATA, WEIGHTS).contains(e.getName())) {
          continue; // assets/ and anything else: not ours
        }
        byte[] data = zip.readNBytes((int) MAX_ENTRY_BYTES + 1);
        if (data.length > MAX_ENTRY_BYTES) {
          throw new KerasFormatException(source + ": " + e.getName() + " is larger than 1 GiB");
        }
        entries.put(e.getName(), data);
      }
    } catch (KerasFormatException e) {
      throw e;
    } catch (ZipException | java.io.EOFException e) {
      throw new KerasFormatException(
          source + ": not a Keras 3 .keras file (broken zip: " + e.getMessage() + ")", e);
    }
    try {
      return parse(entries);
    } catch (KerasFormatException e) {
      throw new KerasFormatException(source + ": " + e.getMessage(), e.getCause());
    }
  }

  private static KerasModelFile parse(Map<String, byte[]> entries) throws KerasFormatException {
    byte[] config = entries.get(CONFIG);
    if (config == null) {
      throw new KerasFormatException("no " + CONFIG + " in the zip: not a Keras 3 .keras file");
    }
    JsonObject root = JsonValues.object(json(config, CONFIG), CONFIG);
    ConfigReader.Plan plan = ConfigReader.read(root);
    String version = null;
    if (entries.containsKey(METADATA)) {
      JsonElement meta = json(entries.get(METADATA), METADATA);
      if (meta.isJsonObject()) {
        version = JsonValues.string(meta.getAsJsonObject(), "keras_version", METADATA);
      }
    }
    byte[] h5 = entries.get(WEIGHTS);
    if (h5 == null) {
      throw new KerasFormatException(
          "no "
              + WEIGHTS
              + " in the zip (weights stored in another"
              + " format, such as model.weights.npz or sharded files, are not supported)");
    }
    WeightsH5.Result weights = WeightsH5.read(h5, plan);
    return new KerasModelFile(
        plan.className(),
        plan.name(),
        weights.layers(),
        plan.inputs(),
        plan.outputs(),
        plan.compile(),
        weights.optimizer(),
        version);
  }

  private static JsonElement json(byte[] bytes, String what) throws KerasFormatException {
    try {
      return JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
    } catch (JsonParseException e) {
      throw new KerasFormatException(what + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------------------------- writing

  /** Writes {@code model} as a {@code .keras} archive, dated now. See {@link #write}. */
  public static void write(KerasModelFile model, OutputStream out) throws IOException {
    write(model, out, Instant.now());
  }

  /**
   * Writes {@code model} as a {@code .keras} archive that {@code keras.saving.load_model} opens as
   * a compiled model with its weights, loss, optimizer and the optimizer's state. Does not close
   * {@code out}.
   *
   * @param savedAt metadata.json's {@code date_saved} and the entries' time (UTC)
   * @throws IllegalArgumentException when the model cannot be written as Keras stores it (the
   *     message names the layer): names, dtypes, NaN or Inf values, undefined inbound layers, a
   *     learning-rate variable that differs from the config's
   */
  public static void write(KerasModelFile model, OutputStream out, Instant savedAt)
      throws IOException {
    KerasValidation.validate(model);
    List<KerasLayer> layers = ordered(model);
    KerasModelFile ordered =
        new KerasModelFile(
            model.className(),
            model.name(),
            layers,
            model.inputs(),
            model.outputs(),
            model.compile(),
            model.optimizer(),
            model.kerasVersion());
    JsonObject config = ConfigWriter.write(ordered, layers, GSON);
    List<String> classes = new ArrayList<>();
    for (KerasLayer l : ordered.weightedLayers()) classes.add(l.className());
    String optimizerName = "adam";
    if (model.compile() != null
        && model.compile().optimizerConfig().get("name") instanceof String n) {
      optimizerName = n;
    }
    byte[] h5 = WeightsH5.write(ordered, KerasNames.layerPaths(classes), optimizerName);
    LocalDateTime time = LocalDateTime.ofInstant(savedAt, ZoneId.of("UTC"));
    JsonObject meta = new JsonObject();
    meta.addProperty(
        "keras_version", model.kerasVersion() != null ? model.kerasVersion() : KERAS_VERSION);
    meta.addProperty("date_saved", time.format(DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss")));

    ZipOutputStream zip = new ZipOutputStream(new NonClosing(out));
    stored(zip, METADATA, GSON.toJson(meta).getBytes(StandardCharsets.UTF_8), time);
    stored(zip, CONFIG, GSON.toJson(config).getBytes(StandardCharsets.UTF_8), time);
    stored(zip, WEIGHTS, h5, time);
    zip.close(); // finishes the archive; NonClosing keeps the caller's stream open
  }

  /**
   * The layers in Keras's {@code model.layers} order: a Sequential's as given (InputLayer first), a
   * Functional model's as Keras's {@code map_graph} orders them (which names the h5 groups).
   */
  static List<KerasLayer> ordered(KerasModelFile model) throws KerasFormatException {
    if (model.sequential()) return model.layers();
    Map<String, List<String>> inbound = new java.util.LinkedHashMap<>();
    Map<String, KerasLayer> byName = new HashMap<>();
    for (KerasLayer l : model.layers()) {
      inbound.put(l.name(), l.inbound());
      byName.put(l.name(), l);
    }
    List<KerasLayer> out = new ArrayList<>();
    for (String n : KerasGraph.order(inbound, model.inputs(), model.outputs()))
      out.add(byName.get(n));
    return out;
  }

  /**
   * Keras's {@code model.layers} order of a Functional graph ({@link KerasGraph}).
   *
   * @param inbound each layer's inbound layer names, by name, in any order (inputs: empty)
   */
  public static List<String> layerOrder(
      Map<String, List<String>> inbound, List<String> inputs, List<String> outputs) {
    try {
      return KerasGraph.order(inbound, inputs, outputs);
    } catch (KerasFormatException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** Keras's DTypePolicy object, as a layer config holds it. */
  public static Map<String, Object> dtypePolicy(String dtype) {
    Map<String, Object> c = new java.util.LinkedHashMap<>();
    c.put("name", dtype);
    Map<String, Object> o = new java.util.LinkedHashMap<>();
    o.put("module", "keras");
    o.put("class_name", "DTypePolicy");
    o.put("config", c);
    o.put("registered_name", null);
    return o;
  }

  /** {@link #write(KerasModelFile, OutputStream, Instant)} into a byte array. */
  public static byte[] toBytes(KerasModelFile model, Instant savedAt) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    write(model, b, savedAt);
    return b.toByteArray();
  }

  /**
   * Writes {@code model} to a new temporary file in {@code target}'s directory (named {@code
   * .<target name>.<random>.tmp}) and returns its path; the caller renames it onto {@code target}
   * (atomically) or deletes it. Nothing is left behind on failure.
   */
  public static Path writeTemporary(KerasModelFile model, Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      write(model, out);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    return tmp;
  }

  private static void stored(ZipOutputStream zip, String name, byte[] data, LocalDateTime time)
      throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED); // as Keras writes them
    e.setSize(data.length);
    e.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    e.setTimeLocal(time);
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }

  /** Lets ZipOutputStream finish the archive without closing the caller's stream. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
