package io.roomcast.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A messaging channel: a named rule that decides which topics exist and whether WebSocket clients
 * may join them.
 *
 * <p>A plain matcher matches the topic itself and every topic below it at a {@code /} boundary,
 * so {@code chat/rooms} matches {@code chat/rooms/abc} but not {@code chat/roomsx}. A regex
 * matcher is a Java regular expression searched anywhere in the topic.
 *
 * @param name identifier of letters, digits, {@code _} and {@code -}
 * @param match the topic matcher
 * @param regex whether {@code match} is a regular expression
 * @param websocket whether WebSocket clients may join matching topics
 */
public record MessagingChannel(String name, String match, boolean regex, boolean websocket) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

  @JsonCreator
  public MessagingChannel(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "match", required = true) String match,
      @JsonProperty("regex") boolean regex,
      @JsonProperty("websocket") boolean websocket) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidConfigException("messaging channel name '" + name
          + "' is invalid: use letters, digits, '_' and '-' only");
    }
    if (match == null || match.isBlank()) {
      throw new InvalidConfigException("messaging channel '" + name + "' has an empty match");
    }
    if (regex) {
      checkRegex(name, match);
    }
    this.name = name;
    this.match = match;
    this.regex = regex;
    this.websocket = websocket;
  }

  private static void checkRegex(String name, String match) {
    try {
      Pattern.compile(match);
    } catch (PatternSyntaxException e) {
      throw new InvalidConfigException("messaging channel '" + name + "' has a regex that does not compile: "
          + e.getDescription() + " in '" + match + "'");
    }
  }
}
