"""Memory freed by the audit kept for its next allocation, not handed back to the system.

An audit allocates and frees column-sized blocks (a trimmed copy of a 10 M-value column,
a mask, a parsed time) all run long. By default glibc's ``malloc`` maps each large block
afresh and unmaps it when freed, and Arrow's allocator hands freed pages back too, so every
such block is new memory the kernel must fault in and zero: on the 2-core machines here,
28 % of a W10 checks phase was the kernel zeroing pages (``perf``: ``clear_page_erms``),
and the system time was half the user time. :func:`keep_freed` makes glibc serve every block
from its heap and keep what is freed, and Arrow allocate through it; :func:`give_back`
returns what a process holds free (the runner, once its share is handed over).

Freed memory is reused, so the peak a process reaches is about what it uses at its busiest,
as before; it is not returned in between. Elsewhere than glibc (macOS, musl) nothing changes.

>>> keep_freed() in (True, False)
True
"""

from __future__ import annotations

import ctypes
import sys
from functools import cache

#: ``mallopt`` parameters (glibc's malloc.h)
M_TRIM_THRESHOLD = -1
M_MMAP_MAX = -4
#: free memory at the top of the heap kept rather than trimmed (``mallopt`` takes an int)
KEEP_BYTES = 2**31 - 1


@cache
def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc (musl names its C library otherwise)
        return None
    return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None


@cache
def keep_freed() -> bool:
    """Serve large blocks from the heap and keep freed memory (glibc), and have Arrow
    allocate through ``malloc``; whether it applied. Called once per process, before the
    audit reads data: blocks allocated before keep their own way."""
    libc = _glibc()
    if libc is None:
        return False
    if not (libc.mallopt(M_MMAP_MAX, 0) and libc.mallopt(M_TRIM_THRESHOLD, KEEP_BYTES)):
        return False
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())
    return True


def give_back() -> None:
    """Return the free memory of the heap to the system (glibc; nothing elsewhere)."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
