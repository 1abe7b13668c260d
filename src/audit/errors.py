"""The errors a user can fix: each renders as one line naming the place and the remedy."""

from __future__ import annotations


class AuditError(Exception):
    """Base class of errors the user can fix; ``str()`` is the one line shown on stderr."""


class ConfigError(AuditError):
    """A usage, config or policy error: exit code 2.

    >>> str(ConfigError("audit.yml", "datasets.users.kind", "unknown kind 'acount'", "use one of: accounts"))
    "audit.yml: datasets.users.kind: unknown kind 'acount'; use one of: accounts"
    """

    def __init__(self, file: str, key: str | None, problem: str, remedy: str = "") -> None:
        self.file, self.key, self.problem, self.remedy = file, key, problem, remedy
        where = f"{file}: {key}: " if key else f"{file}: "
        super().__init__(where + problem + (f"; {remedy}" if remedy else ""))


class RunFailed(AuditError):
    """The run itself failed (a notebook raised, a kernel died): exit code 3."""


class KernelFailed(AuditError):
    """The notebooks' kernel stopped before it answered, or never answered: the run stops
    there, with exit code 2 and no run published (unlike :class:`RunFailed`, where a
    notebook ran to its error and the failed run is published).

    >>> str(KernelFailed("the notebooks' kernel stopped before it answered"))
    "the notebooks' kernel stopped before it answered"
    """
