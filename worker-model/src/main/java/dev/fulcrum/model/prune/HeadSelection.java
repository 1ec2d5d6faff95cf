package dev.fulcrum.model.prune;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.fulcrum.model.prune.HeadGates.Head;
import dev.fulcrum.model.transformer.HeadPlan;

/**
 * The heads a pruned model keeps: every head whose gate is open, less the least open ones a
 * {@link PruningRule}'s budget removes.
 *
 * @param headsPerLayer heads each layer had before pruning
 * @param kept          layer → indices of the heads kept, ascending, every layer in graph order; an empty list
 *                      means the whole layer was removed
 */
public record HeadSelection(int headsPerLayer, Map<String, List<Integer>> kept) {
    private static final Comparator<Head> MOST_OPEN_FIRST = Comparator.comparingDouble(Head::logAlpha).reversed()
            .thenComparingInt(Head::layerIndex).thenComparingInt(Head::index);

    public HeadSelection {
        Map<String, List<Integer>> copy = new LinkedHashMap<>();
        kept.forEach((layer, heads) -> copy.put(layer, List.copyOf(heads)));
        kept = Collections.unmodifiableMap(copy);
    }

    /** The heads of {@code gates} that {@code rule} keeps. */
    public static HeadSelection choose(HeadGates gates, PruningRule rule) {
        List<Head> open = gates.heads().stream().filter(head -> !head.closed()).toList();
        int headsPerLayer = gates.heads().size() / gates.layers().size();
        List<Head> kept = switch (rule.scope()) {
            case GLOBAL -> mostOpen(open, rule.allowed(gates.heads().size()));
            case LAYER -> gates.layers().stream()
                    .flatMap(layer -> mostOpen(open.stream().filter(head -> head.layer().equals(layer)).toList(),
                            rule.allowed(headsPerLayer)).stream())
                    .toList();
        };
        Map<String, List<Integer>> byLayer = new LinkedHashMap<>();
        for (String layer : gates.layers()) {
            byLayer.put(layer, kept.stream().filter(head -> head.layer().equals(layer)).map(Head::index).sorted()
                    .collect(Collectors.toList()));
        }
        return new HeadSelection(headsPerLayer, byLayer);
    }

    /** One entry per layer, so that no layer of the pruned model stays gated; a layer with none kept is 0. */
    public HeadPlan headPlan() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        kept.forEach((layer, heads) -> counts.put(layer, heads.size()));
        return new HeadPlan(counts);
    }

    /** Heads kept over all layers. */
    public int keptTotal() {
        return kept.values().stream().mapToInt(List::size).sum();
    }

    private static List<Head> mostOpen(List<Head> heads, int allowed) {
        return heads.stream().sorted(MOST_OPEN_FIRST).limit(allowed).toList();
    }
}
