package io.github.activationlab.savedmodel;

import io.github.activationlab.files.Temporaries;
import io.github.activationlab.nn.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model to predict with: a SavedModel directory (ours or Keras's) or a Keras 3 .keras file.
 * Either kind may be used by several threads at once and closed while they predict (see {@link
 * Predictor} and {@link Model#predict}). A {@code .keras} file may hold a Sequential or a
 * Functional model: its inputs' values side by side make a row, its outputs' values side by side
 * the result.
 *
 * <p>What {@code predict} prints about a model is said here once ({@link #describe}, {@link
 * #columnsError}), so that every front end — the command line, the Spark job — writes the same
 * bytes for the same model (see {@link PredictFormat}).
 */
public interface LoadedModel extends AutoCloseable {
  /**
   * Outputs for rows of the model's input width.
   *
   * @param rows the input rows
   * @return one output row per input row
   */
  double[][] predict(double[][] rows);

  /**
   * Outputs for {@code rows} rows of {@code width} values, row-major in {@code flat} (the first
   * {@code rows * width} values): row-major in the first {@code rows * width()} values of the
   * result, which may be {@code reuse} (see {@link Predictor#predict(double[], int, int,
   * double[])}). The caller has checked the width ({@link #columnsError}).
   *
   * @param flat the inputs, row-major
   * @param rows how many rows of {@code flat} to predict
   * @param width the values per row
   * @param reuse an array the outputs may be written into, or null
   * @return the outputs and their width
   */
  Predictor.Outputs predict(double[] flat, int rows, int width, double[] reuse);

  /**
   * Columns the input takes.
   *
   * @return the width, or {@code -1} if the model does not say
   */
  long inputWidth();

  /**
   * The one-line error for input row {@code row} of {@code columns} values.
   *
   * @param row the row's number (data rows counted from 1)
   * @param columns the values the row has
   * @param width the values the model takes
   * @return the message, e.g. {@code input row 3 has 1 columns; the model's input 'x' takes 2}
   */
  String columnsError(long row, int columns, long width);

  /**
   * For the header line: what was loaded and its signature.
   *
   * @return e.g. {@code models/xor-mlp/1: x float32 [-1, 2] -> y}
   */
  String describe();

  /** Frees the model (after the predictions that are running); closing again does nothing. */
  @Override
  void close();

  /**
   * Opens a model: a {@code .keras} file, or a SavedModel directory (or its parent holding numbered
   * versions: the highest is taken).
   *
   * @param path the file or directory, as the user gave it (it appears so in {@link #describe})
   * @return the loaded model
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException if it is not a model (the message says why), or a write to it
   *     is unfinished
   */
  static LoadedModel open(Path path) throws IOException {
    var unfinished = Temporaries.unfinished(path.toAbsolutePath().normalize());
    if (unfinished.isPresent()) throw new IllegalArgumentException(unfinished.get());
    if (Files.isRegularFile(path)) {
      Model m = Model.load(path);
      return new LoadedModel() {
        public double[][] predict(double[][] rows) {
          for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != m.inputDim()) {
              throw new IllegalArgumentException(columnsError(i + 1, rows[i].length, m.inputDim()));
            }
          }
          return m.predict(rows);
        }

        public Predictor.Outputs predict(double[] flat, int rows, int width, double[] reuse) {
          return new Predictor.Outputs(m.predict(flat, rows), m.outputDim());
        }

        public long inputWidth() {
          return m.inputDim();
        }

        public String columnsError(long row, int columns, long width) {
          return "input row " + row + " has " + columns + " columns; the model takes " + width;
        }

        public String describe() {
          return path
              + ": Keras file, "
              + (m.architecture().isSequential() ? "" : "Functional ")
              + m.name()
              + ", "
              + m.inputDim()
              + " -> "
              + m.outputDim()
              + " ("
              + String.join(", ", m.layerNames())
              + ")";
        }

        public void close() {
          m.close();
        }
      };
    }
    Predictor p = Predictor.load(path);
    return new LoadedModel() {
      public double[][] predict(double[][] rows) {
        return p.predict(rows);
      }

      public Predictor.Outputs predict(double[] flat, int rows, int width, double[] reuse) {
        return p.predict(flat, rows, width, reuse);
      }

      public long inputWidth() {
        return p.inputWidth();
      }

      public String columnsError(long row, int columns, long width) {
        return "input row "
            + row
            + " has "
            + columns
            + " columns; the model's input '"
            + p.inputName()
            + "' takes "
            + width;
      }

      public String describe() {
        return p.directory() + ": " + p.describe();
      }

      public void close() {
        p.close();
      }
    };
  }
}
