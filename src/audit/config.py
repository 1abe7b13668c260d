"""The config and policy models, loaded from YAML in one place; every error names file and key.

>>> load_policy(DEFAULT_POLICY).minimum_age.value
13
"""

from __future__ import annotations

import difflib
import os
import re
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .errors import ConfigError
from .limits import SAMPLE_SIZE
from .reviews import Review
from .reviews import load as load_reviews
from .timeutil import Period, parse_as_of
from .yamlfile import read as read_yaml

DEFAULT_POLICY = Path(__file__).parent / "policies" / "spectra.yml"
SEVERITIES = ("critical", "high", "medium", "low", "info")

#: The roles each dataset kind may map (SPEC §3).
KIND_ROLES: dict[str, tuple[str, ...]] = {
    "accounts": ("date_of_birth", "age", "minor_flag", "created_at", "closed_at"),
    "usage_log": ("event_time",),
    "api_keys": ("secret", "created_at", "revoked_at", "compromised_at"),
    "payments": ("card_number", "card_security_code"),
    "rights_requests": ("request_type", "received_at", "completed_at"),
    "disclosures": ("recipient", "purpose", "disclosed_at"),
    "consents": ("consent_type", "granted_at", "withdrawn_at"),
    "cookie_events": ("cookie_category", "event_time"),
    "other": (),
}
_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------- policy


class Clause(_Model):
    heading: str
    text: str = ""
    checks: list[str] = Field(default_factory=list)
    attestation: str | None = None


class Interpreted(_Model):
    """A number the policy states, or one we read into it (``interpretation: true``)."""

    value: int
    interpretation: bool = False
    reason: str | None = None


class RetentionRule(_Model):
    period: Period
    from_: str = Field(alias="from")
    interpretation: bool = False
    reason: str | None = None

    @field_validator("period", mode="before")
    @classmethod
    def _period(cls, v: Any) -> Period:
        return v if isinstance(v, Period) else Period.parse(str(v))


class Rights(_Model):
    response_days: int = 30
    interpretation: bool = False
    reason: str | None = None
    request_type_aliases: dict[str, str] = Field(default_factory=dict)
    deletion_exempt_kinds: list[str] = Field(default_factory=list)


class Credentials(_Model):
    revoke_within_hours: int = 24
    interpretation: bool = False
    reason: str | None = None
    secret_patterns: list[str] = Field(
        default_factory=lambda: [r"sk_(?:live|test)_[A-Za-z0-9]{16,}"]
    )

    @field_validator("secret_patterns")
    @classmethod
    def _compiles(cls, v: list[str]) -> list[str]:
        for p in v:
            try:
                re.compile(p)
            except re.error as e:
                raise ValueError(f"pattern {p!r} is not a regular expression ({e})") from e
        return v


class Sharing(_Model):
    approved_recipients: list[str] = Field(default_factory=list)
    prohibited_purposes: list[str] = Field(default_factory=lambda: ["sale"])


class Cookies(_Model):
    consent_required: list[str] = Field(default_factory=lambda: ["analytics"])
    interpretation: bool = False
    reason: str | None = None


class Policy(_Model):
    name: str = "privacy policy"
    effective: date | None = None
    source: str | None = None
    clauses: list[Clause]
    declared_categories: list[str]
    minimum_age: Interpreted
    minor_age: Interpreted
    retention: dict[str, RetentionRule]
    rights: Rights = Rights()
    credentials: Credentials = Credentials()
    sharing: Sharing = Sharing()
    cookies: Cookies = Cookies()
    severities: dict[str, Literal["critical", "high", "medium", "low", "info"]] = Field(
        default_factory=dict
    )

    @field_validator("minimum_age", "minor_age", mode="before")
    @classmethod
    def _scalar(cls, v: Any) -> Any:
        return {"value": v} if isinstance(v, int) else v

    @field_validator("retention")
    @classmethod
    def _kinds(cls, v: dict[str, RetentionRule]) -> dict[str, RetentionRule]:
        for kind, rule in v.items():
            if kind not in KIND_ROLES:
                raise ValueError(f"unknown dataset kind {kind!r}")
            if rule.from_ not in KIND_ROLES[kind]:
                raise ValueError(
                    f"{kind}: 'from: {rule.from_}' is not a role of {kind} "
                    f"(roles: {', '.join(KIND_ROLES[kind])})"
                )
        return v

    def clause_of(self, check_id: str) -> str:
        """The heading of the clause that lists ``check_id``."""
        for c in self.clauses:
            if check_id in c.checks:
                return c.heading
        return "Unassigned"

    def canonical_request_type(self, raw: str) -> str:
        """A request type trimmed, case-folded and resolved through the aliases."""
        t = raw.strip().casefold()
        aliases = {k.casefold(): v.casefold() for k, v in self.rights.request_type_aliases.items()}
        return aliases.get(t, t)


