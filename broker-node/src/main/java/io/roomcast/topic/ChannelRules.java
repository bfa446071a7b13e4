package io.roomcast.topic;

import io.roomcast.config.MessagingChannel;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** The configured messaging channels, compiled once, to look up which channel covers a topic. */
public final class ChannelRules {

  private final List<CompiledChannel> channels;

  public ChannelRules(List<MessagingChannel> channels) {
    this.channels = channels.stream().map(CompiledChannel::of).toList();
  }

  /** Returns the first messaging channel whose matcher matches the topic. */
  public Optional<MessagingChannel> channelOf(String topic) {
    for (CompiledChannel compiled : channels) {
      if (compiled.matcher().test(topic)) {
        return Optional.of(compiled.channel());
      }
    }
    return Optional.empty();
  }

  /** Returns whether some WebSocket-enabled messaging channel matches the topic. */
  public boolean allowsWebSocket(String topic) {
    for (CompiledChannel compiled : channels) {
      if (compiled.channel().websocket() && compiled.matcher().test(topic)) {
        return true;
      }
    }
    return false;
  }

  /** Returns whether the plain matcher covers the topic: the same topic, or one below it at a '/'. */
  static boolean matchesPlain(String matcher, String topic) {
    String base = matcher.endsWith("/") ? matcher.substring(0, matcher.length() - 1) : matcher;
    if (!topic.startsWith(base)) {
      return false;
    }
    return topic.length() == base.length() || topic.charAt(base.length()) == '/';
  }

  private record CompiledChannel(MessagingChannel channel, Predicate<String> matcher) {

    static CompiledChannel of(MessagingChannel channel) {
      if (channel.regex()) {
        return new CompiledChannel(channel, Pattern.compile(channel.match()).asPredicate());
      }
      return new CompiledChannel(channel, topic -> matchesPlain(channel.match(), topic));
    }
  }
}
