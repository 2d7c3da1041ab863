package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The hop-path page in a real browser: {@code analyze --store} replays the vxlan-blocked recording
 * into a store, {@code serve} serves it, and Debian's headless Chromium loads the blocked TCP
 * flow's page ({@code --dump-dom} after the page's requests are done, and {@code --screenshot}).
 * The DOM must draw exactly one red segment, forward, between node-b/ens33 and node-b/flannel.1
 * with the hint; the screenshot (kept as target/hop-path.png) must show red.
 */
class HopPathPageIT {
  private static final Pattern LOST_SEGMENT =
      Pattern.compile("<line[^>]*class=\"segment lost\"[^>]*>");

  @TempDir Path store;
  @TempDir Path profile;

  @Test
  void theBlockedFlowsPageDrawsTheRedSegmentAfterNodeBsUplink() throws Exception {
    Path manifest = CliRun.repoRoot().resolve("deploy/lab/recordings/vxlan-blocked/manifest.json");
    CliRun analyze = CliRun.run("analyze", "--store", store.toString(), manifest.toString());
    assertThat(analyze.exitCode()).as(analyze.err()).isZero();

    CommandLine cl = Main.commandLine();
    ServeCommand serve = (ServeCommand) cl.getSubcommands().get("serve").getCommand();
    int[] exit = {-1};
    Thread t =
        new Thread(
            () -> exit[0] = cl.execute("serve", "--store", store.toString(), "--port", "0"),
            "serve-it");
    t.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (serve.server == null && t.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(serve.server).as("serve started").isNotNull();
      String base = serve.server.url();
      assertThat(base).startsWith("http://127.0.0.1:");

      JsonNode flows =
          CliRun.JSON.readTree(get(base + "api/flows?verdict=ONE_WAY&port=8080&dst=10.244.1.2"));
      assertThat(flows).hasSize(1);
      String id = flows.get(0).path("conversation_id").asText();
      String page = base + "#/flow/" + URLEncoder.encode(id, StandardCharsets.UTF_8);

      String dom = chromium("--dump-dom", page);
      List<String> lost = new ArrayList<>();
      Matcher m = LOST_SEGMENT.matcher(dom);
      while (m.find()) {
        lost.add(m.group());
      }
      assertThat(lost)
          .as(dom)
          .singleElement()
          .satisfies(
              l ->
                  assertThat(l)
                      .contains("data-after=\"node-b/ens33\"")
                      .contains("data-before=\"node-b/flannel.1\"")
                      .contains("data-direction=\"forward\""));
      assertThat(dom)
          .contains("data-ready=\"flow\"")
          .containsPattern("<text class=\"hint\"[^>]*>[^<]*8472/udp")
          .contains("data-hop=\"node-b/ens33\" data-direction=\"forward\" data-packets=\"3\"");

      Path shot = Path.of("target", "hop-path.png").toAbsolutePath();
      Files.deleteIfExists(shot);
      chromium("--screenshot=" + shot, "--window-size=1280,760", "--hide-scrollbars", page);
      BufferedImage image = ImageIO.read(shot.toFile());
      assertThat(image).as(shot.toString()).isNotNull();
      assertThat(redPixels(image)).as("red pixels in " + shot).isGreaterThan(200);
    } finally {
      serve.stop.countDown();
      t.join(10_000);
    }
    assertThat(exit[0]).isZero();
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
    return r.body();
  }

  /** Runs headless Chromium; the virtual time budget lets the page's fetches finish first. */
  private String chromium(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=15000"));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("chromium", ".out");
    Path err = Files.createTempFile("chromium", ".err");
    try {
      Process p;
      try {
        p =
            new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
      } catch (java.io.IOException e) {
        throw new AssertionError("chromium not found: apt-get install chromium (.ci/run does)", e);
      }
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("chromium did not finish in 90 s: " + Files.readString(err));
      }
      assertThat(p.exitValue()).as(Files.readString(err)).isZero();
      return Files.readString(out);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static long redPixels(BufferedImage image) {
    long n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        if (r > 190 && g < 60 && b < 60) {
          n++;
        }
      }
    }
    return n;
  }
}
