package io.github.activationlab.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The server's Prometheus metrics, named as TensorFlow Serving names its own ({@code
 * :tensorflow:serving:request_count}, {@code ...:request_latency} in microseconds with its buckets,
 * {@code ...:load_attempt_count}; the client library appends {@code _total} to counters), plus the
 * models' served versions, requests in flight and the JVM's metrics. Served in Prometheus's text
 * format at {@code /monitoring/prometheus/metrics}.
 */
final class ServeMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests;
  private final Histogram latency;
  private final Counter loads;
  private final Gauge inFlight;
  final Gauge versions;

  ServeMetrics() {
    requests =
        Counter.builder()
            .name(":tensorflow:serving:request_count")
            .help("The total number of requests.")
            .labelNames("model_name", "API", "status")
            .register(registry);
    double[] buckets = new double[33];
    for (int i = 0; i < buckets.length; i++) buckets[i] = 10 * Math.pow(1.8, i);
    latency =
        Histogram.builder()
            .name(":tensorflow:serving:request_latency")
            .help("Distribution of wall time (in microseconds) for TensorFlow Serving request.")
            .labelNames("model_name", "API", "entrypoint")
            .classicUpperBounds(buckets)
            .classicOnly()
            .register(registry);
    loads =
        Counter.builder()
            .name(":tensorflow:serving:load_attempt_count")
            .help("The number of times a model version was loaded, by outcome.")
            .labelNames("model_name", "status")
            .register(registry);
    inFlight =
        Gauge.builder()
            .name(":activation_lab:serve:requests_in_flight")
            .help("Requests being answered.")
            .register(registry);
    versions =
        Gauge.builder()
            .name(":activation_lab:serve:versions_available")
            .help("Versions of each model being served.")
            .labelNames("model_name")
            .register(registry);
    JvmMetrics.builder().register(registry);
  }

  void started() {
    inFlight.inc();
  }

  /** One answered request (latency recorded for successful ones, as TensorFlow Serving does). */
  void finished(String model, String api, String status, long micros) {
    inFlight.dec();
    requests.labelValues(model, api, status).inc();
    if (status.equals("OK")) latency.labelValues(model, api, "REST").observe(micros);
  }

  void loaded(String model, boolean ok) {
    loads.labelValues(model, ok ? "OK" : "ERROR").inc();
  }

  /** The metrics in Prometheus's text format. */
  byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
