package io.eventlet;

import io.eventlet.internal.Greenlet;

/**
 * Raised in a green thread by {@link GreenThread#kill()} at its blocking point, and thrown by
 * {@link GreenThread#join()} of a thread that was killed. Eventlet's {@code GreenletExit}.
 *
 * <p>It is an {@link Error}, like eventlet's {@code BaseException} and the JDK's old
 * {@code ThreadDeath}, so that the {@code catch (Exception e)} blocks of ordinary code do not
 * swallow a kill. Catch it only to clean up, then let it go on.
 *
 * {@snippet :
 * GreenThread<Void> worker = Eventlet.spawn(() -> { Eventlet.sleep(Duration.ofHours(1)); return null; });
 * Eventlet.sleep();
 * worker.kill();                       // GreenThreadExit is raised inside the sleep
 * assert worker.isDone();
 * }
 */
public class GreenThreadExit extends Error {
    private static final long serialVersionUID = 1L;

    /** The exception of a plain {@link GreenThread#kill()}. */
    public GreenThreadExit() {
        super("green thread killed");
    }

    /**
     * A kill exception with a message of the killer's choice.
     *
     * @param message why the green thread is killed
     */
    public GreenThreadExit(String message) {
        super(message);
    }

    /**
     * Fills in no stack when made: the runtime gives it the stack of the blocking point where it
     * is raised, which is where the victim was.
     */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return Greenlet.raisingHere() ? super.fillInStackTrace() : this;
    }
}
