package io.roomcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.topic.Message;
import io.roomcast.topic.PayloadKind;
import io.roomcast.topic.Publication;
import io.roomcast.topic.TopicListener;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicRelayTest {

  private final List<String> events = new ArrayList<>();
  private final TopicRelay relay = new TopicRelay("chat/rooms/x", -1, new TopicListener() {
    @Override
    public void onPublication(long sequence, Publication publication) {
      events.add("publication " + sequence + " " + StandardCharsets.UTF_8.decode(publication.payload()));
    }

    @Override
    public void onLoss(long fromSequence, long lostCount) {
      events.add("loss " + fromSequence + " " + lostCount);
    }

    @Override
    public void onReset(long sequence) {
      events.add("reset " + sequence);
    }

    @Override
    public void onCancel() {
      events.add("cancel");
    }
  });

  @Test
  void relaysPublicationsWithTheirSequence() {
    deliver(5, "a");
    deliver(6, "b");

    assertThat(events).containsExactly("publication 5 a", "publication 6 b");
  }

  @Test
  void reportsSkippedSequencesAsLoss() {
    deliver(5, "a");
    deliver(9, "b");

    assertThat(events).containsExactly("publication 5 a", "loss 6 3", "publication 9 b");
  }

  @Test
  void reportsSequenceGoingBackAsReset() {
    deliver(5, "a");
    deliver(0, "b");

    assertThat(events).containsExactly("publication 5 a", "reset 0", "publication 0 b");
  }

  @Test
  void skipsBytesThatAreNotAPublication() {
    relay.storeSequence(1);
    relay.onMessage(new Message<>("chat/rooms/x", new byte[] {1, 2}, 0, null));
    deliver(2, "ok");

    assertThat(events).containsExactly("publication 2 ok");
  }

  @Test
  void reportsUnaskedCancelButNotRequestedStop() {
    relay.onCancel();
    relay.stop();
    relay.onCancel();

    assertThat(events).containsExactly("cancel");
  }

  @Test
  void relayStartingAtSequenceReportsEarlierLoss() {
    List<String> seen = new ArrayList<>();
    TopicRelay resumed = new TopicRelay("chat/rooms/x", 10, new TopicListener() {
      @Override
      public void onPublication(long sequence, Publication publication) {
        seen.add("publication " + sequence);
      }

      @Override
      public void onLoss(long fromSequence, long lostCount) {
        seen.add("loss " + fromSequence + " " + lostCount);
      }

      @Override
      public void onReset(long sequence) {
        seen.add("reset " + sequence);
      }

      @Override
      public void onCancel() {
        seen.add("cancel");
      }
    });

    assertThat(resumed.retrieveInitialSequence()).isEqualTo(10);
    resumed.storeSequence(12);

    assertThat(seen).containsExactly("loss 10 2");
  }

  @Test
  void isLossTolerantAndNeverTerminal() {
    assertThat(relay.isLossTolerant()).isTrue();
    assertThat(relay.isTerminal(new IllegalStateException("listener bug"))).isFalse();
    assertThat(relay.retrieveInitialSequence()).isEqualTo(-1);
  }

  private void deliver(long sequence, String text) {
    Publication publication = Publication.of(PayloadKind.TEXT, 1, 2, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    relay.storeSequence(sequence);
    relay.onMessage(new Message<>("chat/rooms/x", publication.wire(), 0, null));
  }
}
