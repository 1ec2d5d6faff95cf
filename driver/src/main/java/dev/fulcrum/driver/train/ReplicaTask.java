package dev.fulcrum.driver.train;

import java.util.Collections;
import java.util.Iterator;

import dev.fulcrum.model.concurrent.NativeThreads;
import dev.fulcrum.model.train.Replica;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/** The executor side of one round: partition p's replica trains from the broadcast start state. */
final class ReplicaTask implements Function2<Integer, Iterator<int[][]>, Iterator<ReplicaUpdate>> {
    private final ReplicaSpec spec;
    private final Broadcast<Replica.Start> start;

    ReplicaTask(ReplicaSpec spec, Broadcast<Replica.Start> start) {
        this.spec = spec;
        this.start = start;
    }

    @Override
    public Iterator<ReplicaUpdate> call(Integer partition, Iterator<int[][]> pairs) {
        NativeThreads.limit(spec.parallelism().nativeThreads());
        return ReplicaCache.use(spec, partition, pairs, replica -> train(partition, replica));
    }

    private Iterator<ReplicaUpdate> train(int partition, Replica replica) {
        if (!replica.hasData()) {
            return Collections.emptyIterator();
        }
        Replica.Result result = replica.train(start.value());
        return Collections.singletonList(new ReplicaUpdate(partition, result.parameters(), result.updaterState(),
                result.lossSum(), result.tokens(), result.steps(), result.skippedSteps(), result.seconds(),
                SparkEnv.get().executorId(), replica.droppedTooLong(), replica.stepsPerEpoch())).iterator();
    }
}
