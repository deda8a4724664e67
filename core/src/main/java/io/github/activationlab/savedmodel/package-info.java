/**
 * SavedModels both ways: {@link io.github.activationlab.savedmodel.ModelExport} writes a trained
 * model in TensorFlow Serving's layout ({@code <dir>/1/}, signature {@code serving_default}: {@code
 * x} to {@code y}) with its {@link io.github.activationlab.savedmodel.RunRecord run.json} beside
 * it; {@link io.github.activationlab.savedmodel.ActivationsExport} writes the catalogue as one
 * SavedModel; {@link io.github.activationlab.savedmodel.Predictor} loads any one-input SavedModel
 * (ours, or Keras 3's {@code model.export()}) and predicts, from many threads at once. Exports are
 * written all at once ({@link io.github.activationlab.savedmodel.ExportDirectory}).
 *
 * <pre>{@code
 * try (Predictor p = Predictor.load(Path.of("models/xor-mlp"))) {
 *   double[][] y = p.predict(new double[][] {{0, 1}});
 * }
 * }</pre>
 */
package io.github.activationlab.savedmodel;
