package dev.vxdns.verticles.auth;

import dev.vxdns.auth.TkeyOutcome;
import dev.vxdns.auth.TsigKey;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.function.BiFunction;
import org.xbill.DNS.Message;

/**
 * Runs TKEY negotiation ({@link dev.vxdns.auth.TkeyServer#process}) on a worker pool: its
 * Diffie-Hellman agreement is a modular exponentiation, far too slow for an event loop. An unsigned
 * TKEY query is answered FORMERR before any Diffie-Hellman work, so it is answered at once rather
 * than queued behind the negotiations.
 */
public final class TkeyWorker {
  private final WorkerExecutor workers;
  private final BiFunction<Message, TsigKey, TkeyOutcome> negotiation;

  /**
   * @param negotiation the TKEY server's {@code process} (a test wraps it to see where it runs)
   */
  public TkeyWorker(WorkerExecutor workers, BiFunction<Message, TsigKey, TkeyOutcome> negotiation) {
    this.workers = workers;
    this.negotiation = negotiation;
  }

  /** The TKEY answer to a query signed with {@code signer} (null: unsigned). */
  Future<TkeyOutcome> process(Message request, TsigKey signer) {
    if (signer == null) {
      return Future.succeededFuture(negotiation.apply(request, null));
    }
    return workers.executeBlocking(() -> negotiation.apply(request, signer), false);
  }
}
