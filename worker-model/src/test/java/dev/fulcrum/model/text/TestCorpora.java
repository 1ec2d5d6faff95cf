package dev.fulcrum.model.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small inline corpora and synthetic word counts for the tokenizer tests. */
final class TestCorpora {

    static final List<String> SENTENCES = List.of(
            "The file could not be saved because the disk is full.",
            "Le fichier n'a pas pu être enregistré car le disque est plein.",
            "Click Save to keep your changes.",
            "Cliquez sur Enregistrer pour conserver vos modifications.",
            "Do you want to delete the selected files?",
            "Voulez-vous supprimer les fichiers sélectionnés ?",
            "The selected file has been deleted.",
            "Le fichier sélectionné a été supprimé.",
            "Open the settings to change the language.",
            "Ouvrez les paramètres pour changer la langue.",
            "Your changes have been saved.",
            "Vos modifications ont été enregistrées.",
            "An error occurred while opening the file.",
            "Une erreur s'est produite lors de l'ouverture du fichier.",
            "Downloading 3 of 12 files…",
            "Téléchargement de 3 fichiers sur 12…",
            "Settings saved at 10:45 (UTC+1).",
            "Paramètres enregistrés à 10:45 (UTC+1).");

    private static final String[] SYLLABLES = {
        "ka", "to", "ri", "mu", "sen", "la", "po", "ve", "dri", "an", "el", "or", "qui", "zu", "bra", "te",
        "mon", "is", "ga", "lu", "fer", "ni", "sto", "ha", "ce", "ju", "pla", "ro", "di", "wen", "ok", "ésa"};

    private TestCorpora() {
    }

    /** Sentences repeated so that every character and frequent pair clears the learner's thresholds. */
    static List<String> repeatedSentences(int times) {
        List<String> repeated = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            repeated.addAll(SENTENCES);
        }
        return repeated;
    }

    /** {@code distinctWords} syllable words, each marked as a word start, with Zipf-like counts. */
    static Map<String, Long> syntheticWordCounts(int distinctWords, long seed) {
        Random random = new Random(seed);
        Map<String, Long> counts = new HashMap<>();
        while (counts.size() < distinctWords) {
            StringBuilder word = new StringBuilder().append(PreTokenizer.WORD_START);
            int syllables = 1 + random.nextInt(5);
            for (int s = 0; s < syllables; s++) {
                word.append(SYLLABLES[(int) Math.floor(Math.pow(random.nextDouble(), 2) * SYLLABLES.length)]);
            }
            counts.putIfAbsent(word.toString(), 1L + 200_000L / (counts.size() + 1));
        }
        return counts;
    }
}
