package io.github.activationlab.examples;

import java.nio.file.Files;

/** Every example in full, one after the other ({@code mvn -q compile exec:java}). */
public final class RunAll {
  private RunAll() {}

  public static void main(String[] args) throws Exception {
    System.out.println("== XorMlp");
    XorMlp.runExample(Files.createTempDirectory("xor-mlp"));
    System.out.println("== KerasFile");
    KerasFile.runExample(Files.createTempDirectory("keras-file"), Examples.data("xor.keras"));
    System.out.println("== ServeSavedModel");
    ServeSavedModel.runExample(Examples.data("keras-xor-savedmodel"), 1000);
    System.out.println("== EvaluateActivation");
    EvaluateActivation.runExample("elu", 1_000_000);
  }
}
