package io.roomcast.loadgen.run;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs one scenario: opens every member's connection, publishes (or keeps the connections idle) for
 * the warm-up and measured time, waits for the last deliveries, checks every member, measures the
 * nodes' memory, closes everything and returns the summary.
 *
 * <p>The calling thread orchestrates and blocks; members live on the generator's own Vert.x event
 * loops, one {@link Worker} per event loop. A progress line is printed every second.
 */
public final class LoadRun {

  /**
   * What a run needs besides its rooms.
   *
   * @param scenario scenario name, reported as is
   * @param label free text that distinguishes runs in reports, such as {@code clustered} or {@code in-node}
   * @param settings connect and publish settings
   * @param nodes node URLs; members choose one by index
   * @param sourceAddresses local addresses to connect from; empty lets the operating system pick
   * @param eventLoops the generator's event loops
   * @param warmup time to publish before measuring
   * @param nodePids process ids of the nodes, in {@code nodes} order, for resident memory and GC; may be empty
   * @param collectGarbage whether to run a GC in each known node process before measuring memory
   * @param httpPublishesPerRoom publications sent to each room through {@code POST /api/publish}
   *     after the measured time, so that idle connections prove they still receive
   */
  public record Options(
      String scenario,
      String label,
      RunSettings settings,
      List<NodeAddress> nodes,
      List<String> sourceAddresses,
      int eventLoops,
      Duration warmup,
      List<Long> nodePids,
      boolean collectGarbage,
      int httpPublishesPerRoom) {

    public Options {
      if (nodes.isEmpty()) {
        throw new IllegalArgumentException("at least one node URL is required");
      }
      if (eventLoops < 1) {
        throw new IllegalArgumentException("event loops " + eventLoops + " must be 1 or more");
      }
      if (warmup.isNegative()) {
        throw new IllegalArgumentException("warm-up " + warmup + " must not be negative");
      }
    }
  }

