package dev.tuner.agent.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineCpuTest {
    @TempDir
    Path dir;

    @Test
    void idleAndIowaitAreNotBusyAndGuestIsNotCountedTwice() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        assertArrayEquals(new long[] {100 + 5 + 30 + 2 + 3 + 1, 100 + 5 + 30 + 800 + 60 + 2 + 3 + 1},
                MachineCpu.parseCpuLine("cpu  100 5 30 800 60 2 3 1 40 0"));
        assertNull(MachineCpu.parseCpuLine("cpu0 1 2 3 4 5"));
        assertNull(MachineCpu.parseCpuLine("intr 1 2"));
    }

    @Test
    void eachInstanceMeasuresItsOwnWindow() throws IOException {
        Path stat = dir.resolve("stat");
        Files.writeString(stat, "cpu  100 0 0 900 0 0 0 0 0 0\ncpu0 50 0 0 450\n");
        MachineCpu a = new MachineCpu(stat, () -> 0.42);
        MachineCpu b = new MachineCpu(stat, () -> 0.42);
        assertEquals(0.42, a.load(), 1e-9, "no window yet: the fallback");
        Files.writeString(stat, "cpu  400 0 0 1600 0 0 0 0 0 0\n");
        assertEquals(0.3, a.load(), 1e-9, "300 busy of 1000 ticks");
        assertEquals(0.42, b.load(), 1e-9, "b's first call does not take a's window");
        Files.writeString(stat, "cpu  1300 0 0 1700 0 0 0 0 0 0\n");
        assertEquals(0.9, b.load(), 1e-9, "b's window starts at its own previous call");
        assertEquals(0.9, a.load(), 1e-9);
    }

    @Test
    void anUnreadableFileFallsBackAndAnOutOfRangeFallbackIsUnknown() {
        MachineCpu missing = new MachineCpu(dir.resolve("absent"), () -> 0.5);
        assertEquals(0.5, missing.load(), 1e-9);
        assertEquals(-1, new MachineCpu(dir.resolve("absent"), () -> -1).load(), 1e-9);
        assertEquals(-1, new MachineCpu(dir.resolve("absent"), () -> Double.NaN).load(), 1e-9);
    }

    @Test
    void noTicksElapsedFallsBack() throws IOException {
        Path stat = dir.resolve("stat");
        Files.writeString(stat, "cpu  100 0 0 900 0 0 0 0\n");
        MachineCpu m = new MachineCpu(stat, () -> 0.25);
        m.load();
        assertEquals(0.25, m.load(), 1e-9);
    }
}
