"""Texts that every match of a regular expression contains: needles for a scan.

A database finds a fixed text in a value far faster than it runs an unanchored regular
expression over it (PostgreSQL, the W10 log's five text columns, one core: the secret
pattern 39.3 s, the same pattern behind a search for ``sk_`` 4.2 s). A scan that keeps the
pattern for the values that contain one of its needles counts exactly what the pattern alone
counts: a value without any of them cannot match.

>>> sorted(needles(r"sk_(?:live|test)_[A-Za-z0-9]{16,}"))
['sk_live_', 'sk_test_']
>>> needles(r"(?i)sk_live") is None
True
"""

from __future__ import annotations

from re import IGNORECASE
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

#: at most this many alternative texts are carried through a pattern
WIDEST = 16


def needles(pattern: str) -> frozenset[str] | None:
    """Texts of which every match of ``pattern`` contains at least one; None when no such
    text is known (a case-insensitive pattern, or a pattern with no fixed text in every
    match). The longest sure texts are chosen: the shortest of a set is as long as can be.

    >>> needles(r"AKIA[0-9A-Z]{16}")
    frozenset({'AKIA'})
    >>> needles(r"[0-9]{13,19}") is None
    True
    >>> sorted(needles(r"ghp_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,}"))
    ['ghp_', 'github_pat_']
    >>> needles(r"ghp_[A-Za-z0-9]{36}|[0-9]{16}") is None
    True
    >>> sorted(needles(r"x[ab]y"))
    ['xay', 'xby']
    >>> needles(r"a(?i:b)cd")
    frozenset({'cd'})
    """
    try:
        parsed = sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001 - not a pattern this reader knows: no needles
        return None
    if parsed.state.flags & IGNORECASE:
        return None
    return _sure(list(parsed))


def needles_of_any(patterns: list[str]) -> frozenset[str] | None:
    """Texts of which every match of any of ``patterns`` contains one; None when one of the
    patterns has none.

    >>> sorted(needles_of_any([r"AKIA[0-9A-Z]{16}", r"sk_live_[0-9a-z]{24}"]))
    ['AKIA', 'sk_live_']
    >>> needles_of_any([r"AKIA[0-9A-Z]{16}", r"[0-9a-f]{40}"]) is None
    True
    """
    found = [needles(p) for p in patterns]
    if not found or any(f is None for f in found):
        return None
    return frozenset().union(*found)  # type: ignore[arg-type]


def _sure(items: list[Any]) -> frozenset[str] | None:
    """The best set of texts one of which every match of the sequence ``items`` contains."""
    best: frozenset[str] | None = None
    run: frozenset[str] = frozenset({""})

    def better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
        if not b or "" in b:
            return a
        if a is None:
            return b
        return b if (min(map(len, b)), -len(b)) > (min(map(len, a)), -len(a)) else a

    for op, arg in items:
        exact = _exact(op, arg)
        if exact is not None and len(run) * len(exact) <= WIDEST:
            run = frozenset(r + e for r in run for e in exact)
            continue
        if op == sre.AT:  # zero-width: ^, $, \b do not part the texts around them
            continue
        if op == sre.BRANCH:
            # the texts so far joined to each alternative's fixed start ("g" + "hp_" or
            # "ithub_pat_": Python's parser takes a shared first letter out of alternatives)
            starts = frozenset().union(*(_fixed_start(list(a))[0] for a in arg[1]))
            if len(run) * len(starts) <= WIDEST:
                best = better(best, frozenset(r + s for r in run for s in starts))
        best = better(best, run)
        run = frozenset({""})
        if op == sre.BRANCH:
            alternatives = [_sure(list(a)) for a in arg[1]]
            if all(alternatives):
                best = better(best, frozenset().union(*alternatives))  # type: ignore[arg-type]
        elif op == sre.SUBPATTERN and not arg[1] & IGNORECASE:
            best = better(best, _sure(list(arg[3])))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and arg[0] >= 1:
            best = better(best, _sure(list(arg[2])))
    return better(best, run)


def _exact(op: Any, arg: Any) -> frozenset[str] | None:
    """Every text one item can match, when it is a few fixed texts (a character, a small set
    of characters, a group or alternatives of fixed texts); else None."""
    if op == sre.LITERAL:
        return frozenset({chr(arg)}) if arg else None
    if op == sre.IN:
        chars = [chr(a) for o, a in arg if o == sre.LITERAL and a]
        return frozenset(chars) if len(chars) == len(arg) and len(chars) <= 4 else None
    if op == sre.SUBPATTERN and not arg[1] & IGNORECASE:
        return _exact_sequence(list(arg[3]))
    if op == sre.BRANCH:
        parts = [_exact_sequence(list(a)) for a in arg[1]]
        if all(p is not None for p in parts):
            union = frozenset().union(*parts)  # type: ignore[arg-type]
            return union if len(union) <= WIDEST else None
    return None


def _exact_sequence(items: list[Any]) -> frozenset[str] | None:
    """Every text a sequence can match, when it is a few fixed texts; else None."""
    texts, whole = _fixed_start(items)
    return texts if whole else None


def _fixed_start(items: list[Any]) -> tuple[frozenset[str], bool]:
    """The texts the fixed start of a sequence can match, and whether it is the whole."""
    out: frozenset[str] = frozenset({""})
    for op, arg in items:
        one = _exact(op, arg)
        if one is None or len(out) * len(one) > WIDEST:
            return out, False
        out = frozenset(a + b for a in out for b in one)
    return out, True
