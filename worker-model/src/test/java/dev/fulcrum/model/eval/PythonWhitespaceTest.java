package dev.fulcrum.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PythonWhitespaceTest {

    @Test
    void whitespaceIsExactlyWhatPythonStrIsspaceAccepts() {
        // [c for c in range(sys.maxunicode + 1) if chr(c).isspace()] in Python 3.11
        List<Integer> python = List.of(0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680,
                0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028,
                0x2029, 0x202f, 0x205f, 0x3000);
        List<Integer> java = IntStream.rangeClosed(0, Character.MAX_CODE_POINT)
                .filter(PythonWhitespace::isWhitespace).boxed().toList();
        assertEquals(python, java);
    }

    @Test
    void splitDropsEmptyWordsLikePythonSplit() {
        assertEquals(List.of("a", "b\ud83d\ude00", "c"), PythonWhitespace.split(" \ta\u00a0 b\ud83d\ude00\u3000c\n"));
        assertEquals(List.of(), PythonWhitespace.split(" \u2029 "));
    }

    @Test
    void stripTrailingKeepsLeadingWhitespace() {
        assertEquals("  a b", PythonWhitespace.stripTrailing("  a b \u00a0\n"));
        assertEquals("", PythonWhitespace.stripTrailing("\u0085"));
    }

    @Test
    void removeJoinsTheWords() {
        assertEquals("abc", PythonWhitespace.remove("a b\u202fc "));
    }
}
