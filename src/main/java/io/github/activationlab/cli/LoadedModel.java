package io.github.activationlab.cli;

import io.github.activationlab.nn.Sequential;
import io.github.activationlab.savedmodel.Predictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A model to predict with: a SavedModel directory (ours or Keras's) or a Keras 3 .keras file. */
interface LoadedModel extends AutoCloseable {
  /** Outputs for rows of the model's input width. */
  double[][] predict(double[][] rows);

  /** Columns the input takes ({@code -1} if the model does not say). */
  long inputWidth();

  /** For the header line: what was loaded and its signature. */
  String describe();

  @Override
  void close();

  static LoadedModel open(Path path) throws IOException {
    if (Files.isRegularFile(path)) {
      Sequential m = Sequential.load(path);
      return new LoadedModel() {
        public double[][] predict(double[][] rows) {
          for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != m.inputDim()) {
              throw new IllegalArgumentException("input row " + (i + 1) + " has "
                  + rows[i].length + " columns; the model takes " + m.inputDim());
            }
          }
          return m.predict(rows);
        }

        public long inputWidth() {
          return m.inputDim();
        }

        public String describe() {
          return path + ": Keras file, " + m.name() + ", " + m.inputDim() + " -> "
              + m.outputDim() + " (" + String.join(", ", m.layerNames()) + ")";
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

      public long inputWidth() {
        return p.inputWidth();
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
