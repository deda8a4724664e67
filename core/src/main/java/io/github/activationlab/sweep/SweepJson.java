package io.github.activationlab.sweep;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.github.activationlab.files.AtomicFiles;
import io.github.activationlab.sweep.SweepResults.ActivationResult;
import io.github.activationlab.sweep.SweepResults.Sweep;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A sweep's JSON file (DESIGN.md's "Sweep JSON", plus extra fields), the one format the command
 * line's {@code sweep --json}, the main job and the Spark job write, and the cross-check reads.
 *
 * <pre>{@code
 * AtomicFiles.refuseExisting(Path.of("sweep.json"), false); // before minutes of training
 * SweepResults.Sweep sweep = ...;
 * SweepJson.write(sweep, Path.of("sweep.json"), false);
 * }</pre>
 */
public final class SweepJson {
  private SweepJson() {}

  /**
   * The sweep as DESIGN.md's "Sweep JSON": {@code model, epochs, learning_rate, first_seed, seeds,
   * results[]} with, per activation, {@code activation, n, solved, solved_rate, solved_ci95,
   * final_loss{median, p10, p90}, dead_unit_rate, collapsed_rate, seconds}, in that order; then
   * extra fields: per activation {@code diverged, dead_unit_rate_per_layer, final_losses} (per
   * seed, in seed order; null for a non-finite one), and {@code data_seed, dtype, chunk, threads,
   * engine, solved_rule, collapsed_rule, percentiles, seconds_total, seed_epochs_per_second}. NaN
   * (no hidden layer, no finite loss) is written as null.
   *
   * @param s the sweep
   * @return a new JSON tree
   */
  public static JsonObject json(Sweep s) {
    JsonObject o = new JsonObject();
    o.addProperty("model", s.model());
    o.addProperty("epochs", s.epochs());
    o.add("learning_rate", num(s.learningRate()));
    o.addProperty("first_seed", s.firstSeed());
    o.addProperty("seeds", s.seeds());
    JsonArray results = new JsonArray();
    for (ActivationResult r : s.results()) {
      JsonObject a = new JsonObject();
      a.addProperty("activation", r.activation());
      a.addProperty("n", r.n());
      a.addProperty("solved", r.solved());
      a.add("solved_rate", num(r.solvedRate()));
      JsonArray ci = new JsonArray();
      ci.add(num(r.ci95().lo()));
      ci.add(num(r.ci95().hi()));
      a.add("solved_ci95", ci);
      JsonObject loss = new JsonObject();
      loss.add("median", num(r.median()));
      loss.add("p10", num(r.p10()));
      loss.add("p90", num(r.p90()));
      a.add("final_loss", loss);
      a.add("dead_unit_rate", num(r.deadUnitRate()));
      a.add("collapsed_rate", num(r.collapsedRate()));
      a.add("seconds", num(Math.round(r.seconds() * 1000) / 1000.0));
      a.addProperty("diverged", r.diverged());
      a.add("dead_unit_rate_per_layer", nums(r.deadUnitRatePerLayer()));
      a.add("final_losses", nums(r.finalLosses()));
      results.add(a);
    }
    o.add("results", results);
    o.addProperty("data_seed", s.dataSeed());
    o.addProperty("dtype", s.dtype());
    o.addProperty("chunk", s.chunk());
    o.addProperty("threads", s.threads());
    o.addProperty("engine", "tensorflow-java");
    o.addProperty("solved_rule", SweepResults.solvedRule(s.regression()));
    o.addProperty("collapsed_rule", SweepResults.COLLAPSED_RULE);
    o.addProperty(
        "percentiles",
        "over the finite final losses, linear interpolation" + " (numpy's default method)");
    o.add("seconds_total", num(Math.round(s.secondsTotal() * 1000) / 1000.0));
    o.add("seed_epochs_per_second", num(Math.round(s.seedEpochsPerSecond())));
    return o;
  }

  /**
   * The JSON as text: one top-level field a line, one result a line (its long {@code final_losses}
   * list last), so that it reads and diffs well.
   *
   * @param s the sweep
   * @return the text, ending in a newline
   */
  public static String text(Sweep s) {
    Gson gson = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
    StringBuilder b = new StringBuilder("{\n");
    List<String> fields = new ArrayList<>();
    for (Map.Entry<String, JsonElement> e : json(s).entrySet()) {
      StringBuilder f = new StringBuilder("  ").append(gson.toJson(e.getKey())).append(": ");
      if (e.getKey().equals("results")) {
        List<String> rows = new ArrayList<>();
        for (JsonElement r : e.getValue().getAsJsonArray()) rows.add("    " + gson.toJson(r));
        f.append("[\n").append(String.join(",\n", rows)).append("\n  ]");
      } else {
        f.append(gson.toJson(e.getValue()));
      }
      fields.add(f.toString());
    }
    return b.append(String.join(",\n", fields)).append("\n}\n").toString();
  }

  /**
   * Writes the JSON to {@code target} all at once ({@link AtomicFiles}: a temporary sibling moved
   * into place; an existing target is refused unless {@code force}, by the move itself).
   *
   * @param s the sweep
   * @param target the JSON file
   * @param force whether to replace an existing file
   * @return {@code target}
   * @throws FileAlreadyExistsException if {@code target} exists and {@code force} is false
   * @throws IOException if writing fails (the target is left as it was)
   */
  public static Path write(Sweep s, Path target, boolean force) throws IOException {
    return AtomicFiles.write(target, force, text(s).getBytes(StandardCharsets.UTF_8));
  }

  private static JsonElement num(double v) {
    return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
  }

  private static JsonElement num(long v) {
    return new JsonPrimitive(v);
  }

  private static JsonArray nums(double[] vs) {
    JsonArray a = new JsonArray(vs.length);
    for (double v : vs) a.add(num(v));
    return a;
  }
}