# ---------------------------------------------------------------- config


class Source(_Model):
    url: str | None = None
    path: str | None = None
    schema_: str | None = Field(default=None, alias="schema")
    engine: Literal["pandas", "spark"] | None = None
    master: str | None = None
    #: extra Spark settings (``spark.cores.max``, ``spark.executor.memory``, ...), applied
    #: after the audit's own: see :func:`audit.spark.settings`
    conf: dict[str, str | int | float | bool] | None = None

    @model_validator(mode="after")
    def _one(self) -> Source:
        if (self.url is None) == (self.path is None):
            raise ValueError("give exactly one of 'url' (a database) or 'path' (a folder of files)")
        if self.url is not None and (self.engine is not None or self.master is not None):
            raise ValueError(
                "'engine' and 'master' apply to folder sources ('path'); a database runs its own queries"
            )
        if self.master is not None and self.engine != "spark":
            raise ValueError("'master' needs 'engine: spark'")
        if self.conf is not None and self.engine != "spark":
            raise ValueError("'conf' (Spark settings) needs 'engine: spark'")
        for k in self.conf or {}:
            if not k.startswith("spark."):
                raise ValueError(
                    f"conf key {k!r} is not a Spark setting (they start with 'spark.')"
                )
        return self

    @property
    def spark_conf(self) -> dict[str, str]:
        """The source's Spark settings as text (``true``, not ``True``)."""
        return {
            k: str(v).lower() if isinstance(v, bool) else str(v)
            for k, v in (self.conf or {}).items()
        }

    @property
    def spark_master(self) -> str:
        """The Spark master URL (``local[*]``: every core of this machine)."""
        return self.master or "local[*]"

    @property
    def kind(self) -> Literal["sql", "files", "spark"]:
        if self.url is not None:
            return "sql"
        return "spark" if self.engine == "spark" else "files"


