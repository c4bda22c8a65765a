package io.eventlet;

import io.eventlet.hub.selector.SelectorHubProvider;
import io.eventlet.sync.Event;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GreenPool and GreenPile: eventlet's test_greenpool behaviours. */
class GreenPoolTest {
    private static <T> T onHub(java.util.concurrent.Callable<T> body) {
        return Hub.run(new SelectorHubProvider(), body);
    }

    @Test
    void spawnRunsAndWaitAllWaitsForEveryOne() {
        onHub(() -> {
            GreenPool pool = new GreenPool(4);
            AtomicInteger done = new AtomicInteger();
            List<GreenThread<Integer>> gs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                gs.add(pool.spawn(() -> {
                    Eventlet.sleep(Duration.ofMillis(1));
                    done.incrementAndGet();
                    return n * n;
                }));
            }
            pool.waitAll();
            assertEquals(10, done.get());
            assertEquals(0, pool.running());
            assertEquals(4, pool.free());
            assertEquals(81, gs.get(9).join());
            return null;
        });
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aNamePrefixNamesEveryMemberInSpawnOrder() {
        onHub(() -> {
            GreenPool pool = new GreenPool(2, "crawler");
            java.util.concurrent.LinkedBlockingQueue<String> names = new java.util.concurrent.LinkedBlockingQueue<>();
            GreenThread<String> first = pool.spawn(() -> Thread.currentThread().getName());
            pool.spawnN(() -> names.add(Thread.currentThread().getName()));
            GreenThread<String> third = pool.spawn(() -> Thread.currentThread().getName());
            assertEquals("crawler-1", first.join());
            assertEquals("crawler-1", first.name());
            assertEquals("crawler-3", third.join());
            pool.waitAll();
            assertEquals("crawler-2", names.take());
            GreenThread<String> unnamed = new GreenPool(1).spawn(() -> Thread.currentThread().getName());
            assertTrue(unnamed.join().startsWith(Hub.current().name() + "-green-"), "no prefix: the hub's default name, " + unnamed.join());
            return null;
        });
    }

    @Test
    void spawnWaitsWhileThePoolIsFull() {
        onHub(() -> {
            GreenPool pool = new GreenPool(2);
            Event<Void> go = new Event<>();
            pool.spawn(go::await);
            pool.spawn(go::await);
            assertEquals(0, pool.free());
            GreenThread<GreenThread<String>> spawner = Eventlet.spawn(() -> pool.spawn(() -> "third"));
            Eventlet.sleep();
            assertFalse(spawner.isDone(), "the third spawn waits for a slot");
            assertEquals(1, pool.waiting());
            assertEquals(2, pool.running());
            go.send(null);
            assertEquals("third", spawner.join().join());
            pool.waitAll();
            return null;
        });
    }

    @Test
    void aMemberOfAFullPoolSpawningIntoItRunsTheBodyInline() {
        onHub(() -> {
            GreenPool pool = new GreenPool(1);
            GreenThread<String> outer = pool.spawn(() -> {
                GreenThread<String> inner = pool.spawn(() -> "inline");
                assertTrue(inner.isDone(), "ran inline, before spawn returned");
                GreenThread<String> failing = pool.spawn(() -> {
                    throw new IllegalStateException("inner failure");
                });
                assertThrows(IllegalStateException.class, failing::join);
                pool.spawnN(() -> {
                    throw new IllegalStateException("expected in this test: an inline spawnN failure is logged");
                });
                return inner.join();
            });
            assertEquals("inline", outer.join());
            return null;
        });
    }

    @Test
    void aSpawnNThreadKilledBeforeItStartsFreesItsSlot() throws Exception {
        GreenPool pool = new GreenPool(1);
        java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
        // Main returns without yielding, so the hub closes before the queued thread starts, and
        // the thread ends without running its body.
        Hub.run(new io.eventlet.hub.selector.SelectorHubProvider(), () -> {
            pool.spawnN(() -> ran.set(true));
            return null;
        });
        pool.waitAll();
        assertFalse(ran.get());
        assertEquals(0, pool.running());
        assertEquals(1, pool.free());
    }

