"""``make detect-bench``: the inventory's detection on the world's data, against Presidio.

Every column of the corpus (``corpus.py``: Faker and Mimesis, 17 locales, positives of every
category beside look-alikes) is classified by the inventory's classifier, table by table, in
both naming modes; per category: precision, recall and F1, and the macro F1. Presidio's
analyzer with its pattern, checksum and phone recognizers (a blank spaCy pipeline: no NER
model can be downloaded here) reads the same values, with the same column rule: a column
takes the category found in at least 60% of its values (free text: half its values are
sentences, and some hold a category). Presidio does not read column names, so its figures
are the same in both modes.

Also: the held-out locales (never looked at while tuning), and the inventory's cost per
sampled value.

Usage: ``python -m benchmarks.detect.bench [--values N] [--presidio-values N] [--no-presidio]``;
writes ``benchmarks/results-detect.json`` and the table between the markers of the
inventory's section of ``README.md``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from . import corpus

HERE = Path(__file__).resolve().parents[1]
MARKERS = ("<!-- detect results: start -->", "<!-- detect results: end -->")
SHARE = 0.6

Predict = Callable[[list[tuple[str, list[str]]]], list[str | None]]


def ours() -> Predict:
    """The inventory's classifier on one table: (name, sampled values) per column."""
    from audit import categories

    table = getattr(categories, "classify_table", None)

    def predict(cols: list[tuple[str, list[str]]]) -> list[str | None]:
        if table is not None:
            return [c.category for c in table(cols)]
        return [categories.classify(n, v).category for n, v in cols]

    return predict


#: Presidio's entities -> the inventory's categories (the rest name no category of ours)
PRESIDIO = {
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "CREDIT_CARD": "card_number",
    "IP_ADDRESS": "ip_address",
    "PERSON": "person_name",
    "LOCATION": "postal_address",
    **dict.fromkeys(
        (
            "US_SSN",
            "US_ITIN",
            "US_PASSPORT",
            "US_DRIVER_LICENSE",
            "UK_NHS",
            "UK_NINO",
            "ES_NIF",
            "ES_NIE",
            "IT_FISCAL_CODE",
            "IT_DRIVER_LICENSE",
            "IT_PASSPORT",
            "IT_IDENTITY_CARD",
            "PL_PESEL",
            "SG_NRIC_FIN",
            "SG_UEN",
            "AU_TFN",
            "AU_MEDICARE",
            "IN_PAN",
            "IN_AADHAAR",
            "IN_VOTER",
            "IN_PASSPORT",
            "FI_PERSONAL_IDENTITY_CODE",
            "KR_RRN",
            "TH_TNIN",
        ),
        "government_id",
    ),
}


def presidio(limit: int) -> tuple[Predict, str]:
    """Presidio's analyzer (pattern, checksum and phone recognizers), the same column rule."""
    import logging

    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)  # no network: its bundled list

    class Blank(SpacyNlpEngine):
        """A spaCy pipeline with no model: tokens only (no NER can be downloaded here)."""

        def __init__(self) -> None:
            super().__init__(models=[{"lang_code": "en", "model_name": "blank"}])

        def load(self) -> None:
            self.nlp = {"en": spacy.blank("en")}

    registry = RecognizerRegistry()
    registry.load_predefined_recognizers(languages=["en"])
    engine = AnalyzerEngine(nlp_engine=Blank(), registry=registry, supported_languages=["en"])
    import presidio_analyzer

    def found(value: str) -> set[str]:
        res = engine.analyze(text=value, language="en")
        return {PRESIDIO[r.entity_type] for r in res if r.entity_type in PRESIDIO}

    def predict(cols: list[tuple[str, list[str]]]) -> list[str | None]:
        return [
            column_rule([found(v) for v in values[:limit]], values[:limit]) for _, values in cols
        ]

    return predict, f"presidio-analyzer {presidio_analyzer.__version__}" if hasattr(
        presidio_analyzer, "__version__"
    ) else "presidio-analyzer"


