package dev.tuner.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiagnoseViewTest {
    private static final String REPORT = """
            {"pid":42,"java":"17.0.15","seconds":10.0,"tuner":null,"changed":false,"knobs_moved":[],
             "cpu":{"cores_busy":0.41,"cores":2.0,"available_processors":2,"online_cpus":4,
                    "quota":{"cores":2.0,"source":"cgroup v2 cpu.max"},"machine_load":0.3,"jvm_native_cores":0.02},
             "threads":[
               {"group":"seed/read","name":"seed-read-1","id":21,"state":"TIMED_WAITING","cpu":0.01,"runnable":0.02,"native_wait":0,
                "blocked":0,"waiting":0,"timed_waiting":0.98},
               {"group":"trainer-*","name":"trainer-1","id":30,"state":"WAITING","cpu":0.06,"runnable":0.1,"native_wait":0,
                "blocked":0,"waiting":0.9,"timed_waiting":0},
               {"group":"trainer-*","name":"trainer-2","id":31,"state":"WAITING","cpu":0.05,"runnable":0.1,"native_wait":0,
                "blocked":0,"waiting":0.9,"timed_waiting":0},
               {"group":"(jvm)","name":"Finalizer","id":3,"state":"WAITING","cpu":0,"runnable":0,"native_wait":0,"blocked":0,
                "waiting":1,"timed_waiting":0},
               {"group":"(jvm)","name":"Reference Handler","id":2,"state":"RUNNABLE","cpu":0,"runnable":1,"native_wait":0.5,"blocked":0,
                "waiting":0,"timed_waiting":0}],
             "stages":{"seed/read":{"parallelism":1,"prefetch":16,"throughput":30.1,"label":"io-bound","busy":0.99,
                       "input_wait":0,"output_wait":0.01,"cpu_share":0.01,"lock_share":0,"lock_site":null}},
             "bottlenecks":{"seed":"seed/read"},
             "hot_frames":{"trainer-*":[{"frame":"app.Model.accumulate","share":0.98,"samples":120}]},
             "hot_frames_source":"async-profiler itimer over 10 s",
             "locks":{},"locks_source":"thread dumps every 100 ms",
             "profiler":{"enabled":true,"cpu_event":"itimer","lock_recorded":false,"unavailable":null,"note":null},
             "verdict":["The process kept 0.41 of 2 cores busy.","In pipeline seed, seed/read holds the rest."],
             "decisions":[{"stage":"seed/read","knob":"parallelism","from":1,"to":8,"reason":"io-bound"}],
             "recommended":{"seed/read":{"parallelism":8}},"limit":null,
             "app_flags":[{"stage":"seed/read","knob":"parallelism","flag":"--num-parallel-reads","current":"1",
                           "recommended":8}],
             "command":"seed.jar --num-parallel-reads 1"}
            """;

    @Test
    void theSectionsComeInTheOrderTheIncidentWasRead() throws Exception {
        List<String> lines = DiagnoseView.render(new ObjectMapper().readTree(REPORT), Path.of("/opt/tuner.jar"));
        String text = String.join("\n", lines);
        assertEquals("pid 42  Java 17.0.15  watched 10 s; diagnose changed nothing (no tuner runs here)", lines.get(0));
        assertEquals("cores: 0.41 busy of 2 (21%); the JVM sees 2 processors, the machine has 4 online, CPU quota 2 cores"
                + " (cgroup v2 cpu.max); machine 30% busy; GC, JIT and other JVM native threads 0.02", lines.get(2));
        int threads = text.indexOf("threads (top -H");
        int frames = text.indexOf("top CPU frames (async-profiler itimer over 10 s):");
        int locks = text.indexOf("top lock sites (thread dumps every 100 ms):");
        int verdict = text.indexOf("verdict:");
        int settings = text.indexOf("recommended settings");
        assertTrue(0 < threads && threads < frames && frames < locks && locks < verdict && verdict < settings, text);

        assertTrue(lines.contains("  GROUP      THREAD       S  %CPU  RUN   IO  BLOCKED  WAIT  TIMED"), text);
        assertTrue(lines.contains("  seed/read  seed-read-1  T    1%   2%   0%       0%    0%    98%"), text);
        assertTrue(lines.contains("  trainer-*  trainer-1    W    6%  10%   0%       0%   90%     0%"), text);
        assertTrue(lines.contains("  (jvm)      2 threads         0%  50%  25%       0%   50%     0%"), text);
        assertTrue(lines.contains("  trainer-*    98%      120  app.Model.accumulate"), text);
        assertTrue(lines.contains("  none: no thread was seen waiting on a contended lock"), text);
        assertTrue(lines.contains("  In pipeline seed, seed/read holds the rest."), text);
        assertTrue(lines.contains("  seed/read  parallelism    1       8"), text);
        assertTrue(lines.contains("  as tuner options: java -jar /opt/tuner.jar attach 42   (sets and verifies them live;"
                + " add mode=advise to only log them)"), text);
        assertTrue(text.contains("as the app's flags (guessed: the flag's name contains the stage's name; check before"
                + " use): --num-parallel-reads 8 (now 1, for seed/read parallelism)"), text);
    }
}
