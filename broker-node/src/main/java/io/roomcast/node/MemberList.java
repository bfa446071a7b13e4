package io.roomcast.node;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the {@code --members} value: comma-separated {@code host:port} or
 * {@code host:first-last} entries, each range expanded to one address per port.
 */
final class MemberList {

  private static final Pattern ENTRY = Pattern.compile("([^:,\\s]+|\\[[0-9A-Fa-f:]+]):(\\d{1,5})(?:-(\\d{1,5}))?");
  private static final int MAX_RANGE = 100;

  private MemberList() {
  }

  /** Returns the addresses; throws {@link IllegalArgumentException} naming the first invalid entry. */
  static List<String> parse(String value) {
    List<String> addresses = new ArrayList<>();
    for (String entry : value.split(",", -1)) {
      String trimmed = entry.trim();
      Matcher m = ENTRY.matcher(trimmed);
      if (!m.matches()) {
        throw new IllegalArgumentException("invalid member '" + trimmed + "': expected host:port or host:first-last");
      }
      int first = port(trimmed, m.group(2));
      int last = m.group(3) != null ? port(trimmed, m.group(3)) : first;
      if (last < first || last - first >= MAX_RANGE) {
        throw new IllegalArgumentException("invalid port range in member '" + trimmed
            + "': expected first <= last and at most " + MAX_RANGE + " ports");
      }
      for (int port = first; port <= last; port++) {
        addresses.add(m.group(1) + ":" + port);
      }
    }
    return addresses;
  }

  private static int port(String entry, String digits) {
    int port = Integer.parseInt(digits);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("invalid port " + port + " in member '" + entry + "': expected 1 to 65535");
    }
    return port;
  }
}
