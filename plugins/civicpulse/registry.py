"""The source registry: `sources.yml` loaded into typed, validated `Source` objects."""

from __future__ import annotations

import inspect
import logging
import os
import re
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, NotRequired
from urllib.parse import urlsplit

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeFloat,
    PositiveInt,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    with_config,
)
from pydantic_core import ErrorDetails
from typing_extensions import TypedDict  # pydantic reads typing's TypedDict only from 3.12

from civicpulse.urls import canonical_url

log = logging.getLogger(__name__)

# A deployment may keep its registry elsewhere (CIVICPULSE_REGISTRY); the bundled one by default.
REGISTRY_PATH = Path(
    os.environ.get("CIVICPULSE_REGISTRY") or Path(__file__).with_name("sources.yml")
)


class RegistryError(ValueError):
    """A registry entry is invalid; the message names the entry and the field."""


# --- options: what each adapter reads, checked on load so a bad entry fails before a night's run


def _regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as error:
        raise ValueError(f"not a regular expression: {error}") from None
    return pattern


def _known_parser(name: str) -> str:
    from civicpulse.adapters.download import PARSERS  # the adapters import this module

    if name not in PARSERS:
        raise ValueError(f"unknown parser {name!r}; known: {', '.join(sorted(PARSERS))}")
    return name


def _css(selector: str) -> str:
    from civicpulse.dom import css_error

    if error := css_error(selector):
        raise ValueError(f"not a CSS selector the extractor can use: {selector!r}: {error}")
    return selector


Regex = Annotated[str, AfterValidator(_regex)]
# Compiled (to XPath, by cssselect) as the extractor will compile it, so a selector it
# cannot use fails the registry on load, not every page of a night's run.
Css = Annotated[str, AfterValidator(_css)]


@with_config(ConfigDict(extra="forbid"))  # a misspelt option is an error, not ignored
class ArticleSelectors(TypedDict, total=False):
    """CSS selectors `extract.py` tries after a page's structured data."""

    title: Css
    published: Css
    updated: Css
    authors: Css
    body: Css
    content_type: Css
    tags: Css
    boilerplate: Css


@with_config(ConfigDict(extra="forbid"))  # and its subclasses
class ArticleOptions(TypedDict, total=False):
    """Read for every article source (`articles.collect`, `Source.canonical`)."""

    article: ArticleSelectors
    refresh_days: NonNegativeFloat
    trailing_slash: bool


class PagedOptions(ArticleOptions, total=False):
    """feed and wordpress_api: at most `max_pages` pages of the feed or API."""

    max_pages: PositiveInt


class SitemapOptions(ArticleOptions, total=False):
    include: Regex
    max_sitemaps: PositiveInt


@with_config(ConfigDict(extra="forbid"))
class Listing(TypedDict):
    item: str
    link: str
    next_page: str
    modified: NotRequired[str]


class HtmlListingOptions(ArticleOptions):
    """The adapter has no default listing selectors or page limit."""

    listing: Listing
    max_pages: PositiveInt
    pages: NotRequired[list[str]]


@with_config(ConfigDict(extra="forbid"))
class DownloadFile(TypedDict):
    url: str
    vintage: str  # quoted in YAML, which reads 2024-03-13 as a date
    member: NotRequired[str]


@with_config(ConfigDict(extra="forbid"))
class DownloadOptions(TypedDict):
    parser: Annotated[str, AfterValidator(_known_parser)]
    parser_options: NotRequired[dict[str, Any]]
    files: Annotated[list[DownloadFile], Field(min_length=1)]


def _parser_takes(options: DownloadOptions) -> DownloadOptions:
    """The parser is called as `parser(body, name, **parser_options)`."""
    from civicpulse.adapters.download import PARSERS

    try:
        inspect.signature(PARSERS[options["parser"]]).bind(
            b"", "", **options.get("parser_options", {})
        )
    except TypeError as error:
        raise ValueError(
            f"cannot pass options.parser_options to parser {options['parser']}: {error}"
        ) from None
    return options


@with_config(ConfigDict(extra="forbid"))
class IndicatorListing(TypedDict):
    source: int
    match: Regex


