package dev.tuner.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class IteratorInputTest {

    @Test
    void aTakerBehindASlowNextGivesUpAfterItsTimeout() throws Exception {
        CountDownLatch inNext = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Iterator<Integer> slow = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                inNext.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 7;
            }
        };
        IteratorInput<Integer> input = new IteratorInput<>(slow);
        AtomicReference<Integer> first = new AtomicReference<>();
        Thread holder = new Thread(() -> {
            try {
                first.set(input.poll(1, TimeUnit.MINUTES));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        holder.start();
        Await.latch("the first taker is inside next()", inNext);
        // The second taker cannot get a turn; it returns empty-handed after its timeout instead of queueing.
        assertNull(input.poll(20, TimeUnit.MILLISECONDS));
        release.countDown();
        Await.joined("the first taker", holder);
        assertEquals(7, first.get());
    }

    @Test
    void finishesWhenTheIteratorDoes() throws Exception {
        IteratorInput<String> input = new IteratorInput<>(List.of("a").iterator());
        assertEquals("a", input.poll(1, TimeUnit.SECONDS));
        assertNull(input.poll(1, TimeUnit.SECONDS));
        assertTrue(input.isFinished());
    }
}
