/**
 * The notebook's models as one table ({@link io.github.activationlab.notebook.NotebookModels}): the
 * six gate models, the two ReLU fits of x², and the extras {@code xor-bce} and {@code xor-prelu} —
 * each its layers, loss, learning rate, epochs, batch size and data — which the command line, the
 * Jupyter notebook, the benchmark and the Spark jobs all build from.
 */
package io.github.activationlab.notebook;
