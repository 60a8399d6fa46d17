package dev.tuner.agent.pools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PoolNamesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "etl-parse-3              | etl-parse",
            "etl-read-12              | etl-read",
            "pool-7-thread-2          | pool-7",
            "pool-12-thread-140       | pool-12",
            "ForkJoinPool-1-worker-3  | ForkJoinPool-1",
            "reader_12                | reader",
            "reader#12                | reader",
            "reader 12                | reader",
            "worker7                  | worker",
            "ledger                   | ledger",
            "grpc-default-executor-0  | grpc-default-executor",
            "2024                     | 2024",
            "a-1-2                    | a-1-2",
    })
    void theWorkerNumberGoesThePoolsStays(String thread, String pool) {
        assertEquals(pool, PoolNames.fromThread(thread));
    }

    @Test
    void poolsWhoseThreadsReadAlikeAreNumberedInOrderOfDiscovery() {
        PoolNames names = new PoolNames();
        assertEquals("worker", names.assign("worker-1"));
        assertEquals("etl-read", names.assign("etl-read-1"));
        assertEquals("worker#2", names.assign("worker-9"));
        assertEquals("worker#3", names.assign("worker-2"));
    }

    @Test
    void aBlankNameStillNamesAPool() {
        assertEquals("pool", PoolNames.fromThread(""));
        assertEquals("pool", PoolNames.fromThread(null));
    }
}
