package io.roomcast.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;

/**
 * Removes a departed member's entries from the listener registry, so that its topics can count as
 * unused. Every member does it; removing twice is harmless.
 */
final class ListenerRegistryCleaner implements MembershipListener {

  private final IMap<String, String> listeners;

  ListenerRegistryCleaner(IMap<String, String> listeners) {
    this.listeners = listeners;
  }

  @Override
  public void memberAdded(MembershipEvent event) {
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    String suffix = "|" + event.getMember().getUuid();
    listeners.removeAll(Predicates.like("__key", "%" + suffix));
  }
}
