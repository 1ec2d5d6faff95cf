package dev.fulcrum.model.attention;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The balancing math, as pure functions that add ops to a SameDiff graph. Every attention tensor here
 * is {@code [batch, heads, queries, keys]}; masks come as an {@link AttentionMask}.
 *
 * <p>Sinkhorn (Sander et al. 2022) alternates row and column normalisation in log space: odd steps make
 * every valid row sum to 1 (step 1 alone is exactly softmax), even steps make every valid column sum to
 * n_q/n_k, so that each key receives its fair share of attention. Masked logits are pushed to
 * {@link #MASKED}, whose exponential is exactly 0 in float, and the mask bias is re-applied after every
 * step because a normalisation would otherwise lift a fully masked row or column back to finite values.
 */
public final class AttentionBalancing {
    /** Logit of a masked position: exp(MASKED) == 0 in float, yet finite, so fully masked rows stay NaN-free. */
    public static final double MASKED = -1e9;

    /** Hard-concrete gate constants (Louizos et al. 2018; Voita et al. 2019). */
    static final double GATE_BETA = 2.0 / 3.0;
    static final double GATE_GAMMA = -0.1;
    static final double GATE_ZETA = 1.1;

    private static final double EPS = 1e-12;

    private AttentionBalancing() {
    }

    /** Plain masked softmax over keys; padded query rows are left to the caller's masks. */
    public static SDVariable softmax(SameDiff sd, SDVariable logits, AttentionMask mask) {
        return sd.nn().softmax(logits.add(mask.keyBias()), 3);
    }

    /**
     * Log-space Sinkhorn with {@code iterations} alternating normalisations (row first).
     * Masked keys and padded queries get exactly zero weight.
     */
    public static SDVariable sinkhorn(SameDiff sd, SDVariable logits, AttentionMask mask, int iterations) {
        SDVariable log = logits.add(mask.keyBias()).add(mask.queryBias());
        SDVariable logColumnTarget = sd.math().log(mask.queryCount().div(mask.keyCount()));
        for (int step = 1; step <= iterations; step++) {
            if (step % 2 == 1) {
                log = log.sub(logSumExp(sd, log, 3)).add(mask.queryBias());
            } else {
                log = log.sub(logSumExp(sd, log, 2)).add(logColumnTarget)
                        .add(mask.keyBias());
            }
        }
        return sd.math().exp(log);
    }

    /**
     * Numerically stable log Σ exp over one dimension, keeping it (size 1). Written out because ND4J M2.1's
     * reduce_logsumexp gradient builds a mis-shaped reduce_sum_bp. The max shift has zero net gradient.
     */
    public static SDVariable logSumExp(SameDiff sd, SDVariable x, int dimension) {
        SDVariable shift = sd.max(x, true, dimension);
        return sd.math().log(sd.sum(sd.math().exp(x.sub(shift)), true, dimension)).add(shift);
    }

    /** Per-head learnable temperature τ_h = exp(logTemperature_h): logits / τ_h, broadcast over [B,H,Tq,Tk]. */
    public static SDVariable applyTemperature(SameDiff sd, SDVariable logits, SDVariable logTemperature) {
        return logits.mul(sd.math().exp(logTemperature.neg()).reshape(1, -1, 1, 1));
    }

    /** Hard-concrete gate sample for training, from uniform noise u in (0, 1), one per head. */
    public static SDVariable sampledGate(SameDiff sd, SDVariable logAlpha, SDVariable uniformNoise) {
        SDVariable logistic = sd.math().log(uniformNoise).sub(sd.math().log(uniformNoise.rsub(1.0)));
        SDVariable s = sd.nn().sigmoid(logistic.add(logAlpha).div(GATE_BETA));
        return stretchAndClip(sd, s);
    }

    /** Deterministic gate for evaluation and inference: exactly 0 for closed heads, exactly 1 for open ones. */
    public static SDVariable deterministicGate(SameDiff sd, SDVariable logAlpha) {
        return stretchAndClip(sd, sd.nn().sigmoid(logAlpha));
    }

    private static SDVariable stretchAndClip(SameDiff sd, SDVariable s) {
        return sd.clipByValue(s.mul(GATE_ZETA - GATE_GAMMA).add(GATE_GAMMA), 0.0, 1.0);
    }

    /** Probability that each gate is non-zero: the differentiable L0 norm, per head. */
    public static SDVariable gateOpenProbability(SameDiff sd, SDVariable logAlpha) {
        return sd.nn().sigmoid(logAlpha.sub(GATE_BETA * Math.log(-GATE_GAMMA / GATE_ZETA)));
    }

    /** Gate value per head, applied to head outputs {@code [B,H,Tq,dh]}. */
    public static SDVariable gateHeads(SDVariable heads, SDVariable gate) {
        return heads.mul(gate.reshape(1, -1, 1, 1));
    }

    /** Mean normalised entropy (0 = one-hot, 1 = uniform over valid keys) per head, over valid queries. */
    public static SDVariable normalizedEntropy(SameDiff sd, SDVariable weights, AttentionMask mask) {
        SDVariable rowSum = sd.sum(weights, true, 3);
        SDVariable p = weights.div(sd.math().max(rowSum, sd.constant(EPS).castTo(weights.dataType())));
        SDVariable entropy = sd.sum(p.mul(sd.math().log(p.add(EPS))), false, 3).neg();
        SDVariable logKeys = sd.math().log(sd.math().max(mask.keyCount(), sd.constant(2.0)
                .castTo(weights.dataType()))).reshape(-1, 1, 1);
        return meanOverValidQueries(sd, entropy.div(logKeys), mask);
    }

    /** Column sums Σ_i α_ij over valid queries, {@code [B,H,Tk]}. */
    public static SDVariable columnSums(SameDiff sd, SDVariable weights, AttentionMask mask) {
        return sd.sum(weights.mul(mask.queryMask()), false, 2);
    }

    /** Mean |Σ_i α_ij − n_q/n_k| / (n_q/n_k) per head, over valid keys: 0 = perfectly balanced columns. */
    public static SDVariable columnDeviation(SameDiff sd, SDVariable weights, AttentionMask mask) {
        SDVariable target = columnTarget(mask);
        SDVariable deviation = sd.math().abs(columnSums(sd, weights, mask).sub(target)).div(target);
        return meanOverValidKeys(sd, deviation, mask);
    }

    /** Mean relative under-run max(0, n_q/n_k − Σ_i α_ij) / (n_q/n_k) per head: source tokens left uncovered. */
    public static SDVariable coverageUnderRun(SameDiff sd, SDVariable weights, AttentionMask mask) {
        return meanOverValidKeys(sd, underRun(sd, weights, mask), mask);
    }

    /** Mean attention mass on the first key position per head (an "attention sink" detector). */
    public static SDVariable firstPositionMass(SameDiff sd, SDVariable weights, AttentionMask mask) {
        SDVariable first = weights.get(SDIndex.all(), SDIndex.all(), SDIndex.all(), SDIndex.point(0));
        return meanOverValidQueries(sd, first, mask);
    }

    /** Entropy-band penalty: mean over heads of squared distance of the head's entropy outside [lo, hi]. */
    public static SDVariable entropyBandPenalty(SameDiff sd, SDVariable headEntropy, SDVariable lo, SDVariable hi) {
        SDVariable below = sd.nn().relu(lo.sub(headEntropy), 0);
        SDVariable above = sd.nn().relu(headEntropy.sub(hi), 0);
        return sd.mean(below.mul(below).add(above.mul(above)));
    }

    /** Coverage penalty: mean squared relative under-run over heads and valid source tokens. */
    public static SDVariable coveragePenalty(SameDiff sd, SDVariable weights, AttentionMask mask) {
        SDVariable run = underRun(sd, weights, mask);
        return sd.mean(meanOverValidKeys(sd, run.mul(run), mask));
    }

    private static SDVariable underRun(SameDiff sd, SDVariable weights, AttentionMask mask) {
        SDVariable target = columnTarget(mask);
        return sd.nn().relu(target.sub(columnSums(sd, weights, mask)), 0).div(target);
    }

    private static SDVariable columnTarget(AttentionMask mask) {
        return mask.queryCount().div(mask.keyCount()).reshape(-1, 1, 1);
    }

    /** values {@code [B,H,Tq]} → per-head mean over valid (b, q): {@code [H]}. */
    private static SDVariable meanOverValidQueries(SameDiff sd, SDVariable values, AttentionMask mask) {
        SDVariable rows = mask.queryRows();
        return sd.sum(values.mul(rows), false, 0, 2).div(sd.sum(rows));
    }

    /** values {@code [B,H,Tk]} → per-head mean over valid (b, k): {@code [H]}. */
    private static SDVariable meanOverValidKeys(SameDiff sd, SDVariable values, AttentionMask mask) {
        SDVariable columns = mask.keyColumns();
        return sd.sum(values.mul(columns), false, 0, 2).div(sd.sum(columns));
    }
}
