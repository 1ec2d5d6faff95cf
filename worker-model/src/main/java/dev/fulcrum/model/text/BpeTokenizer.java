package dev.fulcrum.model.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Encodes text to token ids and back with a {@link BpeModel}. Thread-safe.
 *
 * <p>Lossless: {@code decode(encode(s))} equals {@link PreTokenizer#normalize(String) normalize(s)} for every
 * string, whatever characters it holds, because characters without a token are encoded as their UTF-8 bytes.
 */
public final class BpeTokenizer {

    /** Past this many distinct pre-tokens, new ones are encoded without caching, bounding the cache's memory. */
    private static final int MAX_CACHED_PRE_TOKENS = 200_000;
    /** What an {@code <unk>} id decodes to; encoding never produces one, only a model can. */
    private static final String UNKNOWN_SURFACE = "\u2047";

    private final Vocabulary vocabulary;
    private final Map<Long, Integer> rankOfPair = new HashMap<>();
    private final long[] pairOfRank;
    private final int[] resultOfRank;
    private final String[] surfaceOfId;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    public BpeTokenizer(BpeModel model) {
        vocabulary = model.vocabulary();
        List<Merge> merges = model.merges();
        pairOfRank = new long[merges.size()];
        resultOfRank = new int[merges.size()];
        for (int rank = 0; rank < merges.size(); rank++) {
            Merge merge = merges.get(rank);
            pairOfRank[rank] = Symbols.pair(vocabulary.id(merge.left()), vocabulary.id(merge.right()));
            resultOfRank[rank] = vocabulary.id(merge.result());
            rankOfPair.putIfAbsent(pairOfRank[rank], rank);
        }
        surfaceOfId = new String[vocabulary.size()];
        for (int id = 0; id < surfaceOfId.length; id++) {
            surfaceOfId[id] = surface(id);
        }
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** The token ids of {@code text}, normalised first; no {@code <bos>}/{@code <eos>} added. */
    public int[] encode(String text) {
        IntList ids = new IntList(text.length());
        for (String preToken : PreTokenizer.preTokens(text)) {
            ids.addAll(encodePreToken(preToken));
        }
        return ids.toArray();
    }

    /** A sentence pair as training and evaluation take it: {source ids, target ids}, no specials. */
    public int[][] encodePair(String source, String target) {
        return new int[][] {encode(source), encode(target)};
    }

    /** The text of {@code ids}; {@code <pad>}, {@code <bos>} and {@code <eos>} are skipped. */
    public String decode(int[] ids) {
        StringBuilder text = new StringBuilder();
        ByteArrayOutputStream pendingBytes = new ByteArrayOutputStream();
        for (int id : ids) {
            if (id < 0 || id >= surfaceOfId.length) {
                throw new IllegalArgumentException("token id " + id + " outside vocabulary of size " + surfaceOfId.length);
            }
            if (vocabulary.isByte(id)) {
                pendingBytes.write(Vocabulary.byteValue(id));
            } else {
                appendBytes(pendingBytes, text);
                text.append(surfaceOfId[id]);
            }
        }
        appendBytes(pendingBytes, text);
        boolean startsWithWordSpace = text.length() > 0 && text.charAt(0) == ' ';
        return startsWithWordSpace ? text.substring(1) : text.toString();
    }

    private int[] encodePreToken(String preToken) {
        int[] cached = cache.get(preToken);
        if (cached != null) {
            return cached;
        }
        int[] ids = applyMerges(Symbols.initial(preToken, vocabulary::id));
        if (cache.size() < MAX_CACHED_PRE_TOKENS) {
            cache.put(preToken, ids);
        }
        return ids;
    }

    private int[] applyMerges(int[] symbols) {
        for (int rank = lowestRank(symbols); rank >= 0; rank = lowestRank(symbols)) {
            long pair = pairOfRank[rank];
            symbols = Symbols.replacePair(symbols, Symbols.left(pair), Symbols.right(pair), resultOfRank[rank]);
        }
        return symbols;
    }

    /** The lowest merge rank among the adjacent pairs of {@code symbols}, or -1 if no merge applies. */
    private int lowestRank(int[] symbols) {
        int lowest = -1;
        for (int i = 0; i + 1 < symbols.length; i++) {
            Integer rank = rankOfPair.get(Symbols.pair(symbols[i], symbols[i + 1]));
            if (rank != null && (lowest < 0 || rank < lowest)) {
                lowest = rank;
            }
        }
        return lowest;
    }

    private String surface(int id) {
        if (vocabulary.isSpecial(id)) {
            return id == Vocabulary.UNK ? UNKNOWN_SURFACE : "";
        }
        return vocabulary.token(id).replace(PreTokenizer.WORD_START, ' ');
    }

    private static void appendBytes(ByteArrayOutputStream pendingBytes, StringBuilder text) {
        if (pendingBytes.size() > 0) {
            text.append(pendingBytes.toString(StandardCharsets.UTF_8));
            pendingBytes.reset();
        }
    }
}
