package dev.vxdns.verticles.extension;

import dev.vxdns.message.Stage;
import dev.vxdns.message.StageVerticle;
import io.vertx.core.Future;

/**
 * Serves one already loaded stage at its address: an extension's file version, or a bridged stage.
 * Deploying a new one for the same address replaces the local stage at once ({@link
 * dev.vxdns.message.StageRegistry#publish}); undeploying the old one afterwards withdraws nothing
 * that the new one published.
 */
final class ExtensionStageVerticle extends StageVerticle {
  private final Stage stage;

  ExtensionStageVerticle(String address, Stage stage) {
    super(address, null);
    this.stage = stage;
  }

  @Override
  protected Future<Stage> createStage() {
    return Future.succeededFuture(stage);
  }
}
