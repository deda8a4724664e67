/**
 * A small Keras on a TensorFlow Java graph: {@link io.github.activationlab.nn.Sequential} and
 * {@link io.github.activationlab.nn.Functional} models ({@link io.github.activationlab.nn.Model})
 * of Keras's everyday {@link io.github.activationlab.nn.Layer layers} ({@link
 * io.github.activationlab.nn.Dense}, {@link io.github.activationlab.nn.BatchNormalization}, {@link
 * io.github.activationlab.nn.Dropout}, merges, ...), Keras's {@link
 * io.github.activationlab.nn.Optimizer optimizers} and {@link io.github.activationlab.nn.Loss
 * losses}, {@code fit} with Keras's batching ({@link io.github.activationlab.nn.Fit}, {@link
 * io.github.activationlab.nn.History}, {@link io.github.activationlab.nn.Batching}) run as one
 * XLA-compiled loop, Keras 3 {@code .keras} files both ways, and {@link
 * io.github.activationlab.nn.SeedSweep}: many seeds of one model trained in one op.
 *
 * <pre>{@code
 * try (var xor = Sequential.of(2, Dense.of(2, "sigmoid"), Dense.of(1, "sigmoid"))
 *     .compile(Loss.MSE, Adam.learningRate(0.01), 42)) {
 *   History h = xor.fit(Gates.X, Gates.column(Gates.XOR), Fit.epochs(1000));
 *   xor.save(Path.of("xor.keras"));
 * }
 * }</pre>
 *
 * <p>The graph, the training loop and the {@code .keras} conversion are package-private ({@code
 * ModelGraph}, {@code Trainer}, {@code FusedFit}, {@code WhileLoop}, {@code TrainStep}, {@code
 * LayerRegistry}, {@code KerasModels}, {@code KerasLoader}); docs/DESIGN.md describes them.
 */
package io.github.activationlab.nn;
