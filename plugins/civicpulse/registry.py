"""The source registry: `sources.yml` loaded into typed, validated `Source` objects."""

from __future__ import annotations

import logging
import os
from functools import cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from civicpulse.urls import canonical_url

log = logging.getLogger(__name__)

# A deployment may keep its registry elsewhere (CIVICPULSE_REGISTRY); the bundled one by default.
REGISTRY_PATH = Path(
    os.environ.get("CIVICPULSE_REGISTRY") or Path(__file__).with_name("sources.yml")
)


class RegistryError(ValueError):
    """A registry entry is invalid; the message names the entry and the field."""


class Source(BaseModel):
    """One registry entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    adapter: Literal[
        "acled_api",
        "download",
        "feed",
        "html_listing",
        "sitemap",
        "ucdp_api",
        "wordpress_api",
        "worldbank_api",
    ]
    url: str
    entity: Literal["articles", "indicator_values"]
    cadence: Literal["daily", "weekly"] = "daily"
    owner: str
    license: str
    description: str
    extra_hosts: tuple[str, ...] = ()
    options: dict[str, Any] = Field(default_factory=dict)

    @field_validator("url")
    @classmethod
    def _absolute_http_url(cls, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"must be an absolute http(s) URL, got {url!r}")
        return url

    def canonical(self, url: str) -> str:
        """`url` spelled as this source's articles are keyed (see `civicpulse.urls`)."""
        return canonical_url(
            url,
            prefer_https=self.url.startswith("https:"),
            trailing_slash=self.options.get("trailing_slash"),
        )

    @property
    def hosts(self) -> frozenset[str]:
        """The only hosts the fetcher may contact for this source."""
        return frozenset({urlsplit(self.url).hostname or "", *self.extra_hosts})


def parse_sources(entries: object, origin: str = "sources.yml") -> list[Source]:
    """Validate raw registry entries; raise `RegistryError` naming the entry and field."""
    if not isinstance(entries, list):
        raise RegistryError(f"{origin}: expected a list of source entries")
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for position, entry in enumerate(entries, start=1):
        label = _entry_label(entry, position)
        try:
            source = Source.model_validate(entry)
        except ValidationError as error:
            problems = "; ".join(
                f"field {'.'.join(str(p) for p in e['loc']) or '(entry)'}: {_reason(e)}"
                for e in error.errors()
            )
            raise RegistryError(f"{origin}: {label}: {problems}") from None
        if source.name in seen:
            raise RegistryError(
                f"{origin}: {label}: field name: duplicate id {source.name!r} "
                f"(first used by entry {seen[source.name]})"
            )
        seen[source.name] = position
        sources.append(source)
    return sources


def _entry_label(entry: object, position: int) -> str:
    name = entry.get("name") if isinstance(entry, dict) else None
    return f"entry {position} ({name!r})" if name else f"entry {position}"


def _reason(error: Any) -> str:
    if error["type"] == "missing":
        return "missing"
    if error["type"] == "literal_error":
        return f"unknown value {error['input']!r}; {error['msg'].lower()}"
    return str(error["msg"])


@cache
def load_sources(path: Path = REGISTRY_PATH) -> tuple[Source, ...]:
    """Read and validate the registry file."""
    with path.open(encoding="utf-8") as handle:
        return tuple(parse_sources(yaml.safe_load(handle), origin=path.name))


def get_source(name: str, path: Path = REGISTRY_PATH) -> Source:
    """The registry entry called `name`."""
    for source in load_sources(path):
        if source.name == name:
            return source
    known = ", ".join(s.name for s in load_sources(path))
    raise RegistryError(f"{path.name}: no source named {name!r} (known: {known})")


def sources_for(entity: str, path: Path = REGISTRY_PATH) -> list[Source]:
    """Registry entries landing `entity`, in registry order."""
    return [s for s in load_sources(path) if s.entity == entity]


def registry_rows(path: Path = REGISTRY_PATH) -> list[dict[str, Any]]:
    """The registry as table rows, for the warehouse's `dim_sources`."""
    from civicpulse.quality import suite_for

    return [
        {
            "source_id": s.name,
            "adapter": s.adapter,
            "url": s.url,
            "hosts": sorted(s.hosts),
            "entity": s.entity,
            "cadence": s.cadence,
            "owner": s.owner,
            "license": s.license,
            "description": " ".join(s.description.split()),
            "suite": suite_for(s.name, s.entity),
        }
        for s in load_sources(path)
    ]
