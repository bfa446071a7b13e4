package io.roomcast.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoomTest {

  @Test
  void pathMatchesNodeHashing() {
    // The room "tau" from the README walkthrough.
    assertThat(Room.webSocketPath("tau"))
        .isEqualTo("/ws/channel/2bfcf64c38aeb71a5f36b5aa43dd96cd81c76452533e46061a35e4c46c87eaf1");
  }

  @Test
  void probeIsLastSubscriber() {
    Room room = new Room(0, "r");
    room.addPublisher(0);
    Member first = room.addSubscriber(0);
    Member last = room.addSubscriber(1);
    room.addPublisher(1);

    room.complete();

    assertThat(room.probe()).isSameAs(last).isNotSameAs(first);
    assertThat(room.slotCount()).isEqualTo(2);
  }

  @Test
  void memberExpectsOthersPublications() {
    Room room = new Room(0, "r");
    Member publisher = room.addPublisher(0);
    Member other = room.addPublisher(0);
    Member subscriber = room.addSubscriber(0);
    room.complete();

    room.recordSent(publisher.slot(), 10);
    room.recordSent(other.slot(), 4);

    assertThat(publisher.expected()).isEqualTo(4);
    assertThat(other.expected()).isEqualTo(10);
    assertThat(subscriber.expected()).isEqualTo(14);
  }
}
