package io.github.activationlab.serve;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.tensorflow.proto.SignatureDef;

/**
 * One loaded version of a model: its signatures (as TensorFlow Serving's metadata shows them) and a
 * way to run one. Safe for any number of threads; {@link #close()} waits for the runs in progress
 * and afterwards {@link #run} throws {@link Closed}, which the caller answers by looking the model
 * up again (the version that replaced this one serves the request).
 */
interface Servable extends AutoCloseable {
  /**
   * @return the signatures by key, as SignatureDef protos (names of tensors included)
   */
  Map<String, SignatureDef> signatures();

  /**
   * Runs a signature.
   *
   * @param signature the signature key (resolved: never empty)
   * @param inputs the input tensors by alias
   * @param outputs the output aliases to fetch, in order
   * @param timeoutMillis the run's deadline ({@code <= 0}: none)
   * @return the output tensors by alias
   */
  SortedMap<String, TensorValue> run(
      String signature, Map<String, TensorValue> inputs, List<String> outputs, long timeoutMillis);

  /** What was loaded, for logs: the path and the kind. */
  String describe();

  @Override
  void close();

  /** Thrown by {@link #run} on a servable that has been closed. */
  final class Closed extends RuntimeException {
    Closed() {
      super("closed", null, false, false);
    }
  }
}
