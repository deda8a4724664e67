/**
 * The notebook's hand-written perceptron in plain Java ({@link
 * io.github.activationlab.perceptron.Perceptron}), its TensorFlow twin, which gives the same
 * weights bit for bit ({@link io.github.activationlab.perceptron.TfPerceptron}), and the logic
 * gates' data ({@link io.github.activationlab.perceptron.Gates}).
 */
package io.github.activationlab.perceptron;
