package io.github.activationlab.savedmodel;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.proto.SavedModel;

/**
 * The same model, the same bytes: TensorFlow writes {@code saved_model.pb}'s map fields (a node's
 * attributes, the signatures, the function library's maps) in an order that changes from process to
 * process, so two exports of one model differed in bytes while equal as messages. This rewrites the
 * file with protobuf's deterministic serialization (map entries sorted by key); the message, and
 * what TensorFlow and TensorFlow Serving load from it, are unchanged.
 */
final class SavedModelBytes {
  private SavedModelBytes() {}

  /**
   * Rewrites {@code versionDir/saved_model.pb} in canonical form, in place (the export is still in
   * its hidden temporary directory: the commit that follows makes it visible whole).
   *
   * @param versionDir a SavedModel directory
   * @throws IOException if the file cannot be read, parsed or written
   */
  static void canonical(Path versionDir) throws IOException {
    Path pb = versionDir.resolve("saved_model.pb");
    Files.write(pb, canonical(SavedModel.parseFrom(Files.readAllBytes(pb))));
  }

  /** The message's bytes with map entries sorted by key. */
  static byte[] canonical(SavedModel model) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(model.getSerializedSize());
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.useDeterministicSerialization();
    model.writeTo(out);
    out.flush();
    return bytes.toByteArray();
  }
}