    @Test
    void waitAllFromAMemberIsAnError() {
        onHub(() -> {
            GreenPool pool = new GreenPool(2);
            GreenThread<Void> member = pool.spawn(() -> {
                pool.waitAll();
                return null;
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, member::join);
            assertTrue(e.getMessage().contains("wait for itself"), e.getMessage());
            return null;
        });
    }

    @Test
    void spawnNFailuresAreLoggedAndFreeTheirSlot() {
        onHub(() -> {
            GreenPool pool = new GreenPool(1);
            pool.spawnN(() -> {
                throw new IllegalStateException("expected in this test: logged by the hub");
            });
            AtomicInteger ran = new AtomicInteger();
            pool.spawnN(ran::incrementAndGet);
            pool.waitAll();
            assertEquals(1, ran.get());
            assertEquals(1, pool.free());
            return null;
        });
    }

    @Test
    void resizeLetsWaitingSpawnersInAndShrinksAsThreadsEnd() {
        onHub(() -> {
            GreenPool pool = new GreenPool(1);
            Event<Void> go = new Event<>();
            pool.spawn(go::await);
            GreenThread<GreenThread<Void>> waiting = Eventlet.spawn(() -> pool.spawn(go::await));
            Eventlet.sleep();
            assertEquals(1, pool.waiting());
            pool.resize(2);
            assertEquals(0, pool.waiting());
            waiting.join();
            assertEquals(2, pool.running());
            pool.resize(1);
            assertEquals(-1, pool.free());
            go.send(null);
            pool.waitAll();
            assertEquals(1, pool.free());
            assertEquals(1, pool.size());
            return null;
        });
    }

    @Test
    void imapYieldsResultsInInputOrderWithBoundedConcurrency() {
        onHub(() -> {
            GreenPool pool = new GreenPool(3);
            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger peak = new AtomicInteger();
            List<Integer> inputs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                inputs.add(i);
            }
            List<Integer> out = new ArrayList<>();
            for (int r : pool.imap(i -> {
                peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                Eventlet.sleep(Duration.ofMillis(20 - i));   // later inputs finish sooner
                inFlight.decrementAndGet();
                return i * 2;
            }, inputs)) {
                out.add(r);
            }
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                expected.add(i * 2);
            }
            assertEquals(expected, out);
            assertEquals(3, peak.get());
            return null;
        });
    }

    @Test
    void imapRaisesEachErrorAtItsPositionAndGoesOn() {
        onHub(() -> {
            GreenPool pool = new GreenPool(4);
            GreenPile<Integer> results = pool.imap(i -> {
                if (i == 1) {
                    throw new IllegalArgumentException("bad 1");
                }
                if (i == 7) {
                    throw new IOException("bad 7");
                }
                return i;
            }, List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
            List<Object> seen = new ArrayList<>();
            while (results.hasNext()) {
                try {
                    seen.add(results.next());
                } catch (IllegalArgumentException e) {
                    seen.add(e.getMessage());
                } catch (CompletionException e) {
                    assertInstanceOf(IOException.class, e.getCause());
                    seen.add(e.getCause().getMessage());
                }
            }
            assertEquals(List.of(0, "bad 1", 2, 3, 4, 5, 6, "bad 7", 8, 9), seen);
            assertThrows(NoSuchElementException.class, results::next);
            return null;
        });
    }

    @Test
    void imapTakesInputsOnlyAsResultsAreRead() {
        onHub(() -> {
            GreenPool pool = new GreenPool(2);
            AtomicInteger taken = new AtomicInteger();
            Iterator<Integer> endless = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public Integer next() {
                    return taken.getAndIncrement();
                }
            };
            try (GreenPile<Integer> results = pool.imap(i -> i, () -> endless)) {
                for (int i = 0; i < 10; i++) {
                    assertEquals(i, results.next());
                }
                for (int i = 0; i < 5; i++) {
                    Eventlet.sleep();
                }
                assertTrue(taken.get() <= 10 + 2 * 2 + 1, "inputs taken ahead: " + taken.get());
            }
            pool.waitAll();
            return null;
        });
    }

    @Test
    void starmapAppliesPairs() {
        onHub(() -> {
            GreenPool pool = new GreenPool(2);
            Map<String, Integer> m = new LinkedHashMap<>();
            m.put("a", 1);
            m.put("b", 2);
            m.put("c", 3);
            List<String> out = new ArrayList<>();
            pool.starmap((String k, Integer v) -> k.repeat(v), m.entrySet()).forEachRemaining(out::add);
            assertEquals(List.of("a", "bb", "ccc"), out);
            return null;
        });
    }

    @Test
    void aPileYieldsInSpawnOrderAndTwoPilesShareAPool() {
        onHub(() -> {
            GreenPool pool = new GreenPool(3);
            GreenPile<Integer> first = new GreenPile<>(pool);
            GreenPile<Integer> second = new GreenPile<>(pool);
            for (int i = 0; i < 5; i++) {
                int n = i;
                first.spawn(() -> {
                    Eventlet.sleep(Duration.ofMillis(5 - n));
                    return n;
                });
                second.spawn(() -> n * 10);
            }
            List<Integer> a = new ArrayList<>();
            first.forEach(a::add);
            List<Integer> b = new ArrayList<>();
            second.forEach(b::add);
            assertEquals(List.of(0, 1, 2, 3, 4), a);
            assertEquals(List.of(0, 10, 20, 30, 40), b);
            assertFalse(first.hasNext());
            assertThrows(NoSuchElementException.class, first::next);
            return null;
        });
    }

    @Test
    void aPileGoesOnAfterAFailedBody() {
        onHub(() -> {
            GreenPile<String> pile = new GreenPile<>(2);
            pile.spawn(() -> "a");
            pile.spawn(() -> {
                throw new IllegalStateException("b failed");
            });
            pile.spawn(() -> "c");
            assertEquals("a", pile.next());
            assertThrows(IllegalStateException.class, pile::next);
            assertEquals("c", pile.next());
            assertFalse(pile.hasNext());
            return null;
        });
    }

    @Test
    void aTimeoutDuringABlockedSpawnLeavesThePileConsistent() {
        onHub(() -> {
            GreenPool pool = new GreenPool(1);
            GreenPile<String> pile = new GreenPile<>(pool);
            Event<Void> go = new Event<>();
            pile.spawn(() -> {
                go.await();
                return "only";
            });
            try (Timeout t = Timeout.start(Duration.ofMillis(10))) {
                assertSame(t, assertThrows(Timeout.class, () -> pile.spawn(() -> "never")));
            }
            assertEquals(0, pool.waiting());
            go.send(null);
            List<String> out = new ArrayList<>();
            pile.forEach(out::add);
            assertEquals(List.of("only"), out);
            assertThrows(IllegalStateException.class, () -> pool.imap(x -> x, List.of(1)).spawn(() -> 2));
            return null;
        });
    }
}
