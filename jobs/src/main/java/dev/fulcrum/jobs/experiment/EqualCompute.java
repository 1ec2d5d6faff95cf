package dev.fulcrum.jobs.experiment;

import java.util.List;

import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.model.config.Check;
import dev.fulcrum.model.config.ConfigException;

/**
 * What makes the variants of an experiment comparable: Fulcrum's batch stream is a pure function of the data,
 * the seed and the step, so variants that share these keys train on identical minibatches for the same number
 * of steps, i.e. on the same tokens. A variant may change the model's attention and the balancing knobs, never
 * these.
 */
final class EqualCompute {
    /** Keys, or sections ending in '.', that decide which minibatches a variant trains on and how many. */
    static final List<String> SHARED_KEYS = List.of(
            "train.seed", "train.rounds", "train.stepsPerRound", "train.batchTokens", "train.replicas",
            "train.maxMinutes",
            // the pairs, their cleaning, the validation split and the tokenisation: the data itself
            "corpus.", "ingest.", "split.", "vocab.", "model.maxLength",
            // one Spark session serves all variants; each variant's run directory is OUT/<name>
            "spark.", "output.dir");

    private EqualCompute() {
    }

    /** @throws ConfigException naming the variant and the key when a variant sets a shared key */
    static void requireVariantKeyAllowed(String variant, String key, Object value) {
        for (String shared : SHARED_KEYS) {
            if (shared.endsWith(".") ? key.startsWith(shared) : key.equals(shared)) {
                throw new ConfigException("variant " + variant + ": " + key, value,
                        "not in a variant: " + shared + (shared.endsWith(".") ? "*" : "")
                                + " must be the same for every variant (equal compute); set it in the experiment's"
                                + " set or with --set");
            }
        }
    }

    /** Equal steps, not equal wall-clock time: a time budget would give faster variants more steps. */
    static void requireNoTimeBudget(RunConfig base) {
        Check.that(base.averaging().maxMinutes() == 0, "train.maxMinutes", base.averaging().maxMinutes(),
                "0 in an experiment (variants train the same number of steps, not the same time); set"
                        + " \"train.maxMinutes\" = 0 in the experiment's set");
    }
}
