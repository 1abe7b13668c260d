"""Reading the YAML files a user writes (config, policy, reviews): every way they can fail
is one ConfigError that names the file and what to do.

>>> from pathlib import Path
>>> read(Path("/nonexistent.yml"), "reviews")
Traceback (most recent call last):
...
audit.errors.ConfigError: /nonexistent.yml: reviews file not found; check the path
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError


def read(path: Path, what: str, missing: str = "check the path") -> Any:
    """The parsed YAML of ``path`` (a ``what`` file); ``missing``: the remedy when it does
    not exist."""
    if not path.is_file():
        raise ConfigError(str(path), None, f"{what} file not found", missing)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(e, "problem", None) or "invalid YAML"
        raise ConfigError(
            str(path), None, f"{line}YAML syntax error: {problem}", "fix the YAML"
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(str(path), None, "not UTF-8 text", "save it as UTF-8 YAML") from None
