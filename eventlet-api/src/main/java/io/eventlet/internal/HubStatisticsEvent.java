package io.eventlet.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code io.eventlet.HubStatistics}: every period (1 s by default), one event per running
 * hub with the values of {@code Hub.stats()}, which documents each field.
 *
 * <p>Not thread-safe, as any JFR event: made, filled in and committed by JFR's periodic task.
 */
@Name("io.eventlet.HubStatistics")
@Label("Hub Statistics")
@Category("eventlet")
@Description("The counters of one running hub, as Hub.stats() reports them")
@Period("1 s")
@StackTrace(false)
final class HubStatisticsEvent extends jdk.jfr.Event {
    @Label("Hub")
    String hub;

    @Label("Provider")
    @Description("The kind of hub: selector, epoll, poll...")
    String provider;

    @Label("Green Threads")
    @Description("Gauge: green threads alive on the hub")
    int greenThreads;

    @Label("Timers")
    @Description("Gauge: pending timers")
    int timers;

    @Label("Runnable")
    @Description("Gauge: tasks that were ready when the hub's latest turn began")
    int runnable;

    @Label("Tasks Run")
    @Description("Counter: tasks run on the hub's thread since it started")
    long tasksRun;

    @Label("Timers Fired")
    @Description("Counter: timers fired since the hub started")
    long timersFired;

    @Label("Polls")
    @Description("Counter: calls to the poller since the hub started")
    long polls;
}
