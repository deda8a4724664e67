package io.github.activationlab.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.github.activationlab.bench.Bench;
import io.github.activationlab.bench.GatesExport;
import io.github.activationlab.bench.TrainingBench;
import io.github.activationlab.plot.Charts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Training speed of the notebook's models (the default); with --json, every Java "
            + "measurement of scripts/bench.sh; with --chart, the ratio chart of its report; with "
            + "--gates-export, the six gate models fitted and exported (SavedModels), nothing else "
            + "(the Java side of bench.sh's cold whole-process row).")
final class BenchCommand implements Callable<Integer> {
  @Option(
      names = "--repeats",
      defaultValue = "5",
      description = "timed runs per row (default: ${DEFAULT-VALUE})")
  int repeats;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "run every Java measurement, write them here")
  Path json;

  @Option(
      names = "--chart",
      paramLabel = "RESULTS_JSON",
      description = "draw bench-ratios.png from a report")
  Path chart;

  @Option(
      names = "--graphs",
      paramLabel = "DIR",
      defaultValue = "graphs",
      description = "where the chart goes")
  Path graphs;

  @Option(
      names = "--gates-export",
      paramLabel = "DIR",
      description =
          "fit the six gate models as the notebook does and export each to DIR/<name>/1/ "
              + "(replacing what is there; one thread per core); no charts, no .keras files; with"
              + " --json FILE, where the time went")
  Path gatesExport;

  @Option(
      names = "--only",
      paramLabel = "SECTION[,SECTION...]",
      split = ",",
      description =
          "with --json: only these sections (xor, relu, activations, serving, sweep, scaling: the"
              + " warm sweep at 1,000 to 1,000,000 seeds)")
  List<String> only;

  @Option(
      names = "--native-env",
      description =
          "print the native settings the library applies (tf.NativeRuntime.SETTINGS), one"
              + " KEY=VALUE a line, for the Python side of a benchmark")
  boolean nativeEnv;

  @Option(
      names = "--sweep-seeds",
      defaultValue = "1000",
      description = "seeds of the warm seed-sweep rows of --json (default: ${DEFAULT-VALUE})")
  int sweepSeeds;

  @Override
  public Integer call() throws Exception {
    if (repeats <= 0)
      throw new IllegalArgumentException("--repeats must be positive, got " + repeats);
    if (chart != null) {
      drawChart(chart, graphs.resolve("bench-ratios.png"));
      return 0;
    }
    if (nativeEnv) {
      new java.util.TreeMap<>(io.github.activationlab.tf.NativeRuntime.SETTINGS)
          .forEach((k, v) -> System.out.println(k + "=" + v));
      return 0;
    }
    if (gatesExport != null) {
      Map<String, Double> times = new java.util.concurrent.ConcurrentHashMap<>();
      GatesExport.write(gatesExport, 42, times);
      if (json != null) Bench.writeJson(new java.util.TreeMap<>(times), json);
      return 0;
    }
    if (sweepSeeds <= 0)
      throw new IllegalArgumentException("--sweep-seeds must be positive, got " + sweepSeeds);
    if (json != null) {
      Bench.writeJson(
          Bench.run(repeats, sweepSeeds, only == null ? Bench.DEFAULT_SECTIONS : only, System.out),
          json);
      return 0;
    }
    TrainingBench.print(TrainingBench.run(repeats), System.out);
    return 0;
  }

  static void drawChart(Path results, Path png) throws Exception {
    if (!Files.isRegularFile(results))
      throw new java.nio.file.NoSuchFileException(results.toString());
    JsonArray rows = JsonParser.parseString(Files.readString(results)).getAsJsonArray();
    List<String> names = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    for (JsonElement e : rows) {
      var o = e.getAsJsonObject();
      if (o.get("ratio") == null || o.get("ratio").isJsonNull()) continue;
      String what = o.get("what").getAsString();
      if (o.has("id")) what = o.get("id").getAsString() + " " + what;
      names.add(what.length() > 70 ? what.substring(0, 67) + "..." : what);
      ratios.add(Math.log10(o.get("ratio").getAsDouble()));
    }
    CategoryChart c =
        new CategoryChartBuilder()
            .width(1400)
            .height(900)
            .title(
                "Java vs Python, same machine, same run: log10(ratio); above 0 Java is faster (1 ="
                    + " 10x, 3 = 1000x)")
            .xAxisTitle("")
            .yAxisTitle("log10(ratio)")
            .build();
    c.getStyler().setLegendVisible(false);
    c.getStyler().setXAxisLabelRotation(75);
    c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    c.getStyler()
        .setAxisTickLabelsFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 9));
    c.addSeries("ratio", names, ratios);
    Charts.save(c, png);
  }
}
