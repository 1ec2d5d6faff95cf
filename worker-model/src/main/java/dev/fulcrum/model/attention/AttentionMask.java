package dev.fulcrum.model.attention;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Masks of one (query sequence, key sequence) pair, pre-shaped for broadcasting against attention
 * tensors {@code [B,H,Tq,Tk]}. Built once per pair and shared by every layer that attends over it.
 *
 * @param keyBias    0 for valid keys, {@link AttentionBalancing#MASKED} otherwise; {@code [B,1,1,Tk]}, or
 *                   {@code [B,1,Tq,Tk]} when causal
 * @param queryBias  the same for padded queries, {@code [B,1,Tq,1]}
 * @param queryMask  1 for valid queries, {@code [B,1,Tq,1]}
 * @param queryRows  1 for valid queries, {@code [B,1,Tq]} (for per-query statistics {@code [B,H,Tq]})
 * @param keyColumns 1 for valid keys, {@code [B,1,Tk]} (for per-key statistics {@code [B,H,Tk]})
 * @param queryCount valid queries per example, {@code [B,1,1,1]}
 * @param keyCount   valid keys per example, {@code [B,1,1,1]}
 */
public record AttentionMask(SDVariable keyBias, SDVariable queryBias, SDVariable queryMask,
                            SDVariable queryRows, SDVariable keyColumns,
                            SDVariable queryCount, SDVariable keyCount) {

    /** From 0/1 float masks {@code queries [B,Tq]} and {@code keys [B,Tk]}. */
    public static AttentionMask of(SameDiff sd, SDVariable queries, SDVariable keys) {
        SDVariable keyColumns = sd.expandDims(keys, 1);
        SDVariable queryRows = sd.expandDims(queries, 1);
        SDVariable queryMask = sd.expandDims(queryRows, 3);
        return new AttentionMask(
                bias(sd.expandDims(keyColumns, 1)),
                bias(queryMask),
                queryMask,
                queryRows,
                keyColumns,
                count(sd, queries),
                count(sd, keys));
    }

    /** The same masks with a causal bias {@code [Tq,Tk]} (0 on and below the diagonal) added to the keys. */
    public AttentionMask causal(SDVariable causalBias) {
        return new AttentionMask(keyBias.add(causalBias), queryBias, queryMask, queryRows, keyColumns,
                queryCount, keyCount);
    }

    private static SDVariable bias(SDVariable mask) {
        return mask.sub(1.0).mul(-AttentionBalancing.MASKED);
    }

    private static SDVariable count(SameDiff sd, SDVariable mask) {
        return sd.sum(mask, true, 1).reshape(-1, 1, 1, 1);
    }
}
