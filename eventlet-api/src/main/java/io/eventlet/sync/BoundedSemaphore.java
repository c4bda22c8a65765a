package io.eventlet.sync;

/**
 * A {@link Semaphore} that refuses to be released above its initial value: eventlet's
 * {@code BoundedSemaphore}, which catches a release without a matching acquire.
 */
public final class BoundedSemaphore extends Semaphore {
    private final int bound;

    /**
     * A semaphore with {@code value} free permits that refuses to hold more.
     *
     * @param value the initial number of permits, which is also the most there can be
     */
    public BoundedSemaphore(int value) {
        super(value);
        this.bound = value;
    }

    /** @throws IllegalStateException when the release would raise the count above the initial value */
    @Override
    public void release() {
        super.release();
    }

    @Override
    void checkRelease() {
        if (counter >= bound) {
            throw new IllegalStateException("semaphore released too many times: it already has all " + bound + " permits");
        }
    }

    /**
     * The initial value, which the count never exceeds.
     *
     * @return the most permits there can be
     */
    public int bound() {
        return bound;
    }
}
