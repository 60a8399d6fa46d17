package dev.tuner.agent.profiler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CollapsedTest {
    @Test
    void readsThreadFramesAndWeightAndDropsAnnotations() {
        List<Stack> stacks = Collapsed.parse("""
                [seed-read-1 tid=9201];java/lang/Thread.run;com/acme/Ledger.post;java.lang.Object_[i] 671946524
                [worker;odd 1 tid=27131];java/lang/Thread.run;Chk2$$Lambda$3.run;Chk2.lambda$main$0 6
                [tid=12];ObjectMonitor::EnterI 3
                not a stack line
                [cut tid=1];java/lang/Thread.run
                """);
        assertEquals(3, stacks.size(), stacks::toString);
        assertEquals(new Stack("seed-read-1", List.of("java.lang.Thread.run", "com.acme.Ledger.post", "java.lang.Object"),
                671946524L), stacks.get(0));
        assertEquals("worker;odd 1", stacks.get(1).thread());
        assertEquals("Chk2.lambda$main$0", stacks.get(1).leaf());
        assertEquals(new Stack("", List.of("ObjectMonitor::EnterI"), 3), stacks.get(2));
    }

    @Test
    void emptyOrMissingOutputIsNoStacks() {
        assertEquals(List.of(), Collapsed.parse(""));
        assertEquals(List.of(), Collapsed.parse(null));
    }
}
