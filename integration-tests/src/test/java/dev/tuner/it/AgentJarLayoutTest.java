package dev.tuner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuner.it.support.Artifacts;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/** tuner.jar is one shaded jar that never clashes with the app's own libraries. */
class AgentJarLayoutTest {

    @Test
    void theManifestMakesItAnAgentAndACommandLine() throws Exception {
        try (JarFile jar = new JarFile(Artifacts.agentJar().toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertEquals("dev.tuner.agent.AgentEntry", main.getValue("Premain-Class"));
            assertEquals("dev.tuner.agent.AgentEntry", main.getValue("Agent-Class"));
            assertEquals("dev.tuner.agent.cli.Main", main.getValue("Main-Class"));
            assertEquals("true", main.getValue("Can-Retransform-Classes"));
            assertEquals("true", main.getValue("Can-Redefine-Classes"));
        }
    }

    @Test
    void everyThirdPartyClassIsRelocatedButAsyncProfilersAndNoEntryIsThereTwice() throws Exception {
        List<String> outside = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> twice = new ArrayList<>();
        boolean bytebuddy = false;
        boolean jackson = false;
        boolean slf4j = false;
        boolean nativeProfiler = false;
        try (InputStream in = Files.newInputStream(Artifacts.agentJar());
             ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                String name = e.getName();
                if (!seen.add(name)) {
                    twice.add(name);
                }
                bytebuddy |= name.startsWith("dev/tuner/agent/shaded/bytebuddy/");
                jackson |= name.startsWith("dev/tuner/agent/shaded/jackson/");
                slf4j |= name.startsWith("dev/tuner/agent/shaded/slf4j/");
                nativeProfiler |= name.equals("linux-x64/libasyncProfiler.so");
                if (name.endsWith(".class") && !name.startsWith("dev/tuner/agent/")
                        && !name.startsWith("one/profiler/")) {
                    outside.add(name);
                }
            }
        }
        assertTrue(outside.isEmpty(), "classes outside dev/tuner/agent and one/profiler: " + outside);
        assertTrue(twice.isEmpty(), "entries there twice: " + twice);
        assertTrue(bytebuddy && jackson && slf4j, "the relocated libraries are inside");
        assertTrue(nativeProfiler, "async-profiler's native library is inside, where its loader looks");
    }
}
