package dev.tuner.agent.profiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibraryTest {
    @TempDir
    Path dir;

    @Test
    void platformTagsAreTheJarsFolders() {
        assertEquals("linux-x64", NativeLibrary.platformTag("Linux", "amd64"));
        assertEquals("linux-arm64", NativeLibrary.platformTag("Linux", "aarch64"));
        assertEquals("macos", NativeLibrary.platformTag("Mac OS X", "aarch64"));
        assertNull(NativeLibrary.platformTag("Windows 11", "amd64"));
        assertNull(NativeLibrary.platformTag("Linux", "ppc64le"));
    }

    @Test
    void aMissingOrCorruptOverrideIsUnavailableWithItsReason() throws Exception {
        String before = System.getProperty(NativeLibrary.PROPERTY);
        try {
            System.setProperty(NativeLibrary.PROPERTY, dir.resolve("missing.so").toString());
            NativeLibrary.Unavailable missing = assertThrows(NativeLibrary.Unavailable.class, NativeLibrary::load);
            assertTrue(missing.getMessage().contains("missing.so (set by -Ddev.tuner.profiler.lib) does not exist"),
                    missing.getMessage());

            Path corrupt = Files.writeString(dir.resolve("corrupt.so"), "not an ELF file");
            System.setProperty(NativeLibrary.PROPERTY, corrupt.toString());
            NativeLibrary.Unavailable bad = assertThrows(NativeLibrary.Unavailable.class, NativeLibrary::load);
            assertTrue(bad.getMessage().contains("does not load in this JVM (UnsatisfiedLinkError"), bad.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(NativeLibrary.PROPERTY);
            } else {
                System.setProperty(NativeLibrary.PROPERTY, before);
            }
        }
    }
}
