package io.github.activationlab.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * Every activation of the catalogue, in float32 and float64, on the notebook's grid and on extremes
 * up to the dtype's largest finite value: TF value vs the plain-Java reference; autodiff vs
 * analytic derivative vs the reference's derivative; the reference's derivative vs a central finite
 * difference. {@link ExtremeInputsTest} checks the extremes for NaN and Inf.
 */
class ActivationsTest {
  static final double[] EXTREMES = {
    100,
    -100,
    1e4,
    -1e4,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    Double.NaN,
    -0.0,
    1e-40,
    -1e-40
  };

  /**
   * Where float32 cannot reach 1e-6 relative, the scale the error is relative to: tanh_shrink is a
   * difference of larger terms (error relative to |x|, not to the result); GELU's tails round an
   * intermediate argument (x / sqrt 2, or u) whose relative error the Gaussian tail amplifies by
   * about x^2 (its condition number). Only the left tail: for x > 0 GELU's condition number is
   * below 2, and the scale (growing as x^3) would leave no check at the huge extremes.
   */
  static final Map<String, DoubleUnaryOperator> FLOAT32_SCALE =
      Map.of(
          "tanh_shrink", Math::abs,
          "gelu", x -> conditioned("gelu", x, 1),
          "gelu_tanh", x -> conditioned("gelu_tanh", x, 3));

  static double conditioned(String name, double x, double k) {
    if (!Double.isFinite(x) || x > 0) return 0;
    return Math.abs(((ElementWise) Activations.get(name)).value(x) * k * (1 + x * x));
  }

  /**
   * Derivatives whose float32 error grows with |x|: mish's {@code x * (1 - tanh^2)} multiplies the
   * rounding of a saturated tanh by x (TF's own TanhGrad does the same). Capped at 1e4, the largest
   * |x| checked before the huge extremes: the error stops growing once tanh(softplus(x)) rounds to
   * exactly 1 (x above ~9: 1 - t^2 = 0), and for x < 0 t ~ exp(x) is not saturated; uncapped, the
   * scale would leave no check at the huge extremes.
   */
  static final Map<String, DoubleUnaryOperator> DERIVATIVE_SCALE =
      Map.of("mish", x -> Math.min(Math.abs(x), 1e4));

