package io.roomcast.metrics;

/**
 * The client mistakes and refusals a node reports, each with its HTTP status or WebSocket close
 * code. Every occurrence is counted in {@code roomcast_client_errors_total}.
 *
 * <table>
 *   <caption>Client errors</caption>
 *   <tr><th>error</th><th>code</th><th>when</th></tr>
 *   <tr><td>ROOM_MISSING</td><td>HTTP 400</td><td>{@code room} query parameter missing or empty</td></tr>
 *   <tr><td>NOT_FOUND</td><td>HTTP 404</td><td>unknown path, malformed channel id, or a topic no
 *       WebSocket-enabled messaging channel matches</td></tr>
 *   <tr><td>INVALID_BODY</td><td>HTTP 400</td><td>HTTP publish with a text body that is not valid UTF-8</td></tr>
 *   <tr><td>INVALID_RESUME</td><td>HTTP 400</td><td>invalid {@code since} or {@code epoch} on a
 *       WebSocket path, or {@code since} without the {@code roomcast.v1} subprotocol</td></tr>
 *   <tr><td>METHOD_NOT_ALLOWED</td><td>HTTP 405</td><td>known path, other method</td></tr>
 *   <tr><td>BODY_TOO_LARGE</td><td>HTTP 413</td><td>HTTP publish body over the message size limit</td></tr>
 *   <tr><td>UPGRADE_REQUIRED</td><td>HTTP 426</td><td>plain HTTP request to a WebSocket path</td></tr>
 *   <tr><td>NOT_READY</td><td>HTTP 503</td><td>node draining or its cluster unavailable</td></tr>
 *   <tr><td>INVALID_UTF8</td><td>close 1007</td><td>text message that is not valid UTF-8</td></tr>
 *   <tr><td>MESSAGE_TOO_BIG</td><td>close 1009</td><td>message over the size limit, after reassembly</td></tr>
 *   <tr><td>PUBLISH_FAILED</td><td>close 1011</td><td>the cluster did not store a publication</td></tr>
 *   <tr><td>TOO_SLOW</td><td>close 1013</td><td>client reads too slowly and its queue passed the limit</td></tr>
 * </table>
 */
public enum ClientError {
  ROOM_MISSING(400),
  INVALID_BODY(400),
  INVALID_RESUME(400),
  NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  BODY_TOO_LARGE(413),
  UPGRADE_REQUIRED(426),
  NOT_READY(503),
  INVALID_UTF8(1007),
  MESSAGE_TOO_BIG(1009),
  PUBLISH_FAILED(1011),
  TOO_SLOW(1013);

  private final int code;

  ClientError(int code) {
    this.code = code;
  }

  /** Returns the HTTP status (below 1000) or WebSocket close code (1000 and up). */
  public int code() {
    return code;
  }
}
