package io.github.activationlab.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** TensorFlow Serving's command line: both flag forms, the Docker image's variables, defaults. */
class ServeCommandTest {
  static ServeCommand parse(String... args) {
    ServeCommand c = new ServeCommand();
    new CommandLine(c).parseArgs(args);
    return c;
  }

  @Test
  void flagsTakeBothForms() throws Exception {
    ServeCommand a = parse("--rest_api_port=9000", "--model_name=m", "--model_base_path=/x");
    ServeCommand b =
        parse("--rest_api_port", "9000", "--model_name", "m", "--model_base_path", "/x");
    assertEquals(9000, a.port);
    assertEquals(9000, b.port);
    assertEquals(a.configs(Map.of()), b.configs(Map.of()));
    assertEquals(
        new ModelConfigFile.ModelConfig("m", Path.of("/x"), new VersionPolicy.Latest(1), Map.of()),
        a.configs(Map.of()).get(0));
    ServeCommand d = parse("--model_base_path=/x");
    assertEquals(8501, d.port);
    assertEquals(1, d.pollSeconds);
    assertEquals(30000, d.timeoutMillis);
    assertEquals("default", d.configs(Map.of()).get(0).name());
  }

  @Test
  void dockerImageVariables() throws Exception {
    var c = parse().configs(Map.of("MODEL_NAME", "xor", "MODEL_BASE_PATH", "/models"));
    assertEquals("xor", c.get(0).name());
    assertEquals(Path.of("/models/xor"), c.get(0).basePath());
    // flags win over the variables
    var f =
        parse("--model_name=y", "--model_base_path=/b")
            .configs(Map.of("MODEL_NAME", "xor", "MODEL_BASE_PATH", "/models"));
    assertEquals("y", f.get(0).name());
    assertEquals(Path.of("/b"), f.get(0).basePath());
  }

  @Test
  void noModelIsABadCommandLine() {
    assertThrows(CommandLine.ParameterException.class, () -> parse().configs(Map.of()));
    assertThrows(
        CommandLine.UnmatchedArgumentException.class, () -> parse("--enable_batching_x=1"));
  }
}
