package io.roomcast.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SourceAddressesTest {

  @Test
  void expandsRangesAndLists() {
    assertThat(SourceAddresses.parse("127.0.0.2-127.0.0.4, 127.0.1.9"))
        .isEqualTo(List.of("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.1.9"));
  }

  @Test
  void rangeCrossesOctetBoundary() {
    assertThat(SourceAddresses.parse("127.0.0.255-127.0.1.1"))
        .isEqualTo(List.of("127.0.0.255", "127.0.1.0", "127.0.1.1"));
  }

  @Test
  void emptyLetsSystemChoose() {
    assertThat(SourceAddresses.parse("")).isEmpty();
    assertThat(SourceAddresses.parse(null)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0", "127.0.0.256", "localhost", "127.0.0.5-127.0.0.2", "10.0.0.0-10.0.8.0"})
  void rejectsInvalidSpec(String spec) {
    assertThatThrownBy(() -> SourceAddresses.parse(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid source address");
  }
}
