package dev.tuner.it.cli;

/**
 * A JVM with nothing to tune, for the command line's error cases: prints {@code ready} and sleeps. Uses
 * java.base only, so it also runs on a jlink-ed runtime of java.base alone.
 */
public final class IdleTarget {
    private IdleTarget() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.parseLong(args.length > 0 ? args[0] : "120") * 1000);
    }
}
