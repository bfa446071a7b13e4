package io.roomcast.session;

/**
 * A sequenced client's request to resume after the publication {@code since} of history
 * {@code epoch}.
 */
public record ResumeRequest(long since, String epoch) {

  public ResumeRequest {
    if (since < -1) {
      throw new IllegalArgumentException("since must be -1 or more, got " + since);
    }
    if (epoch == null || epoch.isEmpty()) {
      throw new IllegalArgumentException("epoch must not be empty");
    }
  }
}
