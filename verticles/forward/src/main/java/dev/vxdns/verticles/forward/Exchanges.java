package dev.vxdns.verticles.forward;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The queries one socket or connection has in flight, by the ID it gave them: a fresh random ID per
 * query (never one in flight), checked with the question on the way back, and a timer per query.
 * Used on one event loop only.
 */
final class Exchanges {
  private static final int QUESTION_START = 12;

  private record Pending(byte[] sent, int questionEnd, Answer answer, long timer) {}

  private final Map<Integer, Pending> pending = new HashMap<>();

  boolean isEmpty() {
    return pending.isEmpty();
  }

  int size() {
    return pending.size();
  }

  /**
   * Gives {@code query} (a copy the caller owns) a free ID and records it; -1 when all are taken.
   */
  int add(byte[] query, Answer answer, java.util.function.IntFunction<Long> timer) {
    if (pending.size() >= 60_000) {
      return -1;
    }
    int id;
    do {
      id = ThreadLocalRandom.current().nextInt(0x10000);
    } while (pending.containsKey(id));
    query[0] = (byte) (id >>> 8);
    query[1] = (byte) id;
    int idFinal = id;
    pending.put(id, new Pending(query, questionEnd(query), answer, timer.apply(idFinal)));
    return id;
  }

  /** The answer waiting for {@code response}, removed, or null if none matches ID and question. */
  Answer take(byte[] response, java.util.function.LongConsumer cancelTimer) {
    if (response.length < QUESTION_START) {
      return null;
    }
    int id = ((response[0] & 0xff) << 8) | (response[1] & 0xff);
    Pending waiting = pending.get(id);
    if (waiting == null || !sameQuestion(waiting, response)) {
      return null;
    }
    pending.remove(id);
    cancelTimer.accept(waiting.timer);
    return waiting.answer;
  }

  /** The answer of the query with {@code id} whose timer fired, removed; null if answered. */
  Answer expire(int id) {
    Pending waiting = pending.remove(id);
    return waiting == null ? null : waiting.answer;
  }

  /** Every query still waiting, removed (the connection closed), timers cancelled. */
  Iterable<Answer> drain(java.util.function.LongConsumer cancelTimer) {
    java.util.List<Answer> answers = new java.util.ArrayList<>();
    for (Pending waiting : pending.values()) {
      cancelTimer.accept(waiting.timer);
      answers.add(waiting.answer);
    }
    pending.clear();
    return answers;
  }

  /** The question section echoed as sent (names compared case-insensitively). */
  private static boolean sameQuestion(Pending waiting, byte[] response) {
    int end = waiting.questionEnd;
    if (end < 0
        || response.length < end
        || response[4] != waiting.sent[4]
        || response[5] != waiting.sent[5]) {
      return end < 0;
    }
    for (int i = QUESTION_START; i < end; i++) {
      if (Character.toLowerCase(response[i]) != Character.toLowerCase(waiting.sent[i])) {
        return false;
      }
    }
    return true;
  }

  /** Where the question section of a query ends (one question, no compression); -1 if odd. */
  private static int questionEnd(byte[] query) {
    int questions = ((query[4] & 0xff) << 8) | (query[5] & 0xff);
    int p = QUESTION_START;
    try {
      for (int i = 0; i < questions; i++) {
        while (query[p] != 0) {
          if ((query[p] & 0xc0) != 0) {
            return -1;
          }
          p += (query[p] & 0xff) + 1;
        }
        p += 5;
      }
    } catch (ArrayIndexOutOfBoundsException odd) {
      return -1;
    }
    return p <= query.length ? p : -1;
  }
}
