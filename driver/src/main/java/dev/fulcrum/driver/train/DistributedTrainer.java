package dev.fulcrum.driver.train;

import dev.fulcrum.model.data.TextPair;
import dev.fulcrum.driver.round.TunerDecision;
import dev.fulcrum.driver.round.RoundListener;
import dev.fulcrum.driver.round.RoundReport;
import dev.fulcrum.driver.round.RoundState;
import dev.fulcrum.driver.tune.Tuner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.model.concurrent.NativeThreads;
import dev.fulcrum.model.TranslationModel;
import dev.fulcrum.model.eval.Evaluator;
import dev.fulcrum.model.prune.GateSettlement;
import dev.fulcrum.model.prune.HeadSelection;
import dev.fulcrum.model.text.BpeTokenizer;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The round loop on the driver: average (see {@link ParameterAveraging}), validate, undo the round if it diverged
 * (see {@link DivergenceGuard}) or else let the tuner choose the next knobs, hand the round to the listeners
 * (progress, metrics, checkpoint). Stops after
 * {@code train.rounds} rounds or the first round that crosses {@code train.maxMinutes}.
 */
public final class DistributedTrainer {
    private final ParameterAveraging averaging;
    private final RunConfig config;
    private final Validation validation;
    private final Tuner tuner;
    private final List<RoundListener> listeners;
    private final int driverThreads;

    /**
     * @param driverThreads native threads for validation on the driver (which does not overlap a round)
     */
    public DistributedTrainer(ParameterAveraging averaging, RunConfig config, Validation validation, Tuner tuner,
                              List<RoundListener> listeners, int driverThreads) {
        this.averaging = averaging;
        this.config = config;
        this.validation = validation;
        this.tuner = tuner;
        this.listeners = List.copyOf(listeners);
        this.driverThreads = driverThreads;
    }

    /**
     * The state after the last round, and that round's report (none when no round was left to run: a resumed
     * run that had already finished).
     */
    public record Trained(RoundState last, Optional<RoundReport> lastReport) {
    }

    /**
     * Trains from {@code start} (round 0 = a fresh model). A round that diverges is undone (see
     * {@link DivergenceGuard}): the listeners then see the state it went back to.
     */
    public Trained train(RoundState start) {
        long began = System.nanoTime();
        RoundState state = start;
        RoundReport lastReport = null;
        float[] parameters = start.model().transformer().parameters().flat().toFloatVector();
        DivergenceGuard guard = new DivergenceGuard(config.divergence(), start, parameters);
        for (int round = start.round() + 1; round <= config.averaging().rounds(); round++) {
            ParameterAveraging.Outcome outcome = averaging.round(round, parameters, state.updaterState(),
                    state.step(), state.knobs(), config.averaging().stepsPerRound(), state.learningRateScale());
            if (outcome.averaged()) {
                parameters = outcome.parameters();
                state.model().transformer().parameters().flat()
                        .assign(Nd4j.createFromArray(parameters).reshape(1, -1));
            }
            double elapsed = (System.nanoTime() - began) / 1e9;
            RoundReport report = outcome.averaged() ? validate(round, state, outcome, elapsed)
                    : unvalidated(round, state, outcome, elapsed);
            Optional<String> divergence = guard.divergence(report, outcome.averaged());
            state = divergence.isPresent() ? guard.rollBack(round, divergence.get(), state)
                    : tune(round, state, outcome, report);
            if (divergence.isPresent() || state.decision().settleGates()) {
                // The model's parameters are no longer the average's: the best round's, or with settled gates.
                parameters = state.model().transformer().parameters().flat().toFloatVector();
            }
            if (divergence.isEmpty()) {
                guard.accept(state, parameters, report.validNll(), state.decision().settleGates());
            }
            notifyListeners(report, state);
            lastReport = report;
            if (config.averaging().maxMinutes() > 0 && report.elapsedSeconds() >= 60 * config.averaging().maxMinutes()) {
                break;
            }
        }
        return new Trained(state, Optional.ofNullable(lastReport));
    }

