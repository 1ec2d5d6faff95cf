package dev.fulcrum.driver.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;

/** Decoding that reports bad bytes instead of hiding them behind U+FFFD, as {@code new String} would. */
final class StrictDecoder {
    private StrictDecoder() {
    }

    /** The text of {@code length} bytes from {@code offset}, or null when they are not valid in the charset. */
    static String decode(byte[] bytes, int offset, int length, Charset charset) {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
