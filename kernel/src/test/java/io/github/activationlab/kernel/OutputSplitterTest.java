package io.github.activationlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kernel's end of the cells' stdout: text and frames apart, in order, whole characters. */
class OutputSplitterTest {
  final List<String> seen = new ArrayList<>();
  final OutputSplitter s =
      new OutputSplitter(t -> seen.add("text:" + t), f -> seen.add(f.kind() + ":" + f.data()));

  void write(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    s.write(b, 0, b.length);
  }

  @Test
  void framesAndTextKeepTheirOrder() {
    write("a\nb");
    write(Frames.encode("display", Map.of("text/plain", "x")));
    write("c\n");
    assertEquals(List.of("text:a\n", "text:b", "display:{text/plain=x}", "text:c\n"), seen);
  }

  @Test
  void aLineWrittenInPiecesIsOneTextAndFlushWaitsForTheLine() {
    write("1.5");
    s.flush();
    write(" s\n");
    assertEquals(List.of("text:1.5 s\n"), seen);
  }

  @Test
  void aCharacterSplitAcrossWritesIsNotCut() {
    byte[] b = "é\n".getBytes(StandardCharsets.UTF_8);
    s.write(b, 0, 1);
    s.drain();
    assertEquals(List.of(), seen, "half a character is held back");
    s.write(b, 1, b.length - 1);
    assertEquals(List.of("text:é\n"), seen);
  }

  @Test
  void aNulWithoutTheTagIsText() {
    write("\u0000hello\n");
    assertEquals(List.of("text:\u0000hello\n"), seen);
  }
}
