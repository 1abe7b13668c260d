"""The unit of the audit's fixed costs: one ``import great_expectations``, from a file.

(With pyspark installed, ``python -c "import great_expectations"`` exits at once without
importing: pyspark takes over ``-c`` for its doctests. So the unit is timed from this file.)
"""

import great_expectations  # noqa: F401
