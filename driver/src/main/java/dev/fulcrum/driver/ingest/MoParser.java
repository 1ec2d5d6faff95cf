package dev.fulcrum.driver.ingest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pairs of a compiled gettext {@code .mo} catalog. Layout (either byte order, told by the magic number):
 * magic, revision, N, offset of the originals table, offset of the translations table; each table holds N
 * (length, offset) pairs of strings. An original is {@code [msgctxt EOT] msgid [NUL msgid_plural]}, a
 * translation {@code msgstr[0] [NUL msgstr[1] ...]}. The header (empty msgid) is skipped.
 */
final class MoParser {
    private static final int MAGIC = 0x950412de;
    private static final int HEADER_BYTES = 20;

    private final ByteBuffer buffer;
    private final String origin;

    private MoParser(byte[] bytes, String origin) {
        this.buffer = ByteBuffer.wrap(bytes);
        this.origin = origin;
    }

    /** Throws {@link CorpusException} naming {@code origin} when the bytes are not a well-formed catalog. */
    static List<RawPair> parse(byte[] bytes, String origin) {
        return new MoParser(bytes, origin).pairs();
    }

    private List<RawPair> pairs() {
        check(buffer.capacity() >= HEADER_BYTES, "shorter than the header");
        buffer.order(ByteOrder.LITTLE_ENDIAN);
        if (buffer.getInt(0) != MAGIC) {
            buffer.order(ByteOrder.BIG_ENDIAN);
            check(buffer.getInt(0) == MAGIC, "no .mo magic number");
        }
        int count = buffer.getInt(8);
        int originals = buffer.getInt(12);
        int translations = buffer.getInt(16);
        check(count >= 0 && count <= buffer.capacity() / 16, "bad string count " + count);
        String header = header(count, originals, translations);
        Charset charset = Catalogs.declaredCharset(header);
        PluralRule rule = PluralRule.ofHeader(header);
        List<RawPair> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] original = string(originals, i);
            if (original.length > 0) {
                addEntry(original, string(translations, i), charset, rule, pairs);
            }
        }
        return pairs;
    }

    /**
     * The header entry's text (charset, plural rule) read as ISO-8859-1, which every byte decodes in and which
     * reads its ASCII keys the same whatever the charset; empty when there is no header.
     */
    private String header(int count, int originals, int translations) {
        for (int i = 0; i < count; i++) {
            if (string(originals, i).length == 0) {
                return new String(string(translations, i), StandardCharsets.ISO_8859_1);
            }
        }
        return "";
    }

    private static void addEntry(byte[] originalBytes, byte[] translationBytes, Charset charset, PluralRule rule,
                                 List<RawPair> pairs) {
        String original = StrictDecoder.decode(originalBytes, 0, originalBytes.length, charset);
        String translation = StrictDecoder.decode(translationBytes, 0, translationBytes.length, charset);
        if (original == null || translation == null) {
            pairs.add(RawPair.dropped(DropReason.INVALID_UTF8));
            return;
        }
        String[] msgids = original.substring(original.indexOf('\u0004') + 1).split("\0", -1);
        Catalogs.addPairs(msgids[0], msgids.length > 1 ? msgids[1] : null,
                Arrays.asList(translation.split("\0", -1)), rule, null, pairs);
    }

    /** String {@code index} of the table at {@code table}, without its terminating NUL. */
    private byte[] string(int table, int index) {
        long entry = Integer.toUnsignedLong(table) + 8L * index;
        check(entry + 8 <= buffer.capacity(), "string table beyond the end of the file");
        long length = Integer.toUnsignedLong(buffer.getInt((int) entry));
        long offset = Integer.toUnsignedLong(buffer.getInt((int) entry + 4));
        check(offset + length <= buffer.capacity(), "string beyond the end of the file");
        byte[] bytes = new byte[(int) length];
        buffer.get((int) offset, bytes);
        return bytes;
    }

    private void check(boolean condition, String problem) {
        if (!condition) {
            throw new CorpusException("not a valid gettext .mo catalog: " + origin + " (" + problem + ")");
        }
    }
}
