package io.github.activationlab.spark;

import io.github.activationlab.savedmodel.LoadedModel;
import io.github.activationlab.savedmodel.PredictFormat;
import io.github.activationlab.savedmodel.Predictor;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.io.Text;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;

/**
 * What the tasks of {@code predict} do with a partition, given where it sits in the input.
 *
 * <p>The command line predicts its rows in batches of {@value PredictFormat#BATCH} counted from the
 * first row, and a row's float32 output can differ in its last bit with the batch it is computed in
 * (TensorFlow's matmul kernels sum in another order at a batch's edges). So the tasks predict
 * exactly the command line's batches: batch b holds the rows {@code b * BATCH .. (b + 1) * BATCH -
 * 1} of the whole input (counted from 0). A task predicts the batches that lie wholly in its
 * partition and hands the rows of a batch cut by a partition's edge to the driver ({@link
 * Fragment}), which has such batches (at most one per edge) predicted whole ({@link
 * #predict(Batch)}).
 *
 * <p>Every task takes the JVM's model ({@link ModelCache}): loaded once per executor JVM.
 */
final class PredictTask implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How a partition's items become rows of numbers. */
  interface Reader<T> extends Serializable {
    /** Whether an item is a data row (not a blank or {@code #} line). */
    boolean isData(T item);

    /**
     * Parses data row {@code row} (numbered in the whole input, from 1) into {@code cells} and
     * returns its column count; the values may outgrow {@link Cells#values}, which then grows.
     *
     * @throws IllegalArgumentException the command line's message, "input row N: ..."
     */
    int parse(T item, long row, Cells cells);

    /** The item's place in its file, if the item says it (Parquet rows), else null. */
    default Object[] key(T item) {
      return null;
    }
  }

  /** The values of one row, in an array that grows as needed. */
  static final class Cells {
    double[] values = new double[16];
  }

  /** Text lines: CSV rows as the command line parses them ({@link PredictFormat#parseRow}). */
  static Reader<String> csv(boolean skipComments) {
    return new Reader<>() {
      public boolean isData(String line) {
        return !skipComments || PredictFormat.isDataLine(line);
      }

      public int parse(String line, long row, Cells cells) {
        int c = PredictFormat.parseRow(line, row, cells.values);
        if (c > cells.values.length) {
          cells.values = new double[c];
          PredictFormat.parseRow(line, row, cells.values);
        }
        return c;
      }
    };
  }

  /**
   * Lines of a CSV file as Hadoop reads them (UTF-8 bytes in a reused {@link Text}): parsed from
   * the bytes by the command line's parser ({@link PredictFormat#parseRow(byte[], int, int, long,
   * double[])}), without making a String for a row of plain numbers.
   */
  static Reader<Text> text() {
    return new Reader<>() {
      public boolean isData(Text line) {
        return PredictFormat.isDataLine(line.getBytes(), 0, line.getLength());
      }

      public int parse(Text line, long row, Cells cells) {
        byte[] b = line.getBytes();
        int n = line.getLength();
        int c = PredictFormat.parseRow(b, 0, n, row, cells.values);
        if (c > cells.values.length) {
          cells.values = new double[c];
          PredictFormat.parseRow(b, 0, n, row, cells.values);
        }
        return c;
      }
    };
  }

  /**
   * Parquet rows selected as {@code file_path, row_index, value columns...}: every value a finite
   * float32 value, as a CSV cell must be; a null is a bad row.
   */
  static Reader<Row> parquet(String[] names) {
    return new Reader<>() {
      public boolean isData(Row r) {
        return true;
      }

      public int parse(Row r, long row, Cells cells) {
        int c = r.length() - 2;
        if (cells.values.length < c) cells.values = new double[c];
        for (int k = 0; k < c; k++) {
          if (r.isNullAt(k + 2)) {
            throw new IllegalArgumentException(
                "input row " + row + ": column '" + names[k] + "' is null");
          }
          double v = r.getDouble(k + 2);
          if (!PredictFormat.finiteFloat(v)) {
            throw new IllegalArgumentException(
                "input row " + row + ": '" + v + "' is not a finite float32 value");
          }
          cells.values[k] = v;
        }
        return c;
      }

      public Object[] key(Row r) {
        return new Object[] {r.getString(0), r.getLong(1)};
      }
    };
  }

  /**
   * A partition's place and size: {@code file} and {@code start} order the partitions as the input
   * (the file and the partition's first byte or row in it); {@code rows}: its data rows.
   */
  record Place(int partition, String file, long start, long rows)
      implements Serializable, Comparable<Place> {
    @Override
    public int compareTo(Place o) {
      int c = file.compareTo(o.file);
      return c != 0 ? c : Long.compare(start, o.start);
    }
  }

  /** Rows of one batch that lie in one partition: {@code first} is the first one's input index. */
  record Fragment(long batch, long first, int rows, int width, double[] values)
      implements Serializable {}

  /** A batch cut by partition edges, put together again: its rows' inputs, row-major. */
  record Batch(long batch, int rows, int width, double[] values) implements Serializable {}

  /**
   * The lines of whole batches, ASCII; a partition's last block has no lines but its {@link Meta}.
   */
  record Block(int rows, byte[] text, Meta meta) implements Serializable {}

  /**
   * What a partition's task tells the driver besides its lines: the header line, the rows of the
   * batches cut by its edges ({@code head}: of a batch begun before it; {@code tail}: of a batch
   * that begins in it and goes on after it; either may be null), the JVM that ran it and the models
   * that JVM had loaded.
   */
  record Meta(int partition, String header, Fragment head, Fragment tail, String jvm, int loads)
      implements Serializable {}

  /** A bad row: the command line's message for it, naming its number in the whole input. */
  static final class BadRow extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRow(String message) {
      super(message);
    }
  }

  /** The model could not be loaded where a task ran. */
  static final class ModelUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ModelUnavailable(String message) {
      super(message);
    }
  }

  private final String model;
  private final String driverDir;
  private final long firstColumns;
  private final String eol;
  private final int failFirstAttempt;

  /**
   * @param model the model's path as the user gave it
   * @param driverDir the driver's working directory (a relative path is resolved against it)
   * @param firstColumns the first data row's column count: the width when the model names none
   * @param eol the driver's line end
   * @param failFirstAttempt a partition whose first attempt fails on purpose (a test hook), or -1
   */
  PredictTask(String model, String driverDir, long firstColumns, String eol, int failFirstAttempt) {
    this.model = model;
    this.driverDir = driverDir;
    this.firstColumns = firstColumns;
    this.eol = eol;
    this.failFirstAttempt = failFirstAttempt;
  }

  /** Counts a partition's data rows; its place is its first item's if the items say it. */
  static <T> Iterator<Place> count(
      int partition, String file, long start, Iterator<T> items, Reader<T> reader) {
    long rows = 0;
    Object[] key = null;
    while (items.hasNext()) {
      T item = items.next();
      if (!reader.isData(item)) continue;
      if (rows++ == 0) key = reader.key(item);
    }
    return List.of(
            key == null
                ? new Place(partition, file, start, rows)
                : new Place(partition, (String) key[0], (Long) key[1], rows))
        .iterator();
  }

  /** The JVM's model, or a {@link ModelUnavailable} that says where it could not be loaded. */
  private LoadedModel model() {
    try {
      return ModelCache.get(model, driverDir);
    } catch (RuntimeException e) {
      throw new ModelUnavailable(
          "cannot load the model on executor " + executor() + ": " + SparkJobs.oneLine(e));
    }
  }

  /** This executor's id and process ({@code pid@host}). */
  static String executor() {
    SparkEnv env = SparkEnv.get();
    return (env == null ? "?" : env.executorId())
        + " ("
        + ManagementFactory.getRuntimeMXBean().getName()
        + ")";
  }

  private long width(LoadedModel m) {
    return m.inputWidth() >= 0 ? m.inputWidth() : firstColumns;
  }

  /**
   * Predicts a partition whose first data row is row {@code offset} of the whole input (from 0), of
   * {@code total}: lazily, one whole batch per block; then the {@link Meta}.
   */
  <T> Iterator<Block> predict(
      int partition, long offset, long total, Iterator<T> items, Reader<T> reader) {
    TaskContext t = TaskContext.get();
    if (t != null && partition == failFirstAttempt && t.attemptNumber() == 0) {
      throw new IllegalStateException(
          "injected failure of partition " + partition + " (test hook)");
    }
    LoadedModel m = model();
    long width = width(m);
    int w = (int) Math.max(width, 1);
    int size = PredictFormat.BATCH;
    return new Iterator<>() {
      final Cells cells = new Cells();
      final double[] batch = new double[size * w];
      final StringBuilder b = new StringBuilder(size * 48);
      double[] y;
      long next = offset; // the input index of the next data row
      Fragment head;
      boolean done;

      public boolean hasNext() {
        return !done;
      }

      public Block next() {
        if (done) throw new NoSuchElementException();
        while (true) {
          long first = next;
          long batchNo = first / size;
          long batchEnd = Math.min((batchNo + 1) * size, total); // exclusive
          int n = 0;
          while (next < batchEnd && items.hasNext()) {
            T item = items.next();
            if (!reader.isData(item)) continue;
            long row = next + 1;
            int c;
            try {
              c = reader.parse(item, row, cells);
            } catch (IllegalArgumentException e) {
              throw new BadRow(e.getMessage());
            }
            if (width >= 0 && c != width) throw new BadRow(m.columnsError(row, c, width));
            System.arraycopy(cells.values, 0, batch, n * w, w);
            n++;
            next++;
          }
          if (n == 0) {
            done = true;
            return new Block(0, new byte[0], meta(partition, m, head, null));
          }
          boolean whole = first == batchNo * size && next == batchEnd;
          if (!whole) {
            Fragment f = new Fragment(batchNo, first, n, w, Arrays.copyOf(batch, n * w));
            if (first != batchNo * size) {
              head = f; // a batch begun in an earlier partition
              if (next < batchEnd) { // ... that goes on after this one too
                done = true;
                return new Block(0, new byte[0], meta(partition, m, head, null));
              }
              continue;
            }
            done = true; // a batch that begins here and goes on after this partition
            return new Block(0, new byte[0], meta(partition, m, head, f));
          }
          Predictor.Outputs o = m.predict(batch, n, w, y);
          y = o.values();
          return new Block(n, lines(batch, n, w, o), null);
        }
      }
    };
  }

  /** Predicts a batch put together from fragments: its lines. */
  byte[] predict(Batch batch) {
    LoadedModel m = model();
    Predictor.Outputs o = m.predict(batch.values(), batch.rows(), batch.width(), null);
    return lines(batch.values(), batch.rows(), batch.width(), o);
  }

  /**
   * Checks a partition's rows without predicting (the driver's look for the first bad row of a
   * failed job): the message of its first bad row, or nothing.
   */
  <T> Iterator<String> check(long offset, Iterator<T> items, Reader<T> reader) {
    LoadedModel m = model();
    long width = width(m);
    Cells cells = new Cells();
    long row = offset;
    while (items.hasNext()) {
      T item = items.next();
      if (!reader.isData(item)) continue;
      row++;
      try {
        int c = reader.parse(item, row, cells);
        if (width >= 0 && c != width) return List.of(m.columnsError(row, c, width)).iterator();
      } catch (IllegalArgumentException e) {
        return List.of(e.getMessage()).iterator();
      }
    }
    return List.<String>of().iterator();
  }

  private Meta meta(int partition, LoadedModel m, Fragment head, Fragment tail) {
    return new Meta(
        partition,
        PredictFormat.header(m, eol),
        head,
        tail,
        ManagementFactory.getRuntimeMXBean().getName(),
        ModelCache.loads());
  }

  private byte[] lines(double[] x, int n, int w, Predictor.Outputs o) {
    StringBuilder b = new StringBuilder(n * 48);
    for (int i = 0; i < n; i++) {
      PredictFormat.appendRow(b, x, i * w, w, o.values(), i * o.width(), o.width(), eol);
    }
    int len = b.length();
    byte[] out = new byte[len];
    for (int i = 0; i < len; i++) out[i] = (byte) b.charAt(i); // ASCII: digits, '-', '.', 'E'
    return out;
  }

  /** The last {@link Meta} of a partition's blocks (the driver's first look at them). */
  static Iterator<Meta> lastMeta(Iterator<Block> blocks) {
    Meta meta = null;
    while (blocks.hasNext()) {
      Block b = blocks.next();
      if (b.meta() != null) meta = b.meta();
    }
    List<Meta> out = new ArrayList<>(1);
    if (meta != null) out.add(meta);
    return out.iterator();
  }
}
