package io.roomcast.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A WebSocket client on a plain socket that completes the handshake and then reads nothing, as a
 * client that can not keep up would. Its receive buffer is small, so the node's queue for it
 * fills quickly. {@link #readUntilClose} later drains what the node sent and returns its close
 * frame.
 */
final class StalledClient implements AutoCloseable {

  /** A close frame's status code and reason. */
  record Close(int code, String reason) {
  }

  private final Socket socket;
  private final DataInputStream in;

  private StalledClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
  }

  /** Connects and completes the handshake; {@code subprotocol} may be null. */
  static StalledClient connect(int port, String path, String subprotocol) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    String request = "GET " + path + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1:" + port + "\r\n"
        + "Upgrade: websocket\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n"
        + (subprotocol != null ? "Sec-WebSocket-Protocol: " + subprotocol + "\r\n" : "")
        + "\r\n";
    OutputStream out = socket.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();

    StalledClient client = new StalledClient(socket);
    String head = client.readHead();
    if (!head.startsWith("HTTP/1.1 101")) {
      socket.close();
      throw new IOException("handshake failed: " + head);
    }
    return client;
  }

  /** Reads frames until the node's close frame arrives, and returns it. */
  Close readUntilClose(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    while (true) {
      int first = in.readUnsignedByte();
      int lengthByte = in.readUnsignedByte() & 0x7f;
      long length = lengthByte;
      if (lengthByte == 126) {
        length = in.readUnsignedShort();
      } else if (lengthByte == 127) {
        length = in.readLong();
      }
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      if ((first & 0x0f) == 0x8) {
        int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        String reason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        return new Close(code, reason);
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private String readHead() throws IOException {
    InputStream raw = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = raw.read();
      if (b < 0) {
        throw new IOException("connection closed during the handshake: " + head);
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }
}
