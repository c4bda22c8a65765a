package io.eventlet.spi;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChannelFdTest {
    @Test
    void readsTheDescriptorsOfAPipeWhenTheFlagIsGiven() throws IOException {
        // The build starts test JVMs with the flag.
        assertEquals(Optional.empty(), ChannelFd.unavailabilityCause());
        Pipe pipe = Pipe.open();
        try {
            int source = ChannelFd.of(pipe.source());
            int sink = ChannelFd.of(pipe.sink());
            assertTrue(source >= 0 && sink >= 0, source + ", " + sink);
            assertNotEquals(source, sink);
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    @Test
    void missingExportIsReportedNamingTheFlag() {
        // publicLookup() sees only unconditionally exported packages, as code in a JVM started
        // without the flag would.
        IllegalAccessError e = assertThrows(IllegalAccessError.class, () -> ChannelFd.find(MethodHandles.publicLookup()));
        assertTrue(e.getMessage().contains("--add-exports java.base/sun.nio.ch=ALL-UNNAMED"), e.getMessage());
        assertTrue(e.getMessage().contains(ChannelFd.FLAG), e.getMessage());
    }

    @Test
    void aChannelWithoutAFileDescriptorIsRefused() throws IOException {
        try (var channel = new AbstractSelectableChannel(SelectorProvider.provider()) {
            @Override
            protected void implCloseSelectableChannel() {
            }

            @Override
            protected void implConfigureBlocking(boolean block) {
            }

            @Override
            public int validOps() {
                return SelectionKey.OP_READ;
            }
        }) {
            IOException e = assertThrows(IOException.class, () -> ChannelFd.of(channel));
            assertTrue(e.getMessage().contains("not a JDK channel"), e.getMessage());
        }
    }
}
