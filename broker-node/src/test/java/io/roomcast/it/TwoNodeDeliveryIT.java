package io.roomcast.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.roomcast.topic.RoomTopics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketFrame;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Delivery between clients on two node processes of one cluster. */
class TwoNodeDeliveryIT {

  private static TestCluster cluster;
  private static Vertx vertx;
  private final List<TestClient> clients = new ArrayList<>();

  @BeforeAll
  static void startCluster() {
    cluster = TestCluster.start(2);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopCluster() {
    if (vertx != null) {
      vertx.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @org.junit.jupiter.api.AfterEach
  void closeClients() {
    clients.forEach(TestClient::close);
  }

  @Test
  void deliversTextToOtherNodeAndNotBackToSender() {
    String path = RoomTopics.webSocketPath(uniqueRoom());
    TestClient sender = connect(0, path);
    TestClient sameNode = connect(0, path);
    TestClient otherNode = connect(1, path);

    sender.sendText("hello from node 1");

    assertThat(otherNode.awaitReceived(1)).containsExactly(new TestClient.Received(true, Buffer.buffer("hello from node 1")));
    assertThat(sameNode.awaitReceived(1)).extracting(TestClient.Received::asText).containsExactly("hello from node 1");
    otherNode.sendText("marker");
    sender.awaitReceived(1);
    assertThat(sender.texts()).containsExactly("marker");
  }

  @Test
  void keepsBinaryFrameTypeByteForByte() {
    String path = RoomTopics.webSocketPath(uniqueRoom());
    TestClient sender = connect(1, path);
    TestClient receiver = connect(0, path);
    byte[] bytes = new byte[300];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }

    sender.sendBinary(Buffer.buffer(bytes));

    TestClient.Received received = receiver.awaitReceived(1).get(0);
    assertThat(received.text()).isFalse();
    assertThat(received.data().getBytes()).isEqualTo(bytes);
  }

  @Test
  void reassemblesFragmentedMessage() {
    String path = RoomTopics.webSocketPath(uniqueRoom());
    TestClient sender = connect(0, path);
    TestClient receiver = connect(1, path);

    sender.sendFrame(WebSocketFrame.textFrame("frag", false));
    sender.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer("men"), false));
    sender.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer("ted"), true));

    assertThat(receiver.awaitReceived(1)).containsExactly(new TestClient.Received(true, Buffer.buffer("fragmented")));
  }

  @Test
  void allClientsSeeOneOrderUnderConcurrentPublishers() throws Exception {
    String path = RoomTopics.webSocketPath(uniqueRoom());
    List<TestClient> publishers = List.of(connect(0, path), connect(1, path), connect(0, path), connect(1, path));
    TestClient observer1 = connect(0, path);
    TestClient observer2 = connect(1, path);
    int perPublisher = 200;

    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < publishers.size(); p++) {
      TestClient publisher = publishers.get(p);
      int id = p;
      Thread thread = new Thread(() -> {
        for (int i = 0; i < perPublisher; i++) {
          publisher.webSocket().writeTextMessage("p" + id + "-" + i);
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }

    int total = publishers.size() * perPublisher;
    List<String> seen1 = observer1.awaitReceived(total).stream().map(TestClient.Received::asText).toList();
    List<String> seen2 = observer2.awaitReceived(total).stream().map(TestClient.Received::asText).toList();
    assertThat(seen1).hasSize(total).doesNotHaveDuplicates();
    assertThat(seen2).isEqualTo(seen1);
    for (int p = 0; p < publishers.size(); p++) {
      String prefix = "p" + p + "-";
      List<String> ownOrder = seen1.stream().filter(text -> text.startsWith(prefix)).toList();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < perPublisher; i++) {
        expected.add(prefix + i);
      }
      assertThat(ownOrder).as("publisher %d's messages in sending order", p).isEqualTo(expected);
    }
  }

  @Test
  void httpPublishReachesClientsOnBothNodes() {
    String room = uniqueRoom();
    String path = RoomTopics.webSocketPath(room);
    TestClient onFirst = connect(0, path);
    TestClient onSecond = connect(1, path);

    HttpResponse<String> text = cluster.node(1).send(HttpRequest.newBuilder(
            cluster.node(1).uri("/api/publish?room=" + room))
        .header("Content-Type", "text/plain; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString("from the server")).build());
    HttpResponse<String> binary = cluster.node(1).send(HttpRequest.newBuilder(
            cluster.node(1).uri("/api/publish?room=" + room))
        .header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3})).build());

    assertThat(text.statusCode()).isEqualTo(202);
    assertThat(text.body()).contains("\"topic\":\"" + RoomTopics.topicOfRoom(room) + "\"");
    assertThat(binary.statusCode()).isEqualTo(202);
    for (TestClient client : List.of(onFirst, onSecond)) {
      List<TestClient.Received> received = client.awaitReceived(2);
      assertThat(received.get(0)).isEqualTo(new TestClient.Received(true, Buffer.buffer("from the server")));
      assertThat(received.get(1)).isEqualTo(new TestClient.Received(false, Buffer.buffer(new byte[] {1, 2, 3})));
    }
  }

  @Test
  void returnsWebSocketPathOfRoom() {
    HttpResponse<String> response = cluster.node(0).get("/api/ws?room=tau");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(response.body()).isEqualTo("/ws/channel/2bfcf64c38aeb71a5f36b5aa43dd96cd81c76452533e46061a35e4c46c87eaf1");
  }

  @Test
  void rejectsMissingOrEmptyRoomWith400() {
    for (String query : List.of("/api/ws", "/api/ws?room=", "/api/ws?other=1")) {
      HttpResponse<String> response = cluster.node(0).get(query);

      assertThat(response.statusCode()).as(query).isEqualTo(400);
      assertThat(response.headers().firstValue("content-type")).as(query).hasValue("application/json");
      assertThat(response.body()).as(query).isEqualTo("{\"error\":\"room parameter required\"}");
    }
  }

  @Test
  void rejectsBadWebSocketPathsWith404BeforeUpgrade() {
    String upper = "/ws/channel/" + RoomTopics.channelId("x").toUpperCase();
    for (String path : List.of("/ws/channel/abc", upper, "/ws/channel/", "/ws/channel/" + RoomTopics.channelId("x") + "/more",
        "/nothing-here", "/api/nope")) {
      UpgradeRejectedException rejected = TestClient.connectRejected(vertx, cluster.node(1).httpPort(), path);

      assertThat(rejected.getStatus()).as(path).isEqualTo(404);
      assertThat(rejected.getBody().toString()).as(path).startsWith("{\"error\":");
    }
  }

  @Test
  void closesOversizeMessageWith1009AndKeepsOthers() {
    String path = RoomTopics.webSocketPath(uniqueRoom());
    TestClient offender = connect(0, path);
    TestClient bystander = connect(0, path);
    TestClient receiver = connect(1, path);

    offender.webSocket().writeBinaryMessage(Buffer.buffer(new byte[1024 * 1024 + 1]));

    assertThat(offender.awaitClose()).isEqualTo((short) 1009);
    bystander.sendText("still here");
    assertThat(receiver.awaitReceived(1)).extracting(TestClient.Received::asText).containsExactly("still here");
  }

  @Test
  void closesFragmentedOversizeMessageWith1009() {
    String path = RoomTopics.webSocketPath(uniqueRoom());
    TestClient offender = connect(1, path);

    offender.webSocket().writeFrame(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[600 * 1024]), false));
    offender.webSocket().writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(new byte[600 * 1024]), true));

    assertThat(offender.awaitClose()).isEqualTo((short) 1009);
  }

  @Test
  void closesInvalidUtf8With1007AndKeepsOthers() {
    String path = RoomTopics.webSocketPath(uniqueRoom());
    TestClient offender = connect(1, path);
    TestClient bystander = connect(1, path);
    TestClient receiver = connect(0, path);

    // 0xC3 0x28 is an invalid two-byte sequence; the Vert.x client sends the bytes unchanged.
    offender.webSocket().writeFrame(io.vertx.core.http.impl.ws.WebSocketFrameImpl.binaryFrame(Buffer.buffer(new byte[] {1}), true));
    receiver.awaitReceived(1);
    offender.webSocket().writeFrame(new io.vertx.core.http.impl.ws.WebSocketFrameImpl(
        io.vertx.core.http.WebSocketFrameType.TEXT, new byte[] {(byte) 0xC3, (byte) 0x28}, true));

    assertThat(offender.awaitClose()).isEqualTo((short) 1007);
    bystander.sendText("after 1007");
    assertThat(receiver.awaitReceived(2).get(1).asText()).isEqualTo("after 1007");
  }

  private TestClient connect(int node, String path) {
    TestClient client = TestClient.connect(vertx, cluster.node(node).httpPort(), path);
    clients.add(client);
    return client;
  }

  private static String uniqueRoom() {
    return "room-" + UUID.randomUUID();
  }
}
