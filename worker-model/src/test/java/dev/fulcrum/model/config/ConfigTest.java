package dev.fulcrum.model.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ConfigTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyConfigurationRoundTripsThroughJson() throws Exception {
        ModelConfig model = ModelConfig.base(8000).withAttention(ModelConfig.SINKHORN, 5, true);
        assertEquals(model, json.readValue(json.writeValueAsString(model), ModelConfig.class));
        Knobs knobs = new Knobs(0.3, 0.2, 0.8, 0.1, 0.05);
        assertEquals(knobs, json.readValue(json.writeValueAsString(knobs), Knobs.class));
        TrainingConfig training = new TrainingConfig(5e-4, 4000, 1.0, 4096, 7);
        assertEquals(training, json.readValue(json.writeValueAsString(training), TrainingConfig.class));
    }

    @Test
    void invalidValuesNameTheKeyAndTheAllowedValues() {
        ConfigException heads = assertThrows(ConfigException.class,
                () -> ModelConfig.base(8000).withAttention("sparsemax", 3, false));
        assertEquals("model.normalization", heads.key());
        assertTrue(heads.getMessage().contains("softmax") && heads.getMessage().contains("sinkhorn"), heads.getMessage());
        ConfigException divisor = assertThrows(ConfigException.class,
                () -> new ModelConfig(100, 10, 3, 16, 1, 1, 0, 0, 8, ModelConfig.SOFTMAX, 1, false));
        assertEquals("model.heads", divisor.key());
        ConfigException band = assertThrows(ConfigException.class, () -> new Knobs(0, 0.8, 0.2, 0, 0));
        assertEquals("knobs.entropyHigh", band.key());
        ConfigException rate = assertThrows(ConfigException.class, () -> new TrainingConfig(0, 10, 1, 2048, 1));
        assertEquals("train.peakLearningRate", rate.key());
    }

    @Test
    void learningRateWarmsUpLinearlyThenDecaysAsInverseSquareRoot() {
        TrainingConfig config = new TrainingConfig(1e-3, 100, 1.0, 2048, 1);
        assertEquals(1e-5, config.learningRate(0), 1e-12);
        assertEquals(1e-3, config.learningRate(99), 1e-12);
        assertEquals(1e-3 * Math.sqrt(100.0 / 400), config.learningRate(399), 1e-12);
    }
}
