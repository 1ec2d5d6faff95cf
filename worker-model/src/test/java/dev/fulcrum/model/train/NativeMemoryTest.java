package dev.fulcrum.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NativeMemoryTest {
    @Test
    void oneCollectionServesEveryReplicaWhoseStepBeganBeforeIt() {
        long earlierReplicaStep = System.nanoTime();
        long laterReplicaStep = System.nanoTime();
        long before = NativeMemory.collections();
        NativeMemory.collectAfterStep(laterReplicaStep);
        assertEquals(before + 1, NativeMemory.collections(), "a step with no collection since it began collects");
        NativeMemory.collectAfterStep(earlierReplicaStep);
        assertEquals(before + 1, NativeMemory.collections(), "the collection above already served this step");
        NativeMemory.collectAfterStep(System.nanoTime());
        assertEquals(before + 2, NativeMemory.collections(), "the next step collects again");
    }
}
