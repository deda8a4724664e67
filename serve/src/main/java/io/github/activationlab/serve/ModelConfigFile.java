package io.github.activationlab.serve;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TensorFlow Serving's {@code --model_config_file}: a {@code ModelServerConfig} in protobuf's text
 * format, e.g.
 *
 * <pre>
 * model_config_list {
 *   config { name: "xor" base_path: "models/xor-mlp" model_platform: "tensorflow"
 *            model_version_policy { specific { versions: 1 versions: 2 } }
 *            version_labels { key: "stable" value: 1 } }
 * }
 * </pre>
 *
 * The schema is the part of TensorFlow Serving's {@code model_server_config.proto} that matters
 * here (field names and numbers as there), built as a descriptor at run time so that protobuf's own
 * text-format parser reads the file (fields this server has no use for, such as {@code
 * logging_config}, are accepted and ignored). Relative base paths are relative to the working
 * directory, as TensorFlow Serving takes them.
 */
final class ModelConfigFile {
  private ModelConfigFile() {}

  /**
   * One model to serve.
   *
   * @param name the model name in URLs
   * @param basePath the directory of numbered versions (or a .keras file)
   * @param policy which versions to serve
   * @param labels version labels
   */
  record ModelConfig(String name, Path basePath, VersionPolicy policy, Map<String, Long> labels) {}

  private static final Descriptors.Descriptor SERVER_CONFIG = schema();

  private static FieldDescriptorProto field(String name, int number, Type type, Label label) {
    return FieldDescriptorProto.newBuilder()
        .setName(name)
        .setNumber(number)
        .setType(type)
        .setLabel(label)
        .build();
  }

  private static FieldDescriptorProto message(String name, int number, String type, Label label) {
    return field(name, number, Type.TYPE_MESSAGE, label).toBuilder().setTypeName(type).build();
  }

  private static Descriptors.Descriptor schema() {
    Label opt = Label.LABEL_OPTIONAL;
    Label rep = Label.LABEL_REPEATED;
    DescriptorProto policy =
        DescriptorProto.newBuilder()
            .setName("ServableVersionPolicy")
            .addNestedType(
                DescriptorProto.newBuilder()
                    .setName("Latest")
                    .addField(field("num_versions", 1, Type.TYPE_UINT32, opt)))
            .addNestedType(DescriptorProto.newBuilder().setName("All"))
            .addNestedType(
                DescriptorProto.newBuilder()
                    .setName("Specific")
                    .addField(field("versions", 1, Type.TYPE_INT64, rep)))
            .addOneofDecl(OneofDescriptorProto.newBuilder().setName("policy_choice"))
            .addField(
                message("latest", 100, ".serve.ServableVersionPolicy.Latest", opt).toBuilder()
                    .setOneofIndex(0))
            .addField(
                message("all", 101, ".serve.ServableVersionPolicy.All", opt).toBuilder()
                    .setOneofIndex(0))
            .addField(
                message("specific", 102, ".serve.ServableVersionPolicy.Specific", opt).toBuilder()
                    .setOneofIndex(0))
            .build();
    DescriptorProto model =
        DescriptorProto.newBuilder()
            .setName("ModelConfig")
            .addNestedType(
                DescriptorProto.newBuilder()
                    .setName("VersionLabelsEntry")
                    .addField(field("key", 1, Type.TYPE_STRING, opt))
                    .addField(field("value", 2, Type.TYPE_INT64, opt))
                    .setOptions(MessageOptions.newBuilder().setMapEntry(true)))
            .addField(field("name", 1, Type.TYPE_STRING, opt))
            .addField(field("base_path", 2, Type.TYPE_STRING, opt))
            .addField(field("model_platform", 4, Type.TYPE_STRING, opt))
            .addField(message("model_version_policy", 7, ".serve.ServableVersionPolicy", opt))
            .addField(message("version_labels", 8, ".serve.ModelConfig.VersionLabelsEntry", rep))
            .build();
    DescriptorProto list =
        DescriptorProto.newBuilder()
            .setName("ModelConfigList")
            .addField(message("config", 1, ".serve.ModelConfig", rep))
            .build();
    DescriptorProto server =
        DescriptorProto.newBuilder()
            .setName("ModelServerConfig")
            .addField(message("model_config_list", 1, ".serve.ModelConfigList", opt))
            .build();
    FileDescriptorProto file =
        FileDescriptorProto.newBuilder()
            .setName("serve_config.proto")
            .setPackage("serve")
            .setSyntax("proto3")
            .addMessageType(policy)
            .addMessageType(model)
            .addMessageType(list)
            .addMessageType(server)
            .build();
    try {
      return Descriptors.FileDescriptor.buildFrom(file, new Descriptors.FileDescriptor[0])
          .findMessageTypeByName("ModelServerConfig");
    } catch (Descriptors.DescriptorValidationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads {@code file}; a syntax error or a model without name or base path is one line. */
  static List<ModelConfig> read(Path file) throws IOException {
    String text = Files.readString(file);
    DynamicMessage.Builder b = DynamicMessage.newBuilder(SERVER_CONFIG);
    // fields accepted and ignored (logging_config, ...) are no warning worth printing
    java.util.logging.Logger.getLogger(TextFormat.class.getName())
        .setLevel(java.util.logging.Level.SEVERE);
    try {
      TextFormat.Parser.newBuilder().setAllowUnknownFields(true).build().merge(text, b);
    } catch (TextFormat.ParseException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage());
    }
    Message list = (Message) get(b.build(), "model_config_list");
    List<ModelConfig> out = new ArrayList<>();
    for (Object o : (List<?>) get(list, "config")) {
      Message c = (Message) o;
      String name = (String) get(c, "name");
      String base = (String) get(c, "base_path");
      String platform = (String) get(c, "model_platform");
      if (name.isEmpty() || base.isEmpty()) {
        throw new IllegalArgumentException(file + ": every config needs a name and a base_path");
      }
      if (!platform.isEmpty() && !platform.equals("tensorflow")) {
        throw new IllegalArgumentException(
            file + ": model " + name + ": model_platform '" + platform + "' is not served");
      }
      Map<String, Long> labels = new LinkedHashMap<>();
      for (Object e : (List<?>) get(c, "version_labels")) {
        labels.put((String) get((Message) e, "key"), (Long) get((Message) e, "value"));
      }
      out.add(
          new ModelConfig(
              name, Path.of(base), policy((Message) get(c, "model_version_policy")), labels));
    }
    if (out.isEmpty()) throw new IllegalArgumentException(file + ": no model in model_config_list");
    return out;
  }

  private static VersionPolicy policy(Message p) {
    var oneof = p.getDescriptorForType().getOneofs().get(0);
    var chosen = p.getOneofFieldDescriptor(oneof);
    if (chosen == null) return new VersionPolicy.Latest(1);
    Message m = (Message) p.getField(chosen);
    return switch (chosen.getName()) {
      case "latest" -> new VersionPolicy.Latest(Math.max(1, (Integer) get(m, "num_versions")));
      case "all" -> new VersionPolicy.All();
      default -> {
        List<Long> v = new ArrayList<>();
        for (Object x : (List<?>) get(m, "versions")) v.add((Long) x);
        yield new VersionPolicy.Specific(v);
      }
    };
  }

  private static Object get(Message m, String field) {
    return m.getField(m.getDescriptorForType().findFieldByName(field));
  }
}
