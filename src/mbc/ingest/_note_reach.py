"""How far a note's words bear on a mention: bounds that keep reading linear in the note's length.

Found by benchmarks/bench_robust.py (session 9): a note written as one line, or as one run-on
"sentence", made several stages quadratic (a receptor result searched its whole line for specimen
words, a negation cue scanned to the next terminator however far, ConText paired every modifier of
a sentence with every other one).
"""

from __future__ import annotations

__all__ = ["REACH", "bounded"]

REACH = 600  # characters either side of a mention that bear on it (its line, a negated list)


def bounded(sents: list[tuple[int, int]], text: str, limit: int) -> list[tuple[int, int]]:
    """Sentences longer than ``limit`` characters cut at their last clause break (else space)
    before it, for ConText only (the sentences the other stages see are whole).

    ConText pairs each modifier of a sentence with each other one, so a "sentence" of thousands
    of characters (a number dump, a list run together without a full stop) cost quadratic time.
    """
    out: list[tuple[int, int]] = []
    for a, b in sents:
        while b - a > limit:
            piece = text[a : a + limit]
            cut = max(piece.rfind(";"), piece.rfind(","))
            if cut < limit // 2:
                cut = piece.rfind(" ")
            cut = cut + 1 if cut > 0 else limit
            out.append((a, a + cut))
            a += cut
        out.append((a, b))
    return out
