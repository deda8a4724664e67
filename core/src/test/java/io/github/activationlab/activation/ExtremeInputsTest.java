package io.github.activationlab.activation;

import static io.github.activationlab.activation.ActivationsTest.input;
import static io.github.activationlab.activation.ActivationsTest.round;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * Issue 10, item 3: every activation is right for ANY finite input, in float32 and float64, up to
 * the dtype's largest finite value. No NaN in values or derivatives (analytic and TF autodiff); Inf
 * only where the function itself overflows, and then only for the activations listed in {@link
 * #functionOverflows}. Row-wise activations give a probability vector (softmax, sparsemax), its log
 * (log_softmax) or a gated row (glu) for every finite row, checked with absolute tolerances. {@link
 * ActivationsTest} checks the same inputs against the references.
 */
class ExtremeInputsTest {

  static double max(Class<? extends TFloating> dtype) {
    return dtype == TFloat32.class ? Float.MAX_VALUE : Double.MAX_VALUE;
  }

  /**
   * Huge finite inputs: 1e38 and 3.4e38, +-1e300 (float64), the dtype's maximum, and +-{1, 2, 5} x
   * 10^k for every k up to the dtype's maximum, so that an intermediate overflowing at any
   * magnitude is caught (x^2 overflows float32 from 1.8e19, x^3 from 7e12).
   */
  static double[] huge(Class<? extends TFloating> dtype) {
    double max = max(dtype);
    List<Double> xs = new ArrayList<>(List.of(1e38, 3.4e38, max));
    if (dtype == TFloat64.class) xs.addAll(List.of(1e300, (double) Float.MAX_VALUE));
    for (int k = 1; k <= 308; k++) {
      for (double m : new double[] {1, 2, 5}) xs.add(m * Math.pow(10, k));
    }
    return xs.stream()
        .mapToDouble(Double::doubleValue)
        .flatMap(v -> DoubleStream.of(v, -v))
        .map(v -> round(dtype, v))
        .filter(Double::isFinite)
        .toArray();
  }

  /**
   * Rows of four with huge entries, huge spreads, ties and +-max, and random rows at every
   * magnitude (with ties), in the dtype.
   */
  static List<double[]> rows(Class<? extends TFloating> dtype) {
    double m = max(dtype);
    double h = dtype == TFloat32.class ? 1e38 : 1e300;
    double below = dtype == TFloat32.class ? Math.nextDown((float) m) : Math.nextDown(m);
    List<double[]> rows =
        new ArrayList<>(
            List.of(
                new double[] {1e7, 1e7, 0, 0}, // sparsemax gave [0, 0, 0, 0]
                new double[] {1e8, 1e8, 0, 0}, // sparsemax gave [5e7, 5e7, 0, 0]
                new double[] {1e8 + 8, 1e8, 1e8 - 8, 0},
                new double[] {1e4, 1e4 - 0.5, 1e4 - 1, -1e4},
                new double[] {1e20, 1e20, 1e20, -1e20},
                new double[] {1e30, -1e30, 0.5, 0.25},
                new double[] {1e38, 1e38, -1e38, -1e38},
                new double[] {h, h, 0, 0},
                new double[] {h, h, -h, -h},
                new double[] {h, -h, h, 1},
                new double[] {m, m, m, m},
                new double[] {-m, -m, -m, -m},
                new double[] {m, -m, 0, 1},
                new double[] {-m, m, -m, m},
                new double[] {m, below, 0, -m},
                new double[] {-m, 0, 0.5, -m},
                new double[] {0.25, -m, m, 0.5},
                new double[] {3, 3, 3, 3},
                new double[] {1e8, 1e8, 1e8, 1e8},
                new double[] {-1e30, -1e30, -1e30, -1e30 * 2}));
    Random rnd = new Random(11);
    int maxExp = dtype == TFloat32.class ? 38 : 308;
    for (int i = 0; i < 200; i++) {
      double scale = Math.pow(10, rnd.nextInt(maxExp + 1));
      double[] row = new double[4];
      for (int j = 0; j < 4; j++) row[j] = rnd.nextGaussian() * scale;
      if (rnd.nextBoolean()) row[rnd.nextInt(4)] = row[rnd.nextInt(4)]; // a tie
      rows.add(row);
    }
    List<double[]> out = new ArrayList<>();
    for (double[] row : rows) {
      double[] r = Arrays.stream(row).map(v -> input(dtype, v)).toArray();
      if (Arrays.stream(r).allMatch(Double::isFinite)) out.add(r);
    }
    return out;
  }

  /**
   * Where the function itself overflows: exp(x) beyond log(max) (and its derivative exp(x)), selu's
   * {@code scale * x} beyond max / scale. Nowhere else may a value be infinite.
   */
  static boolean functionOverflows(String name, Class<? extends TFloating> dtype, double x) {
    return switch (name) {
      case "exponential" -> x > Math.log(max(dtype));
      case "selu" -> x > max(dtype) / KerasActivations.SELU_SCALE;
      default -> false;
    };
  }

  /** Where the derivative itself overflows: exponential's, exp(x), as the function. */
  static boolean derivativeOverflows(String name, Class<? extends TFloating> dtype, double x) {
    return name.equals("exponential") && functionOverflows(name, dtype, x);
  }

  static Stream<Arguments> elementWise() {
    return cases(false);
  }

  static Stream<Arguments> rowWise() {
    return cases(true);
  }

  static Stream<Arguments> cases(boolean rows) {
    List<Arguments> out = new ArrayList<>();
    for (Activation a : Activations.all()) {
      if ((a instanceof RowWise) != rows) continue;
      out.add(Arguments.of(a.name(), TFloat32.class));
      out.add(Arguments.of(a.name(), TFloat64.class));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("elementWise")
  void noNanAndInfOnlyWhereTheFunctionItselfOverflows(
      String name, Class<? extends TFloating> dtype) {
    ElementWise a = (ElementWise) Activations.get(name);
    double[] x =
        DoubleStream.concat(
                Arrays.stream(ActivationsTest.notebookGrid()), Arrays.stream(huge(dtype)))
            .map(v -> round(dtype, v))
            .toArray();
    double[] ones = new double[x.length];
    Arrays.fill(ones, 1);
    var v = ActivationGraph.evaluate(a, dtype, x, 1, ones);
    for (int i = 0; i < x.length; i++) {
      String at = name + "(" + x[i] + ") in " + dtype.getSimpleName();
      double y = v.y()[i];
      if (functionOverflows(name, dtype, x[i])) {
        assertEquals(Double.POSITIVE_INFINITY, y, at + ": the function itself overflows");
      } else {
        assertTrue(Double.isFinite(y), at + " = " + y);
      }
      String[] kinds = {"analytic", "autodiff"};
      double[] d = {v.analytic()[i], v.autodiff()[i]};
      for (int k = 0; k < 2; k++) {
        String dat = name + "'(" + x[i] + ") " + kinds[k] + " in " + dtype.getSimpleName();
        if (derivativeOverflows(name, dtype, x[i])) {
          assertEquals(Double.POSITIVE_INFINITY, d[k], dat + ": the derivative itself overflows");
        } else {
          assertTrue(Double.isFinite(d[k]), dat + " = " + d[k]);
        }
      }
    }
  }

  /**
   * glu's analytic VJP multiplies g by a * sigmoid(b) * sigmoid(-b), so it is right for any g; TF's
   * autodiff of a * sigmoid(b) forms g * a first, which overflows for |g * a| beyond the max:
   * pinned here, so that a TF that stops doing so is noticed.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("dtypes")
  void gluAnalyticVjpTakesAnyUpstreamGradient(Class<? extends TFloating> dtype) {
    RowWise glu = (RowWise) Activations.get("glu");
    double m = max(dtype);
    double[] row = {m, -m, 30, -30};
    double[] g = {3, -2};
    var v = ActivationGraph.evaluate(glu, dtype, row, 4, g);
    double[] ref = glu.referenceVjp(row, g);
    for (int j = 0; j < 4; j++) {
      double e = round(dtype, ref[j]);
      assertTrue(Double.isFinite(e), "reference " + Arrays.toString(ref));
      assertEquals(e, v.analytic()[j], 1e-6 * Math.abs(e), "analytic vjp[" + j + "]");
    }
    // d/db of a * sigmoid(b) at b = 30: TF forms 3 * max = Inf, then times sigmoid'(30)
    assertTrue(
        Double.isInfinite(v.autodiff()[2]) || Double.isNaN(v.autodiff()[2]),
        "TF's autodiff now gives " + v.autodiff()[2] + ": the known overflow is gone");
  }

  static Stream<Class<? extends TFloating>> dtypes() {
    return Stream.of(TFloat32.class, TFloat64.class);
  }

  /**
   * Every finite row: softmax and sparsemax a probability vector (each in [0, 1], summing to 1
   * within 1e-6, absolute), log_softmax its log (each <= 0, its exponentials summing to 1 within
   * 1e-6), glu within +-|a|. No NaN; the only Inf is log_softmax's where x - max(x) itself
   * overflows (a spread beyond the dtype's max). VJPs, analytic and autodiff, finite for upstream g
   * in [-1, 1]: a VJP scales with g, and for glu TF's Mul gradient forms g * a before sigmoid's
   * derivative, so with |a| near the max a larger |g| overflows that intermediate.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("rowWise")
  void everyFiniteRowGivesWhatItShould(String name, Class<? extends TFloating> dtype) {
    RowWise a = (RowWise) Activations.get(name);
    List<double[]> rows = rows(dtype);
    int w = 4;
    int ow = a.outputWidth(w);
    double[] x = rows.stream().flatMapToDouble(Arrays::stream).toArray();
    Random rnd = new Random(5);
    double[] g = new double[rows.size() * ow];
    for (int i = 0; i < g.length; i++) g[i] = round(dtype, 2 * rnd.nextDouble() - 1);
    var v = ActivationGraph.evaluate(a, dtype, x, w, g);
    double tol = 1e-6;
    for (int r = 0; r < rows.size(); r++) {
      double[] row = rows.get(r);
      double[] y = Arrays.copyOfRange(v.y(), r * ow, (r + 1) * ow);
      String at =
          name + Arrays.toString(row) + " in " + dtype.getSimpleName() + " = " + Arrays.toString(y);
      double rowMax = Arrays.stream(row).max().orElseThrow();
      for (int j = 0; j < ow; j++) {
        boolean overflows =
            name.equals("log_softmax") && Double.isInfinite(round(dtype, row[j] - rowMax));
        if (overflows) {
          assertEquals(Double.NEGATIVE_INFINITY, y[j], at + ": x - max(x) itself overflows");
        } else {
          assertTrue(Double.isFinite(y[j]), at);
        }
      }
      switch (name) {
        case "softmax", "sparsemax" -> {
          double sum = 0;
          for (double p : y) {
            assertTrue(p >= 0 && p <= 1, at + ": not in [0, 1]");
            sum += p;
          }
          assertEquals(1, sum, tol, at + ": sum");
        }
        case "log_softmax" -> {
          double sum = 0;
          for (double l : y) {
            assertTrue(l <= 0, at + ": log of a probability > 0");
            sum += Math.exp(l);
          }
          assertEquals(1, sum, tol, at + ": sum of exp");
        }
        case "glu" -> {
          for (int j = 0; j < ow; j++) assertTrue(Math.abs(y[j]) <= Math.abs(row[j]), at);
        }
        default -> throw new AssertionError("no property stated for " + name);
      }
      for (int j = 0; j < w; j++) {
        double an = v.analytic()[r * w + j];
        double ad = v.autodiff()[r * w + j];
        assertTrue(Double.isFinite(an), at + ": analytic vjp[" + j + "] = " + an);
        assertTrue(Double.isFinite(ad), at + ": autodiff vjp[" + j + "] = " + ad);
      }
    }
  }
}
