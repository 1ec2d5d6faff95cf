package dev.fulcrum.driver.run;

import dev.fulcrum.driver.round.RunException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a run directory for as long as a training uses it: two processes (or two jobs of one
 * notebook) writing one run's checkpoints and metrics would interleave them. The lock file stays behind, empty;
 * the operating system releases the lock when the process dies, so a killed run never locks its directory out.
 */
public final class RunLock implements AutoCloseable {
    private static final String FILE = ".lock";
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws RunException when another training holds the directory */
    public static RunLock acquire(RunDirectory run) throws IOException {
        Files.createDirectories(run.root());
        Path file = run.root().resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very JVM: another job of the same application
        }
        if (lock == null) {
            channel.close();
            throw new RunException(run.root() + " is in use by another training (it holds " + file
                    + "); wait for it to end, or choose another output directory (--out DIR)");
        }
        return new RunLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
