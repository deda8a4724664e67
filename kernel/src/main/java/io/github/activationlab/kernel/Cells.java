package io.github.activationlab.kernel;

import java.util.ArrayList;
import java.util.List;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

/** A cell cut into JShell snippets, each with its place in the cell (for lines and cursors). */
final class Cells {
  private Cells() {}

  /**
   * One snippet of a cell.
   *
   * @param source the snippet as JShell runs it (JShell may have added a closing semicolon)
   * @param offset where it starts in the cell
   * @param length how many characters of the cell it takes
   * @param completeness JShell's verdict: complete, complete without its semicolon, incomplete
   */
  record Piece(String source, int offset, int length, Completeness completeness) {}

  /**
   * Splits a cell into snippets; an incomplete tail (a missing brace) is the last piece, whitespace
   * and comments after the last snippet are dropped.
   */
  static List<Piece> split(SourceCodeAnalysis sca, String cell) {
    List<Piece> pieces = new ArrayList<>();
    String rest = cell;
    int offset = 0;
    while (!rest.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = sca.analyzeCompletion(rest);
      if (info.completeness() == Completeness.EMPTY) break;
      if (!info.completeness().isComplete()) {
        pieces.add(new Piece(rest, offset, rest.length(), info.completeness()));
        break;
      }
      int used = rest.length() - info.remaining().length();
      pieces.add(new Piece(info.source(), offset, used, info.completeness()));
      offset += used;
      rest = info.remaining();
    }
    return pieces;
  }

  /** The snippet that holds the cursor (the last one when the cursor is past them all), or null. */
  static Piece at(List<Piece> pieces, int cursor) {
    for (Piece p : pieces) {
      if (cursor <= p.offset() + p.length()) return p;
    }
    return pieces.isEmpty() ? null : pieces.get(pieces.size() - 1);
  }

  /** The 1-based line of a character offset in a text. */
  static int line(String text, int offset) {
    int line = 1;
    for (int i = 0; i < Math.min(offset, text.length()); i++) if (text.charAt(i) == '\n') line++;
    return line;
  }

  /** The text of a 1-based line, or "". */
  static String lineText(String text, int line) {
    List<String> lines = text.lines().toList();
    return line >= 1 && line <= lines.size() ? lines.get(line - 1) : "";
  }

  /** How many whitespace characters start a text. */
  static int leadingBlank(String s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    return i;
  }
}
