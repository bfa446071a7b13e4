package io.roomcast.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MemberListTest {

  @Test
  void expandsPortRanges() {
    assertThat(MemberList.parse("127.0.0.1:5701-5703, db.local:6000"))
        .containsExactly("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703", "db.local:6000");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:70000", "h:5703-5701", "h:1-500", ",", "a b:1"})
  void rejectsInvalidEntryNamingIt(String value) {
    assertThatThrownBy(() -> MemberList.parse(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid");
  }
}
