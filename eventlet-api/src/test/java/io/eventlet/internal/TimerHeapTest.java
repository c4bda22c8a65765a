package io.eventlet.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The timer heap alone, with explicit deadlines. The timers belong to no hub, so their
 * {@code cancel()} tells nobody; the test plays the hub's part and tells the heap under test with
 * {@code noteCancelled(timer)}.
 */
class TimerHeapTest {
    private final TimerHeap heap = new TimerHeap();

    private ScheduledCall add(long deadline) {
        ScheduledCall t = new ScheduledCall(null, deadline, new Named("t" + heap.size() + "@" + deadline));
        heap.add(t);
        return t;
    }

    private void cancel(ScheduledCall t) {
        assertTrue(t.cancel());
        heap.noteCancelled(t);
    }

    private List<ScheduledCall> drain(long now) {
        List<ScheduledCall> out = new ArrayList<>();
        for (ScheduledCall t; (t = heap.pollDue(now)) != null; ) {
            out.add(t);
        }
        return out;
    }

    /** An action that does nothing but name itself, so a failed comparison reads well. */
    private record Named(String name) implements Runnable {
        @Override
        public void run() {
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @Test
    void anEmptyHeapHasNothingDue() {
        assertEquals(Long.MAX_VALUE, heap.nextDeadline());
        assertNull(heap.pollDue(Long.MAX_VALUE / 2));
        assertEquals(0, heap.size());
    }

    @Test
    void timersComeOutInDeadlineOrder() {
        List<ScheduledCall> added = new ArrayList<>();
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            added.add(add(random.nextInt(1_000_000)));
        }
        List<ScheduledCall> expected = new ArrayList<>(added);
        expected.sort(Comparator.comparingLong(t -> t.deadline));   // stable: ties keep insertion order
        assertEquals(expected, drain(1_000_000));
        assertEquals(0, heap.size());
    }

    @Test
    void equalDeadlinesComeOutInSchedulingOrder() {
        List<ScheduledCall> added = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            added.add(add(random.nextInt(3)));   // many ties on three deadlines
        }
        List<ScheduledCall> expected = new ArrayList<>(added);
        expected.sort(Comparator.comparingLong(t -> t.deadline));
        assertEquals(expected, drain(10));
    }

    @Test
    void onlyTimersDueByNowComeOut() {
        ScheduledCall late = add(20);
        ScheduledCall early = add(10);
        assertEquals(10, heap.nextDeadline());
        assertNull(heap.pollDue(9));
        assertSame(early, heap.pollDue(10));
        assertNull(heap.pollDue(19));
        assertEquals(20, heap.nextDeadline());
        assertSame(late, heap.pollDue(25));
        assertEquals(Long.MAX_VALUE, heap.nextDeadline());
    }

    @Test
    void deadlinesCompareLikeNanoTimeAcrossOverflow() {
        ScheduledCall afterWrap = add(Long.MAX_VALUE + 10);   // wraps to a negative number, yet is later
        ScheduledCall beforeWrap = add(Long.MAX_VALUE - 10);
        assertEquals(List.of(beforeWrap, afterWrap), drain(Long.MAX_VALUE + 20));
    }

    @Test
    void cancelLeavesTheTimerInPlaceAndItIsSkipped() {
        ScheduledCall a = add(1);
        ScheduledCall b = add(2);
        ScheduledCall c = add(3);
        ScheduledCall d = add(4);
        cancel(a);   // the top
        cancel(c);
        assertEquals(4, heap.size(), "cancel removes nothing at once (O(1))");
        assertEquals(2, heap.live());
        assertEquals(2, heap.nextDeadline(), "the cancelled top is skipped");
        assertEquals(List.of(b, d), drain(100));
        assertEquals(0, heap.size());
        assertEquals(0, heap.live());
    }

    @Test
    void twoThousandScheduleAndCancelKeepTheHeapSmall() {
        ScheduledCall longLived = add(1_000_000);
        int largest = 0;
        for (int i = 0; i < 2_000; i++) {
            cancel(add(60_000 + i));
            largest = Math.max(largest, heap.size());
        }
        assertTrue(largest <= 32, "the heap grew to " + largest + " entries");
        assertEquals(1, heap.live());
        assertEquals(List.of(longLived), drain(2_000_000));
    }

    @Test
    void compactsOnceCancelledTimersAreTheMajority() {
        List<ScheduledCall> live = new ArrayList<>();
        List<ScheduledCall> doomed = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ScheduledCall t = add(1_000 - i);   // reverse order, so the heap really has to sort
            (i % 5 < 2 ? live : doomed).add(t);
        }
        for (int i = 0; i < 50; i++) {
            cancel(doomed.get(i));
        }
        assertEquals(100, heap.size(), "compacted while cancelled timers were only half");
        cancel(doomed.get(50));
        assertEquals(49, heap.size(), "not compacted once cancelled timers were the majority");
        assertEquals(49, heap.live(), "the 40 kept and the 9 doomed timers not cancelled yet");
        for (int i = 51; i < doomed.size(); i++) {
            cancel(doomed.get(i));
        }
        assertEquals(40, heap.live());
        List<ScheduledCall> expected = new ArrayList<>(live);
        Collections.reverse(expected);
        assertEquals(expected, drain(10_000), "order after compaction");
    }
}
