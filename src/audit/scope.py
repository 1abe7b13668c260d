"""What a run covered: sources (never their URLs or credentials), datasets and engines, the
policy and config by name and hash, and the audit's version; written into ``findings.json``
(``run.scope``) and shown on the summary page.

>>> from audit.config import load_config
>>> s = describe(load_config("data_samples/audit.yml"))
>>> sorted(s["sources"][0]) == ["engine", "name"] and len(s["policy"]["sha256"]) == 64
True
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from . import __version__
from .config import AuditConfig


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _engine(cfg: AuditConfig, source: str) -> str:
    """The engine a source runs on, by kind and dialect (``sql: postgresql``), no URL."""
    src = cfg.sources[source]
    if src.kind == "sql":
        assert src.url is not None
        return "sql: " + src.url.split(":", 1)[0].split("+", 1)[0]
    if src.kind == "spark":
        master = src.spark_master
        return "spark (local)" if master.startswith("local") else "spark (cluster)"
    return "pandas (files)"


def describe(cfg: AuditConfig) -> dict[str, Any]:
    """The scope of a run of ``cfg``: no URL, path outside the config's name, or value."""
    policy = cfg.policy_path
    return {
        "sources": [{"name": n, "engine": _engine(cfg, n)} for n in cfg.sources],
        "datasets": [
            {"name": n, "source": d.source, "kind": d.kind, "engine": _engine(cfg, d.source)}
            for n, d in cfg.datasets.items()
        ],
        "policy": {
            "name": cfg.policy.name,
            "effective": str(cfg.policy.effective or ""),
            "file": policy.name,
            "sha256": file_sha256(policy),
        },
        "config": {"file": cfg.path.name, "sha256": file_sha256(cfg.path)},
        "reviews": (
            {
                "file": cfg.reviews_path.name,
                "sha256": file_sha256(cfg.reviews_path),
                "entries": len(cfg.reviews),
            }
            if cfg.reviews_path
            else None
        ),
        "version": __version__,
    }