class Dataset(_Model):
    source: str
    kind: str
    table: str | None = None
    files: str | None = None
    key: str | None = None
    roles: dict[str, str] = Field(default_factory=dict)

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        if v not in KIND_ROLES:
            raise ValueError(f"unknown kind {v!r}" + _did_you_mean(v, KIND_ROLES))
        return v

    @field_validator("roles")
    @classmethod
    def _roles(cls, roles: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        kind = info.data.get("kind")
        if kind is None:  # the kind itself was refused; that error is reported
            return roles
        allowed = KIND_ROLES[kind]
        for role in roles:
            if role not in allowed:
                raise ValueError(
                    f"role {role!r} is not a role of kind {kind}"
                    + _did_you_mean(role, allowed)
                    + f" (roles of {kind}: {', '.join(allowed) or 'none'})"
                )
        return roles


class AuditConfig(_Model):
    """The config as loaded: paths resolved against the config file's folder."""

    path: Path
    policy_path: Path
    policy: Policy
    as_of: date
    sample_size: int = SAMPLE_SIZE
    #: countries (ISO 3166 alpha-2) whose national phone formats and ids the inventory reads
    #: first, before the ones it infers from the values
    regions: tuple[str, ...] = ()
    sources: dict[str, Source]
    datasets: dict[str, Dataset]
    #: the reviews file (``reviews:``) and its entries: accepted findings (:mod:`audit.reviews`)
    reviews_path: Path | None = None
    reviews: tuple[Review, ...] = ()

    def datasets_of(self, kind: str) -> dict[str, Dataset]:
        """The datasets of one kind, in config order."""
        return {n: d for n, d in self.datasets.items() if d.kind == kind}

    def source_path(self, source: Source) -> Path:
        """A folder source's path, relative to the config file."""
        assert source.path is not None
        return (self.path.parent / source.path).resolve()

    def source_url(self, source: Source) -> str:
        """A SQL source's URL with ${ENV} expanded and relative SQLite paths resolved."""
        assert source.url is not None
        url = _ENV.sub(lambda m: os.environ.get(m.group(1), ""), source.url)
        m = re.match(r"^sqlite(\+\w+)?:///(?!/)(.+)$", url)
        if m and not m.group(2).startswith(("file:", ":memory:")):
            url = f"sqlite{m.group(1) or ''}:///{(self.path.parent / m.group(2)).resolve()}"
        return url


class _RawConfig(_Model):
    policy: str | None = None
    as_of: date | None = None
    sample_size: int = Field(default=SAMPLE_SIZE, gt=0)
    regions: list[str] = Field(default_factory=list)
    reviews: str | None = None
    sources: dict[str, Source]
    datasets: dict[str, Dataset]

    @field_validator("regions")
    @classmethod
    def _regions(cls, v: list[str]) -> list[str]:
        import phonenumbers

        out = []
        for code in v:
            c = str(code).strip().upper()
            if c not in phonenumbers.SUPPORTED_REGIONS:
                raise ValueError(
                    f"unknown region {code!r}; write ISO 3166 alpha-2 country codes such as DE, FR, JP"
                )
            out.append(c)
        return out


def _did_you_mean(word: str, options: Any) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _read_yaml(path: Path, what: str) -> dict[str, Any]:
    data = read_yaml(path, what)
    if not isinstance(data, dict):
        raise ConfigError(str(path), None, f"a {what} must be a YAML mapping", "see README.md")
    return data


def _raise_validation(path: Path, err: ValidationError, model: type[BaseModel]) -> None:
    errors = err.errors()
    # an unknown key usually explains a missing one beside it (a typo): report it first
    first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    loc = [str(p) for p in first["loc"]]
    key = ".".join(loc) or None
    msg = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        parent = _fields_at(model, first["loc"][:-1])
        msg = f"unknown key {loc[-1]!r}" + _did_you_mean(loc[-1], parent)
        raise ConfigError(str(path), key, msg, "remove or rename it") from None
    if first["type"] == "missing":
        raise ConfigError(str(path), key, "required key is missing", "add it") from None
    raise ConfigError(str(path), key, msg, "fix this value") from None


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            current = current if part not in getattr(current, "model_fields", {}) else None
            continue
        ann = field.annotation
        args = getattr(ann, "__args__", ())
        current = next(
            (a for a in (ann, *args) if isinstance(a, type) and issubclass(a, BaseModel)), None
        )
    names: list[str] = []
    if current is not None:
        for n, f in current.model_fields.items():
            names.append(f.alias or n)
    return names


def load_policy(path: Path) -> Policy:
    """Load and validate a policy file; ConfigError names the file and key."""
    data = _read_yaml(path, "policy")
    try:
        return Policy.model_validate(data)
    except ValidationError as e:
        _raise_validation(path, e, Policy)
        raise  # unreachable


def load_config(path: str | Path, as_of: str | date | None = None) -> AuditConfig:
    """Load the audit config and its policy; ``as_of`` (e.g. ``--as-of``) overrides the file's."""
    cfg_path = Path(path).resolve()
    data = _read_yaml(cfg_path, "config")
    try:
        raw = _RawConfig.model_validate(data)
    except ValidationError as e:
        _raise_validation(cfg_path, e, _RawConfig)
        raise
    for name, ds in raw.datasets.items():
        if ds.source not in raw.sources:
            raise ConfigError(
                str(cfg_path),
                f"datasets.{name}.source",
                f"unknown source {ds.source!r}" + _did_you_mean(ds.source, raw.sources),
                f"use one of: {', '.join(raw.sources)}",
            )
        src = raw.sources[ds.source]
        if src.kind == "sql" and not ds.table:
            raise ConfigError(
                str(cfg_path),
                f"datasets.{name}.table",
                "a database dataset needs 'table'",
                "add it",
            )
        if src.kind in ("files", "spark") and not ds.files:
            raise ConfigError(
                str(cfg_path),
                f"datasets.{name}.files",
                "a file dataset needs 'files' (a file or glob)",
                "add it",
            )
    policy_path = (cfg_path.parent / raw.policy).resolve() if raw.policy else DEFAULT_POLICY
    policy = load_policy(policy_path)
    try:
        when = parse_as_of(as_of) if as_of is not None else parse_as_of(raw.as_of)
    except ValueError:
        raise ConfigError(
            "--as-of", None, f"cannot read date {as_of!r}", "write it as YYYY-MM-DD"
        ) from None
    reviews_path = (cfg_path.parent / raw.reviews).resolve() if raw.reviews else None
    return AuditConfig(
        reviews_path=reviews_path,
        reviews=load_reviews(reviews_path) if reviews_path else (),
        path=cfg_path,
        policy_path=policy_path,
        policy=policy,
        as_of=when,
        sample_size=raw.sample_size,
        regions=tuple(raw.regions),
        sources=raw.sources,
        datasets=raw.datasets,
    )
