package dev.tuner.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrefetchBufferTest {

    /** A producer thread doing one {@code put}; remembers whether it returned or what it threw. */
    private static final class Putter {
        final Thread thread;
        final AtomicReference<Object> outcome = new AtomicReference<>();

        Putter(PrefetchBuffer<Integer> buffer, int item) {
            thread = new Thread(() -> {
                try {
                    buffer.put(item);
                    outcome.set("returned");
                } catch (Throwable t) {
                    outcome.set(t);
                }
            }, "putter-" + item);
            thread.setDaemon(true);
            thread.start();
        }

        boolean returned() {
            return "returned".equals(outcome.get());
        }
    }

    private static List<Integer> drainNow(PrefetchBuffer<Integer> buffer) throws InterruptedException {
        List<Integer> out = new ArrayList<>();
        Integer item;
        while ((item = buffer.poll(0, TimeUnit.MILLISECONDS)) != null) {
            out.add(item);
        }
        return out;
    }

    @Test
    void itemsLeaveInTheOrderTheyEntered() throws InterruptedException {
        PrefetchBuffer<Integer> buffer = new PrefetchBuffer<>(100);
        for (int i = 0; i < 100; i++) {
            buffer.put(i);
        }
        assertEquals(100, buffer.size());
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add(i);
        }
        assertEquals(expected, drainNow(buffer));
        assertEquals(0, buffer.size());
    }

    @Test
    void fifoHoldsAcrossThreadsThroughATinyBuffer() throws Exception {
        PrefetchBuffer<Integer> buffer = new PrefetchBuffer<>(3);
        int n = 20_000;
        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    buffer.put(i);
                    if (i % 1000 == 0) {
                        buffer.setCapacity(1 + (i / 1000) % 5); // shrinking and growing on the way
                    }
                }
                buffer.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.setDaemon(true);
        producer.start();
        List<Integer> got = new ArrayList<>();
        Integer item;
        while ((item = buffer.take()) != null) {
            got.add(item);
        }
        Await.joined("producer", producer);
        assertEquals(n, got.size());
        for (int i = 0; i < n; i++) {
            assertEquals(i, got.get(i), "item at position " + i);
        }
        assertTrue(buffer.isFinished());
    }

    @Test
    void putBlocksAtCapacityAndResumesWhenCapacityGrows() throws InterruptedException {
        PrefetchBuffer<Integer> buffer = new PrefetchBuffer<>(2);
        buffer.put(1);
        buffer.put(2);
        Putter third = new Putter(buffer, 3);
        Await.parked("put at capacity", third.thread);
        assertNull(third.outcome.get(), "put must wait while the buffer is full");
        assertEquals(2, buffer.size());

        buffer.setCapacity(3);
        Await.joined("producer after the capacity grew", third.thread);
        assertTrue(third.returned(), "outcome: " + third.outcome.get());
        assertEquals(3, buffer.size());
        assertEquals(List.of(1, 2, 3), drainNow(buffer));
    }

    @Test
    void putBlocksAtCapacityAndResumesWhenAConsumerTakes() throws InterruptedException {
        PrefetchBuffer<Integer> buffer = new PrefetchBuffer<>(1);
        buffer.put(1);
        Putter second = new Putter(buffer, 2);
        Await.parked("put at capacity", second.thread);
        assertNull(second.outcome.get());
        assertEquals(1, buffer.poll(0, TimeUnit.MILLISECONDS));
        Await.joined("producer after a take", second.thread);
        assertTrue(second.returned(), "outcome: " + second.outcome.get());
        assertEquals(List.of(2), drainNow(buffer));
    }

    @Test
    void shrinkingBelowTheSizeLosesNothingAndProducersWaitUntilSizeIsBelowTheNewCapacity()
            throws InterruptedException {
        PrefetchBuffer<Integer> buffer = new PrefetchBuffer<>(5);
        for (int i = 1; i <= 5; i++) {
            buffer.put(i);
        }
        buffer.setCapacity(2);
        assertEquals(2, buffer.capacity());
        assertEquals(5, buffer.size(), "a shrink drops nothing");

        Putter sixth = new Putter(buffer, 6);
        Await.parked("put over the shrunken capacity", sixth.thread);
        List<Integer> got = new ArrayList<>();
        // Size 5 -> 4 -> 3 -> 2: still not below the capacity of 2, so the producer keeps waiting.
        for (int i = 0; i < 3; i++) {
            got.add(buffer.poll(0, TimeUnit.MILLISECONDS));
            Await.parked("put while size " + buffer.size() + " >= capacity 2", sixth.thread);
            assertNull(sixth.outcome.get(), "producer must wait while size >= new capacity; size=" + buffer.size());
        }
        // Size 2 -> 1 < 2: now there is room.
        got.add(buffer.poll(0, TimeUnit.MILLISECONDS));
        Await.joined("producer once size < capacity", sixth.thread);
        assertTrue(sixth.returned(), "outcome: " + sixth.outcome.get());
        assertEquals(2, buffer.size());
        got.addAll(drainNow(buffer));
        assertEquals(List.of(1, 2, 3, 4, 5, 6), got);
    }

    @Test
    void closeThenDrainThenFinished() throws InterruptedException {
        PrefetchBuffer<Integer> buffer = new PrefetchBuffer<>(4);
        buffer.put(1);
        buffer.put(2);
        buffer.close();
        buffer.close(); // idempotent
        assertFalse(buffer.isFinished(), "closed but not drained");
        assertEquals(1, buffer.poll(0, TimeUnit.MILLISECONDS));
        assertFalse(buffer.isFinished());
        assertEquals(2, buffer.take());
        assertTrue(buffer.isFinished());
        // Closed and drained: poll answers null without waiting out its (long) timeout, take answers null.
        assertNull(buffer.poll(1, TimeUnit.HOURS));
        assertNull(buffer.take());
    }

    @Test
    void closeWakesAWaitingConsumer() {
        PrefetchBuffer<Integer> buffer = new PrefetchBuffer<>(4);
        AtomicReference<Object> outcome = new AtomicReference<>("not returned");
        Thread consumer = new Thread(() -> {
            try {
                outcome.set(buffer.poll(1, TimeUnit.HOURS));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        consumer.setDaemon(true);
        consumer.start();
        Await.parked("consumer polling an empty buffer", consumer);
        buffer.close();
        Await.joined("consumer after close", consumer);
        assertNull(outcome.get());
        assertTrue(buffer.isFinished());
    }

    @Test
    void pollTimeoutReturnsNullAndLeavesTheBufferOpen() throws InterruptedException {
        PrefetchBuffer<Integer> buffer = new PrefetchBuffer<>(1);
        assertNull(buffer.poll(0, TimeUnit.MILLISECONDS));
        assertNull(buffer.poll(20, TimeUnit.MILLISECONDS));
        assertFalse(buffer.isFinished(), "an empty open buffer is not finished");
        buffer.put(7);
        assertEquals(7, buffer.poll(20, TimeUnit.MILLISECONDS));
    }

    @Test
    void putAfterCloseThrows() throws InterruptedException {
        PrefetchBuffer<Integer> buffer = new PrefetchBuffer<>(2);
        buffer.put(1);
        buffer.close();
        assertThrows(IllegalStateException.class, () -> buffer.put(2));
        assertEquals(List.of(1), drainNow(buffer), "the rejected item was not added");
    }

    @Test
    void closeFailsAProducerWaitingForRoom() throws InterruptedException {
        PrefetchBuffer<Integer> buffer = new PrefetchBuffer<>(1);
        buffer.put(1);
        Putter second = new Putter(buffer, 2);
        Await.parked("put at capacity", second.thread);
        buffer.close();
        Await.joined("producer after close", second.thread);
        assertInstanceOf(IllegalStateException.class, second.outcome.get());
        assertEquals(List.of(1), drainNow(buffer));
    }

    @Test
    void offerAddsWhenThereIsRoomAndGivesUpWithoutAddingWhenThereIsNone() throws InterruptedException {
        PrefetchBuffer<Integer> buffer = new PrefetchBuffer<>(2);
        assertTrue(buffer.offer(1, 0, TimeUnit.MILLISECONDS));
        assertTrue(buffer.offer(2, 10, TimeUnit.MILLISECONDS));
        assertFalse(buffer.offer(3, 0, TimeUnit.MILLISECONDS));
        assertFalse(buffer.offer(3, 10, TimeUnit.MILLISECONDS));
        assertEquals(2, buffer.size(), "a timed-out offer adds nothing");
        buffer.setCapacity(1);
        assertEquals(1, buffer.poll(0, TimeUnit.MILLISECONDS));
        assertFalse(buffer.offer(3, 0, TimeUnit.MILLISECONDS), "size 1 is not below the shrunken capacity 1");
        assertEquals(2, buffer.poll(0, TimeUnit.MILLISECONDS));
        assertTrue(buffer.offer(3, 0, TimeUnit.MILLISECONDS));
        assertEquals(List.of(3), drainNow(buffer));
        buffer.close();
        assertThrows(IllegalStateException.class, () -> buffer.offer(4, 0, TimeUnit.MILLISECONDS));
        assertThrows(NullPointerException.class, () -> new PrefetchBuffer<Integer>(1).offer(null, 0, TimeUnit.MILLISECONDS));
    }

    @Test
    void aWaitingOfferSucceedsWhenAConsumerMakesRoom() throws InterruptedException {
        PrefetchBuffer<Integer> buffer = new PrefetchBuffer<>(1);
        buffer.put(1);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                outcome.set(buffer.offer(2, 1, TimeUnit.HOURS));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        producer.setDaemon(true);
        producer.start();
        Await.parked("offer at capacity", producer);
        assertNull(outcome.get());
        assertEquals(1, buffer.poll(0, TimeUnit.MILLISECONDS));
        Await.joined("producer after a take", producer);
        assertEquals(Boolean.TRUE, outcome.get());
        assertEquals(List.of(2), drainNow(buffer));
    }

    @Test
    void nullItemsAreRejected() {
        PrefetchBuffer<Integer> buffer = new PrefetchBuffer<>(2);
        assertThrows(NullPointerException.class, () -> buffer.put(null));
        assertEquals(0, buffer.size());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void badCapacityIsRejected(int capacity) {
        assertThrows(IllegalArgumentException.class, () -> new PrefetchBuffer<Integer>(capacity));
        PrefetchBuffer<Integer> buffer = new PrefetchBuffer<>(3);
        assertThrows(IllegalArgumentException.class, () -> buffer.setCapacity(capacity));
        assertEquals(3, buffer.capacity(), "a rejected capacity changes nothing");
    }
}
