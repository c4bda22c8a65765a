package io.eventlet.examples;

import java.util.concurrent.CountDownLatch;

/** What the example commands share. */
final class Examples {
    private Examples() {
    }

    /**
     * Blocks until the JVM is asked to stop (Ctrl-C, SIGTERM), then closes {@code running} from
     * the shutdown hook so the example ends cleanly.
     */
    static void awaitInterrupt(AutoCloseable running) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                System.err.println("stopping: " + e);
            }
            stopped.countDown();
        }, "example-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        stopped.await();
    }
}
