package dev.fulcrum.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.fulcrum.driver.config.ConfigKey;
import dev.fulcrum.driver.config.RunConfig;
import dev.fulcrum.model.config.ConfigException;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The estimator's params are the run configuration's keys, checked by it; schemas are checked by column. */
class FulcrumTranslatorParamsTest {
    private static final StructType PAIRS = new StructType().add("en", DataTypes.StringType)
            .add("fr", DataTypes.StringType);

    private static FulcrumTranslator translator() {
        return new FulcrumTranslator().setSourceCol("en").setTargetCol("fr");
    }

    @Test
    void everyConfigurationKeyIsAParamWithItsDefaultAndDocumentation() {
        FulcrumTranslator translator = new FulcrumTranslator();
        Set<String> names = Arrays.stream(translator.params()).map(Param::name).collect(Collectors.toSet());
        for (ConfigKey key : RunConfig.keys()) {
            if (ConfigParams.SET_BY_ESTIMATOR.contains(key.name())) {
                assertTrue(!names.contains(key.name()), key.name());
                continue;
            }
            assertTrue(names.contains(key.name()), key.name());
            assertEquals(ConfigParams.typed(key.kind(), key.defaultValue()), translator.getConfig(key.name()),
                    key.name());
            assertEquals(key.doc(), translator.getParam(key.name()).doc());
        }
        assertEquals(0.0, translator.getConfig("train.maxMinutes"), "an integral default of a number key");
        assertTrue(translator.explainParams().contains("train.rounds: Number of averaging rounds."),
                translator.explainParams());
        assertTrue(translator.explainParams().contains("sourceCol"));
    }

    @Test
    void aValueOutOfRangeIsRejectedWithTheKeyAndTheAllowedValues() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> translator().setConfig("train.rounds", 0));
        assertEquals("train.rounds", error.key());
        assertTrue(error.getMessage().contains("allowed"), error.getMessage());
        assertThrows(ConfigException.class, () -> translator().setConfig("model.normalization", "linear"));
        ConfigException wrongType = assertThrows(ConfigException.class,
                () -> translator().setConfig("model.modelDim", "wide"));
        assertTrue(wrongType.getMessage().contains("an integer"), wrongType.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> translator().setConfig("train.roundz", 3));
        assertTrue(unknown.getMessage().contains("train.rounds"), unknown.getMessage());
        assertThrows(ConfigException.class, () -> translator().setConfig("corpus.train", "x.tsv"),
                "the corpus is the DataFrame");
    }

    @Test
    void valuesAreConvertedToTheKeysTypes() {
        FulcrumTranslator translator = translator().setConfig("train.maxMinutes", 2)
                .setConfig("train.rounds", "7").setConfig("model.headGates", "true")
                .setConfig("train.peakLearningRate", 0.002);
        assertEquals(2.0, translator.getConfig("train.maxMinutes"));
        assertEquals(7, translator.getConfig("train.rounds"));
        assertEquals(true, translator.getConfig("model.headGates"));
        assertEquals(0.002, translator.getConfig("train.peakLearningRate"));
    }

    @Test
    void aCheckAcrossKeysIsMadeOnAllParamsBeforeTraining() {
        FulcrumTranslator translator = translator().setConfig("model.heads", 3).setConfig("model.modelDim", 384);
        assertEquals(384, translator.getConfig("model.modelDim"));
        translator.transformSchema(PAIRS);
        translator.setConfig("model.modelDim", 256);
        ConfigException error = assertThrows(ConfigException.class, () -> translator.transformSchema(PAIRS));
        assertEquals("model.heads", error.key());
    }

    @Test
    void schemaErrorsNameTheParamAndTheColumn() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new FulcrumTranslator().transformSchema(PAIRS));
        assertTrue(missing.getMessage().contains("sourceCol") && missing.getMessage().contains("'source'")
                && missing.getMessage().contains("en, fr"), missing.getMessage());
        StructType numeric = new StructType().add("en", DataTypes.StringType).add("fr", DataTypes.IntegerType);
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> translator().transformSchema(numeric));
        assertTrue(type.getMessage().contains("targetCol") && type.getMessage().contains("int"), type.getMessage());
        IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
                () -> translator().setOutputCol("fr").transformSchema(PAIRS));
        assertTrue(taken.getMessage().contains("outputCol"), taken.getMessage());
        StructType output = translator().transformSchema(PAIRS);
        assertEquals(List.of("en", "fr", "translation"), List.of(output.fieldNames()));
    }

    @Test
    void copyKeepsTheUidAndValuesAndAppliesExtraParams() {
        FulcrumTranslator translator = translator().setConfig("train.rounds", 3);
        FulcrumTranslator copy = translator.copy(new ParamMap().put(translator.getParam("vocab.size"), 500));
        assertNotSame(translator, copy);
        assertEquals(translator.uid(), copy.uid());
        assertEquals("en", copy.getSourceCol());
        assertEquals(3, copy.getConfig("train.rounds"));
        assertEquals(500, copy.getConfig("vocab.size"));
        assertEquals(8000, translator.getConfig("vocab.size"));
    }
}
