package io.eventlet;

import io.eventlet.hub.selector.SelectorHubProvider;
import java.time.Duration;

/** Run by {@link BlockingDetectorTest} in a child JVM: one green thread holds its hub with the CPU. */
final class BlockingDetectorChild {
    private BlockingDetectorChild() {
    }

    public static void main(String[] args) {
        long spinMillis = Long.parseLong(args[0]);
        Hub.run(new SelectorHubProvider(), () -> {
            System.out.println("HUB=" + Hub.current().name());
            spinTheCpuWithoutYielding(Duration.ofMillis(spinMillis));
            Eventlet.sleep(Duration.ofMillis(1));
            System.out.println("SPUN");
            return null;
        });
    }

    static void spinTheCpuWithoutYielding(Duration d) {
        long until = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
