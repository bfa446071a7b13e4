package io.roomcast.loadgen.run;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the local addresses that connections are opened from. Each address gives a connection
 * its own range of ephemeral ports (on Linux 32768-60999 by default, about 28,000 ports), so a run
 * needs one address per 28,000 connections.
 */
public final class SourceAddresses {

  private SourceAddresses() {
  }

  /**
   * Parses a comma-separated list of IPv4 addresses and ranges, such as
   * {@code 127.0.0.2-127.0.0.5,127.0.0.9}; an empty string means the operating system picks.
   */
  public static List<String> parse(String spec) {
    List<String> addresses = new ArrayList<>();
    if (spec == null || spec.isBlank()) {
      return addresses;
    }
    for (String part : spec.split(",")) {
      String item = part.strip();
      int dash = item.indexOf('-');
      if (dash < 0) {
        addresses.add(toText(toInt(item, spec)));
        continue;
      }
      long first = toInt(item.substring(0, dash), spec);
      long last = toInt(item.substring(dash + 1), spec);
      if (last < first || last - first >= 1024) {
        throw new IllegalArgumentException("invalid source address range '" + item
            + "': expected FIRST-LAST with LAST not below FIRST and at most 1024 addresses");
      }
      for (long address = first; address <= last; address++) {
        addresses.add(toText(address));
      }
    }
    return addresses;
  }

  private static long toInt(String text, String spec) {
    String[] octets = text.strip().split("\\.");
    if (octets.length != 4) {
      throw new IllegalArgumentException("invalid source address '" + text + "' in '" + spec + "': expected IPv4 a.b.c.d");
    }
    long value = 0;
    for (String octet : octets) {
      int number;
      try {
        number = Integer.parseInt(octet);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid source address '" + text + "' in '" + spec + "': expected IPv4 a.b.c.d");
      }
      if (number < 0 || number > 255) {
        throw new IllegalArgumentException("invalid source address '" + text + "' in '" + spec + "': octet " + number
            + " is not in 0-255");
      }
      value = (value << 8) | number;
    }
    return value;
  }

  private static String toText(long address) {
    byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    try {
      return InetAddress.getByAddress(bytes).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always a valid IPv4 address", e);
    }
  }
}
