package io.github.activationlab.internal.keras;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Test support: the fixtures of src/test/resources/keras-files (written by Keras 3.15 with
 * scripts/make_keras_fixtures.py) and their expected.json, zips and h5 files built by hand.
 */
public final class KerasTestFiles {
  private KerasTestFiles() {}

  static final Gson GSON = new GsonBuilder().serializeNulls().setPrettyPrinting().create();

  /** The readable fixtures (each with an expected.json); KerasModelsTest reads them too. */
  public static final List<String> READABLE =
      List.of(
          "xor_mlp",
          "bce",
          "prelu_tanh",
          "float64_input",
          "float64",
          "activation_layers",
          "uncompiled",
          "functional_skip",
          "functional_skip_nodrop",
          "two_inputs",
          "merges",
          "preprocess",
          "sparse_logits",
          "categorical_logits",
          "sparse_probabilities",
          "sgd_momentum");

  static Path fixture(String fileName) {
    try {
      var url = KerasTestFiles.class.getResource("/keras-files/" + fileName);
      if (url == null) {
        throw new IllegalArgumentException("no fixture " + fileName);
      }
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonObject expectedJson(String name) throws IOException {
    return JsonParser.parseString(Files.readString(fixture(name + ".expected.json")))
        .getAsJsonObject();
  }

  static double[][] matrix(JsonElement e) {
    return GSON.fromJson(e, double[][].class);
  }

  // ------------------------------------------------------------------------- zips and h5 files

  /** The entries of a zip, in order. */
  static Map<String, byte[]> entries(Path zip) throws IOException {
    try (InputStream in = Files.newInputStream(zip)) {
      return entries(in);
    }
  }

  static Map<String, byte[]> entries(byte[] zip) throws IOException {
    return entries(new ByteArrayInputStream(zip));
  }

  private static Map<String, byte[]> entries(InputStream in) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipInputStream z = new ZipInputStream(in)) {
      for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
        out.put(e.getName(), z.readAllBytes());
      }
    }
    return out;
  }

  static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(b)) {
      for (var e : entries.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return b.toByteArray();
  }

  /** A fixture with one entry replaced (or removed when {@code data} is null). */
  static byte[] replaced(String fixture, String entry, byte[] data) throws IOException {
    Map<String, byte[]> e = entries(fixture(fixture));
    if (data == null) {
      e.remove(entry);
    } else {
      e.put(entry, data);
    }
    return zip(e);
  }

  static JsonObject config(String fixture) throws IOException {
    return JsonParser.parseString(
            new String(entries(fixture(fixture)).get("config.json"), StandardCharsets.UTF_8))
        .getAsJsonObject();
  }

  static byte[] json(JsonElement e) {
    return e.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** An HDF5 file built with jhdf. */
  static byte[] h5(Path dir, Consumer<WritableHdfFile> content) {
    try {
      Path p = Files.createTempFile(dir, "w", ".h5");
      try (WritableHdfFile f = HdfFile.write(p)) {
        content.accept(f);
      }
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Paths of all groups and datasets below {@code g}, groups ending with '/'. */
  static List<String> tree(Group g) {
    List<String> out = new ArrayList<>();
    for (Node n : g.getChildren().values()) {
      String p = n.getPath().replaceFirst("^/", "");
      if (n instanceof Group child) {
        out.add(p + (p.endsWith("/") ? "" : "/"));
        out.addAll(tree(child));
      } else {
        out.add(p);
      }
    }
    return out;
  }

  static KerasModelFile read(byte[] zip, String source) throws IOException {
    return KerasFiles.read(new ByteArrayInputStream(zip), source);
  }
}
