package io.roomcast.config;

/** A configuration value that the node can not start with; the message names the value. */
public final class InvalidConfigException extends RuntimeException {

  public InvalidConfigException(String message) {
    super(message);
  }

  public InvalidConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
