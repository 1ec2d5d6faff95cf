package dev.fulcrum.model.text;

import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;

/**
 * Symbol sequences as learning and encoding both see them, shared so that both agree.
 *
 * <p>A pre-token starts as one symbol per code point, or the character's UTF-8 bytes as byte tokens when it has
 * no token. The marker {@link PreTokenizer#WORD_START} counts as such only as the first code point; a literal
 * U+2581 elsewhere always falls back to bytes, so a U+2581 inside a learned token always means "word start".
 */
final class Symbols {

    static final String MARKER = String.valueOf(PreTokenizer.WORD_START);

    private Symbols() {
    }

    /**
     * @param idOfCharacter token id of a one-code-point string, {@link Vocabulary#UNK} when it has no token
     */
    static int[] initial(String preToken, ToIntFunction<String> idOfCharacter) {
        IntList symbols = new IntList(preToken.length());
        for (int i = 0; i < preToken.length(); ) {
            int codePoint = preToken.codePointAt(i);
            String character = Character.toString(codePoint);
            boolean literalMarker = codePoint == PreTokenizer.WORD_START && i > 0;
            int id = literalMarker ? Vocabulary.UNK : idOfCharacter.applyAsInt(character);
            if (id == Vocabulary.UNK) {
                addBytes(character, symbols);
            } else {
                symbols.add(id);
            }
            i += Character.charCount(codePoint);
        }
        return symbols.toArray();
    }

    /** Whether a symbol may take part in a merge: byte-fallback symbols never do. */
    static boolean isMergeable(int id) {
        return id >= Vocabulary.FIRST_LEARNED_ID;
    }

    /**
     * Two symbol ids as one map key. The low half holds {@code right} xor a scramble of {@code left} because
     * {@link Long#hashCode()} xors the halves: plain {@code left << 32 | right} would give all pairs with the same
     * {@code left ^ right} one hash, and the learner's pair maps would degrade into hash-collision trees.
     */
    static long pair(int left, int right) {
        return ((long) left << 32) | ((right ^ scramble(left)) & 0xFFFFFFFFL);
    }

    static int left(long pair) {
        return (int) (pair >>> 32);
    }

    static int right(long pair) {
        return (int) pair ^ scramble(left(pair));
    }

    private static int scramble(int id) {
        return id * 0x9E3779B9;
    }

    /** {@code symbols} with every occurrence of {@code left right}, scanned left to right, replaced by {@code result}. */
    static int[] replacePair(int[] symbols, int left, int right, int result) {
        IntList replaced = new IntList(symbols.length);
        for (int i = 0; i < symbols.length; i++) {
            if (i + 1 < symbols.length && symbols[i] == left && symbols[i + 1] == right) {
                replaced.add(result);
                i++;
            } else {
                replaced.add(symbols[i]);
            }
        }
        return replaced.toArray();
    }

    private static void addBytes(String character, IntList symbols) {
        for (byte b : character.getBytes(StandardCharsets.UTF_8)) {
            symbols.add(Vocabulary.byteId(Byte.toUnsignedInt(b)));
        }
    }
}
