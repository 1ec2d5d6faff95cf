package dev.fulcrum.model.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import dev.fulcrum.model.text.Vocabulary;

/**
 * The beam of one sentence: its alive hypotheses (all of the same length), the best finished one, and
 * whether the search for it is over.
 */
final class SentenceBeam {
    private final int sentence;
    private final DecodeOptions options;
    private final int maxOutputLength;
    private List<Partial> alive;
    private int[] parents = {0};
    private Hypothesis bestFinished;
    private int finishedCount;
    private boolean done;

    /**
     * @param sentence        the sentence's row in the source batch
     * @param sourceLength    its tokens, EOS excluded: the positions the coverage penalty is taken over
     * @param maxOutputLength most tokens to generate, EOS included
     */
    SentenceBeam(int sentence, DecodeOptions options, int sourceLength, int maxOutputLength) {
        this.sentence = sentence;
        this.options = options;
        this.maxOutputLength = maxOutputLength;
        this.alive = List.of(new Partial(new int[] {Vocabulary.BOS}, 0, new double[sourceLength]));
    }

    int sentence() {
        return sentence;
    }

    boolean done() {
        return done;
    }

    /** Prefixes (BOS first) of the alive hypotheses, in the order {@link #advance} expects their rows. */
    List<int[]> prefixes() {
        return alive.stream().map(Partial::tokens).toList();
    }

    /** For each alive hypothesis, the index among the previous step's alive ones of the one it extends. */
    int[] parents() {
        return parents;
    }

    /**
     * Extends the alive hypotheses by one token. Row r of {@code logProbs} (next-token log-probabilities) and
     * of {@code attention} (cross-attention over the source batch's positions) belongs to prefix r.
     */
    void advance(float[][] logProbs, float[][] attention) {
        List<Candidate> candidates = candidates(logProbs);
        List<Partial> next = new ArrayList<>();
        List<Integer> nextParents = new ArrayList<>();
        int beamSize = options.beamSize();
        for (int rank = 0; rank < candidates.size() && next.size() < beamSize; rank++) {
            Candidate candidate = candidates.get(rank);
            Partial parent = alive.get(candidate.beam());
            double[] coverage = parent.coverageAfter(attention[candidate.beam()]);
            if (candidate.token() != Vocabulary.EOS) {
                next.add(parent.extend(candidate.token(), candidate.logProbability(), coverage));
                nextParents.add(candidate.beam());
            } else if (rank < beamSize) {
                finish(parent.complete(candidate.logProbability(), coverage, options));
            }
        }
        alive = next;
        parents = nextParents.stream().mapToInt(Integer::intValue).toArray();
        done = next.isEmpty() || next.get(0).length() == maxOutputLength || cannotBeBeaten();
    }

    /** The best finished hypothesis, or the best alive one if none finished within the length limit. */
    Hypothesis best() {
        return bestFinished != null ? bestFinished : bestAlive();
    }

    /**
     * The 2K best one-token extensions by total log-probability: more than K, so that K stay alive however many
     * end in EOS. Each alive row contributes its own 2K best, which contain all of its share of the 2K best.
     * The sort is stable, so ties keep the order of beams and, within a beam, of tokens; with K = 1 the best
     * extension is therefore exactly the argMax of greedy decoding.
     */
    private List<Candidate> candidates(float[][] logProbs) {
        int perSentence = 2 * options.beamSize();
        List<Candidate> candidates = new ArrayList<>();
        for (int beam = 0; beam < alive.size(); beam++) {
            float[] row = logProbs[beam];
            double prefixLogProbability = alive.get(beam).logProbability();
            for (int token : TopK.largest(row, perSentence, SentenceBeam::isOutputToken)) {
                candidates.add(new Candidate(beam, token, prefixLogProbability + row[token]));
            }
        }
        candidates.sort(Comparator.comparingDouble(Candidate::logProbability).reversed());
        return candidates.subList(0, Math.min(perSentence, candidates.size()));
    }

    private static boolean isOutputToken(int token) {
        return token != Vocabulary.PAD && token != Vocabulary.BOS;
    }

    private void finish(Hypothesis hypothesis) {
        finishedCount++;
        if (bestFinished == null || hypothesis.score() > bestFinished.score()) {
            bestFinished = hypothesis;
        }
    }

    /**
     * K hypotheses have finished and the best of them scores at least as well as any alive one does now. An
     * alive hypothesis's score can still grow when α > 0 or β > 0; the usual convention, followed here, is
     * not to wait for that (waiting for the true bound runs most sentences to the length limit).
     */
    private boolean cannotBeBeaten() {
        return finishedCount >= options.beamSize() && bestFinished.score() >= bestAlive().score();
    }

    private Hypothesis bestAlive() {
        return alive.stream().map(partial -> partial.asHypothesis(options))
                .max(Comparator.comparingDouble(Hypothesis::score)).orElseThrow();
    }

    /** Extension {@code token} of alive hypothesis {@code beam}, with the log-probability it would have. */
    private record Candidate(int beam, int token, double logProbability) {
    }

    /**
     * An alive hypothesis: BOS and the tokens generated so far, their log-probability, and the attention each
     * source token has received while predicting them.
     */
    private record Partial(int[] tokens, double logProbability, double[] coverage) {
        int length() {
            return tokens.length - 1;
        }

        double[] coverageAfter(float[] attention) {
            double[] sum = coverage.clone();
            for (int j = 0; j < sum.length; j++) {
                sum[j] += attention[j];
            }
            return sum;
        }

        Partial extend(int token, double newLogProbability, double[] newCoverage) {
            int[] extended = Arrays.copyOf(tokens, tokens.length + 1);
            extended[tokens.length] = token;
            return new Partial(extended, newLogProbability, newCoverage);
        }

        Hypothesis complete(double withEos, double[] newCoverage, DecodeOptions options) {
            return new Hypothesis(Arrays.copyOfRange(tokens, 1, tokens.length), withEos,
                    options.score(withEos, length() + 1, newCoverage));
        }

        Hypothesis asHypothesis(DecodeOptions options) {
            return new Hypothesis(Arrays.copyOfRange(tokens, 1, tokens.length), logProbability,
                    options.score(logProbability, length(), coverage));
        }
    }
}
