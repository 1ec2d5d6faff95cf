package dev.fulcrum.model;

import java.util.Objects;

import dev.fulcrum.model.text.BpeModel;
import dev.fulcrum.model.transformer.HeadPlan;
import dev.fulcrum.model.transformer.Transformer;

/**
 * A trained translation model as one value: the network, the vocabulary its token ids refer to, and the
 * provenance that says how it was made, so that none of them can travel without the others.
 */
public record TranslationModel(Transformer transformer, BpeModel vocabulary, Provenance provenance) {

    /** @throws IllegalArgumentException if the parts do not belong together */
    public TranslationModel {
        Objects.requireNonNull(transformer, "transformer");
        Objects.requireNonNull(vocabulary, "vocabulary");
        Objects.requireNonNull(provenance, "provenance");
        int vocabSize = transformer.config().vocabSize();
        if (vocabulary.vocabulary().size() != vocabSize) {
            throw new IllegalArgumentException("the vocabulary has " + vocabulary.vocabulary().size()
                    + " tokens, the model's embedding table " + vocabSize);
        }
        if (!provenance.modelConfig().equals(transformer.config())) {
            throw new IllegalArgumentException("the provenance describes another model configuration: "
                    + provenance.modelConfig() + ", the model has " + transformer.config());
        }
    }

    /**
     * The attention heads that remain: after a pruning, the heads it kept (models pruned before a layer could be
     * removed entirely computed one silent placeholder head there, which is not counted); otherwise every head
     * the model computes.
     */
    public int remainingHeads() {
        return provenance.lastPruning().map(Provenance.Pruning::keptTotal)
                .orElseGet(() -> transformer.headPlan().totalHeads(transformer.config()));
    }

    /** The heads of the architecture, none pruned. */
    public int architectureHeads() {
        return HeadPlan.FULL.totalHeads(transformer.config());
    }

    /** How train and prune report a pruning: {@code "12 of 24 kept ({enc0.self=[0, 2], ...})"}. */
    public String prunedHeadsSummary() {
        return remainingHeads() + " of " + architectureHeads() + " kept ("
                + provenance.lastPruning().map(Provenance.Pruning::keptHeads).orElseThrow() + ")";
    }
}
