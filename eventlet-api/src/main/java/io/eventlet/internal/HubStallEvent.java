package io.eventlet.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JFR event {@code io.eventlet.HubStall}: the blocking detector found a green thread (or a timer
 * callback) holding its hub longer than the threshold; one per episode, while it still holds it.
 *
 * <p>Off by default ({@code @Enabled(false)}): enabling it in a recording switches the detector
 * on (see {@link BlockingDetector}), which costs a clock read per task on every hub. The event's
 * own stack trace would be the detector's thread, so it records none; {@link #stack} is the
 * stalled thread's.
 *
 * <p>Not thread-safe, as any JFR event: made, filled in and committed by the detector's thread.
 */
@Name("io.eventlet.HubStall")
@Label("Hub Stall")
@Category("eventlet")
@Description("A green thread or a timer callback held its hub longer than the blocking detector's threshold")
@Enabled(false)
@StackTrace(false)
final class HubStallEvent extends jdk.jfr.Event {
    @Label("Hub")
    @Description("The hub's name, also its thread's name")
    String hub;

    @Label("Green Thread")
    @Description("The name of the green thread holding the hub; empty for a timer callback")
    String greenThread;

    @Label("Held For")
    @Description("How long the hub had been held when the detector saw it")
    @Timespan(Timespan.NANOSECONDS)
    long heldFor;

    @Label("Threshold")
    @Description("The detector's threshold")
    @Timespan(Timespan.NANOSECONDS)
    long threshold;

    @Label("Stack")
    @Description("Where the green thread (or the hub's thread) was when the detector saw it")
    String stack;
}