def column_rule(per_value: list[set[str]], values: list[str]) -> str | None:
    """The category found in at least 60% of the values; else free text when half the values
    are sentences and some hold a category; else none."""
    n = len(values) or 1
    counts: dict[str, int] = {}
    for cats in per_value:
        for c in cats:
            counts[c] = counts.get(c, 0) + 1
    best = max(counts, key=lambda c: counts[c], default=None)
    if best is not None and counts[best] / n >= SHARE:
        return best
    text_like = sum(len(v) > 20 and " " in v for v in values) / n
    return "free_text" if counts and text_like >= 0.5 else None


def score(pairs: Iterable[tuple[str | None, str | None]], cats: Iterable[str]) -> dict[str, Any]:
    """Per category: precision, recall, F1 and the positive columns; the macro F1."""
    pairs = list(pairs)
    per: dict[str, dict[str, float]] = {}
    for c in cats:
        tp = sum(p == c and t == c for p, t in pairs)
        fp = sum(p == c and t != c for p, t in pairs)
        fn = sum(p != c and t == c for p, t in pairs)
        if tp + fn == 0:
            continue
        prec = tp / (tp + fp) if tp + fp else 1.0
        rec = tp / (tp + fn)
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[c] = {"precision": prec, "recall": rec, "f1": f1, "positives": tp + fn, "fp": fp}
    macro = sum(v["f1"] for v in per.values()) / len(per) if per else 0.0
    return {"per_category": per, "macro_f1": macro}


def evaluate(
    tables: list[list[corpus.Column]], predict: Predict, mode: str, limit: int | None = None
) -> tuple[dict[str, Any], float, int, list[dict[str, Any]]]:
    """Scores of one classifier in one naming mode; (scores, seconds, values, misses)."""
    pairs, misses = [], []
    seconds, values = 0.0, 0
    for table in tables:
        rng = __import__("random").Random(hash(table[0].table) % 1000)
        cols = [c for c in table if mode == "local" or c.kind not in corpus.NEED_A_NAME]
        if mode == "local" and cols[0].local_name is None:
            continue  # held-out languages without local names, and the extra look-alikes
        order = list(range(len(cols)))
        rng.shuffle(order)
        named = [
            ((c.local_name or "") if mode == "local" else f"c{order[i]:02d}", c.values[:limit])
            for i, c in enumerate(cols)
        ]
        t0 = time.perf_counter()
        got = predict(named)
        seconds += time.perf_counter() - t0
        values += sum(len(v) for _, v in named)
        for c, (name, _), p in zip(cols, named, got, strict=True):
            pairs.append((p, c.category))
            if p != c.category:
                misses.append({"table": c.table, "column": name, "kind": c.kind, "got": p})
    cats = [c for c in corpus.POSITIVES if mode == "local" or c not in corpus.NEED_A_NAME]
    return score(pairs, cats), seconds, values, misses


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--presidio-values", type=int, default=100)
    ap.add_argument("--no-presidio", action="store_true")
    ap.add_argument("--misses", action="store_true", help="print every misclassified column")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    main_tables, held = corpus.tables(), corpus.tables(held_out=True)
    print(
        f"corpus: {len(main_tables)} tables, held out {len(held)} ({time.perf_counter() - t0:.0f} s)",
        file=sys.stderr,
    )
    results: dict[str, Any] = {"values_per_column": corpus.VALUES, "tables": len(main_tables)}
    mine = ours()
    for mode in ("neutral", "local"):
        s, secs, n, misses = evaluate(main_tables, mine, mode)
        results[f"ours_{mode}"] = s
        results[f"ours_{mode}_us_per_value"] = 1e6 * secs / n
        results[f"ours_{mode}_misses"] = misses
        hs, _, _, hmiss = evaluate(held, mine, mode)
        results[f"held_out_{mode}"] = hs
        results[f"held_out_{mode}_misses"] = hmiss
        if args.misses:
            for m in misses:
                print(mode, json.dumps(m, ensure_ascii=False))
    if not args.no_presidio:
        peer, version = presidio(args.presidio_values)
        s, secs, n, _ = evaluate(main_tables, peer, "neutral", args.presidio_values)
        results["presidio"] = s
        results["presidio_version"] = version
        results["presidio_values_per_column"] = args.presidio_values
        results["presidio_us_per_value"] = 1e6 * secs / n
    (HERE / "results-detect.json").write_text(json.dumps(results, indent=1, ensure_ascii=False))
    write_tables(results, " ".join(["python -m benchmarks.detect.bench", *(argv or sys.argv[1:])]))
    for mode in ("neutral", "local"):
        print(mode, "macro F1", round(results[f"ours_{mode}"]["macro_f1"], 3), file=sys.stderr)
    return 0


