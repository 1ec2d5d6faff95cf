package dev.fulcrum.model.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Immutable table between token ids and token strings.
 *
 * <p>Layout: the four special tokens at fixed ids ({@link #PAD}, {@link #BOS}, {@link #EOS}, {@link #UNK}),
 * then 256 byte-fallback tokens {@code <0x00>..<0xFF>} (ids {@value #FIRST_BYTE_ID}..259), then the learned
 * tokens (single characters and merged subwords) from id {@value #FIRST_LEARNED_ID} on.
 */
public final class Vocabulary implements java.io.Serializable {

    public static final int PAD = 0;
    public static final int BOS = 1;
    public static final int EOS = 2;
    public static final int UNK = 3;
    public static final List<String> SPECIAL_TOKENS = List.of("<pad>", "<bos>", "<eos>", "<unk>");
    public static final int FIRST_BYTE_ID = 4;
    public static final int FIRST_LEARNED_ID = FIRST_BYTE_ID + 256;

    private static final List<String> RESERVED_TOKENS = reservedTokens();
    private static final Map<String, Integer> RESERVED_IDS = indexOf(RESERVED_TOKENS);

    private final List<String> tokens;
    private final Map<String, Integer> ids;

    private Vocabulary(List<String> tokens) {
        this.tokens = List.copyOf(tokens);
        this.ids = indexOf(this.tokens);
    }

    /** The reserved tokens followed by {@code learnedTokens}. */
    public static Vocabulary withLearnedTokens(List<String> learnedTokens) {
        List<String> all = new ArrayList<>(RESERVED_TOKENS);
        all.addAll(learnedTokens);
        return new Vocabulary(all);
    }

    /**
     * All tokens in id order, as {@link #tokens()} returns them.
     *
     * @throws IllegalArgumentException if the reserved tokens are not at their fixed ids or a token repeats
     */
    public static Vocabulary fromTokens(List<String> tokensInIdOrder) {
        if (tokensInIdOrder.size() < FIRST_LEARNED_ID
                || !tokensInIdOrder.subList(0, FIRST_LEARNED_ID).equals(RESERVED_TOKENS)) {
            throw new IllegalArgumentException("the first " + FIRST_LEARNED_ID
                    + " tokens must be " + SPECIAL_TOKENS + " and <0x00>..<0xFF> in order");
        }
        return new Vocabulary(tokensInIdOrder);
    }

    /** Whether {@code token} is the name of a special or byte token, which a learned token must never equal. */
    public static boolean isReservedToken(String token) {
        return RESERVED_IDS.containsKey(token);
    }

    public int size() {
        return tokens.size();
    }

    /** The id of {@code token}, or {@link #UNK} if the vocabulary lacks it. */
    public int id(String token) {
        return ids.getOrDefault(token, UNK);
    }

    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** @throws IllegalArgumentException if {@code id} is outside {@code [0, size())} */
    public String token(int id) {
        if (id < 0 || id >= tokens.size()) {
            throw new IllegalArgumentException("token id " + id + " outside vocabulary of size " + tokens.size());
        }
        return tokens.get(id);
    }

    public boolean isSpecial(int id) {
        return id >= 0 && id < FIRST_BYTE_ID;
    }

    public boolean isByte(int id) {
        return id >= FIRST_BYTE_ID && id < FIRST_LEARNED_ID;
    }

    /** The id of the byte-fallback token for {@code unsignedByte} (0..255). */
    public static int byteId(int unsignedByte) {
        return FIRST_BYTE_ID + unsignedByte;
    }

    /** The byte (0..255) a byte-fallback token stands for. */
    public static int byteValue(int byteId) {
        return byteId - FIRST_BYTE_ID;
    }

    /** All tokens in id order. */
    public List<String> tokens() {
        return tokens;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Vocabulary vocabulary && tokens.equals(vocabulary.tokens);
    }

    @Override
    public int hashCode() {
        return tokens.hashCode();
    }

    private static List<String> reservedTokens() {
        List<String> reserved = new ArrayList<>(SPECIAL_TOKENS);
        for (int b = 0; b < 256; b++) {
            reserved.add(String.format("<0x%02X>", b));
        }
        return Collections.unmodifiableList(reserved);
    }

    private static Map<String, Integer> indexOf(List<String> tokens) {
        Map<String, Integer> ids = new HashMap<>(tokens.size() * 2);
        for (int id = 0; id < tokens.size(); id++) {
            if (ids.putIfAbsent(tokens.get(id), id) != null) {
                throw new IllegalArgumentException("token '" + tokens.get(id) + "' appears twice in the vocabulary");
            }
        }
        return ids;
    }
}
