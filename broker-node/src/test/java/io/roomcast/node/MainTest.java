package io.roomcast.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class MainTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "--http-port, abc",
      "--http-port, 70000",
      "--http-port, -1",
      "--hz-port, 0",
      "--members, localhost",
      "--cluster-name, ''",
      "--config-dir, /does/not/exist",
      "--ping-interval, -5",
  })
  void invalidFlagExitsWith2NamingFlagAndValue(String flag, String value) {
    StringWriter err = new StringWriter();

    int status = commandLine(err).execute(flag, value);

    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).contains("'" + flag + "'").contains("'" + value + "'");
  }

  @Test
  void invalidChannelConfigExitsWith2NamingChannel(@TempDir Path folder) throws IOException {
    Files.writeString(folder.resolve("roomcast.yaml"), "channels:\n  - {name: chat, match: \"(\", regex: true}\n");
    StringWriter err = new StringWriter();

    int status = commandLine(err).execute("--config-dir", folder.toString(), "--http-port", "0");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).contains("messaging channel 'chat' has a regex that does not compile");
  }

  @Test
  void helpListsEveryFlagWithItsVariable() {
    StringWriter out = new StringWriter();
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setOut(new PrintWriter(out));

    int status = commandLine.execute("--help");

    assertThat(status).isZero();
    assertThat(out.toString()).contains("--http-port", "ROOMCAST_HTTP_PORT", "--hz-port", "ROOMCAST_HZ_PORT",
        "--members", "ROOMCAST_MEMBERS", "--cluster-name", "ROOMCAST_CLUSTER_NAME", "--config-dir", "ROOMCAST_CONFIG_DIR");
  }

  private static CommandLine commandLine(StringWriter err) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setErr(new PrintWriter(err));
    commandLine.setExecutionExceptionHandler(Main.EXCEPTION_HANDLER);
    return commandLine;
  }
}
