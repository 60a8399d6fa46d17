package dev.tuner.examples.lockbound;

/**
 * The shared object every task posts to, under its monitor: the one lock the whole pool queues on.
 * {@link #post} does most of a task's work while holding it (a running balance over a long mix), so
 * however many threads the pool has, only one makes progress inside at a time.
 */
final class Ledger {
    private final int rounds;
    private long balance;
    private long entries;

    /** @param rounds CPU work done under the monitor per post */
    Ledger(int rounds) {
        this.rounds = rounds;
    }

    synchronized void post(long amount) {
        long h = balance ^ amount;
        for (int i = 0; i < rounds; i++) {
            h = (h ^ i) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        balance = h;
        entries++;
    }

    synchronized long entries() {
        return entries;
    }
}
