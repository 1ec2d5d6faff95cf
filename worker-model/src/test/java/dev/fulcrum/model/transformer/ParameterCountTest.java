package dev.fulcrum.model.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import dev.fulcrum.model.config.ModelConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The count a model file is checked against before anything is built equals what building declares. */
class ParameterCountTest {
    @Test
    void countEqualsTheBuiltModelsForPlainGatedAndPrunedModels() {
        List<ModelConfig> configs = List.of(
                new ModelConfig(40, 8, 2, 12, 1, 1, 0.0, 0.1, 16, ModelConfig.SOFTMAX, 3, false),
                new ModelConfig(50, 12, 3, 20, 2, 1, 0.1, 0.1, 16, ModelConfig.SINKHORN, 2, true),
                new ModelConfig(30, 8, 4, 8, 1, 2, 0.0, 0.0, 16, ModelConfig.SOFTMAX, 3, true));
        List<HeadPlan> plans = List.of(HeadPlan.FULL, new HeadPlan(Map.of("enc0.self", 1, "dec0.cross", 0)),
                new HeadPlan(Map.of("dec0.self", 0, "enc0.self", 2)));
        for (ModelConfig config : configs) {
            for (HeadPlan plan : plans) {
                long built = Transformer.initialize(config, plan, 1, DataType.FLOAT).parameters().size();
                assertEquals(built, ParameterCount.of(config, plan), config + " " + plan);
            }
        }
    }
}
