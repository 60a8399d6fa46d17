package dev.tuner.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {

    @Test
    void defaults() throws OptionsException {
        AgentOptions o = AgentOptions.parse(null);
        assertEquals(0.9, o.target());
        assertEquals(1000, o.intervalMillis());
        assertEquals(AgentOptions.Mode.TUNE, o.mode());
        assertEquals(256, o.maxThreads());
        assertEquals(AgentOptions.Profiler.AUTO, o.profiler());
        assertEquals(Runtime.getRuntime().availableProcessors(), o.cores());
        assertEquals(Runtime.getRuntime().maxMemory() / 10, o.prefetchMemoryBytes());
        assertNull(o.log());
        assertEquals(AgentOptions.defaults().toString(), AgentOptions.parse("  ").toString());
    }

    @Test
    void everyKeyParses() throws OptionsException {
        AgentOptions o = AgentOptions.parse("target=0.75, cores=8,interval=500ms,log=/tmp/x.jsonl,mode=ADVISE,"
                + "max-threads=64,prefetch-memory=64m,pools=etl-*;!etl-audit*,profiler=off");
        assertEquals(0.75, o.target());
        assertEquals(8, o.cores());
        assertEquals(500, o.intervalMillis());
        assertEquals("/tmp/x.jsonl", o.log());
        assertEquals(AgentOptions.Mode.ADVISE, o.mode());
        assertEquals(64, o.maxThreads());
        assertEquals(64L << 20, o.prefetchMemoryBytes());
        assertEquals(List.of("etl-*", "!etl-audit*"), o.pools());
        assertEquals(AgentOptions.Profiler.OFF, o.profiler());
        assertEquals(2000, AgentOptions.parse("interval=2s").intervalMillis());
        assertEquals(1500, AgentOptions.parse("interval=1.5").intervalMillis());
        assertEquals(1L << 30, AgentOptions.parse("prefetch-memory=1g").prefetchMemoryBytes());
    }

    /** Each bad input gets one line naming the option and what is accepted. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "foo=1                 | unknown option 'foo'; accepted keys: target, cores",
        "target=2              | target=2 is out of range: give a share of the cores in (0, 1]",
        "target=0              | target=0 is out of range",
        "target=abc            | target=abc is not a number",
        "interval=-1           | interval=-1 is not a duration",
        "interval=10ms         | interval=10ms is out of range",
        "interval=2m           | interval=2m is not a duration",
        "garbage               | option 'garbage' is not key=value",
        "mode=fast             | mode=fast is not accepted: give one of tune, advise",
        "max-threads=0         | max-threads=0 is not accepted",
        "prefetch-memory=lots  | prefetch-memory=lots is not a size",
        "cores=-2              | cores=-2 is out of range",
        "log=                  | log= is empty",
        "profiler=maybe        | profiler=maybe is not accepted: give one of auto, off",
        "pools=a b             | pools=a b has a bad pattern",
        "target=0.5,target=0.6 | option 'target' is given twice",
    })
    void badInputIsRefusedWithOneClearLine(String input, String expected) {
        OptionsException e = assertThrows(OptionsException.class, () -> AgentOptions.parse(input));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }

    @Test
    void aSecondAttachUpdatesOnlyWhatItGives() throws OptionsException {
        AgentOptions first = AgentOptions.parse("target=0.8,interval=2s");
        AgentOptions merged = first.merge(AgentOptions.parse("target=0.6"));
        assertEquals(0.6, merged.target());
        assertEquals(2000, merged.intervalMillis());
    }
}
