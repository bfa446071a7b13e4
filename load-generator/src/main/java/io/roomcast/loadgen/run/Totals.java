package io.roomcast.loadgen.run;

import io.vertx.core.Future;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * The run's counts, collected from every worker once a second and at each phase change, and the
 * line printed per collection.
 *
 * <p>Threading: {@link #collect} blocks until every worker responded, so it runs on the main thread
 * or the progress thread, never on an event loop. It is synchronized so that the two never
 * interleave.
 */
public final class Totals {

  /** Counts of one phase. */
  public static final class PhaseCounts {
    long deliveries;
    long publications;
    long notSent;
    long nanos;
    final Histogram latency = Worker.newHistogram();

    public long deliveries() {
      return deliveries;
    }

    public long publications() {
      return publications;
    }

    public long notSent() {
      return notSent;
    }

    public double seconds() {
      return nanos / 1e9;
    }

    public Histogram latency() {
      return latency;
    }
  }

  private final List<Worker> workers;
  private final PrintStream out;
  private final Map<Phase, PhaseCounts> phases = new EnumMap<>(Phase.class);
  private final Map<Integer, Long> closes = new TreeMap<>();
  private final long startNanos = System.nanoTime();
  private Phase phase = Phase.CONNECT;
  private long phaseStartNanos = startNanos;
  private long lost;
  private long duplicates;
  private long reordered;
  private long invalid;
  private long connectErrors;
  private LongSupplier openConnections = () -> 0;

  public Totals(List<Worker> workers, PrintStream out) {
    this.workers = List.copyOf(workers);
    this.out = out;
    for (Phase each : Phase.values()) {
      phases.put(each, new PhaseCounts());
    }
  }

  synchronized void watchConnections(LongSupplier openConnections) {
    this.openConnections = openConnections;
  }

  synchronized void setConnectErrors(long connectErrors) {
    this.connectErrors = connectErrors;
  }

  /** Collects what every worker counted so far into the current phase, then starts {@code next}. */
  public synchronized void switchPhase(Phase next) throws InterruptedException {
    collect(false);
    long now = System.nanoTime();
    phases.get(phase).nanos += now - phaseStartNanos;
    phase = next;
    phaseStartNanos = now;
  }

  /** Collects what every worker counted since the last collection, and prints a progress line when asked. */
  public synchronized void collect(boolean print) throws InterruptedException {
    long deliveries = 0;
    long publications = 0;
    Histogram latency = Worker.newHistogram();
    PhaseCounts counts = phases.get(phase);
    for (Worker worker : workers) {
      Interval interval = await(worker.takeInterval());
      deliveries += interval.deliveries();
      publications += interval.publications();
      counts.notSent += interval.notSent();
      lost += interval.lost();
      duplicates += interval.duplicates();
      reordered += interval.reordered();
      invalid += interval.invalid();
      interval.closes().forEach((code, count) -> closes.merge(code, count, Long::sum));
      latency.add(interval.latency());
    }
    counts.deliveries += deliveries;
    counts.publications += publications;
    counts.latency.add(latency);

    if (print) {
      out.printf("%6.1fs %-7s open %,9d  pub/s %,10d  deliveries/s %,11d  errors %,d  p99 %s%n",
          (System.nanoTime() - startNanos) / 1e9, phase.name().toLowerCase(), openConnections.getAsLong(),
          publications, deliveries, errors(), latency.getTotalCount() == 0 ? "-"
              : String.format("%.2f ms", latency.getValueAtPercentile(99) / 1e6));
    }
  }

  public synchronized PhaseCounts phase(Phase which) {
    return phases.get(which);
  }

  public synchronized long lost() {
    return lost;
  }

  public synchronized long duplicates() {
    return duplicates;
  }

  public synchronized long reordered() {
    return reordered;
  }

  public synchronized long invalid() {
    return invalid;
  }

  public synchronized Map<Integer, Long> closes() {
    return new TreeMap<>(closes);
  }

  public synchronized long closeCount() {
    return closes.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Returns every error so far: lost, duplicate, reordered and invalid deliveries, closes and connect errors. */
  public synchronized long errors() {
    return lost + duplicates + reordered + invalid + closeCount() + connectErrors;
  }

  /** Returns the latency of the measured and drain phases combined. */
  public synchronized Histogram measuredLatency() {
    Histogram latency = Worker.newHistogram();
    latency.add(phases.get(Phase.MEASURE).latency);
    latency.add(phases.get(Phase.DRAIN).latency);
    return latency;
  }

  public synchronized long publicationsInAllPhases() {
    return phases.values().stream().mapToLong(PhaseCounts::publications).sum();
  }

  public synchronized long deliveriesInAllPhases() {
    return phases.values().stream().mapToLong(PhaseCounts::deliveries).sum();
  }

  static <T> T await(Future<T> future) throws InterruptedException {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("a worker did not respond within 30 s: " + e, e);
    }
  }
}
