package dev.fulcrum.model.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VocabularyTest {

    private final Vocabulary vocabulary = Vocabulary.withLearnedTokens(List.of("▁", "a", "▁a"));

    @Test
    void specialTokensHaveFixedIds() {
        assertEquals(0, Vocabulary.PAD);
        assertEquals(1, Vocabulary.BOS);
        assertEquals(2, Vocabulary.EOS);
        assertEquals(3, Vocabulary.UNK);
        assertEquals("<pad>", vocabulary.token(Vocabulary.PAD));
        assertEquals("<bos>", vocabulary.token(Vocabulary.BOS));
        assertEquals("<eos>", vocabulary.token(Vocabulary.EOS));
        assertEquals("<unk>", vocabulary.token(Vocabulary.UNK));
        assertTrue(vocabulary.isSpecial(Vocabulary.UNK));
        assertFalse(vocabulary.isSpecial(Vocabulary.FIRST_BYTE_ID));
    }

    @Test
    void byteTokensFollowTheSpecialsThenLearnedTokens() {
        assertEquals("<0x00>", vocabulary.token(4));
        assertEquals("<0xFF>", vocabulary.token(259));
        assertEquals(4 + 0x41, Vocabulary.byteId(0x41));
        assertEquals(0x41, Vocabulary.byteValue(Vocabulary.byteId(0x41)));
        assertTrue(vocabulary.isByte(259));
        assertEquals(260, vocabulary.id("▁"));
        assertEquals(263, vocabulary.size());
    }

    @Test
    void unknownTokenMapsToUnk() {
        assertEquals(Vocabulary.UNK, vocabulary.id("never seen"));
        assertFalse(vocabulary.contains("never seen"));
    }

    @Test
    void outOfRangeIdIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> vocabulary.token(263));
        assertThrows(IllegalArgumentException.class, () -> vocabulary.token(-1));
    }

    @Test
    void fromTokensRequiresTheReservedPrefixAndUniqueTokens() {
        List<String> tokens = new ArrayList<>(vocabulary.tokens());
        assertEquals(vocabulary, Vocabulary.fromTokens(tokens));
        tokens.add("a");
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.fromTokens(tokens));
        List<String> swapped = new ArrayList<>(vocabulary.tokens());
        swapped.set(0, "<bos>");
        swapped.set(1, "<pad>");
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.fromTokens(swapped));
    }
}
