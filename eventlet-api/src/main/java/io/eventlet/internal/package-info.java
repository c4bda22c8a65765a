/**
 * The runtime: the one event loop and everything it owns. Not part of the API: the module does
 * not export this package, and nothing outside eventlet-api may use it.
 *
 * <ul>
 *   <li>{@link io.eventlet.internal.Loop}: the loop of one hub (ready queue, inbox, timers,
 *       poller, the close), and the JDK's scheduler of its green threads.</li>
 *   <li>{@link io.eventlet.internal.Greenlet}: the runtime's side of one green thread (state,
 *       pending kill and timeouts, outcome, joiners and links); {@code Registry} holds a loop's
 *       live ones.</li>
 *   <li>{@link io.eventlet.internal.ScheduledCall} in a {@code TimerHeap}: timers.</li>
 *   <li>{@link io.eventlet.internal.Wait}: the one wait recipe (green or plain caller, deadline,
 *       park, clean-up, one clock, one clamp) that every blocking operation uses;
 *       {@link io.eventlet.internal.Waiter} and {@link io.eventlet.internal.WaitList} are the
 *       FIFO wait of the coordination primitives.</li>
 *   <li>{@link io.eventlet.internal.IoBinding} and {@code ChannelWaiters}: how a socket's channel
 *       waits for readiness, on its hub's poller or on a private selector for plain threads.</li>
 *   <li>{@link io.eventlet.internal.VirtualThreads}: the one reach into {@code java.lang} (virtual
 *       threads with a custom scheduler); {@link io.eventlet.internal.HubSelection}: choosing a
 *       hub provider; {@code BlockingDetector}, {@link io.eventlet.internal.Durations},
 *       {@link io.eventlet.internal.NanoClock}.</li>
 *   <li>{@code HubEvents}: the one link to JFR, with its two events {@code HubStallEvent}
 *       ({@code io.eventlet.HubStall}) and {@code HubStatisticsEvent}
 *       ({@code io.eventlet.HubStatistics}).</li>
 * </ul>
 *
 * <h2>Dependencies</h2>
 * The API packages use this one; this one uses the SPI ({@code io.eventlet.spi}) and, by design,
 * only two API types: it raises {@link io.eventlet.GreenThreadExit} (a kill, a hub that closes)
 * and gives it and {@link io.eventlet.Timeout} the stack of the blocking point where they are
 * raised. The façades it serves ({@code Hub} over a loop, {@code GreenThread} over a greenlet)
 * are held as {@code Object} handles, so no other arrow points back up.
 *
 * <h2>Threading</h2>
 * Each class states its contract. The rule underneath: a loop's state is touched only by the
 * loop's own thread (its green threads and timer callbacks, which never run in parallel), except
 * what is marked volatile or thread-safe; other threads reach a loop through
 * {@link io.eventlet.internal.Loop#execute}, which never blocks.
 */
package io.eventlet.internal;
