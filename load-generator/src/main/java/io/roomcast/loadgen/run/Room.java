package io.roomcast.loadgen.run;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One room of a run and its members. Publishers take slots 0, 1, ... in the order they are added,
 * and so do publishers outside the room's connections, such as HTTP publishes; subscribers have
 * no slot.
 *
 * <p>Built on the main thread before any connection opens. During the run each member is touched
 * only on its worker's event loop; {@link #sentBySlot} is filled on the main thread after
 * publishing stopped and before the final check reads it.
 */
public final class Room {

  private final int index;
  private final String name;
  private final String path;
  private final List<Member> members = new ArrayList<>();
  private final List<Member> publishers = new ArrayList<>();
  private int slotCount;
  private long[] sentBySlot = new long[0];
  private Member probe;

  Room(int index, String name) {
    this.index = index;
    this.name = name;
    this.path = webSocketPath(name);
  }

  /** Returns the node's WebSocket path for a room: {@code /ws/channel/} and the hex SHA-256 of its UTF-8 name. */
  public static String webSocketPath(String room) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(room.getBytes(StandardCharsets.UTF_8));
      return "/ws/channel/" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }

  public int index() {
    return index;
  }

  public String name() {
    return name;
  }

  public String path() {
    return path;
  }

  public List<Member> members() {
    return members;
  }

  public List<Member> publishers() {
    return publishers;
  }

  /** Adds a member that publishes and receives, connected to the node at {@code nodeIndex}. */
  public Member addPublisher(int nodeIndex) {
    Member member = new Member(this, slotCount++, nodeIndex);
    publishers.add(member);
    members.add(member);
    return member;
  }

  /** Adds a member that only receives, connected to the node at {@code nodeIndex}. */
  public Member addSubscriber(int nodeIndex) {
    Member member = new Member(this, Member.NO_SLOT, nodeIndex);
    members.add(member);
    return member;
  }

  /** Reserves a slot for a publisher that is not a connection of this run, such as HTTP publishes. */
  public int addExternalPublisher() {
    return slotCount++;
  }

  /** Returns how many publisher slots the room has. */
  public int slotCount() {
    return slotCount;
  }

  /**
   * Returns the subscriber whose deliveries pace the publishers in window mode: the last
   * subscriber added, or null when the room has none. Fixed by {@link #complete}.
   */
  Member probe() {
    return probe;
  }

  /** Fixes the probe; called on the main thread after the last member was added, before any connects. */
  void complete() {
    sentBySlot = new long[slotCount];
    probe = null;
    for (int i = members.size() - 1; i >= 0 && probe == null; i--) {
      if (!members.get(i).publishes()) {
        probe = members.get(i);
      }
    }
  }

  /** Returns how many publications the publisher in {@code slot} sent; valid after publishing stopped. */
  long sent(int slot) {
    return slot < sentBySlot.length ? sentBySlot[slot] : 0;
  }

  long sentInTotal() {
    long total = 0;
    for (long sent : sentBySlot) {
      total += sent;
    }
    return total;
  }

  /** Records a publisher's final count; called on the main thread once publishing stopped. */
  void recordSent(int slot, long sent) {
    sentBySlot[slot] = sent;
  }
}
