package dev.tuner.agent.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tuner.engine.Decision;
import dev.tuner.engine.Diagnoser;
import dev.tuner.engine.Diagnosis;
import dev.tuner.engine.Knob;
import dev.tuner.engine.LockSite;
import dev.tuner.engine.Observation;
import dev.tuner.engine.ProcessSnapshot;
import dev.tuner.engine.StageSnapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictTest {
    private static final long S = 1_000_000_000L;

    /** A stage after 10 s with the given seconds of busy / input wait / output wait / CPU / off-CPU / lock. */
    private static StageSnapshot stage(String name, int parallelism, long items, double busy, double in, double out,
                                       double cpu, double off, double lock) {
        return new StageSnapshot("seed/" + name, "seed", parallelism, 1, 64, 16, 1, 4096, items,
                (long) (busy * S), (long) (in * S), (long) (out * S), 0, (long) (cpu * S), (long) (off * S),
                (long) (lock * S), Map.of(), null, null);
    }

    private static StageSnapshot zero(StageSnapshot s) {
        return new StageSnapshot(s.id(), s.pipeline(), s.parallelism(), 1, 64, 16, 1, 4096, 0, 0, 0, 0, 0, 0,
                0, 0, Map.of(), null, null);
    }

    private static Observation window(List<StageSnapshot> stages) {
        ProcessSnapshot before = new ProcessSnapshot(0, 0, 0, -1, -1, Map.of(), stages.stream().map(VerdictTest::zero).toList());
        ProcessSnapshot after = new ProcessSnapshot(10 * S, 4 * S, 0, -1, -1, Map.of(), stages);
        return Observation.between(before, after, 2);
    }

    private static ThreadWatch.Seen thread(String name, String group, int runnable, int blocked, int waiting, long cpu) {
        ThreadWatch.Seen t = new ThreadWatch.Seen(name.hashCode());
        t.name = name;
        t.group = group;
        t.states.put(Thread.State.RUNNABLE, runnable);
        t.states.put(Thread.State.BLOCKED, blocked);
        t.states.put(Thread.State.WAITING, waiting);
        t.samples = runnable + blocked + waiting;
        t.firstCpu = 0;
        t.lastCpu = cpu;
        return t;
    }

    @Test
    void theSeedStarvesBehindItsReader() {
        Observation obs = window(List.of(
                stage("read", 1, 300, 9.9, 0, 0.1, 0.1, 9.5, 0),
                stage("parse", 1, 300, 1.5, 8.5, 0, 1.5, 0, 0),
                stage("train", 1, 300, 0.5, 9.5, 0, 0.5, 0, 0)));
        Diagnosis diagnosis = new Diagnoser().diagnose(obs);
        Decision raise = new Decision(1, "seed/read", Knob.PARALLELISM, 1, 8, "seed/read is io-bound", 240);
        List<String> verdict = Verdict.sentences(new Verdict.Facts(10, 0.4, 2, null, 0.3, obs, diagnosis,
                List.of(thread("seed-read-1", "seed/read", 0, 0, 10, S / 10), thread("main", "main", 0, 0, 10, 0),
                        thread("Finalizer", ThreadGroups.JVM, 0, 0, 10, 0)),
                Map.of(), Map.of(), List.of(raise), null, 0.01));
        assertEquals(List.of(
                "The process kept 0.4 of 2 cores busy (20%) over 10 s; on average 0 of its 2 app threads were running"
                        + " (RUNNABLE, not in a native read or poll) and the rest waited.",
                "In pipeline seed, seed/read holds the rest: its 1 worker is busy 99% of the time, mostly off the CPU"
                        + " (1% on it: waiting on I/O, a remote call or a sleep), so more workers would carry more."
                        + " seed/parse and seed/train starve behind it: waiting for input 85% and 95% of their time.",
                "Recommended: seed/read parallelism 1 -> 8. Why seed/read: seed/read is io-bound."), verdict);
    }

    @Test
    void withoutStagesAPoolThatQueuesOnOneLockIsNamedWithTheLock() {
        Observation obs = window(List.of());
        LockSite ledger = new LockSite("app.Ledger", "app.Ledger.post", 4 * S, 0.97, LockSite.FoundBy.THREAD_DUMPS);
        List<String> verdict = Verdict.sentences(new Verdict.Facts(10, 1.2, 2, new CpuQuota(1.5, "cgroup v2 cpu.max"),
                0.95, obs, new Diagnoser().diagnose(obs),
                List.of(thread("ledger-1", "ledger-*", 5, 5, 0, 6 * S), thread("ledger-2", "ledger-*", 4, 6, 0, 6 * S),
                        thread("feeder", "feeder", 0, 0, 10, S / 100)),
                Map.of("ledger-*", List.of(ledger)), Map.of("ledger-*", 0.4), List.of(), null, 0));
        assertEquals(List.of(
                "The process kept 1.2 of 2 cores busy (60%) over 10 s; its cgroup v2 cpu.max quota allows 1.5 cores; on"
                        + " average 0.9 of its 3 app threads were running (RUNNABLE, not in a native read or poll) and the"
                        + " rest waited. The machine was 95% busy: other processes take the cores this one leaves.",
                "No stage is published over JMX in this JVM (dev.tuner:type=Stage MXBeans), so this verdict reads its"
                        + " threads alone; JDK pools show as their threads' names.",
                "The 2 threads of ledger-* spent 55% of their time waiting for app.Ledger (monitor) at app.Ledger.post"
                        + " (97% of the lock wait): they queue on one lock, so more threads would not help; shorten or split"
                        + " what runs under it.",
                "With no tunable stage found there is no knob to recommend."), verdict);
    }
}
