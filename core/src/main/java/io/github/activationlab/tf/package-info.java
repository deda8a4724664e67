/**
 * TensorFlow as this library runs it, and what the activation definitions are written with: {@link
 * io.github.activationlab.tf.NativeRuntime} loads TensorFlow's native library with this library's
 * settings (XLA without the thunk runtime, oneDNN off, the native log quiet) in any application,
 * and {@link io.github.activationlab.tf.MissingNativeLibraryException} names the artifact to add
 * when the native library is missing; {@link io.github.activationlab.tf.FloatOps} binds TF ops to a
 * float dtype so one definition serves float32 and float64; {@link
 * io.github.activationlab.tf.DTypes} maps the dtypes to their names ({@code float32}, {@code
 * float64}).
 */
package io.github.activationlab.tf;
