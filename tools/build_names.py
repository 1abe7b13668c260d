"""Build ``src/audit/data/names.tsv.gz``: the given names and surnames the person-name
detector knows, from the names-dataset package (its data: first and last names with their
rank per country, 105 countries).

The package loads 1.9 GB into memory and takes 10 s, too much for every notebook kernel; this
keeps the names ranked within the top ``TOP`` of some country (about 190,000), case-folded,
in a small file. Run it in a throwaway environment:

    python -m venv /tmp/nd && /tmp/nd/bin/pip install names-dataset==3.3.1
    /tmp/nd/bin/python tools/build_names.py

Each line: ``name<TAB>kinds`` where kinds holds ``g`` (a given name), ``s`` (a surname), in
upper case where the name ranks in the top ``COMMON`` of some country.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from names_dataset import NameDataset

TOP = 2500
#: names this common in some country are marked upper-case (G, S): one alone is evidence
COMMON = 500
OUT = Path(__file__).resolve().parents[1] / "src" / "audit" / "data" / "names.tsv.gz"


def best_rank(name: str, info: dict) -> int | None:
    """The name's best rank in any country, when it is a word of letters of two or more."""
    ranks = [r for r in (info.get("rank") or {}).values() if r]
    bare = name.replace("-", "").replace("'", "")
    return min(ranks) if ranks and len(bare) >= 2 and bare.isalpha() else None


def main() -> None:
    nd = NameDataset()
    kinds: dict[str, set[str]] = {}
    for table, kind in ((nd.first_names, "g"), (nd.last_names, "s")):
        for name, info in table.items():
            rank = best_rank(name, info)
            if rank is not None and rank <= TOP:
                kinds.setdefault(name.casefold(), set()).add(
                    kind.upper() if rank <= COMMON else kind
                )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{n}\t{''.join(sorted(k))}" for n, k in sorted(kinds.items())]
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write(
            f"# given names (g) and surnames (s) ranked in the top {TOP} of a country (upper"
            f" case: top {COMMON}) by the\n"
        )
        fh.write("# names-dataset package 3.3.1 (Apache-2.0); built by tools/build_names.py\n")
        fh.write("\n".join(lines) + "\n")
    print(f"{len(lines)} names -> {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
