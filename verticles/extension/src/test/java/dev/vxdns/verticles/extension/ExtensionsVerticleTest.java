package dev.vxdns.verticles.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Addresses;
import dev.vxdns.message.Outcome;
import dev.vxdns.message.Stage;
import dev.vxdns.message.StageRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directory watch with jars: served, replaced by a new version, kept when broken, withdrawn.
 */
class ExtensionsVerticleTest {
  @Test
  void aJarIsServedReplacedKeptWhenBrokenAndWithdrawn(@TempDir Path dir) throws Exception {
    Path extensions = Files.createDirectory(dir.resolve("extensions"));
    Path v1 =
        LoadedExtensionTest.jar(
            Files.createDirectory(dir.resolve("v1")),
            "stage",
            LoadedExtensionTest.exchangeSource("drop"),
            "ext.Dropping",
            false);
    Path v2 =
        LoadedExtensionTest.jar(
            Files.createDirectory(dir.resolve("v2")),
            "stage",
            LoadedExtensionTest.exchangeSource("close"),
            "ext.Dropping",
            false);
    Path target = extensions.resolve("mine.jar");
    Files.copy(v1, target);
    Vertx vertx = Vertx.vertx();
    try {
      StageRegistry registry = StageRegistry.of(vertx);
      vertx
          .deployVerticle(new ExtensionsVerticle(new ExtensionSettings(extensions, 50, null)))
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      assertEquals(Outcome.DROP, outcome(registry.find("vxdns.ext.mine")));

      replace(v2, target);
      await(registry, stage -> stage != null && outcome(stage) == Outcome.CLOSE);

      Path broken = Files.writeString(dir.resolve("broken.jar"), "not a jar");
      replace(broken, target);
      Thread.sleep(500); // ten scans: the broken version is seen and refused
      assertEquals(Outcome.CLOSE, outcome(registry.find("vxdns.ext.mine")));

      Files.delete(target);
      await(registry, stage -> stage == null);
      assertNull(registry.find("vxdns.ext.mine"));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void anExtensionIsRedeployedByItsNameWithAFreshInstance(@TempDir Path dir) throws Exception {
    Path extensions = Files.createDirectory(dir.resolve("extensions"));
    Files.copy(
        LoadedExtensionTest.jar(
            Files.createDirectory(dir.resolve("v1")),
            "stage",
            LoadedExtensionTest.exchangeSource("drop"),
            "ext.Dropping",
            false),
        extensions.resolve("mine.jar"));
    Vertx vertx = Vertx.vertx();
    try {
      StageRegistry registry = StageRegistry.of(vertx);
      vertx
          .deployVerticle(new ExtensionsVerticle(new ExtensionSettings(extensions, 60_000, null)))
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      Stage before = registry.find("vxdns.ext.mine");
      Set<String> deployedBefore = new HashSet<>(vertx.deploymentIDs());
      String id =
          vertx
              .eventBus()
              .<String>request(Addresses.EXTENSION_REDEPLOY, "mine")
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS)
              .body();
      assertTrue(vertx.deploymentIDs().contains(id), "the new instance runs");
      assertFalse(deployedBefore.contains(id), "it is a new deployment");
      Stage after = registry.find("vxdns.ext.mine");
      assertNotSame(before, after, "a fresh stage serves the address");
      assertEquals(Outcome.DROP, outcome(after));
      ExecutionException unknown =
          assertThrows(
              ExecutionException.class,
              () ->
                  vertx
                      .eventBus()
                      .request(Addresses.EXTENSION_REDEPLOY, "nope")
                      .toCompletionStage()
                      .toCompletableFuture()
                      .get(30, TimeUnit.SECONDS));
      assertTrue(unknown.getCause().getMessage().contains("no extension named nope"));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static Outcome outcome(Stage stage) {
    assertNotNull(stage, "no stage at vxdns.ext.mine");
    return stage.handle(LoadedExtensionTest.exchange()).result().reply().outcome();
  }

  private static void replace(Path source, Path target) throws Exception {
    Path next = target.resolveSibling(target.getFileName() + ".next");
    Files.copy(source, next, StandardCopyOption.REPLACE_EXISTING);
    Files.move(next, target, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void await(StageRegistry registry, Predicate<Stage> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.test(registry.find("vxdns.ext.mine"))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out; serving " + registry.find("vxdns.ext.mine"));
      }
      Thread.sleep(20);
    }
  }
}
