package dev.tuner.agent.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuQuotaTest {
    @TempDir
    Path root;

    private void write(String file, String text) throws Exception {
        Path p = root.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void cgroupV2CpuMaxInTheProcessesOwnGroup() throws Exception {
        write("proc/self/cgroup", "0::/kubepods/pod1\n");
        write("sys/fs/cgroup/kubepods/pod1/cpu.max", "150000 100000\n");
        assertEquals(new CpuQuota(1.5, "cgroup v2 cpu.max"), CpuQuota.read(root));
    }

    @Test
    void cgroupV2AtTheMountRootAsAContainerSeesIt() throws Exception {
        write("proc/self/cgroup", "0::/\n");
        write("sys/fs/cgroup/cpu.max", "200000 100000\n");
        assertEquals(new CpuQuota(2, "cgroup v2 cpu.max"), CpuQuota.read(root));
    }

    @Test
    void noQuotaIsNull() throws Exception {
        write("proc/self/cgroup", "0::/\n");
        write("sys/fs/cgroup/cpu.max", "max 100000\n");
        assertNull(CpuQuota.read(root));
    }

    @Test
    void cgroupV1CfsQuota() throws Exception {
        write("proc/self/cgroup", "4:memory:/x\n1:cpu,cpuacct:/docker/abc\n0::/\n");
        write("sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us", "50000\n");
        write("sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us", "100000\n");
        assertEquals(new CpuQuota(0.5, "cgroup v1 cpu.cfs_quota_us"), CpuQuota.read(root));

        write("sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us", "-1\n");
        assertNull(CpuQuota.read(root));
    }

    @Test
    void onlineCpusCountsRanges() throws Exception {
        write("sys/devices/system/cpu/online", "0-3,8,10-11\n");
        assertEquals(7, CpuQuota.onlineCpus(root));
        assertEquals(-1, CpuQuota.onlineCpus(root.resolve("nowhere")));
    }
}