  static double[] notebookGrid() {
    double[] x = new double[2000];
    for (int i = 0; i < x.length; i++) x[i] = -10 + i / 100.0;
    return x;
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String name : Activations.names()) {
      out.add(Arguments.of(name, TFloat32.class));
      out.add(Arguments.of(name, TFloat64.class));
    }
    return out.stream();
  }

  record Tol(double rtol, double floor, double eps) {
    static Tol of(Class<? extends TFloating> dtype) {
      // eps: absolute tolerance of derivatives, 16 ulps of 1 (1 - tanh^2 and the like)
      return dtype == TFloat32.class
          ? new Tol(1e-6, Float.MIN_NORMAL, 16 * 0x1.0p-23)
          : new Tol(1e-12, Double.MIN_NORMAL, 16 * 0x1.0p-52);
    }
  }

  static double round(Class<? extends TFloating> dtype, double v) {
    return dtype == TFloat32.class ? (float) v : v;
  }

  /**
   * The input as TF's CPU kernels see it: float32 subnormals are flushed to (signed) zero
   * (FTZ/DAZ), so 1e-40f is 0 to TensorFlow; float64 1e-40 is a normal number and stays.
   */
  static double input(Class<? extends TFloating> dtype, double v) {
    double r = round(dtype, v);
    boolean subnormal = r != 0 && Math.abs(r) < Float.MIN_NORMAL;
    return dtype == TFloat32.class && subnormal ? Math.copySign(0.0, r) : r;
  }

  static void assertClose(String what, double expected, double actual, double tol, double floor) {
    if (Double.isNaN(expected) || Double.isInfinite(expected)) {
      boolean bothNan = Double.isNaN(expected) && Double.isNaN(actual);
      if (Double.compare(expected, actual) != 0 && !bothNan) {
        fail(what + ": expected " + expected + ", got " + actual);
      }
      return;
    }
    if (!(Math.abs(actual - expected) <= tol + floor)) {
      fail(
          what
              + ": expected "
              + expected
              + ", got "
              + actual
              + " (|diff| "
              + Math.abs(actual - expected)
              + " > "
              + (tol + floor)
              + ")");
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void valuesAndDerivativesAgreeThreeWays(String name, Class<? extends TFloating> dtype) {
    Activation a = Activations.get(name);
    if (a instanceof ElementWise e) checkElementWise(e, dtype);
    else checkRowWise((RowWise) a, dtype);
  }

  void checkElementWise(ElementWise a, Class<? extends TFloating> dtype) {
    Tol tol = Tol.of(dtype);
    double[] grid = notebookGrid();
    double[] huge = ExtremeInputsTest.huge(dtype);
    double[] x = new double[grid.length + EXTREMES.length + huge.length];
    System.arraycopy(grid, 0, x, 0, grid.length);
    System.arraycopy(EXTREMES, 0, x, grid.length, EXTREMES.length);
    System.arraycopy(huge, 0, x, grid.length + EXTREMES.length, huge.length);
    for (int i = 0; i < x.length; i++) x[i] = round(dtype, x[i]);
    double[] seen = new double[x.length];
    for (int i = 0; i < x.length; i++) seen[i] = input(dtype, x[i]);
    double[] ones = new double[x.length];
    java.util.Arrays.fill(ones, 1);
    var v = ActivationGraph.evaluate(a, dtype, x, 1, ones);
    DoubleUnaryOperator scale =
        dtype == TFloat32.class ? FLOAT32_SCALE.getOrDefault(a.name(), t -> 0) : t -> 0;
    for (int i = 0; i < x.length; i++) {
      double xi = seen[i];
      String at = a.name() + "(" + xi + ")";
      double ref = round(dtype, a.value(xi));
      assertClose(
          at,
          ref,
          v.y()[i],
          tol.rtol() * Math.max(Math.abs(ref), scale.applyAsDouble(xi)),
          tol.floor());
      if (Double.isNaN(xi)) continue; // NaN in gives NaN out (checked above); no derivative
      double dref = round(dtype, a.derivative(xi));
      double dtol = tol.rtol() * Math.abs(dref);
      DoubleUnaryOperator dscale = DERIVATIVE_SCALE.getOrDefault(a.name(), t -> 1);
      double deps = tol.eps() * Math.max(1, Double.isFinite(xi) ? dscale.applyAsDouble(xi) : 1);
      assertClose(a.name() + "'(" + xi + ") analytic", dref, v.analytic()[i], dtol, deps);
      if (Double.isFinite(xi) && v.hasAutodiff()) {
        assertClose(
            a.name() + "'(" + xi + ") autodiff", v.analytic()[i], v.autodiff()[i], dtol, deps);
      }
    }
    // The reference derivative is the derivative of the reference, away from kinks.
    for (double xi : grid) {
      double h = 1e-7 * Math.max(1, Math.abs(xi));
      boolean nearKink = false;
      for (double k : a.kinks()) nearKink |= Math.abs(xi - k) <= 2 * h;
      if (nearKink) continue;
      double fd = (a.value(xi + h) - a.value(xi - h)) / (2 * h);
      double d = a.derivative(xi);
      assertClose(
          a.name() + "'(" + xi + ") finite difference", d, fd, 1e-6 * Math.max(1, Math.abs(d)), 0);
    }
    if (!v.hasAutodiff()) {
      assertEquals("binary_step", a.name(), "only binary step may lack a TF gradient");
    }
  }

  void checkRowWise(RowWise a, Class<? extends TFloating> dtype) {
    Tol tol = Tol.of(dtype);
    int width = 4;
    List<double[]> rows = new ArrayList<>();
    double[] grid = notebookGrid();
    for (int i = 0; i < grid.length; i += width) {
      rows.add(java.util.Arrays.copyOfRange(grid, i, i + width));
    }
    rows.add(new double[] {1e4, -1e4, 0, 1});
    rows.add(new double[] {-1e4, -1e4, -1e4, -1e4});
    rows.add(new double[] {100, 100, -100, 0.5});
    rows.add(new double[] {1e-40, -0.0, 0, 1e-40});
    int before = rows.size();
    // huge entries, huge spreads, ties, +-max (upstream g in [-1, 1] there: see ExtremeInputsTest)
    rows.addAll(ExtremeInputsTest.rows(dtype));
    Random rnd = new Random(7);
    double[] x = new double[rows.size() * width];
    double[] dy = new double[x.length];
    for (int r = 0; r < rows.size(); r++) {
      for (int j = 0; j < width; j++) {
        x[r * width + j] = input(dtype, rows.get(r)[j]);
        double g = r < before ? rnd.nextGaussian() : 2 * rnd.nextDouble() - 1;
        dy[r * width + j] = round(dtype, g);
      }
    }
    int outWidth = a.outputWidth(width);
    double[] dyOut = java.util.Arrays.copyOf(dy, rows.size() * outWidth);
    for (int r = before; r < rows.size(); r++) { // the extreme rows' own g, in [-1, 1]
      System.arraycopy(dy, r * width, dyOut, r * outWidth, outWidth);
    }
    // the upstream gradient has the output's width (half the input's for glu)
    var v = ActivationGraph.evaluate(a, dtype, x, width, outWidth == width ? dy : dyOut);
    for (int r = 0; r < rows.size(); r++) {
      double[] row = java.util.Arrays.copyOfRange(x, r * width, (r + 1) * width);
      double[] g =
          java.util.Arrays.copyOfRange(
              outWidth == width ? dy : dyOut, r * outWidth, (r + 1) * outWidth);
      double[] ref = a.reference(row);
      double[] refVjp = a.referenceVjp(row, g);
      double rowMax = java.util.Arrays.stream(row).max().orElseThrow();
      for (int j = 0; j < outWidth; j++) {
        double e = round(dtype, ref[j]);
        double s =
            switch (a.name()) {
              // log_softmax and sparsemax work on x - max(x) (exact by Sterbenz near the maximum):
              // their error is relative to max(|y|, 1). (It was relative to the row's largest |x|,
              // which hid sparsemax's float32 failure on rows like [1e7, 1e7, 0, 0] and the
              // reference's log_softmax rounding max(x) + log(s).)
              case "log_softmax", "sparsemax" -> Math.max(Math.abs(e), 1);
              // exp(z), z = x - max(x), has condition number |z|: the dtype's rounding of z alone
              // is |z| ulps of exp(z). The grid rows (|z| <= 0.03) did not show it; the extreme
              // rows do (|z| up to ~100 in float32, ~700 in float64, before exp(z) underflows).
              case "softmax" ->
                  r < before || e == 0 ? Math.abs(e) : Math.abs(e) * Math.max(1, rowMax - row[j]);
              default -> Math.abs(e);
            };
        assertClose(
            a.name() + java.util.Arrays.toString(row) + "[" + j + "]",
            e,
            v.y()[r * outWidth + j],
            tol.rtol() * s,
            tol.floor());
      }
      for (int j = 0; j < width; j++) {
        double e = round(dtype, refVjp[j]);
        String at = a.name() + " vjp " + java.util.Arrays.toString(row) + "[" + j + "]";
        assertClose(
            at + " analytic",
            e,
            v.analytic()[r * width + j],
            tol.rtol() * Math.abs(e),
            10 * tol.eps());
        assertClose(
            at + " autodiff",
            v.analytic()[r * width + j],
            v.autodiff()[r * width + j],
            tol.rtol() * Math.abs(e),
            10 * tol.eps());
      }
      if (r < grid.length / width) { // finite differences of the reference on the grid rows
        for (int j = 0; j < width; j++) {
          double h = 1e-6;
          double[] plus = row.clone();
          double[] minus = row.clone();
          plus[j] += h;
          minus[j] -= h;
          double fd = (dot(g, a.reference(plus)) - dot(g, a.reference(minus))) / (2 * h);
          assertClose(
              a.name() + " vjp fd " + j, refVjp[j], fd, 1e-5 * Math.max(1, Math.abs(fd)), 0);
        }
      }
    }
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  @ParameterizedTest(name = "{0}''({1}) = {2}")
  @CsvSource({
    "relu, 0, 0",
    "leaky_relu, 0, 0.01",
    "prelu, 0, 0",
    "elu, 0, 1",
    "selu, 0, 1.0507009873554805",
    "relu6, 0, 0",
    "relu6, 6, 0",
    "hard_tanh, 1, 1",
    "hard_tanh, -1, 1",
    "hard_sigmoid, 3, 0",
    "hard_silu, -3, 0",
    "hard_silu, 3, 1",
    "soft_shrink, 0.5, 0",
    "hard_shrink, 0.5, 0",
    "sparse_sigmoid, 1, 0",
    "threshold, 1, 0",
    "binary_step, 0, 0",
    "celu, 0, 1"
  })
  void derivativeAtKinksIsStatedAndAutodiffAgrees(String name, double x, double expected) {
    ElementWise a = (ElementWise) Activations.get(name);
    assertEquals(expected, a.derivative(x), 1e-15, "reference");
    var v = ActivationGraph.evaluate(a, TFloat64.class, new double[] {x}, 1, new double[] {1});
    assertEquals(expected, v.analytic()[0], 1e-15, "analytic");
    assertEquals(expected, v.autodiff()[0], 1e-15, "autodiff");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "tanh",
    "sigmoid",
    "elu",
    "softplus",
    "mish",
    "softmax",
    "gelu",
    "silu",
    "squareplus"
  })
  void noOverflowAtLargeMagnitudesInFloat32(String name) {
    Activation a = Activations.get(name);
    double[] x = {1e4, -1e4, 100, -100};
    int w = a instanceof RowWise ? 4 : 1;
    var v = ActivationGraph.evaluate(a, TFloat32.class, x, w, new double[] {1, 0, 0, 0});
    for (double y : v.y()) assertTrue(Double.isFinite(y), name + " gave " + y);
    for (double d : v.autodiff()) assertTrue(Double.isFinite(d), name + "' gave " + d);
  }

  @Test
  void softmaxRowsSumToOne() {
    double[] x = new double[4000];
    Random rnd = new Random(1);
    for (int i = 0; i < x.length; i++) x[i] = rnd.nextGaussian() * (i % 7 == 0 ? 1e4 : 10);
    var v =
        ActivationGraph.evaluate(
            Activations.get("softmax"), TFloat32.class, x, 8, new double[x.length]);
    for (int r = 0; r < x.length / 8; r++) {
      double s = 0;
      for (int j = 0; j < 8; j++) s += v.y()[r * 8 + j];
      assertEquals(1.0, s, 1e-6, "row " + r);
    }
  }

  @Test
  void unknownNameListsTheValidOnes() {
    var e = assertThrows(IllegalArgumentException.class, () -> Activations.get("relu7"));
    assertTrue(e.getMessage().contains("unknown activation 'relu7'"), e.getMessage());
    for (String n : Activations.NOTEBOOK) assertTrue(e.getMessage().contains(n), n);
    assertEquals("silu", Activations.get("swish").name());
  }

  @Test
  void catalogueHasTheNotebooksNineAndKerasOthers() {
    assertEquals(Activations.NOTEBOOK, Activations.names().subList(0, 9));
    for (String keras :
        List.of(
            "celu",
            "elu",
            "exponential",
            "gelu",
            "glu",
            "hard_shrink",
            "hard_sigmoid",
            "hard_silu",
            "hard_tanh",
            "leaky_relu",
            "linear",
            "log_sigmoid",
            "log_softmax",
            "mish",
            "relu",
            "relu6",
            "selu",
            "sigmoid",
            "silu",
            "soft_shrink",
            "softmax",
            "softplus",
            "softsign",
            "sparse_plus",
            "sparse_sigmoid",
            "sparsemax",
            "squareplus",
            "tanh",
            "tanh_shrink",
            "threshold")) {
      assertEquals(keras, Activations.get(keras).name());
    }
  }
}
