package io.github.activationlab.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * The kernel process Jupyter starts from the kernelspec ({@code java -cp JAR
 * io.github.activationlab.kernel.KernelMain CONNECTION_FILE}): it binds Jupyter's five sockets as
 * the connection file says, starts the cells' JVM, and serves until a shutdown request.
 */
public final class KernelMain {
  private KernelMain() {}

  /**
   * @param args the connection file Jupyter wrote
   * @throws Exception when the connection file cannot be read or the sockets cannot be bound
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: KernelMain CONNECTION_FILE (Jupyter starts the kernel)");
      System.exit(2);
    }
    Path file = Path.of(args[0]);
    if (!Files.isRegularFile(file)) {
      System.err.println("error: no such connection file: " + file);
      System.exit(1);
    }
    KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(file));
    JupyterConnection connection = new JupyterConnection(props);
    ActivationLabKernel kernel = new ActivationLabKernel(System.getProperty("java.class.path"));
    kernel.onStartup();
    kernel.becomeHandlerForConnection(connection);
    connection.connect();
    kernel.warmUp();
    connection.waitUntilClose();
    System.exit(0);
  }
}
