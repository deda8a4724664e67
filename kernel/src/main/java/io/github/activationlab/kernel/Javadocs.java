package io.github.activationlab.kernel;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * The Javadoc of core's API for {@code inspect}: JShell gives the signature of the symbol at the
 * cursor ({@code Sequential Sequential.of(int inputDim, Layer... layers)}) but finds Javadoc only
 * in the JDK's {@code src.zip}; core's sources travel in the kernel's jar ({@value #ROOT}), and the
 * comment is read from them with javac's tree API (parse only: no class path needed).
 */
final class Javadocs {
  private Javadocs() {}

  static final String ROOT = "activation-lab-core-sources";

  private static Map<String, List<String>> index; // simple class name -> resource paths

  /**
   * @param signature a signature as JShell's documentation gives it
   * @return the Javadoc of that class, method or field of core as text, or null
   */
  static String of(String signature) {
    String head =
        signature.contains("(") ? signature.substring(0, signature.indexOf('(')) : signature;
    String[] words = head.trim().split("\\s+");
    String qualified = words[words.length - 1];
    List<String> params = new ArrayList<>();
    boolean method = signature.contains("(");
    if (method) {
      String inside = signature.substring(signature.indexOf('(') + 1, signature.lastIndexOf(')'));
      for (String p : inside.split(",")) {
        String[] w = p.trim().split("\\s+");
        if (!p.isBlank()) params.add(w[w.length - 1]);
      }
    }
    String[] parts = qualified.split("\\.");
    String member = null;
    String cls = parts[parts.length - 1];
    if (method || (parts.length > 1 && Character.isLowerCase(cls.charAt(0)))) {
      member = cls;
      if (parts.length < 2) return null;
      cls = parts[parts.length - 2];
    }
    List<String> files = new ArrayList<>(index().getOrDefault(cls, List.of()));
    for (String outer : parts) { // a nested class lives in its outer class's file
      if (!outer.equals(cls)) files.addAll(index().getOrDefault(outer, List.of()));
    }
    for (String resource : files) {
      String doc = find(resource, cls, member, method ? params : null);
      if (doc != null) return doc;
    }
    return null;
  }

  private static String find(String resource, String cls, String member, List<String> params) {
    String source;
    try (InputStream in = Javadocs.class.getResourceAsStream("/" + resource)) {
      if (in == null) return null;
      source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) return null;
    SimpleJavaFileObject file =
        new SimpleJavaFileObject(
            URI.create("string:///" + resource), SimpleJavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
          }
        };
    JavacTask task =
        (JavacTask) javac.getTask(null, null, d -> {}, List.of("-proc:none"), null, List.of(file));
    DocTrees trees = DocTrees.instance(task);
    try {
      for (CompilationUnitTree unit : task.parse()) {
        String[] found = new String[1];
        new TreePathScanner<Void, Void>() {
          @Override
          public Void visitClass(ClassTree c, Void v) {
            if (found[0] == null && c.getSimpleName().contentEquals(cls)) {
              if (member == null) {
                found[0] = comment(trees, getCurrentPath());
              } else {
                for (Tree t : c.getMembers()) {
                  TreePath path = new TreePath(getCurrentPath(), t);
                  if (t instanceof MethodTree mt
                      && params != null
                      && mt.getName().contentEquals(member)
                      && names(mt).equals(params)) {
                    found[0] = comment(trees, path);
                  } else if (t instanceof VariableTree vt
                      && params == null
                      && vt.getName().contentEquals(member)) {
                    found[0] = comment(trees, path);
                  }
                  if (found[0] != null) break;
                }
              }
            }
            return super.visitClass(c, v);
          }
        }.scan(unit, null);
        if (found[0] != null) return found[0];
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  private static List<String> names(MethodTree m) {
    return m.getParameters().stream().map(p -> p.getName().toString()).toList();
  }

  private static String comment(DocTrees trees, TreePath path) {
    String raw = trees.getDocComment(path);
    return raw == null ? null : plain(raw);
  }

  /** Javadoc's markup as readable text: inline tags unwrapped, HTML tags dropped. */
  static String plain(String doc) {
    String s = doc.replaceAll("\\{@(?:code|literal) ([^}]*)}", "$1");
    s = s.replaceAll("\\{@(?:link|linkplain) ([^} ]+)(?: ([^}]*))?}", "$1");
    s = s.replaceAll("\\{@value ([^}]*)}", "$1");
    s =
        s.replaceAll(
            "(?i)<p>|</p>|<pre>|</pre>|<ul>|</ul>|<li>|</li>|<b>|</b>|<i>|</i>|<em>|</em>", "");
    s = s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    return s.strip();
  }

  private static synchronized Map<String, List<String>> index() {
    if (index != null) return index;
    Map<String, List<String>> idx = new HashMap<>();
    URL root = Javadocs.class.getResource("/" + ROOT);
    if (root != null) {
      try {
        URI uri = root.toURI();
        Path dir;
        FileSystem fs = null;
        if (uri.getScheme().equals("jar")) {
          try {
            fs = FileSystems.getFileSystem(uri);
          } catch (FileSystemNotFoundException e) {
            fs = FileSystems.newFileSystem(uri, Map.of());
          }
          dir = fs.getPath("/" + ROOT);
        } else {
          dir = Path.of(uri);
        }
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
            String name = p.getFileName().toString().replace(".java", "");
            String rel = ROOT + "/" + dir.relativize(p).toString().replace('\\', '/');
            idx.computeIfAbsent(name, k -> new ArrayList<>()).add(rel);
          }
        }
      } catch (Exception e) {
        // no index: inspect shows signatures only
      }
    }
    return index = idx;
  }
}
