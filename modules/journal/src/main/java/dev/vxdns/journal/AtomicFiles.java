package dev.vxdns.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Replacing a file so that a crash leaves either the old or the new content, never a mix. */
final class AtomicFiles {

  private AtomicFiles() {}

  /**
   * The temporary file to build a replacement of {@code target} in: same folder, same file system.
   */
  static Path temporaryFor(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".tmp");
  }

  /**
   * Renames the already forced {@code temporary} over {@code target}, then forces the folder so the
   * rename itself survives a power loss.
   */
  static void replace(Path temporary, Path target) throws IOException {
    Files.move(
        temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    forceFolderOf(target);
  }

  static void forceFolderOf(Path file) throws IOException {
    Path folder = file.toAbsolutePath().getParent();
    try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
