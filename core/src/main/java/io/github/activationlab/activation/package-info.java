/**
 * The activation catalogue: every activation of the notebook and of Keras 3 written once as
 * TensorFlow ops, with its analytic derivative (also TF ops) and a plain-Java reference of both.
 *
 * <p>Start with {@link io.github.activationlab.activation.Activations#get}, which finds an {@link
 * io.github.activationlab.activation.Activation} by its Keras name; {@link
 * io.github.activationlab.activation.NotebookActivations} and {@link
 * io.github.activationlab.activation.KerasActivations} hold the definitions and make them with
 * other parameters. {@link io.github.activationlab.activation.ActivationGraph} evaluates one with
 * its derivatives by analysis and by TF autodiff; {@link
 * io.github.activationlab.activation.CompiledActivation} runs one on {@code float[]} through XLA.
 *
 * <pre>{@code
 * Activation elu = Activations.get("elu");
 * try (CompiledActivation f = CompiledActivation.of(elu)) {
 *   float[] y = f.apply(new float[] {-1f, 0f, 2f});
 * }
 * }</pre>
 */
package io.github.activationlab.activation;
