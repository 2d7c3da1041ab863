package io.hoptrace.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs commands with {@link ProcessBuilder}, reading both output streams, with a timeout. */
public final class ProcessCommandRunner implements CommandRunner {

  @Override
  public String run(List<String> command, Duration timeout) throws InventoryException {
    String shown = String.join(" ", command);
    Process p;
    try {
      p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    } catch (IOException e) {
      String prog = command.get(0);
      String hint = prog.equals("ip") || prog.equals("bridge") ? ": install iproute2" : "";
      throw new InventoryException(
          "'" + prog + "' not found or not runnable" + hint + " (" + e.getMessage() + ")", e);
    }
    try {
      p.getOutputStream().close();
      CompletableFuture<String> out =
          CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
      CompletableFuture<String> err =
          CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new InventoryException(
            "'" + shown + "' timed out after " + timeout.toMillis() + " ms");
      }
      String stdout = out.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      String stderr = err.get(timeout.toMillis(), TimeUnit.MILLISECONDS).strip();
      if (p.exitValue() != 0) {
        throw new InventoryException(
            "'"
                + shown
                + "' failed (exit "
                + p.exitValue()
                + ")"
                + (stderr.isEmpty() ? "" : ": " + stderr.lines().findFirst().orElse("")));
      }
      return stdout;
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InventoryException("'" + shown + "' interrupted", e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException | IOException e) {
      p.destroyForcibly();
      throw new InventoryException(
          "'" + shown + "' output could not be read: " + e.getMessage(), e);
    }
  }

  private static String drain(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
