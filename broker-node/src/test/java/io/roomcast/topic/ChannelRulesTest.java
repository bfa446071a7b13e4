package io.roomcast.topic;

import static org.assertj.core.api.Assertions.assertThat;

import io.roomcast.config.MessagingChannel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChannelRulesTest {

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
      "chat/rooms, chat/rooms, true",
      "chat/rooms, chat/rooms/abc, true",
      "chat/rooms, chat/rooms/abc/def, true",
      "chat/rooms, chat/roomsx, false",
      "chat/rooms, chat/room, false",
      "chat/rooms, xchat/rooms/abc, false",
      "chat/rooms/, chat/rooms/abc, true",
      "chat/rooms/, chat/roomsx, false",
  })
  void plainMatcherStopsAtSlashBoundary(String matcher, String topic, boolean expected) {
    assertThat(ChannelRules.matchesPlain(matcher, topic)).isEqualTo(expected);
  }

  @Test
  void regexMatcherIsSearchedInTopic() {
    ChannelRules rules = new ChannelRules(List.of(new MessagingChannel("hex", "rooms/[0-9a-f]{64}$", true, true)));

    assertThat(rules.allowsWebSocket("chat/rooms/" + RoomTopics.channelId("a"))).isTrue();
    assertThat(rules.allowsWebSocket("chat/rooms/not-hex")).isFalse();
  }

  @Test
  void webSocketNeedsWebSocketEnabledChannel() {
    ChannelRules rules = new ChannelRules(List.of(
        new MessagingChannel("server_only", "chat/rooms", false, false),
        new MessagingChannel("live", "live", false, true)));

    assertThat(rules.allowsWebSocket("chat/rooms/abc")).isFalse();
    assertThat(rules.channelOf("chat/rooms/abc")).map(MessagingChannel::name).hasValue("server_only");
    assertThat(rules.allowsWebSocket("live/scores")).isTrue();
    assertThat(rules.channelOf("other/topic")).isEmpty();
  }

  @Test
  void laterWebSocketChannelStillAllowsTopic() {
    ChannelRules rules = new ChannelRules(List.of(
        new MessagingChannel("server_only", "chat", false, false),
        new MessagingChannel("chat_channel", "chat/rooms", false, true)));

    assertThat(rules.allowsWebSocket("chat/rooms/abc")).isTrue();
  }
}
