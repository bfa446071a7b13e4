package io.roomcast.topic;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Maps room names to channel ids, topics and WebSocket paths.
 *
 * <p>A room's channel id is the lowercase hex SHA-256 of the room name's UTF-8 bytes; its topic is
 * {@code chat/rooms/<id>} and its WebSocket path is {@code /ws/channel/<id>}.
 */
public final class RoomTopics {

  public static final String TOPIC_PREFIX = "chat/rooms/";
  public static final String WEBSOCKET_PATH_PREFIX = "/ws/channel/";
  private static final Pattern CHANNEL_ID = Pattern.compile("[0-9a-f]{64}");

  private RoomTopics() {
  }

  /** Returns the lowercase hex SHA-256 of the room name's UTF-8 bytes. */
  public static String channelId(String room) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(room.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }

  public static String topicOfRoom(String room) {
    return TOPIC_PREFIX + channelId(room);
  }

  public static String webSocketPath(String room) {
    return WEBSOCKET_PATH_PREFIX + channelId(room);
  }

  /** Returns the topic of a channel id taken from a URL, or empty when it is not 64 lowercase hex digits. */
  public static Optional<String> topicOfChannelId(String channelId) {
    if (channelId == null || !CHANNEL_ID.matcher(channelId).matches()) {
      return Optional.empty();
    }
    return Optional.of(TOPIC_PREFIX + channelId);
  }
}