    /** The state after a round that did not diverge: the tuner's decision applied (knobs, settled gates). */
    private RoundState tune(int round, RoundState before, ParameterAveraging.Outcome outcome, RoundReport report) {
        TranslationModel model = before.model();
        TunerDecision decision = tuner.decide(report);
        if (decision.settleGates()) {
            decision = settleGates(model, outcome.updaterState(), decision);
        }
        if (!decision.knobs().equals(before.knobs()) || decision.settleGates()) {
            model = new TranslationModel(model.transformer(), model.vocabulary(), model.provenance()
                    .withDecision(round + 1, decision.knobs(), tuner.policy() + ": " + decision.reason()));
        }
        return new RoundState(model, outcome.updaterState(), round, before.step() + config.averaging().stepsPerRound(),
                decision, report.bestValidNll(), before.learningRateScale(), null);
    }

    /** Applies a settlement to the averaged model and optimiser state; the decision then names the open heads. */
    private TunerDecision settleGates(TranslationModel model, float[] updaterState, TunerDecision decision) {
        HeadSelection open = GateSettlement.settle(model.transformer(), updaterState, config.tuner().pruningRule());
        return new TunerDecision(decision.knobs(), decision.reason() + " (" + open.keptTotal()
                + " heads open: " + open.kept() + ")", true);
    }

    private RoundReport validate(int round, RoundState before, ParameterAveraging.Outcome outcome,
                                 double elapsedSeconds) {
        NativeThreads.limit(driverThreads);
        Evaluator evaluator = new Evaluator(before.model().transformer());
        Evaluator.LossReport loss = evaluator.loss(validation.batches());
        Evaluator.QualityReport quality = new Evaluator.QualityReport(Double.NaN, Double.NaN, List.of());
        if (!validation.bleuSources().isEmpty()) {
            quality = evaluator.quality(new BpeTokenizer(before.model().vocabulary()), validation.bleuSources(),
                    validation.bleuReferences(), config.decode(), config.eval().batchSize());
        }
        return report(round, before, outcome, elapsedSeconds, loss.nll(), quality, loss.attention());
    }

    /** The report of a round that produced no average to validate. */
    private RoundReport unvalidated(int round, RoundState before, ParameterAveraging.Outcome outcome,
                                    double elapsedSeconds) {
        return report(round, before, outcome, elapsedSeconds, Double.NaN,
                new Evaluator.QualityReport(Double.NaN, Double.NaN, List.of()), Map.of());
    }

    private RoundReport report(int round, RoundState before, ParameterAveraging.Outcome outcome,
                               double elapsedSeconds, double validNll, Evaluator.QualityReport quality,
                               Map<String, double[]> attention) {
        return new RoundReport(round, config.averaging().rounds(), before.step() + config.averaging().stepsPerRound(),
                outcome.meanLoss(), outcome.tokens(), outcome.roundSeconds(),
                outcome.roundSeconds() - outcome.trainSeconds(), validNll, quality.bleu(), quality.chrf(),
                quality.hypotheses(), attention, before.knobs(), outcome.replicas(), elapsedSeconds,
                before.bestValidNll());
    }

    private void notifyListeners(RoundReport report, RoundState state) {
        for (RoundListener listener : listeners) {
            try {
                listener.onRoundEnd(report, state);
            } catch (IOException e) {
                throw new UncheckedIOException("after round " + report.round() + ": " + e.getMessage(), e);
            }
        }
    }

    /** The held-out data: minibatches for the loss, and a sample to translate for BLEU/chrF. */
    public record Validation(List<MultiDataSet> batches, List<String> bleuSources, List<String> bleuReferences) {
        public static Validation of(List<TextPair> pairs, List<MultiDataSet> batches, int bleuSentences) {
            List<String> sources = new ArrayList<>();
            List<String> references = new ArrayList<>();
            for (TextPair pair : pairs.subList(0, Math.min(bleuSentences, pairs.size()))) {
                sources.add(pair.source());
                references.add(pair.target());
            }
            return new Validation(batches, sources, references);
        }
    }
}
