package dev.fulcrum.model.text;

import java.util.Random;

/** Random strings over everything that could trip a tokenizer: scripts, emoji, marks, controls, odd spaces. */
final class RandomText {

    private static final String[] POOLS = {
        "abcdefghijklmnopqrstuvwxyz ABCXYZ 0123456789",
        ".,;:!?'\"()[]{}<>-_/\\@#%&*+=~|$€«»…",
        "éèêëàâäîïôöùûüçœæÉÀÇ",
        "\u0301\u0300\u0308\u0327\u20DD", // combining marks
        "漢字仮名交じり文한국어",
        "😀🎉👍🏽👨‍👩‍👧\uD83C\uDDEB\uD83C\uDDF7", // emoji, skin tone, ZWJ family, flag
        "\t\n\r \u00A0\u2009\u202F\u3000\u2028\u000B\u000C", // white space of all kinds
        "\u0000\u0001\u0007\u001B\u007F\u0085\u200B\u200D\uFEFF", // controls and invisible formats
        "\u2581▁", // the word-start marker as literal text
        "<pad><unk><0x41>",
        "\uD800\uDFFF", // halves of surrogate pairs, which may end up lone
    };

    private RandomText() {
    }

    static String of(Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            if (random.nextInt(10) == 0) {
                text.appendCodePoint(anyCodePoint(random));
            } else {
                String pool = POOLS[random.nextInt(POOLS.length)];
                text.append(pool.charAt(random.nextInt(pool.length())));
            }
        }
        return text.toString();
    }

    private static int anyCodePoint(Random random) {
        int codePoint = random.nextInt(Character.MAX_CODE_POINT + 1);
        return Character.getType(codePoint) == Character.SURROGATE ? 'x' : codePoint;
    }
}
