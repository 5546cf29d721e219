package dev.vxdns.journal;

/**
 * A journal cannot be opened, read or written. The message names the file and, for damaged data,
 * the byte offset of the record that is damaged.
 */
public class JournalException extends Exception {

  public JournalException(String message) {
    super(message);
  }

  public JournalException(String message, Throwable cause) {
    super(message, cause);
  }
}
