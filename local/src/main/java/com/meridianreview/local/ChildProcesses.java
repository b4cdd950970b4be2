package com.meridianreview.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The processes a runner started (emulators, function JVMs), written to a file in its data
 * directory, so that a runner killed without a chance to stop them (SIGKILL) has them stopped by
 * the next one. A process is matched by pid and start time, so a recycled pid is never touched.
 */
final class ChildProcesses {

    private final Path file;
    private final List<ProcessHandle> recorded = new ArrayList<>();
    /** Whether this runner wrote the file: only then is it its to delete. */
    private boolean owned;
    /** Held while the runner runs, so that a second runner on the same directory cannot start in between. */
    private java.nio.channels.FileChannel lockFile;
    private java.nio.channels.FileLock lock;

    ChildProcesses(Path file) {
        this.file = file;
    }

    /**
     * Stops what an earlier runner left running; returns how many it stopped. A runner that is
     * still alive keeps its processes, and this one does not start: two runners on one data
     * directory would share its database file.
     */
    int stopLeftovers() {
        if (file != null) {
            lockDirectory();
        }
        if (file == null || !Files.isRegularFile(file)) {
            return 0;
        }
        int stopped = 0;
        try {
            List<String> lines = Files.readAllLines(file);
            if (!lines.isEmpty() && lines.get(0).startsWith(RUNNER)) {
                String[] owner = lines.get(0).substring(RUNNER.length()).split(" ", 2);
                if (owner.length == 2 && alive(owner[0], owner[1]).isPresent()) {
                    throw new TemplateException("another runner (pid " + owner[0] + ") is using " + file.getParent()
                            + "; stop it first, or give this one another --data directory");
                }
            }
            for (String line : lines) {
                String[] parts = line.split(" ", 2);
                if (parts.length != 2 || line.startsWith(RUNNER)) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(parts[0]);
                } catch (NumberFormatException e) {
                    continue;
                }
                Optional<ProcessHandle> process = ProcessHandle.of(pid);
                if (process.isPresent() && process.get().isAlive()
                        && process.get().info().startInstant().map(Instant::toString).orElse("").equals(parts[1])) {
                    process.get().destroy();
                    try {
                        process.get().onExit().get(5, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        process.get().destroyForcibly();
                    }
                    stopped++;
                }
            }
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // unreadable: nothing we can safely stop
        }
        return stopped;
    }

    private static final String RUNNER = "runner ";

    /** The OS releases the lock when the process ends, however it ends, so a killed runner leaves none behind. */
    private void lockDirectory() {
        try {
            lockFile = java.nio.channels.FileChannel.open(file.resolveSibling("runner.lock"),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
            lock = lockFile.tryLock();
        } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String owner = "";
            try {
                List<String> lines = Files.isRegularFile(file) ? Files.readAllLines(file) : List.of();
                if (!lines.isEmpty() && lines.get(0).startsWith(RUNNER)) {
                    owner = " (pid " + lines.get(0).substring(RUNNER.length()).split(" ", 2)[0] + ")";
                }
            } catch (IOException e) {
                // the pid is only a help for the person reading the message
            }
            closeLock();
            throw new TemplateException("another runner" + owner + " is using " + file.getParent()
                    + "; stop it first, or give this one another --data directory");
        }
    }

    private void closeLock() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockFile != null) {
                lockFile.close();
            }
        } catch (IOException e) {
            // closing a lock file on the way out
        }
        lock = null;
        lockFile = null;
    }

    private static Optional<ProcessHandle> alive(String pid, String startedAt) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().startInstant().map(Instant::toString).orElse("").equals(startedAt));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    synchronized void record(ProcessHandle process) {
        recorded.removeIf(p -> !p.isAlive());
        recorded.add(process);
        write();
    }

    synchronized void clear() {
        recorded.clear();
        closeLock();
        if (file != null && owned) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a stale file names only processes that are gone; the next start skips them
            }
        }
    }

    private void write() {
        if (file == null) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        ProcessHandle self = ProcessHandle.current();
        self.info().startInstant().ifPresent(start -> lines.append(RUNNER).append(self.pid()).append(' ').append(start).append('\n'));
        for (ProcessHandle process : recorded) {
            process.info().startInstant().ifPresent(start -> lines.append(process.pid()).append(' ').append(start).append('\n'));
        }
        try {
            Files.writeString(file, lines);
            owned = true;
        } catch (IOException e) {
            // without the file, only a SIGKILLed runner's leftovers go unnoticed
        }
    }
}
