package io.eventlet.kit;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code java.util.concurrent.StructuredTaskScope}, a preview API in JDK 25, called through
 * reflection: compiling a direct use needs {@code --enable-preview} for the test sources, and
 * running it would need the flag in the Surefire configuration of every hub module that runs the
 * kit. A preview API's methods run without the flag when called reflectively, so this keeps the
 * build as it is. When the API is final, replace this class with direct calls.
 *
 * <p>A scope is opened with {@code Joiner.awaitAllSuccessfulOrThrow()}; its subtasks are read
 * through their {@link Supplier} face ({@code Subtask.get()}).
 */
final class Structured implements AutoCloseable {
    private static final Method OPEN;
    private static final Method OPEN_CONFIGURED;
    private static final Method AWAIT_ALL_SUCCESSFUL;
    private static final Method WITH_THREAD_FACTORY;
    private static final Method FORK;
    private static final Method JOIN;
    private static final Method CLOSE;

    static {
        try {
            Class<?> scope = Class.forName("java.util.concurrent.StructuredTaskScope");
            Class<?> joiner = Class.forName("java.util.concurrent.StructuredTaskScope$Joiner");
            Class<?> config = Class.forName("java.util.concurrent.StructuredTaskScope$Configuration");
            OPEN = scope.getMethod("open");
            OPEN_CONFIGURED = scope.getMethod("open", joiner, Function.class);
            AWAIT_ALL_SUCCESSFUL = joiner.getMethod("awaitAllSuccessfulOrThrow");
            WITH_THREAD_FACTORY = config.getMethod("withThreadFactory", ThreadFactory.class);
            FORK = scope.getMethod("fork", Callable.class);
            JOIN = scope.getMethod("join");
            CLOSE = scope.getMethod("close");
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object scope;

    private Structured(Object scope) {
        this.scope = scope;
    }

    /** {@code StructuredTaskScope.open()}: subtasks are virtual threads of the JDK's default factory. */
    static Structured open() {
        return new Structured(invoke(OPEN, null));
    }

    /** A scope whose subtasks are threads of {@code factory} ({@code Configuration.withThreadFactory}). */
    static Structured open(ThreadFactory factory) {
        Function<Object, Object> configure = c -> invoke(WITH_THREAD_FACTORY, c, factory);
        return new Structured(invoke(OPEN_CONFIGURED, null, invoke(AWAIT_ALL_SUCCESSFUL, null), configure));
    }

    /** {@code fork}: the subtask, as the supplier of its result once joined. */
    @SuppressWarnings("unchecked")
    <T> Supplier<T> fork(Callable<? extends T> task) {
        return (Supplier<T>) invoke(FORK, scope, task);
    }

    /** {@code join}: waits for every subtask; a failed one makes it throw {@code FailedException}. */
    void join() throws InterruptedException {
        try {
            JOIN.invoke(scope);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof InterruptedException ie) {
                throw ie;
            }
            throw rethrown(e.getCause());
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        invoke(CLOSE, scope);
    }

    private static Object invoke(Method m, Object target, Object... args) {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw rethrown(e.getCause());
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    private static RuntimeException rethrown(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
