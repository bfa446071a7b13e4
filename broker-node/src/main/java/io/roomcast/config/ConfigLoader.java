package io.roomcast.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the files of a configuration folder. A file missing from the folder falls back to the
 * copy packaged under {@code cluster-config/} on the class path.
 */
public final class ConfigLoader {

  public static final String SETTINGS_FILE = "roomcast.yaml";
  public static final String HAZELCAST_FILE = "hazelcast.yaml";
  public static final String LOGBACK_FILE = "logback.xml";
  /** Class path folder of the packaged default files. */
  public static final String PACKAGED_FOLDER = "cluster-config/";

  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final Path folder;

  public ConfigLoader(Path folder) {
    this.folder = folder;
  }

  /** Loads and validates {@code roomcast.yaml}; throws {@link InvalidConfigException} naming the problem. */
  public RoomcastConfig loadSettings() {
    try (InputStream in = open(SETTINGS_FILE)) {
      return yaml.readValue(in, RoomcastConfig.class);
    } catch (JsonMappingException e) {
      throw new InvalidConfigException(describe(SETTINGS_FILE) + " is invalid: " + rootMessage(e), e);
    } catch (IOException e) {
      throw new InvalidConfigException("failed to read " + describe(SETTINGS_FILE) + ": " + e.getMessage(), e);
    }
  }

  /** Parses YAML text; used by tests and by {@link #loadSettings()}. */
  public static RoomcastConfig parseSettings(String text) {
    try {
      return new ConfigLoader(Path.of(".")).yaml.readValue(text, RoomcastConfig.class);
    } catch (JsonMappingException e) {
      throw new InvalidConfigException(rootMessage(e), e);
    } catch (IOException e) {
      throw new InvalidConfigException("failed to parse settings: " + e.getMessage(), e);
    }
  }

  /** Opens a configuration file, from the folder when it has one, else the packaged default. */
  public InputStream open(String fileName) throws IOException {
    Path file = folder.resolve(fileName);
    if (Files.isRegularFile(file)) {
      return Files.newInputStream(file);
    }
    InputStream packaged = ConfigLoader.class.getClassLoader().getResourceAsStream(PACKAGED_FOLDER + fileName);
    if (packaged == null) {
      throw new IOException(fileName + " not found in " + folder.toAbsolutePath() + " nor on the class path");
    }
    return packaged;
  }

  /** Returns the file in the folder, or null when the packaged default applies. */
  public Path fileOrNull(String fileName) {
    Path file = folder.resolve(fileName);
    return Files.isRegularFile(file) ? file : null;
  }

  public Path folder() {
    return folder;
  }

  private String describe(String fileName) {
    Path file = fileOrNull(fileName);
    return file != null ? file.toString() : "packaged " + fileName;
  }

  // Jackson wraps exceptions thrown by record constructors; the innermost message names the value.
  private static String rootMessage(JsonMappingException e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    if (cause instanceof InvalidConfigException) {
      return cause.getMessage();
    }
    return e.getOriginalMessage() + " at " + e.getPathReference();
  }
}
