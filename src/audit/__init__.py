"""Privacy audit notebooks: check stored personal data against a privacy policy."""

import sys

__version__ = "0.1.0"

# jsonschema (imported by great-expectations through altair, and by nbformat) registers an
# IRI format checker from rfc3987_syntax when it can import it, which builds a grammar on
# import: 1.6 s of the 5 s that importing great-expectations takes here. Nothing the audit
# runs validates IRIs, so the checker is left out (jsonschema skips it on ImportError).
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
