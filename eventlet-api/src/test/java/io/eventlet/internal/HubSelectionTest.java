package io.eventlet.internal;

import io.eventlet.spi.HubProvider;
import io.eventlet.spi.Poller;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class HubSelectionTest {
    /** A provider that only answers selection's questions. */
    private record FakeProvider(String name, int priority, Optional<Throwable> unavailabilityCause) implements HubProvider {
        static FakeProvider available(String name, int priority) {
            return new FakeProvider(name, priority, Optional.empty());
        }

        static FakeProvider unavailable(String name, int priority, String why) {
            return new FakeProvider(name, priority, Optional.of(new UnsupportedOperationException(why)));
        }

        @Override
        public Poller open() throws IOException {
            throw new IOException("a fake provider opens nothing");
        }
    }

    private static List<Supplier<HubProvider>> found(HubProvider... providers) {
        return java.util.Arrays.stream(providers).<Supplier<HubProvider>>map(p -> () -> p).toList();
    }

    /** A provider whose probe failed with {@code cause} and that reports {@code flags} missing. */
    private record FlaglessProvider(String name, int priority, Optional<Throwable> unavailabilityCause, List<String> missingJvmFlags)
            implements HubProvider {
        @Override
        public Poller open() throws IOException {
            throw new IOException("a fake provider opens nothing");
        }
    }

    @Test
    void aBetterHubThatLacksOnlyFlagsAsksForThemInsteadOfFallingBack() {
        var epoll = new FlaglessProvider("epoll", 30, Optional.of(new IllegalAccessError("sun.nio.ch not exported")),
                List.of("--add-exports x=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"));
        var selector = FakeProvider.available("selector", 10);
        var e = assertThrows(IllegalStateException.class, () -> HubSelection.select(Optional.empty(), found(epoll, selector)));
        assertTrue(e.getMessage().contains("cannot start a 'epoll' hub: this JVM lacks 2 flags")
                && e.getMessage().contains("\n  --add-exports x=ALL-UNNAMED --enable-native-access=ALL-UNNAMED\n"), e.getMessage());
        var named = assertThrows(IllegalStateException.class, () -> HubSelection.select(Optional.of("epoll"), found(epoll, selector)));
        assertTrue(named.getMessage().contains("lacks 2 flags"), named.getMessage());
    }

    @Test
    void anAvailableHubThatOnlyWarnsWithoutAFlagStillAsksForIt() {
        // JDK 25 runs JNR without native access, with a warning: the hub is available yet lacks a flag.
        var epoll = new FlaglessProvider("epoll", 30, Optional.empty(), List.of("--enable-native-access=ALL-UNNAMED"));
        var e = assertThrows(IllegalStateException.class, () -> HubSelection.select(Optional.empty(), found(epoll)));
        assertTrue(e.getMessage().contains("lacks a flag"), e.getMessage());
    }

    @Test
    void aHubThatCannotRunHereForAnotherReasonIsPassedOverDespiteMissingFlags() {
        // e.g. an architecture whose struct layout the hub does not know: adding flags would not help.
        var epoll = new FlaglessProvider("epoll", 30, Optional.of(new UnsupportedOperationException("riscv64 unknown")),
                List.of("--enable-native-access=ALL-UNNAMED"));
        var selector = FakeProvider.available("selector", 10);
        assertSame(selector, HubSelection.select(Optional.empty(), found(epoll, selector)).chosen());
        var named = assertThrows(IllegalStateException.class, () -> HubSelection.select(Optional.of("epoll"), found(epoll, selector)));
        assertTrue(named.getMessage().contains("riscv64 unknown") && !named.getMessage().contains("lacks"), "the real cause: " + named.getMessage());
    }

    @Test
    void namedHubIsChosenCaseInsensitively() {
        var selector = FakeProvider.available("selector", 10);
        var epoll = FakeProvider.available("epoll", 30);
        var result = HubSelection.select(Optional.of("  SeLeCtOr "), found(epoll, selector));
        assertSame(selector, result.chosen());
        assertEquals(2, result.seen().size());
    }

    @Test
    void highestPriorityAvailableHubWins() {
        var low = FakeProvider.available("low", 10);
        var high = FakeProvider.available("high", 30);
        var mid = FakeProvider.available("mid", 20);
        assertSame(high, HubSelection.select(Optional.empty(), found(low, high, mid)).chosen());
        assertSame(high, HubSelection.select(Optional.empty(), found(mid, low, high)).chosen());
    }

    @Test
    void unavailableHubsAreSkipped() {
        var epoll = FakeProvider.unavailable("epoll", 30, "no libc here");
        var poll = FakeProvider.unavailable("poll", 20, "no poll either");
        var selector = FakeProvider.available("selector", 10);
        var result = HubSelection.select(Optional.empty(), found(epoll, poll, selector));
        assertSame(selector, result.chosen());
        assertFalse(result.seen().get(0).available());
        assertTrue(result.seen().get(2).available());
    }

    @Test
    void blankRequestedNameMeansChooseByPriority() {
        var a = FakeProvider.available("a", 1);
        var b = FakeProvider.available("b", 2);
        assertSame(b, HubSelection.select(Optional.of("   "), found(a, b)).chosen());
    }

    @Test
    void tieGoesToTheFirstFound() {
        var first = FakeProvider.available("first", 20);
        var second = FakeProvider.available("second", 20);
        var third = FakeProvider.available("third", 20);
        assertSame(first, HubSelection.select(Optional.empty(), found(first, second, third)).chosen());
        assertSame(third, HubSelection.select(Optional.empty(), found(third, first, second)).chosen());
    }

    @Test
    void namedUnavailableHubIsAnErrorWithItsCauseAndEveryHubFound() {
        var epoll = FakeProvider.unavailable("epoll", 30, "libc could not be loaded");
        var selector = FakeProvider.available("selector", 10);
        var e = assertThrows(IllegalStateException.class,
                () -> HubSelection.select(Optional.of("epoll"), found(epoll, selector)));
        String m = e.getMessage();
        assertTrue(m.contains("'epoll' is unavailable"), m);
        assertTrue(m.contains("libc could not be loaded"), m);
        assertTrue(m.contains("selector (priority 10): available"), m);
        assertTrue(m.contains("epoll (priority 30): unavailable"), m);
    }

    @Test
    void unknownNameListsEveryHubAndWhyUnavailableOnesAreUnavailable() {
        var epoll = FakeProvider.unavailable("epoll", 30, "needs --add-exports java.base/sun.nio.ch");
        var poll = FakeProvider.unavailable("poll", 20, "no poll(2) on this OS");
        var selector = FakeProvider.available("selector", 10);
        var e = assertThrows(IllegalStateException.class,
                () -> HubSelection.select(Optional.of("kqueue"), found(epoll, poll, selector)));
        String m = e.getMessage();
        assertTrue(m.contains("no hub named 'kqueue'"), m);
        assertTrue(m.contains("needs --add-exports java.base/sun.nio.ch"), m);
        assertTrue(m.contains("no poll(2) on this OS"), m);
        assertTrue(m.contains("selector"), m);
    }

    @Test
    void theHubsFoundAreListedBestFirstWhateverTheOrderFound() {
        // Found lowest first, as a class path can order them; ties keep the order found, as selection does.
        var selector = FakeProvider.available("selector", 10);
        var poll = FakeProvider.unavailable("poll", 20, "no poll(2) here");
        var epoll = FakeProvider.unavailable("epoll", 30, "no epoll here");
        var twinB = FakeProvider.available("twin-b", 10);
        var twinA = FakeProvider.available("twin-a", 10);
        var e = assertThrows(IllegalStateException.class,
                () -> HubSelection.select(Optional.of("kqueue"), found(selector, twinB, poll, epoll, twinA)));
        List<String> listed = e.getMessage().lines().skip(1).map(l -> l.strip().split(" ")[0]).toList();
        assertEquals(List.of("epoll", "poll", "selector", "twin-b", "twin-a"), listed, e.getMessage());
        // Automatic selection prefers the first listed that is available: on a tie, the first found.
        assertSame(selector, HubSelection.select(Optional.empty(), found(selector, twinB, poll, epoll, twinA)).chosen());
    }

    @Test
    void providerThatFailsToLoadIsReportedAndSkipped() {
        var selector = FakeProvider.available("selector", 10);
        Supplier<HubProvider> broken = () -> {
            throw new ServiceConfigurationError("io.example.BrokenHubProvider: Provider could not be instantiated");
        };
        var result = HubSelection.select(Optional.empty(), List.of(broken, () -> selector));
        assertSame(selector, result.chosen());
        assertEquals(1, result.loadFailures().size());
        assertEquals(1, result.seen().size());

        var e = assertThrows(IllegalStateException.class,
                () -> HubSelection.select(Optional.of("broken"), List.of(broken, () -> selector)));
        assertTrue(e.getMessage().contains("io.example.BrokenHubProvider"), e.getMessage());
    }

    @Test
    void providerWhoseProbeThrowsCountsAsUnavailable() {
        HubProvider flaky = new HubProvider() {
            @Override
            public String name() {
                return "flaky";
            }

            @Override
            public int priority() {
                return 99;
            }

            @Override
            public Optional<Throwable> unavailabilityCause() {
                throw new IllegalStateException("probe exploded");
            }

            @Override
            public Poller open() throws IOException {
                throw new IOException("never");
            }
        };
        var selector = FakeProvider.available("selector", 10);
        var result = HubSelection.select(Optional.empty(), found(flaky, selector));
        assertSame(selector, result.chosen());
        assertFalse(result.seen().get(0).available());
        assertEquals("probe exploded", result.seen().get(0).unavailabilityCause().orElseThrow().getMessage());
    }

    @Test
    void noProvidersSaysToAddAHubModule() {
        var e = assertThrows(IllegalStateException.class, () -> HubSelection.select(Optional.empty(), List.of()));
        assertTrue(e.getMessage().contains("eventlet-hub-selector"), e.getMessage());
        var named = assertThrows(IllegalStateException.class, () -> HubSelection.select(Optional.of("selector"), List.of()));
        assertTrue(named.getMessage().contains("eventlet-hub-selector"), named.getMessage());
    }

    @Test
    void allUnavailableIsAnErrorListingWhy() {
        var epoll = FakeProvider.unavailable("epoll", 30, "reason-one");
        var poll = FakeProvider.unavailable("poll", 20, "reason-two");
        var e = assertThrows(IllegalStateException.class, () -> HubSelection.select(Optional.empty(), found(epoll, poll)));
        assertTrue(e.getMessage().contains("reason-one") && e.getMessage().contains("reason-two"), e.getMessage());
    }

    @Test
    void selectionHasNoSideEffectsOnItsInput() {
        var a = FakeProvider.available("a", 1);
        var providers = found(a);
        var first = HubSelection.select(Optional.empty(), providers);
        var second = HubSelection.select(Optional.empty(), providers);
        assertSame(first.chosen(), second.chosen());
        assertEquals(first.seen(), second.seen());
    }

    @Test
    void aSurveyKeepsLoadFailuresAndTreatsAThrowingCheckAsTheCause() {
        var broken = new ServiceConfigurationError("io.example.BrokenHub: Provider not found");
        HubProvider checkThrows = new HubProvider() {
            public String name() { return "shaky"; }
            public int priority() { return 7; }
            public Optional<Throwable> unavailabilityCause() { throw new IllegalStateException("probe blew up"); }
            public Poller open() { throw new UnsupportedOperationException(); }
        };
        List<Supplier<HubProvider>> providers = List.of(() -> { throw broken; }, () -> checkThrows, () -> FakeProvider.available("selector", 10));
        HubSelection.Survey s = HubSelection.survey(providers);
        assertEquals(List.of(broken), s.loadFailures());
        assertEquals(List.of("shaky", "selector"), s.seen().stream().map(HubSelection.Status::name).toList(), "in the order found");
        assertEquals("probe blew up", s.seen().get(0).unavailabilityCause().orElseThrow().getMessage());
        assertTrue(s.seen().get(1).available());
    }
}
