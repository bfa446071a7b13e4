package io.roomcast.loadgen.run;

import java.net.URI;

/**
 * The HTTP and WebSocket address of a node, or of a load balancer in front of nodes.
 *
 * @param host host name or address
 * @param port HTTP port
 */
public record NodeAddress(String host, int port) {

  public NodeAddress {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("node host must not be empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("node port " + port + " is not in 1-65535");
    }
  }

  /** Parses {@code http://HOST:PORT}, {@code ws://HOST:PORT} or {@code HOST:PORT}; a path is ignored. */
  public static NodeAddress parse(String url) {
    String text = url.contains("://") ? url : "http://" + url;
    URI uri;
    try {
      uri = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid node URL '" + url + "': " + e.getMessage(), e);
    }
    String scheme = uri.getScheme();
    if (!scheme.equals("http") && !scheme.equals("ws")) {
      throw new IllegalArgumentException("invalid node URL '" + url + "': expected http:// or ws:// (TLS is not supported)");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("invalid node URL '" + url + "': no host");
    }
    int port = uri.getPort() == -1 ? 80 : uri.getPort();
    return new NodeAddress(uri.getHost(), port);
  }

  public URI http(String pathAndQuery) {
    return URI.create("http://" + hostForUri() + ":" + port + pathAndQuery);
  }

  @Override
  public String toString() {
    return "http://" + hostForUri() + ":" + port;
  }

  private String hostForUri() {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
