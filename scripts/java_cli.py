"""Runs Activation Lab's command line (io.github.activationlab.cli.Main) from Python, in one JVM
(ACTIVATIONLAB_NATIVE_LOG=1: no launcher child), with the native settings the launcher gives its
child (cli.Launcher.NATIVE_ENV)."""
import os
import subprocess

NATIVE_ENV = {"TF_CPP_MIN_LOG_LEVEL": "2", "XLA_FLAGS": "--xla_cpu_use_thunk_runtime=false",
              "TF_ENABLE_ONEDNN_OPTS": "0"}


def run(classpath, *args, jvm=()):
    """`java [jvm] -cp classpath Main args`: a CompletedProcess with text stdout and stderr."""
    env = dict(os.environ, ACTIVATIONLAB_NATIVE_LOG="1", **NATIVE_ENV)
    return subprocess.run(["java", *jvm, "-cp", classpath, "io.github.activationlab.cli.Main",
                           *args], capture_output=True, text=True, env=env)
