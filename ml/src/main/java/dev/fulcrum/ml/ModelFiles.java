package dev.fulcrum.ml;

import java.io.IOException;
import java.io.UncheckedIOException;

import dev.fulcrum.model.io.ModelStore;
import dev.fulcrum.model.io.ScratchDirectory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import scala.Option;

/**
 * How a {@link FulcrumTranslationModel} is saved and loaded as Spark ML expects (alone or inside a
 * {@code PipelineModel}): the path holds Fulcrum's model directory, files verified against their manifest, plus
 * Spark's {@code metadata/} (the uid and param values). Any Hadoop file system works (local, HDFS, DBFS, cloud
 * storage): the model directory is staged on local disk and copied.
 */
final class ModelFiles {
    private ModelFiles() {
    }

    /** The model's directory, checked on the way out, then Spark's metadata beside it. */
    static final class Writer extends MLWriter {
        private final FulcrumTranslationModel instance;
        private final byte[] archive;

        Writer(FulcrumTranslationModel instance, byte[] archive) {
            this.instance = instance;
            this.archive = archive;
        }

        @Override
        public void saveImpl(String path) {
            try (ScratchDirectory scratch = new ScratchDirectory()) {
                java.nio.file.Path local = scratch.resolve("model");
                ModelStore.saveArchiveBytes(archive, local);
                Path target = new Path(path);
                fileSystem(target, sc().hadoopConfiguration()).copyFromLocalFile(false, false,
                        new Path(local.toUri()), target);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save the model to " + path, e);
            }
            DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, sc(), Option.empty(), Option.empty());
        }
    }

    /** Spark's metadata, then the model directory, verified before it is trusted. */
    static final class Reader extends MLReader<FulcrumTranslationModel> {
        @Override
        public FulcrumTranslationModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sc(),
                    FulcrumTranslationModel.class.getName());
            byte[] archive;
            try (ScratchDirectory scratch = new ScratchDirectory()) {
                java.nio.file.Path local = scratch.resolve("model");
                Path source = new Path(path);
                fileSystem(source, sc().hadoopConfiguration()).copyToLocalFile(false, source,
                        new Path(local.toUri()), true);
                archive = ModelStore.archiveBytes(local);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load the model of " + path, e);
            }
            FulcrumTranslationModel model = new FulcrumTranslationModel(metadata.uid(), archive);
            metadata.getAndSetParams(model, Option.empty());
            return model;
        }
    }

    /** The local file system without its checksum files: the model directory stays exactly Fulcrum's. */
    private static FileSystem fileSystem(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    }
}
