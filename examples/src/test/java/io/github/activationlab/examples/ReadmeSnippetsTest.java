package io.github.activationlab.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's Java snippets compile and run as written: every ```java block preceded by {@code
 * <!-- example: FILE -->} is, line for line (indentation aside), a run of lines of that file of this
 * project, which the build compiles and {@link ExamplesTest} runs.
 */
class ReadmeSnippetsTest {
  static final Pattern BLOCK =
      Pattern.compile("<!-- example: ([A-Za-z]+\\.java) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyMarkedReadmeSnippetIsCodeOfAnExample() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    Matcher m = BLOCK.matcher(readme);
    List<String> checked = new ArrayList<>();
    while (m.find()) {
      Path source = Path.of("src/main/java/io/github/activationlab/examples", m.group(1));
      List<String> file = Files.readAllLines(source).stream().map(String::strip).toList();
      List<String> snippet = m.group(2).lines().map(String::strip).toList();
      assertFalse(snippet.isEmpty(), m.group(1));
      assertTrue(
          java.util.Collections.indexOfSubList(file, snippet) >= 0,
          "the README's snippet is not code of " + source + ":\n" + m.group(2));
      checked.add(m.group(1));
    }
    assertTrue(
        checked.containsAll(List.of("XorMlp.java", "KerasFile.java")),
        "the README's nn and Keras-files snippets are marked: " + checked);
  }
}
