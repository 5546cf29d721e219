package dev.vxdns.verticles.zone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What a zone file was when it was read: its modification time, size and file key (device and inode
 * on Linux, so a file replaced by a rename is another file even within the same second). A reload
 * reads a primary's file again when its stamp differs, as named does on {@code rndc reload}.
 */
record FileStamp(FileTime modified, long size, Object key) {

  /** The file's stamp now, or null when there is none or it cannot be read. */
  static FileStamp of(Path file) {
    if (file == null) {
      return null;
    }
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      return new FileStamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
    } catch (IOException e) {
      return null;
    }
  }
}
