package dev.fulcrum.driver.ingest;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;

/** Writes gettext .mo catalogs for tests: the 28-byte header, both string tables, NUL-terminated strings. */
final class MoFiles {
    private MoFiles() {
    }

    /** {@code entries}: {original, translation} in .mo form (EOT before a context, NUL between plural forms). */
    static byte[] mo(ByteOrder order, Charset charset, String[]... entries) {
        List<byte[]> originals = new ArrayList<>();
        List<byte[]> translations = new ArrayList<>();
        for (String[] entry : entries) {
            originals.add(entry[0].getBytes(charset));
            translations.add(entry[1].getBytes(charset));
        }
        int n = entries.length;
        ByteBuffer head = ByteBuffer.allocate(28 + 16 * n).order(order);
        head.putInt(0x950412de).putInt(0).putInt(n).putInt(28).putInt(28 + 8 * n).putInt(0).putInt(0);
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        int offset = head.capacity();
        for (List<byte[]> table : List.of(originals, translations)) {
            for (byte[] string : table) {
                head.putInt(string.length).putInt(offset);
                strings.writeBytes(string);
                strings.write(0);
                offset += string.length + 1;
            }
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(head.array());
        file.writeBytes(strings.toByteArray());
        return file.toByteArray();
    }

    /** A header entry declaring {@code charset}. */
    static String[] header(String charset) {
        return new String[] {"", "Content-Type: text/plain; charset=" + charset + "\n"};
    }
}
