package io.github.activationlab.kernel;

import java.util.List;

/**
 * Why a cell failed, as Jupyter shows it: a name ({@code CompileError}, the exception's class,
 * ...), a one-line message and the lines of the traceback.
 */
final class CellError extends RuntimeException {
  final String name;
  final List<String> traceback;

  CellError(String name, String message, List<String> traceback) {
    super(message);
    this.name = name;
    this.traceback = List.copyOf(traceback);
  }
}
