package io.github.activationlab.serve;

import io.github.activationlab.tf.NativeRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.io.ParseExample;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * TensorFlow Serving's {@code half_plus_two} test model, made here with TensorFlow Java's ops (so
 * that the Java tests need no Python): the graph of its {@code saved_model_half_plus_two.py} (TF1
 * flavour) — a string placeholder {@code tf_example} of serialized tf.Examples parsed by {@code
 * ParseExample} into {@code x} (required) and {@code x2} (default 0), variables {@code a = 0.5},
 * {@code b = 2}, {@code c = 3}, and {@code y = a*x + b}, {@code y2 = a*x + c}, {@code y3 = a*x2 +
 * c} — with its signatures: {@code serving_default} (x -> y, predict), {@code regress_x_to_y},
 * {@code regress_x_to_y2}, {@code regress_x2_to_y3}, {@code classify_x_to_y}. One more, {@code
 * echo}, has two inputs and two outputs ({@code x} -> {@code y}, string {@code s} -> {@code
 * s_bytes}) for the multi-tensor and base64 cases. {@code b} and {@code c} are parameters so that
 * two versions can answer differently.
 */
final class HalfPlusTwo {
  private HalfPlusTwo() {}

  static Path write(Path versionDir) throws IOException {
    return write(versionDir, 2f, 3f);
  }

  static Path write(Path versionDir, float b, float c) throws IOException {
    NativeRuntime.load();
    Files.createDirectories(versionDir.getParent());
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TString> examples =
          tf.withName("tf_example").placeholder(TString.class, Placeholder.shape(Shape.of(-1)));
      ParseExample parsed =
          tf.io.parseExample(
              examples,
              strings(tf),
              strings(tf),
              strings(tf, "x", "x2"),
              strings(tf),
              List.<Operand<?>>of(tf.constant(new float[0]), tf.constant(new float[] {0f})),
              0L,
              List.of(),
              List.of(),
              List.of(),
              List.of(Shape.of(1), Shape.of(1)));
      @SuppressWarnings("unchecked")
      Operand<TFloat32> x =
          tf.withName("x").identity((Operand<TFloat32>) parsed.denseValues().get(0));
      @SuppressWarnings("unchecked")
      Operand<TFloat32> x2 =
          tf.withName("x2").identity((Operand<TFloat32>) parsed.denseValues().get(1));
      Variable<TFloat32> a = variable(tf, s, "a", 0.5f);
      Variable<TFloat32> bv = variable(tf, s, "b", b);
      Variable<TFloat32> cv = variable(tf, s, "c", c);
      Variable<TFloat32> a2 = variable(tf, s, "a2", 0.5f);
      Variable<TFloat32> c2 = variable(tf, s, "c2", c);
      Operand<TFloat32> y = tf.withName("y").math.add(tf.math.mul(a, x), bv);
      Operand<TFloat32> y2 = tf.withName("y2").math.add(tf.math.mul(a, x), cv);
      Operand<TFloat32> y3 = tf.withName("y3").math.add(tf.math.mul(a2, x2), c2);
      Placeholder<TString> str =
          tf.withName("s").placeholder(TString.class, Placeholder.shape(Shape.of(-1)));
      Operand<TString> sOut = tf.withName("s_out").identity(str);
      String regress = "tensorflow/serving/regress";
      SavedModelBundle.exporter(versionDir.toString())
          .withSession(s)
          .withSignatures(
              Signature.builder("serving_default")
                  .input("x", x)
                  .output("y", y)
                  .methodName("tensorflow/serving/predict")
                  .build(),
              Signature.builder("regress_x_to_y")
                  .input("inputs", examples)
                  .output("outputs", y)
                  .methodName(regress)
                  .build(),
              Signature.builder("regress_x_to_y2")
                  .input("inputs", examples)
                  .output("outputs", y2)
                  .methodName(regress)
                  .build(),
              Signature.builder("regress_x2_to_y3")
                  .input("inputs", x2)
                  .output("outputs", y3)
                  .methodName(regress)
                  .build(),
              Signature.builder("classify_x_to_y")
                  .input("inputs", examples)
                  .output("scores", y)
                  .methodName("tensorflow/serving/classify")
                  .build(),
              Signature.builder("echo")
                  .input("x", x)
                  .input("s", str)
                  .output("y", y)
                  .output("s_bytes", sOut)
                  .methodName("tensorflow/serving/predict")
                  .build())
          .export();
    }
    return versionDir;
  }

  private static Operand<TString> strings(Ops tf, String... s) {
    return tf.constant(
        org.tensorflow.ndarray.NdArrays.wrap(
            Shape.of(s.length),
            org.tensorflow.ndarray.buffer.DataBuffers.ofObjects(String.class, s.length).write(s)));
  }

  private static Variable<TFloat32> variable(Ops tf, Session s, String name, float value) {
    Variable<TFloat32> v = tf.withName(name).variable(Shape.scalar(), TFloat32.class);
    s.runner().addTarget(tf.assign(v, tf.constant(value))).run();
    return v;
  }
}
