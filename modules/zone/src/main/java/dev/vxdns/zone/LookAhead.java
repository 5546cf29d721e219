package dev.vxdns.zone;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An iterator that finds each element when the previous one is taken: {@link #advance} returns the
 * next element, or null at the end. It first advances when first asked, after the subclass is set
 * up.
 */
abstract class LookAhead<T> implements Iterator<T> {
  private T next;
  private boolean started;

  /** The next element, or null when there is none. */
  protected abstract T advance();

  @Override
  public final boolean hasNext() {
    if (!started) {
      started = true;
      next = advance();
    }
    return next != null;
  }

  @Override
  public final T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    T taken = next;
    next = advance();
    return taken;
  }
}
