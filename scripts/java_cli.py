"""Runs Activation Lab's command line (io.github.activationlab.cli.Main) from Python, in one JVM.
The library applies TensorFlow's native settings itself (tf.NativeRuntime: XLA without the thunk
runtime, oneDNN off, log level 2) unless the environment already sets them."""
import os
import subprocess


def run(classpath, *args, jvm=()):
    """`java [jvm] -cp classpath Main args`: a CompletedProcess with text stdout and stderr."""
    return subprocess.run(["java", *jvm, "-cp", classpath, "io.github.activationlab.cli.Main",
                           *args], capture_output=True, text=True, env=dict(os.environ))
