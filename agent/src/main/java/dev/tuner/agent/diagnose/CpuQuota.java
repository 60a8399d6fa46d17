package dev.tuner.agent.diagnose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The CPU quota a container (or systemd) sets on this process, in cores: cgroup v2 {@code cpu.max}
 * ({@code "<quota> <period>"}, {@code max} for none) or cgroup v1 {@code cpu.cfs_quota_us} /
 * {@code cpu.cfs_period_us} (-1 for none). The process's own cgroup (from {@code /proc/self/cgroup}) is
 * read first, then the root of the mount, which is what a container sees as its own. Reads files under
 * a root that tests may point elsewhere.
 *
 * @param cores  the quota in cores, e.g. 1.5
 * @param source which file said so, e.g. {@code cgroup v2 cpu.max}
 */
record CpuQuota(double cores, String source) {

    /** The quota of this process, or {@code null} when none is set (or this is not Linux). */
    static CpuQuota ofThisProcess() {
        return read(Path.of("/"));
    }

    static CpuQuota read(Path root) {
        List<String> cgroups = lines(root.resolve("proc/self/cgroup"));
        Path fs = root.resolve("sys/fs/cgroup");
        for (String line : cgroups) {
            String[] parts = line.split(":", 3);
            if (parts.length < 3) {
                continue;
            }
            String path = parts[2].startsWith("/") ? parts[2].substring(1) : parts[2];
            if (parts[1].isEmpty()) { // cgroup v2: 0::/path
                CpuQuota q = v2(fs.resolve(path).resolve("cpu.max"));
                if (q == null) {
                    q = v2(fs.resolve("cpu.max"));
                }
                if (q != null) {
                    return q;
                }
            } else if (List.of(parts[1].split(",")).contains("cpu")) {
                for (Path dir : List.of(fs.resolve("cpu").resolve(path), fs.resolve("cpu,cpuacct").resolve(path),
                        fs.resolve("cpu"), fs.resolve("cpu,cpuacct"))) {
                    CpuQuota q = v1(dir);
                    if (q != null) {
                        return q;
                    }
                }
            }
        }
        return cgroups.isEmpty() ? v2(fs.resolve("cpu.max")) : null;
    }

    private static CpuQuota v2(Path cpuMax) {
        List<String> lines = lines(cpuMax);
        if (lines.isEmpty()) {
            return null;
        }
        String[] f = lines.get(0).trim().split("\\s+");
        if (f.length != 2 || f[0].equals("max")) {
            return null;
        }
        try {
            double quota = Double.parseDouble(f[0]);
            double period = Double.parseDouble(f[1]);
            return quota > 0 && period > 0 ? new CpuQuota(quota / period, "cgroup v2 cpu.max") : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static CpuQuota v1(Path dir) {
        List<String> quota = lines(dir.resolve("cpu.cfs_quota_us"));
        List<String> period = lines(dir.resolve("cpu.cfs_period_us"));
        if (quota.isEmpty() || period.isEmpty()) {
            return null;
        }
        try {
            double q = Double.parseDouble(quota.get(0).trim());
            double p = Double.parseDouble(period.get(0).trim());
            return q > 0 && p > 0 ? new CpuQuota(q / p, "cgroup v1 cpu.cfs_quota_us") : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.isReadable(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException | SecurityException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }

    /** CPUs the machine has online ({@code /sys/devices/system/cpu/online}, e.g. {@code 0-3,8}), or -1. */
    static int onlineCpus(Path root) {
        List<String> lines = lines(root.resolve("sys/devices/system/cpu/online"));
        if (lines.isEmpty()) {
            return -1;
        }
        int count = 0;
        try {
            for (String range : lines.get(0).trim().split(",")) {
                String[] ends = range.split("-");
                count += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
            }
        } catch (NumberFormatException e) {
            return -1;
        }
        return count;
    }
}
