package io.roomcast.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NodeAddressTest {

  @Test
  void parsesHttpWsAndBareForms() {
    assertThat(NodeAddress.parse("http://127.0.0.1:14529")).isEqualTo(new NodeAddress("127.0.0.1", 14529));
    assertThat(NodeAddress.parse("ws://localhost:8080/ws")).isEqualTo(new NodeAddress("localhost", 8080));
    assertThat(NodeAddress.parse("127.0.0.1:9000")).isEqualTo(new NodeAddress("127.0.0.1", 9000));
    assertThat(NodeAddress.parse("http://127.0.0.1")).isEqualTo(new NodeAddress("127.0.0.1", 80));
  }

  @Test
  void rejectsTls() {
    assertThatThrownBy(() -> NodeAddress.parse("https://127.0.0.1:443"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TLS is not supported");
  }

  @Test
  void buildsHttpUri() {
    assertThat(new NodeAddress("127.0.0.1", 14529).http("/api/ws?room=a").toString())
        .isEqualTo("http://127.0.0.1:14529/api/ws?room=a");
  }
}