@with_config(ConfigDict(extra="forbid"))
class WorldBankOptions(TypedDict, total=False):
    indicators: list[str]
    indicator_sources: list[IndicatorListing]
    countries: list[str]
    date: str
    per_page: PositiveInt


def _names_indicators(options: WorldBankOptions) -> WorldBankOptions:
    if not options.get("indicators") and not options.get("indicator_sources"):
        raise ValueError("needs options.indicators or options.indicator_sources")
    return options


@with_config(ConfigDict(extra="forbid"))
class UcdpOptions(TypedDict):
    countries: list[int]  # Gleditsch-Ward codes
    version: str
    connection: NotRequired[str]
    vintage: NotRequired[str]
    StartDate: NotRequired[str]
    EndDate: NotRequired[str]


@with_config(ConfigDict(extra="forbid"))
class AcledOptions(TypedDict):
    countries: list[str]
    event_date: str
    connection: NotRequired[str]


# Adapter kind -> its options: the registry's list of kinds (`civicpulse.adapters` runs them).
OPTIONS: dict[str, TypeAdapter[Any]] = {
    "acled_api": TypeAdapter(AcledOptions),
    "download": TypeAdapter(Annotated[DownloadOptions, AfterValidator(_parser_takes)]),
    "feed": TypeAdapter(PagedOptions),
    "html_listing": TypeAdapter(HtmlListingOptions),
    "sitemap": TypeAdapter(SitemapOptions),
    "ucdp_api": TypeAdapter(UcdpOptions),
    "wordpress_api": TypeAdapter(PagedOptions),
    "worldbank_api": TypeAdapter(Annotated[WorldBankOptions, AfterValidator(_names_indicators)]),
}


def _option_problem(adapter: str, error: ErrorDetails) -> str:
    where = ".".join(["options", *map(str, error["loc"])])
    if error["type"] == "missing":
        return f"adapter {adapter} needs {where}"
    if error["type"] == "extra_forbidden":
        return f"adapter {adapter} knows no option {where}"
    if not error["loc"]:  # a check of the options as a whole
        return f"adapter {adapter} {_reason(error)}"
    got = "" if error["type"] == "value_error" else f" (got {error['input']!r:.80})"
    return f"{where}: {_reason(error)}{got}"


class Source(BaseModel):
    """One registry entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    adapter: str
    url: str
    entity: Literal["articles", "indicator_values"]
    cadence: Literal["daily", "weekly", "monthly", "yearly"] = "daily"
    owner: str
    license: str
    description: str
    extra_hosts: tuple[str, ...] = ()
    options: dict[str, Any] = Field(default_factory=dict, validate_default=True)

    @field_validator("adapter")
    @classmethod
    def _known_adapter(cls, adapter: str) -> str:
        if adapter not in OPTIONS:
            raise ValueError(f"unknown adapter {adapter!r}; known: {', '.join(OPTIONS)}")
        return adapter

    @field_validator("options")
    @classmethod
    def _options_for_adapter(cls, options: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        adapter = info.data.get("adapter")
        if adapter is None:  # unknown, and already reported
            return options
        try:
            checked: dict[str, Any] = OPTIONS[adapter].validate_python(options)
        except ValidationError as error:
            raise ValueError(
                "; ".join(_option_problem(adapter, e) for e in error.errors())
            ) from None
        return checked

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
            problems = "; ".join(_problem(e) for e in error.errors())
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


def _problem(error: ErrorDetails) -> str:
    if error["loc"] == ("options",) and error["type"] == "value_error":
        return _reason(error)  # names the adapter and each option itself
    return f"field {'.'.join(str(p) for p in error['loc']) or '(entry)'}: {_reason(error)}"


def _reason(error: ErrorDetails) -> str:
    if error["type"] == "missing":
        return "missing"
    if error["type"] == "value_error":  # ours: without pydantic's "Value error, "
        return str(error.get("ctx", {}).get("error", error["msg"]))
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
            # whether its articles should come out of its own selectors (source_health's alarm)
            "has_body_selector": "body" in (s.options.get("article") or {}),
            "owner": s.owner,
            "license": s.license,
            "description": " ".join(s.description.split()),
            "suite": suite_for(s.name, s.entity),
        }
        for s in load_sources(path)
    ]
