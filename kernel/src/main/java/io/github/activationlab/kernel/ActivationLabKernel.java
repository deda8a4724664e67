package io.github.activationlab.kernel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;

/**
 * The Java kernel on jjava-jupyter's {@link BaseKernel} (Jupyter's channels, messages, display
 * data): {@code execute} runs the cell with {@link CellRunner}, {@code complete}, {@code inspect}
 * and {@code is_complete} ask JShell's source analysis (with core's Javadoc from {@link Javadocs}),
 * {@code interrupt} stops the cell ({@link CellRunner#interrupt()}), {@code shutdown} ends the
 * cells' JVM. A failed cell is an {@code error} output with the cell's line, and the kernel carries
 * on.
 */
public final class ActivationLabKernel extends BaseKernel {
  /** The kernelspec's name. */
  public static final String NAME = "activation-lab";

  /** The kernelspec's display name. */
  public static final String DISPLAY_NAME = "Java (Activation Lab)";

  private final CellRunner runner;

  /**
   * @param classPath the class path of the cells' JVM (the kernel's own)
   */
  public ActivationLabKernel(String classPath) {
    super(
        NAME,
        "0.1.0",
        new LanguageInfo.Builder("java")
            .version(Runtime.version().toString())
            .mimetype("text/x-java-source")
            .fileExtension(".jshell")
            .pygments("java")
            .codemirror("text/x-java")
            .build(),
        List.of(),
        null,
        new KernelIO(),
        new CommManager(),
        new Renderer(),
        null,
        new MagicsRegistry(),
        false,
        new StringStyler.Builder().build());
    this.runner =
        new CellRunner(
            classPath,
            new CellRunner.Output() {
              @Override
              public void stdout(String text) {
                synchronized (io.out) {
                  io.out.print(text);
                  io.out.flush();
                }
              }

              @Override
              public void stderr(String text) {
                synchronized (io.err) {
                  io.err.print(text);
                  io.err.flush();
                }
              }

              @Override
              public void display(MimeBundle bundle) {
                io.display.display(displayData(bundle));
              }
            });
  }

  /** Starts the cells' JVM now, so that the first cell does not wait for it. */
  void warmUp() {
    Thread t =
        new Thread(
            () -> {
              try {
                runner.analysis();
              } catch (RuntimeException e) {
                // the first cell reports it
              }
            },
            "kernel-warm-up");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public String getBanner() {
    return DISPLAY_NAME + ": Java " + Runtime.version() + " (JShell), TensorFlow Java";
  }

  @Override
  public Object evalRaw(String source) {
    MimeBundle b = runner.run(source, executionCount.get() - 1);
    return b == null ? null : displayData(b);
  }

  @Override
  public DisplayData eval(String source) {
    return (DisplayData) evalRaw(source);
  }

  static DisplayData displayData(MimeBundle b) {
    DisplayData d = new DisplayData();
    for (Map.Entry<String, String> e : b.data().entrySet()) d.putData(e.getKey(), e.getValue());
    return d;
  }

  /** As BaseKernel's, with the cell's own error name, message and trimmed traceback. */
  @Override
  protected synchronized void handleExecuteRequest(
      ShellReplyEnvironment env, Message<ExecuteRequest> message) {
    commManager.setMessageContext(message);
    ExecuteRequest request = message.getContent();
    int count = executionCount.getAndIncrement();
    env.setBusyDeferIdle();
    env.publish(new PublishExecuteInput(request.getCode(), count));
    replaceOutputStreams(env);
    KernelIO kio = (KernelIO) io;
    kio.attach(env);
    env.defer(() -> kio.detach(env));
    try {
      DisplayData out = eval(request.getCode());
      io.out.flush();
      io.err.flush();
      if (out != null) env.publish(new PublishExecuteResult(count, out));
      env.defer().reply(new ExecuteReply(count, Collections.emptyMap()));
    } catch (RuntimeException e) {
      io.out.flush();
      io.err.flush();
      CellError c =
          e instanceof CellError ce
              ? ce
              : new CellError(
                  e.getClass().getSimpleName(),
                  String.valueOf(e.getMessage()),
                  List.of("kernel error: " + e));
      env.publish(new PublishError(c.name, c.getMessage(), c.traceback));
      ErrorReply reply = new ErrorReply(c.name, c.getMessage(), c.traceback);
      reply.setExecutionCount(count);
      env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
    }
  }

  /**
   * Jupyter's IO with its environment attachable from here (BaseKernel's methods are protected).
   */
  private static final class KernelIO extends JupyterIO {
    KernelIO() {
      super(StandardCharsets.UTF_8);
    }

    void attach(ShellReplyEnvironment env) {
      setEnv(env);
    }

    void detach(ShellReplyEnvironment env) {
      retractEnv(env);
    }
  }

  @Override
  public DisplayData inspect(String code, int at, boolean extraDetail) {
    JShell js = runner.analysis();
    SourceCodeAnalysis sca = js.sourceCodeAnalysis();
    Cells.Piece p = Cells.at(Cells.split(sca, code), at);
    if (p == null) return null;
    String text = code.substring(p.offset());
    List<String> parts = new ArrayList<>();
    for (SourceCodeAnalysis.Documentation d : sca.documentation(text, at - p.offset(), false)) {
      String doc = Javadocs.of(d.signature());
      parts.add(d.signature() + (doc == null ? "" : "\n\n" + doc));
    }
    return parts.isEmpty() ? null : new DisplayData(String.join("\n\n", parts));
  }

  @Override
  public ReplacementOptions complete(String code, int at) {
    JShell js = runner.analysis();
    SourceCodeAnalysis sca = js.sourceCodeAnalysis();
    Cells.Piece p = Cells.at(Cells.split(sca, code), at);
    int start = p == null ? 0 : p.offset();
    int[] anchor = new int[1];
    List<String> options =
        sca.completionSuggestions(code.substring(start), at - start, anchor).stream()
            .map(SourceCodeAnalysis.Suggestion::continuation)
            .distinct()
            .toList();
    return new ReplacementOptions(options, start + anchor[0], at);
  }

  @Override
  public String isComplete(String code) {
    List<Cells.Piece> pieces = Cells.split(runner.analysis().sourceCodeAnalysis(), code);
    if (pieces.isEmpty()) return IS_COMPLETE_YES;
    Cells.Piece last = pieces.get(pieces.size() - 1);
    if (last.completeness() == Completeness.UNKNOWN) return IS_COMPLETE_BAD;
    if (last.completeness().isComplete()) return IS_COMPLETE_YES;
    String lastLine = code.substring(code.lastIndexOf('\n') + 1);
    String indent = lastLine.substring(0, Cells.leadingBlank(lastLine));
    String t = lastLine.strip();
    return t.endsWith("{") || t.endsWith("(") ? indent + "    " : indent;
  }

  @Override
  public void interrupt() {
    runner.interrupt();
  }

  @Override
  public void onShutdown(boolean isRestarting) {
    runner.close();
    super.onShutdown(isRestarting);
  }
}
