package io.roomcast.loadgen.run;

import io.vertx.core.json.JsonObject;

/**
 * CPU time used by the generator and by the nodes during the measured phase. On one machine the
 * two share the processors, so these figures tell whether the generator or the nodes were busy.
 *
 * @param generatorNanos CPU time of the generator's JVM, or -1 when unknown
 * @param nodesNanos CPU time of all nodes together, or -1 when a node does not report it
 * @param wallNanos elapsed time
 */
record CpuUse(long generatorNanos, long nodesNanos, long wallNanos) {

  /** Returns a reading at the start of a phase; {@link #stop} turns it into the phase's use. */
  static CpuUse start(NodeProbe probe) throws InterruptedException {
    return new CpuUse(NodeProbe.generatorCpuNanos(), probe.cpuNanos(), System.nanoTime());
  }

  CpuUse stop(NodeProbe probe) throws InterruptedException {
    long generator = NodeProbe.generatorCpuNanos();
    long nodes = probe.cpuNanos();
    return new CpuUse(
        generator < 0 || generatorNanos < 0 ? -1 : generator - generatorNanos,
        nodes < 0 || nodesNanos < 0 ? -1 : nodes - nodesNanos,
        System.nanoTime() - wallNanos);
  }

  /** Returns the average number of processors each side kept busy. */
  JsonObject toJson() {
    return new JsonObject()
        .put("generator", cores(generatorNanos))
        .put("nodes", cores(nodesNanos))
        .put("processors", Runtime.getRuntime().availableProcessors());
  }

  /** Returns the nodes' CPU time per delivery in microseconds, or null when unknown or nothing was delivered. */
  Double nodeMicrosPer(long deliveries) {
    return nodesNanos < 0 || deliveries == 0 ? null : Math.round(100.0 * nodesNanos / 1000 / deliveries) / 100.0;
  }

  private Double cores(long cpuNanos) {
    return cpuNanos < 0 || wallNanos <= 0 ? null : Math.round(100.0 * cpuNanos / wallNanos) / 100.0;
  }
}
