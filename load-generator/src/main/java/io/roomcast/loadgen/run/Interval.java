package io.roomcast.loadgen.run;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The counts of one worker since its previous interval.
 *
 * @param deliveries publications received and checked
 * @param publications publications sent
 * @param notSent fixed-rate mode: publications dropped from the schedule because the generator or
 *     the node could not keep up
 * @param lost publications skipped in a publisher's sequence
 * @param duplicates publications received twice in a row
 * @param reordered publications received after a later one of the same publisher
 * @param invalid frames that were not a payload of this room
 * @param closes connections the node closed or lost, by close code (1006 when no close frame came)
 * @param latency send-to-receive time of each delivery, in nanoseconds
 */
public record Interval(
    long deliveries,
    long publications,
    long notSent,
    long lost,
    long duplicates,
    long reordered,
    long invalid,
    Map<Integer, Long> closes,
    Histogram latency) {
}
