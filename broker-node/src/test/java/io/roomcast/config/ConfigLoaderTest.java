package io.roomcast.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

  @Test
  void packagedDefaultsHaveChatChannel() {
    RoomcastConfig config = new ConfigLoader(Path.of("does-not-exist")).loadSettings();

    assertThat(config.channels()).containsExactly(new MessagingChannel("chat_channel", "chat/rooms", false, true));
    assertThat(config.node().maxMessageBytes()).isEqualTo(1024 * 1024);
    assertThat(config.node().pingInterval()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void folderFileWinsOverPackagedDefault(@TempDir Path folder) throws IOException {
    Files.writeString(folder.resolve("roomcast.yaml"), """
        node:
          max-message-bytes: 2048
        channels:
          - name: live
            match: live/
            websocket: true
        """);

    RoomcastConfig config = new ConfigLoader(folder).loadSettings();

    assertThat(config.node().maxMessageBytes()).isEqualTo(2048);
    assertThat(config.node().drainTimeout()).isEqualTo(BrokerSettings.DEFAULTS.drainTimeout());
    assertThat(config.channels()).containsExactly(new MessagingChannel("live", "live/", false, true));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "bad name     | '- {name: \"chat channel\", match: chat/rooms, websocket: true}' | messaging channel name 'chat channel' is invalid",
      "empty match  | '- {name: chat, match: \"\", websocket: true}'                    | messaging channel 'chat' has an empty match",
      "bad regex    | '- {name: chat, match: \"rooms/(\", regex: true}'               | messaging channel 'chat' has a regex that does not compile",
      "duplicate    | '[{name: chat, match: a}, {name: chat, match: b}]'             | messaging channel 'chat' is defined twice",
      "missing name | '- {match: chat/rooms}'                                        | name",
  })
  void rejectsInvalidChannelNamingIt(String label, String channels, String expectedMessage) {
    String yaml = "channels:\n" + (channels.startsWith("[") ? "  " + channels : "  " + channels) + "\n";

    assertThatThrownBy(() -> ConfigLoader.parseSettings(yaml))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining(expectedMessage);
  }

  @Test
  void rejectsUnknownSetting() {
    assertThatThrownBy(() -> ConfigLoader.parseSettings("node:\n  max-mesage-bytes: 5\n"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("max-mesage-bytes");
  }

  @Test
  void rejectsNonPositiveLimit() {
    assertThatThrownBy(() -> ConfigLoader.parseSettings("node:\n  max-message-bytes: 0\n"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("max-message-bytes must be positive, got 0");
  }

  @Test
  void emptyFileMeansNoChannelsAndDefaultSettings() {
    RoomcastConfig config = new RoomcastConfig(null, null);

    assertThat(config.node()).isEqualTo(BrokerSettings.DEFAULTS);
    assertThat(config.channels()).isEqualTo(List.of());
  }
}
