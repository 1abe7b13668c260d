"""User agents of browsers, apps and HTTP clients, recognised by ``ua-parser`` (the regexes
browsers' own analytics use): a product with a version (``Mozilla/5.0 (...)``, ``curl/8.5.0``)
whose browser, client, operating system or device ua-parser names.

>>> [is_user_agent(v) for v in ("Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0", "curl/8.5.0",
...  "Dalvik/2.1.0 (Linux; U; Android 11; SM-A515F Build/RP1A.200720.012)")]
[True, True, True]
>>> [is_user_agent(v) for v in ("/usr/local/bin/python3", "https://example.org/a/b",
...  "ACME-Widget/2.0", "v1.2.3", "2026/01/01")]
[False, False, False, False, False]
"""

from __future__ import annotations

import re
from functools import lru_cache

_SHAPE = re.compile(r"^[A-Za-z][\w.+-]{1,40}/\d[\w.]*(?:[ ;(]|$)")


@lru_cache(maxsize=65536)
def is_user_agent(value: str) -> bool:
    """Whether a value is a user agent that ua-parser recognises."""
    v = value.strip()
    if not _SHAPE.match(v) or len(v) > 1000:
        return False
    from ua_parser import parse  # its regexes load on first use (0.2 s)

    r = parse(v)
    named = [
        x.family
        for x in (r.user_agent, r.os, r.device)
        if x is not None and x.family not in ("Other", "Generic Feature Phone", "")
    ]
    return bool(named)
