/**
 * What every hub that calls the operating system through JNR needs, written once: the native
 * plumbing under eventlet-hub-epoll and eventlet-hub-poll, and under any native hub to come. It
 * depends on JNR (jnr-ffi, jffi) only, not on eventlet-api.
 *
 * <ul>
 * <li>{@link io.eventlet.jnr.LibC}: the JNR binding of the libc functions any hub uses
 *     ({@code close}, {@code read}, {@code write}, {@code pipe}, {@code strerror}), one shared
 *     instance.
 * <li>{@link io.eventlet.jnr.Native}: loading (the shared binding, and a hub's own interface with
 *     {@link io.eventlet.jnr.Native#load(Class)}), errno, native buffers, and the checked calls
 *     that turn a negative return into an {@link io.eventlet.jnr.ErrnoException}.
 * <li>{@link io.eventlet.jnr.ErrnoException}: the one exception of a failed system call, carrying
 *     errno; {@link io.eventlet.jnr.Errno}: the errno values hubs test for.
 * <li>{@link io.eventlet.jnr.NativeProbe}: a hub's availability, probed once per JVM by really
 *     exercising its native path, with the cause kept and the JVM flags named.
 * </ul>
 *
 * <p>A new native hub writes only its own system calls and its exercise. Its functions go in a
 * public interface of its own; its checked wrappers go through {@link io.eventlet.jnr.Native}; its
 * provider keeps a {@link io.eventlet.jnr.NativeProbe} in a holder class, so that constructing the
 * provider or asking its name loads no native code:
 *
 * {@snippet :
 * public interface KqueueFunctions {                         // public: JNR implements it
 *     @SaveError int kqueue();
 * }
 *
 * final class Syscalls {
 *     static final KqueueFunctions KQ = Native.load(KqueueFunctions.class);
 *
 *     static int kqueue() throws ErrnoException {           // "kqueue() failed with errno 24: Too many open files"
 *         return Native.check(KQ.kqueue(), () -> "kqueue()");
 *     }
 * }
 *
 * public final class KqueueHubProvider implements HubProvider {
 *     public Optional<Throwable> unavailabilityCause() {
 *         return Probe.CAUSE;
 *     }
 *
 *     private static final class Probe {                    // initialised on the first question only
 *         static final Optional<Throwable> CAUSE = probe();
 *     }
 *
 *     private static Optional<Throwable> probe() {
 *         try {
 *             return NativeProbe.posix("kqueue", "poll or selector")
 *                     .requires(ChannelFd::unavailabilityCause)
 *                     .exercise(() -> Native.close(Syscalls.kqueue()))
 *                     .unavailabilityCause();
 *         } catch (LinkageError e) {                        // eventlet-jnr itself is missing
 *             return Optional.of(e);
 *         }
 *     }
 *     // name(), priority(), open() ...
 * }
 * }
 *
 * <p>Threading: everything here may be used from any thread. The bound functions are plain system
 * calls; JNR saves errno per thread right after each call, so a failure reports its own errno
 * whatever other threads do. Native buffers from {@link io.eventlet.jnr.Native#allocate(int)} are
 * not synchronised: a poller keeps its own to its hub's thread, and shares only buffers that are
 * never written after construction. {@link io.eventlet.jnr.NativeProbe} runs its checks at most
 * once however many threads ask.
 *
 * <p>Class loading touches no native code: libc is loaded by the first call that needs it, and
 * {@link io.eventlet.jnr.NativeProbe}, {@link io.eventlet.jnr.ErrnoException} and
 * {@link io.eventlet.jnr.Errno} load without any JNR class on the class path.
 */
package io.eventlet.jnr;
