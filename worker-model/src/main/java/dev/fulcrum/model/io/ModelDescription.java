package dev.fulcrum.model.io;

import static dev.fulcrum.model.io.ModelLayout.FORMAT_VERSION;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.fulcrum.model.config.ModelConfig;
import dev.fulcrum.model.transformer.HeadPlan;
import dev.fulcrum.model.transformer.Transformer;
import dev.fulcrum.model.transformer.TransformerGraph;
import org.nd4j.linalg.api.buffer.DataType;

/** model.json: everything needed to build the network that params.bin fills. */
record ModelDescription(String format, int version, ModelConfig config, HeadPlan headPlan, DataType dataType) {
    static final String FORMAT = "fulcrum-model";

    static ModelDescription of(Transformer transformer) {
        return new ModelDescription(FORMAT, FORMAT_VERSION, transformer.config(), transformer.headPlan(),
                transformer.parameters().dataType());
    }

    void write(Path file) throws IOException {
        Json.write(this, file);
    }

    /** @throws ModelFormatException if the file does not describe a model this version can build */
    static ModelDescription read(Path file) throws IOException {
        ModelDescription description = Json.read(file, ModelDescription.class, "a Fulcrum model description");
        description.requireValid(file);
        return description;
    }

    /** A network of this shape; its parameters are to be overwritten, so the seed does not matter. */
    Transformer newTransformer() {
        return Transformer.initialize(config, headPlan, 0, dataType);
    }

    private void requireValid(Path file) throws ModelFormatException {
        ModelLayout.requireFormat(file, format, FORMAT, version);
        if (!ParamsFile.supports(dataType)) {
            throw new ModelFormatException(file, "data type " + dataType + " is not supported (expected "
                    + DataType.FLOAT + " or " + DataType.DOUBLE + ")");
        }
        requireValidHeadPlan(file);
    }

    private void requireValidHeadPlan(Path file) throws ModelFormatException {
        List<String> layers = TransformerGraph.attentionLayers(config);
        for (Map.Entry<String, Integer> kept : headPlan.keptHeads().entrySet()) {
            if (!layers.contains(kept.getKey())) {
                throw new ModelFormatException(file, "the head plan names layer '" + kept.getKey()
                        + "', which the model does not have (its attention layers: " + layers + ")");
            }
            if (kept.getValue() < 0 || kept.getValue() > config.heads()) {
                throw new ModelFormatException(file, "the head plan keeps " + kept.getValue() + " heads of layer '"
                        + kept.getKey() + "', allowed are 0 (layer removed) to " + config.heads());
            }
        }
    }
}
