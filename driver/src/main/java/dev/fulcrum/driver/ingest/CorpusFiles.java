package dev.fulcrum.driver.ingest;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Driver-side look at the corpus files (any Hadoop file system): existence, format detection, catalogs. */
final class CorpusFiles {
    private CorpusFiles() {
    }

    static void requireExists(SparkSession spark, String path) {
        if (!exists(spark, path)) {
            throw new CorpusException("corpus not found: " + path);
        }
    }

    /**
     * AUTO: Moses when both languages are set; a file by its extension; a directory by the files in its tree
     * (Parquet before gettext before TSV, so that stray notes beside data files do not decide).
     */
    static CorpusFormat detect(SparkSession spark, String path, IngestOptions options) {
        if (options.hasLanguages()) {
            return CorpusFormat.MOSES;
        }
        requireExists(spark, path);
        Set<CorpusFormat> found = new TreeSet<>();
        for (Path file : visibleFiles(spark, path)) {
            CorpusFormat format = CorpusFormat.ofFile(file.getName());
            if (format != null) {
                found.add(format);
            }
        }
        for (CorpusFormat format : List.of(CorpusFormat.PARQUET, CorpusFormat.GETTEXT, CorpusFormat.TSV)) {
            if (found.contains(format)) {
                return format;
            }
        }
        throw new CorpusException("cannot tell the format of " + path + " from its file names (.tsv, .txt, "
                + ".parquet, .po, .mo); set ingest.format, or ingest.sourceLang and ingest.targetLang for Moses");
    }

    /** The {@code .po} and {@code .mo} files of a catalog path: the file itself, or every one in the tree. */
    static List<String> catalogs(SparkSession spark, String path) {
        requireExists(spark, path);
        List<String> catalogs = new ArrayList<>();
        for (Path file : visibleFiles(spark, path)) {
            if (CorpusFormat.isCatalog(file.getName())) {
                catalogs.add(file.toString());
            }
        }
        if (catalogs.isEmpty()) {
            throw new CorpusException("no gettext catalogs (.po, .mo) in " + path);
        }
        return catalogs;
    }

    /**
     * The files a text corpus path stands for, as one Hadoop path list: the readers and the detection above see
     * the same files, subdirectories and glob matches included.
     */
    static String textFiles(SparkSession spark, String path) {
        requireExists(spark, path);
        return pathList(visibleFiles(spark, path).stream().map(Path::toString).toList());
    }

    /** Paths joined for Hadoop, which splits a path list at commas: a path holding one is refused. */
    static String pathList(List<String> paths) {
        for (String path : paths) {
            if (path.contains(",")) {
                throw new CorpusException("corpus file path with a comma (Hadoop path lists split there): " + path);
            }
        }
        return String.join(",", paths);
    }

    /**
     * The files of the path — a file, a directory tree, or a glob's matches (each a file or a tree) — sorted,
     * without those hidden by a name starting with '.' or '_' (Hadoop's convention: checksums, {@code _SUCCESS},
     * {@code .git/}).
     */
    private static List<Path> visibleFiles(SparkSession spark, String path) {
        try {
            FileSystem fs = fileSystem(spark, path);
            Set<Path> files = new TreeSet<>();
            for (FileStatus match : matches(fs, path)) {
                Path root = fs.makeQualified(match.getPath());
                RemoteIterator<LocatedFileStatus> listing = fs.listFiles(root, true);
                while (listing.hasNext()) {
                    Path file = listing.next().getPath();
                    if (visibleBelow(file, root.depth())) {
                        files.add(file);
                    }
                }
            }
            return new ArrayList<>(files);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path, e);
        }
    }

    /** What the path names: itself, or what its glob pattern matches; none when nothing is there. */
    private static FileStatus[] matches(FileSystem fs, String path) throws IOException {
        FileStatus[] matches = fs.globStatus(new Path(path));
        return matches == null ? new FileStatus[0] : matches;
    }

    private static boolean visibleBelow(Path file, int rootDepth) {
        for (Path part = file; part.depth() > rootDepth; part = part.getParent()) {
            if (part.getName().startsWith(".") || part.getName().startsWith("_")) {
                return false;
            }
        }
        return true;
    }

    private static boolean exists(SparkSession spark, String path) {
        try {
            return matches(fileSystem(spark, path), path).length > 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private static FileSystem fileSystem(SparkSession spark, String path) throws IOException {
        return new Path(path).getFileSystem(spark.sparkContext().hadoopConfiguration());
    }
}