def write_tables(r: dict[str, Any], command: str) -> None:
    cats = list(corpus.POSITIVES)
    lines = [
        f"Measured with `{command}`: {r['tables']} tables of {r['values_per_column']} values a "
        "column (Faker in 17 locales, Mimesis in 16), every column classified from all its values.",
        "",
        "| category | ours, neutral names: P / R / F1 | ours, local names: P / R / F1 | "
        "Presidio (values only): P / R / F1 | held out, local names: P / R / F1 |",
        "|---|---|---|---|---|",
    ]

    def cell(s: dict[str, Any] | None, c: str) -> str:
        if not s or c not in s["per_category"]:
            return "-"
        v = s["per_category"][c]
        return f"{v['precision']:.2f} / {v['recall']:.2f} / {v['f1']:.2f}"

    for c in cats:
        lines.append(
            f"| {c} | {cell(r['ours_neutral'], c)} | {cell(r['ours_local'], c)} | "
            f"{cell(r.get('presidio'), c)} | {cell(r['held_out_local'], c)} |"
        )
    lines.append(
        f"| **macro F1** | **{r['ours_neutral']['macro_f1']:.3f}** | "
        f"**{r['ours_local']['macro_f1']:.3f}** | "
        f"**{r['presidio']['macro_f1']:.3f}** | **{r['held_out_local']['macro_f1']:.3f}** |"
        if "presidio" in r
        else f"| **macro F1** | **{r['ours_neutral']['macro_f1']:.3f}** | "
        f"**{r['ours_local']['macro_f1']:.3f}** | - | **{r['held_out_local']['macro_f1']:.3f}** |"
    )

    def fps(s: dict[str, Any] | None) -> int:
        return sum(int(v["fp"]) for v in (s or {"per_category": {}})["per_category"].values())

    lines += [
        "",
        f"- false-positive columns (a look-alike or another category's column given the category): "
        f"ours **{fps(r['ours_neutral'])}** (neutral), **{fps(r['ours_local'])}** (local)"
        + (f", Presidio **{fps(r['presidio'])}**" if "presidio" in r else ""),
        f"- held out, neutral names: macro F1 **{r['held_out_neutral']['macro_f1']:.3f}**",
        f"- cost per sampled value, ours: **{r['ours_neutral_us_per_value']:.0f} µs** (neutral), "
        f"**{r['ours_local_us_per_value']:.0f} µs** (local)"
        + (
            f"; Presidio: **{r['presidio_us_per_value']:.0f} µs** "
            f"({r['presidio_values_per_column']} values a column)"
            if "presidio" in r
            else ""
        ),
        "- organisation and card_security_code columns are scored with local names only: no "
        "value tells a 3-digit code or a company name without a legal form from other values.",
    ]
    readme = HERE.parent / "README.md"
    text = readme.read_text()
    start, end = MARKERS
    block = start + "\n" + "\n".join(lines) + "\n" + end
    text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    readme.write_text(text)


if __name__ == "__main__":
    raise SystemExit(main())