  private final Options options;
  private final PrintStream out;
  private final List<Room> rooms = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public LoadRun(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Adds a room named {@code name}; its index is the number of rooms added before it. */
  public Room addRoom(String name) {
    Room room = new Room(rooms.size(), name);
    rooms.add(room);
    return room;
  }

  public List<Room> rooms() {
    return rooms;
  }

  /** Runs the scenario and returns its summary; blocks the calling thread for the whole run. */
  public JsonObject run() throws InterruptedException {
    List<Member> members = new ArrayList<>();
    for (Room room : rooms) {
      if (options.httpPublishesPerRoom() > 0) {
        room.addExternalPublisher();
      }
      room.complete();
      members.addAll(room.members());
      if (options.settings().windowMode() && !room.publishers().isEmpty() && room.probe() == null) {
        throw new IllegalArgumentException("room " + room.name() + " has publishers but no subscriber to pace them;"
            + " window mode needs one, or set a rate");
      }
    }
    checkRoomPath();

    NodeProbe probe = new NodeProbe(options.nodes(), options.nodePids(), options.collectGarbage());
    List<NodeProbe.NodeMemory> memoryBefore = probe.measure();

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.eventLoops()));
    ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "loadgen-progress");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Worker> workers = new ArrayList<>();
      for (int i = 0; i < options.eventLoops(); i++) {
        workers.add(new Worker(((VertxInternal) vertx).createEventLoopContext(), options.settings()));
      }
      Connector connector = new Connector(vertx, options.nodes(), options.sourceAddresses(), options.settings());
      Totals totals = new Totals(workers, out);
      return runPhases(members, workers, connector, totals, probe, memoryBefore, progress);
    } finally {
      progress.shutdownNow();
      Totals.await(vertx.close());
    }
  }

  private JsonObject runPhases(List<Member> members, List<Worker> workers, Connector connector, Totals totals,
      NodeProbe probe, List<NodeProbe.NodeMemory> memoryBefore, ScheduledExecutorService progress)
      throws InterruptedException {
    totals.watchConnections(() -> openConnections(workers));
    progress.scheduleAtFixedRate(() -> printProgress(totals, connector), 1, 1, TimeUnit.SECONDS);

    out.printf("%s: %,d connections in %,d rooms to %s%n", options.scenario(), members.size(), rooms.size(),
        options.nodes());
    long connectStart = System.nanoTime();
    long connectDeadline = connectStart + connectTimeLimitNanos(members.size());
    long connected = connector.connectAll(members, workers, connectDeadline);
    double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
    totals.setConnectErrors(connector.errorCount());

    totals.switchPhase(Phase.WARMUP);
    for (Worker worker : workers) {
      Totals.await(worker.startPublishing());
    }
    sleep(options.warmup());
    totals.switchPhase(Phase.MEASURE);
    CpuUse cpu = CpuUse.start(probe);
    sleep(options.settings().duration());
    cpu = cpu.stop(probe);
    long httpPublished = publishOverHttp();
    for (Worker worker : workers) {
      Totals.await(worker.stopPublishing());
    }
    totals.switchPhase(Phase.DRAIN);

    recordSentCounts(workers);
    long expected = expectedDeliveries(workers);
    drain(workers, expected);
    totals.switchPhase(Phase.DRAIN);
    totals.setConnectErrors(connector.errorCount());

    Worker.Check check = checkMembers(workers);
    long outOfOrder = countOutOfRoomOrder(workers);
    List<NodeProbe.NodeMemory> memoryAfter = probe.measure();

    for (Worker worker : workers) {
      Totals.await(worker.closeAll());
    }
    Totals.await(connector.close());

    Summary summary = new Summary(options, rooms.size(), members.size(), connected, connectSeconds, connector.errors(),
        totals, check, outOfOrder, httpPublished, memoryBefore, memoryAfter, cpu);
    return summary.toJson();
  }

  private void printProgress(Totals totals, Connector connector) {
    try {
      totals.setConnectErrors(connector.errorCount());
      totals.collect(true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      out.println("progress: " + e.getMessage());
    }
  }

  // Connecting may take members / rate seconds, plus the handshake time of the last ones.
  private long connectTimeLimitNanos(int members) {
    double seconds = (double) members / options.settings().connectRate()
        + 2 * options.settings().connectTimeout().toSeconds() + 10;
    return (long) (seconds * 1e9);
  }

  private static long openConnections(List<Worker> workers) {
    long open = 0;
    for (Worker worker : workers) {
      open += worker.openMembers();
    }
    return open;
  }

  /** Checks that the node maps room names to paths the way {@link Room#webSocketPath} does. */
  private void checkRoomPath() throws InterruptedException {
    if (rooms.isEmpty()) {
      return;
    }
    Room room = rooms.get(0);
    NodeAddress node = options.nodes().get(0);
    String url = "/api/ws?room=" + URLEncoder.encode(room.name(), StandardCharsets.UTF_8);
    HttpResponse<String> response;
    try {
      response = http.send(HttpRequest.newBuilder(node.http(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("GET " + node.http(url) + " failed: " + e
          + "; check that the node runs and the URL is right", e);
    }
    if (response.statusCode() != 200 || !response.body().strip().equals(room.path())) {
      throw new IllegalStateException("GET " + node.http(url) + " returned HTTP " + response.statusCode() + " '"
          + response.body().strip() + "', expected 200 '" + room.path() + "'");
    }
  }

  /** Sends the HTTP publications of every room and returns how many the nodes accepted. */
  private long publishOverHttp() throws InterruptedException {
    long accepted = 0;
    if (options.httpPublishesPerRoom() == 0) {
      return 0;
    }
    FrameKind kind = options.settings().frameKind();
    String contentType = kind == FrameKind.TEXT ? "text/plain; charset=utf-8" : "application/octet-stream";
    for (Room room : rooms) {
      // run() reserved the last slot of every room for these publications.
      int slot = room.slotCount() - 1;
      for (int sequence = 1; sequence <= options.httpPublishesPerRoom(); sequence++) {
        NodeAddress node = options.nodes().get(room.index() % options.nodes().size());
        Buffer payload = Payload.encode(kind, options.settings().payloadBytes(), room.index(), slot, sequence,
            Payload.clockNanos());
        HttpRequest request = HttpRequest.newBuilder(
                node.http("/api/publish?room=" + URLEncoder.encode(room.name(), StandardCharsets.UTF_8)))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(payload.getBytes()))
            .build();
        try {
          HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() / 100 != 2) {
            out.printf("POST %s returned HTTP %d: %s%n", request.uri(), response.statusCode(), response.body());
            break;
          }
        } catch (IOException e) {
          out.printf("POST %s failed: %s%n", request.uri(), e.getMessage());
          break;
        }
        room.recordSent(slot, sequence);
        accepted++;
      }
    }
    return accepted;
  }

  private void recordSentCounts(List<Worker> workers) throws InterruptedException {
    Map<Member, Long> sent = new HashMap<>();
    for (Worker worker : workers) {
      sent.putAll(Totals.await(worker.sentByPublisher()));
    }
    for (Room room : rooms) {
      for (Member publisher : room.publishers()) {
        room.recordSent(publisher.slot(), sent.getOrDefault(publisher, 0L));
      }
    }
  }

  private static long expectedDeliveries(List<Worker> workers) throws InterruptedException {
    long expected = 0;
    for (Worker worker : workers) {
      expected += Totals.await(worker.check()).expected();
    }
    return expected;
  }

  /** Waits until the open members received what they should, or nothing arrived for the drain timeout. */
  private void drain(List<Worker> workers, long expected) throws InterruptedException {
    long lastReceived = -1;
    long lastChange = System.nanoTime();
    long timeoutNanos = options.settings().drainTimeout().toNanos();
    while (true) {
      long received = 0;
      for (Worker worker : workers) {
        received += Totals.await(worker.receivedByOpenMembers());
      }
      if (received >= expected) {
        return;
      }
      if (received != lastReceived) {
        lastReceived = received;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange >= timeoutNanos) {
        return;
      }
      Thread.sleep(20);
    }
  }

  private static Worker.Check checkMembers(List<Worker> workers) throws InterruptedException {
    long members = 0;
    long open = 0;
    long expected = 0;
    long received = 0;
    long missing = 0;
    long exceptions = 0;
    for (Worker worker : workers) {
      Worker.Check check = Totals.await(worker.check());
      members += check.members();
      open += check.open();
      expected += check.expected();
      received += check.received();
      missing += check.missing();
      exceptions += check.exceptions();
    }
    return new Worker.Check(members, open, expected, received, missing, exceptions);
  }

  /**
   * Returns how many complete subscribers saw their room's publications in another order than
   * the room's most common order. Rooms with fewer than two complete subscribers are not checked.
   */
  private static long countOutOfRoomOrder(List<Worker> workers) throws InterruptedException {
    Map<Room, Map<Long, Long>> ordersByRoom = new HashMap<>();
    for (Worker worker : workers) {
      Totals.await(worker.completeSubscriberOrders()).forEach((member, hash) ->
          ordersByRoom.computeIfAbsent(member.room(), room -> new HashMap<>()).merge(hash, 1L, Long::sum));
    }

    long outOfOrder = 0;
    for (Map<Long, Long> orders : ordersByRoom.values()) {
      long members = orders.values().stream().mapToLong(Long::longValue).sum();
      long mostCommon = orders.values().stream().mapToLong(Long::longValue).max().orElse(0);
      outOfOrder += members - mostCommon;
    }
    return outOfOrder;
  }

  private static void sleep(Duration duration) throws InterruptedException {
    if (!duration.isZero()) {
      Thread.sleep(duration.toMillis());
    }
  }
}
