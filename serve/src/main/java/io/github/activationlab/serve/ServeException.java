package io.github.activationlab.serve;

/**
 * A request that cannot be answered, with the status code TensorFlow Serving would give it: the
 * code picks the HTTP status (its {@code http_server.cc} mapping), the message is the {@code
 * "error"} of the JSON body. Thrown anywhere below the HTTP layer; one bad request never touches
 * another.
 */
public final class ServeException extends RuntimeException {
  /** TensorFlow's status codes that requests meet here, with their HTTP statuses. */
  public enum Code {
    /** Bad JSON, wrong type or shape, bad URL: 400. */
    INVALID_ARGUMENT(400),
    /** Unknown model or version: 404. */
    NOT_FOUND(404),
    /** The request cannot run in the model's present state: 400. */
    FAILED_PRECONDITION(400),
    /** A dtype or feature this server does not convert: 501. */
    UNIMPLEMENTED(501),
    /** TensorFlow ran out of memory or another resource: 429. */
    RESOURCE_EXHAUSTED(429),
    /** The request took longer than {@code --rest_api_timeout_in_ms}: 504. */
    DEADLINE_EXCEEDED(504),
    /** The server is stopping or the model is being unloaded: 503. */
    UNAVAILABLE(503),
    /** A failure of the model or of this server: 500. */
    INTERNAL(500);

    private final int http;

    Code(int http) {
      this.http = http;
    }

    /**
     * @return the HTTP status TensorFlow Serving answers this code with
     */
    public int http() {
      return http;
    }
  }

  private final Code code;

  /**
   * @param code the status code
   * @param message the error message, as TensorFlow Serving words it where its tests check it
   */
  public ServeException(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  /**
   * @return the status code
   */
  public Code code() {
    return code;
  }

  /** A failed session run, with TensorFlow's status code and message. */
  static ServeException fromTensorFlow(RuntimeException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
    Code c;
    if (e instanceof org.tensorflow.exceptions.TFInvalidArgumentException
        || e instanceof org.tensorflow.exceptions.TFOutOfRangeException) {
      c = Code.INVALID_ARGUMENT;
    } else if (e instanceof org.tensorflow.exceptions.TFFailedPreconditionException) {
      c = Code.FAILED_PRECONDITION;
    } else if (e instanceof org.tensorflow.exceptions.TFUnimplementedException) {
      c = Code.UNIMPLEMENTED;
    } else if (e instanceof org.tensorflow.exceptions.TFResourceExhaustedException) {
      c = Code.RESOURCE_EXHAUSTED;
    } else if (m.contains("Deadline") || m.contains("Timed out")) {
      c = Code.DEADLINE_EXCEEDED;
    } else {
      c = Code.INTERNAL;
    }
    return new ServeException(c, m);
  }

  static ServeException invalid(String message) {
    return new ServeException(Code.INVALID_ARGUMENT, message);
  }

  static ServeException notFound(String message) {
    return new ServeException(Code.NOT_FOUND, message);
  }
}
