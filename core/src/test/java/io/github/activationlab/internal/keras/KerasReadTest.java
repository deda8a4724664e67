package io.github.activationlab.internal.keras;

import static io.github.activationlab.internal.keras.KerasTestFiles.expected;
import static io.github.activationlab.internal.keras.KerasTestFiles.expectedJson;
import static io.github.activationlab.internal.keras.KerasTestFiles.fixture;
import static io.github.activationlab.internal.keras.KerasTestFiles.matrix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading the .keras files Keras 3.15 wrote (scripts/make_keras_fixtures.py). */
class KerasReadTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "xor_mlp",
        "bce",
        "prelu_tanh",
        "float64_input",
        "float64",
        "activation_layers",
        "uncompiled"
      })
  void readsWhatKerasSaved(String name) throws Exception {
    KerasModelFile got = KerasFiles.read(fixture(name + ".keras"));
    // architecture, weights (exactly: float32 widened), compile config and Adam state
    assertEquals(expected(expectedJson(name)), got);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "xor_mlp",
        "bce",
        "prelu_tanh",
        "float64_input",
        "float64",
        "activation_layers",
        "uncompiled"
      })
  void weightsPredictWhatKerasPredicted(String name) throws Exception {
    KerasModelFile m = KerasFiles.read(fixture(name + ".keras"));
    JsonObject probe = expectedJson(name).getAsJsonObject("probe");
    double[][] y = KerasTestFiles.predict(m, matrix(probe.get("x")));
    double[][] want = matrix(probe.get("y"));
    for (int i = 0; i < y.length; i++) {
      assertArrayEquals(want[i], y[i], 1e-6, name + " row " + i);
    }
  }

  @Test
  void xorMlpFacts() throws Exception {
    KerasModelFile m = KerasFiles.read(fixture("xor_mlp.keras"));
    assertEquals("xor-mlp", m.name());
    assertEquals(2, m.inputDim());
    assertEquals("float32", m.inputDtype());
    assertEquals("3.15.1", m.kerasVersion());
    // h5 groups are layers/dense and layers/dense_1; the names come from config.json
    assertEquals(List.of("hidden", "output"), m.layers().stream().map(KerasLayer::name).toList());
    KerasLayer hidden = m.layers().get(0);
    assertEquals(KerasLayer.DENSE, hidden.className());
    assertEquals(2, hidden.units());
    assertEquals("sigmoid", hidden.activation());
    assertArrayEquals(new long[] {2, 2}, hidden.weight("kernel").shape());
    assertEquals("mse", m.compile().loss());
    assertEquals("Adam", m.compile().optimizer());
    assertEquals(0.009999999776482582, m.compile().optimizerNumber("learning_rate", 0));
    assertEquals(1e-7, m.compile().optimizerNumber("epsilon", 0));
    assertEquals(false, m.compile().optimizerConfig().get("amsgrad"));
    assertEquals(List.of(), m.compile().metrics());
    assertEquals(5, m.adam().iterations());
    assertEquals((double) 0.01f, m.adam().learningRate());
    assertEquals(4, m.adam().m().size());
    assertEquals(4, m.trainableWeights().size());
  }

  @Test
  void activationLayersAreNormalised() throws Exception {
    KerasModelFile m = KerasFiles.read(fixture("activation_layers.keras"));
    var acts =
        m.layers().stream()
            .filter(l -> l.className().equals(KerasLayer.ACTIVATION))
            .map(l -> l.activation() + " " + l.activationParams())
            .toList();
    assertEquals(
        List.of(
            "leaky_relu {negative_slope=0.01}",
            "elu {alpha=0.5}",
            "gelu {}",
            "relu {max_value=6.0}",
            "softmax {axis=-1.0}"),
        acts);
    var dense =
        m.layers().stream()
            .filter(l -> l.className().equals(KerasLayer.DENSE))
            .map(KerasLayer::activation)
            .toList();
    assertEquals(List.of("linear", "linear", "linear", "silu", "hard_sigmoid"), dense);
    assertEquals("categorical_crossentropy", m.compile().loss());
    assertEquals(10, m.adam().m().size()); // 5 Dense x (kernel, bias); activation layers none
  }

  @Test
  void float64LayersAndTheNotebooksFloat64Input() throws Exception {
    KerasModelFile in = KerasFiles.read(fixture("float64_input.keras"));
    assertEquals("float64", in.inputDtype());
    assertEquals("float32", in.layers().get(0).dtype());
    KerasModelFile f64 = KerasFiles.read(fixture("float64.keras"));
    assertEquals("float64", f64.inputDtype());
    assertEquals("float64", f64.layers().get(0).dtype());
    assertEquals("binary_crossentropy", f64.compile().loss());
  }

  @Test
  void metricsAndUncompiled() throws Exception {
    assertEquals(List.of("accuracy"), KerasFiles.read(fixture("bce.keras")).compile().metrics());
    KerasModelFile u = KerasFiles.read(fixture("uncompiled.keras"));
    assertNull(u.compile());
    assertNull(u.adam());
    KerasLayer prelu = KerasFiles.read(fixture("prelu_tanh.keras")).layers().get(1);
    assertEquals(KerasLayer.PRELU, prelu.className());
    assertArrayEquals(new long[] {3}, prelu.weight("alpha").shape());
    assertEquals(Map.of(), prelu.activationParams());
  }
}
