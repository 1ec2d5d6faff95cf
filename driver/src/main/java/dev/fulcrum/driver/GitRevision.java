package dev.fulcrum.driver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.fulcrum.model.Provenance;

/** The commit the code runs from, for provenance: the build's manifest, else git in the working directory. */
final class GitRevision {
    private GitRevision() {
    }

    static String current() {
        String fromManifest = GitRevision.class.getPackage().getImplementationVersion();
        if (fromManifest != null && fromManifest.matches("[0-9a-f]{7,40}")) {
            return fromManifest;
        }
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").redirectErrorStream(true).start();
            String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return git.waitFor(5, TimeUnit.SECONDS) && git.exitValue() == 0 ? output : Provenance.UNKNOWN_REVISION;
        } catch (IOException e) {
            return Provenance.UNKNOWN_REVISION;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Provenance.UNKNOWN_REVISION;
        }
    }
}
