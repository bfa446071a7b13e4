package io.roomcast.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RoomTopicsTest {

  @ParameterizedTest
  @CsvSource({
      "tau, 2bfcf64c38aeb71a5f36b5aa43dd96cd81c76452533e46061a35e4c46c87eaf1",
      "café, 850f7dc43910ff890f8879c0ed26fe697c93a067ad93a7d50f466a7028a9bf4e",
  })
  void channelIdIsSha256OfUtf8Bytes(String room, String expected) {
    assertThat(RoomTopics.channelId(room)).isEqualTo(expected);
  }

  @Test
  void pathAndTopicShareChannelId() {
    String id = RoomTopics.channelId("tau");

    assertThat(RoomTopics.webSocketPath("tau")).isEqualTo("/ws/channel/" + id);
    assertThat(RoomTopics.topicOfRoom("tau")).isEqualTo("chat/rooms/" + id);
  }

  @Test
  void topicOfValidChannelId() {
    String id = RoomTopics.channelId("tau");

    assertThat(RoomTopics.topicOfChannelId(id)).isEqualTo(Optional.of("chat/rooms/" + id));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "abc",
      "2BFCF64C38AEB71A5F36B5AA43DD96CD81C76452533E46061A35E4C46C87EAF1",
      "2bfcf64c38aeb71a5f36b5aa43dd96cd81c76452533e46061a35e4c46c87eaf",
      "2bfcf64c38aeb71a5f36b5aa43dd96cd81c76452533e46061a35e4c46c87eaf10",
      "zbfcf64c38aeb71a5f36b5aa43dd96cd81c76452533e46061a35e4c46c87eaf1",
      "2bfcf64c38aeb71a5f36b5aa43dd96cd81c76452533e46061a35e4c46c87eaf1/x",
  })
  void rejectsMalformedChannelId(String id) {
    assertThat(RoomTopics.topicOfChannelId(id)).isEmpty();
  }
}
