"""Great Expectations gate: validate a batch against its reviewed suite in `expectations/`,
whose policies say which failures set records aside and which quarantine the batch."""

from __future__ import annotations

import json
import logging
import os
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from civicpulse.settings import REPO_ROOT

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

EXPECTATIONS_DIR = REPO_ROOT / "expectations"  # the bundled suites
_EXAMPLES_PER_EXPECTATION = 20
# An expectation's `meta.policy`: "row" sets a failing record aside and publishes the rest,
# "batch" quarantines the whole batch. Absent means batch: what every failure did before.
POLICIES = ("row", "batch")
DEFAULT_POLICY = "batch"
# The row-count collapse rule: the median of the source's last TRAILING_PARTITIONS partitions,
# once it has MIN_TRAILING (fewer say too little about its usual size).
TRAILING_PARTITIONS = 7
MIN_TRAILING = 3


class SuiteError(ValueError):
    """A suite file is unusable; the message names the file, where, and why: retrying cannot
    fix it, a reviewed edit to the file can."""


@dataclass(frozen=True)
class FailedExpectation:
    """One expectation a batch broke, its policy, and the offending rows (position and key)."""

    expectation: str
    kwargs: dict[str, Any]
    why: str | None
    policy: str
    unexpected_count: int | None
    observed: Any
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"`{self.expectation}` {json.dumps(self.kwargs, default=str)}"

    @property
    def row_level(self) -> bool:
        """Sets its records aside rather than quarantining the batch: a row-policy expectation
        that named its records (one that raised, or judged the table, named none)."""
        return self.policy == "row" and bool(self.rows)


@dataclass(frozen=True)
class Rejection:
    """One record a row-policy expectation set aside: its position, name, and what it failed."""

    row: int
    name: str
    failed: list[FailedExpectation]

    @property
    def reason(self) -> str:
        return "; ".join(f"{f.label}{f': {f.why}' if f.why else ''}" for f in self.failed)


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating one batch of `records` rows against one suite."""

    suite: str
    evaluated: int
    records: int
    failed: list[FailedExpectation]
    outcomes: list[dict[str, Any]] = field(default_factory=list)  # one per expectation
    gx_result: dict[str, Any] = field(default_factory=dict)  # GX's own, for its Data Docs

    def rejected(self) -> list[Rejection]:
        """The records the row-policy expectations set aside, in batch order."""
        failed: dict[int, list[FailedExpectation]] = {}
        names: dict[int, str] = {}
        for failure in (f for f in self.failed if f.row_level):
            for row in failure.rows:
                failed.setdefault(row["row"], []).append(failure)
                names[row["row"]] = record_name(row)
        return [Rejection(row, names[row], failed[row]) for row in sorted(failed)]

    def batch_rules(self, trailing: list[int]) -> list[str]:
        """Why the whole batch must be quarantined (none: at most some records are set aside).
        `trailing`: the row counts of the source's latest earlier partitions, oldest first."""
        rules = [
            f"{f.label} failed (policy: batch)"
            if f.policy == "batch"
            else f"{f.label} failed naming no records (policy: row)"  # it raised
            for f in self.failed
            if not f.row_level
        ]
        rejected = len(self.rejected())
        if rejected * 2 > self.records:
            rules.append(f"most records failed: {rejected} of {self.records} failed a row check")
        median = statistics.median(trailing) if len(trailing) >= MIN_TRAILING else 0
        if self.records * 2 < median:
            rules.append(
                f"row count {self.records} is under half the trailing median {median:.12g} "
                f"(of the source's last {len(trailing)} partitions)"
            )
        return rules

    def to_markdown(self, title: str, rules: list[str]) -> str:
        """The quarantined batch's report: the rules that fired, then every failure."""
        lines = [
            f"# Quarantined batch: {title}",
            "",
            "Quarantined because:",
            *(f"- {rule}" for rule in rules),
            "",
            f"Suite `{self.suite}`: {len(self.failed)} of {self.evaluated} expectations failed "
            f"on {self.records} records.",
            "",
        ]
        for failure in self.failed:
            lines.append(f"## {failure.label} (policy: {failure.policy})")
            if failure.why:
                lines.append(f"Why it matters: {failure.why}")
            if failure.unexpected_count is not None:
                lines.append(f"Unexpected records: {failure.unexpected_count}")
            if failure.observed is not None:
                lines.append(f"Observed: {failure.observed}")
            lines.extend(
                f"- {json.dumps(row, default=str, ensure_ascii=False)}"
                for row in failure.rows[:_EXAMPLES_PER_EXPECTATION]
            )
            lines.append("")
        return "\n".join(lines)

    def rows_markdown(self, title: str) -> str:
        """The set-aside records' report: each by its key, with the checks it failed."""
        rejected = self.rejected()
        lines = [
            f"# Records set aside: {title}",
            "",
            f"{len(rejected)} of {self.records} records failed a row check of suite "
            f"`{self.suite}` and are in `records.parquet`, in this order; the other "
            f"{self.records - len(rejected)} were published.",
            "",
        ]
        for rejection in rejected:
            lines.append(f"## {rejection.name}")
            lines.extend(
                f"- {f.label} (policy: row){f': {f.why}' if f.why else ''}"
                for f in rejection.failed
            )
            lines.append("")
        return "\n".join(lines)


def record_name(row: dict[str, Any]) -> str:
    """A record by its key as people look it up: an article's URL, or `column=value` pairs;
    by its row in the batch if it has no key."""
    key = {k: v for k, v in row.items() if k != "row"}
    if all(v is None for v in key.values()):
        return f"row {row['row']} (no {', '.join(key)})"
    if len(key) == 1:
        return str(next(iter(key.values())))
    return ", ".join(f"{k}={v}" for k, v in key.items())


def expectations_dir() -> Path:
    """Where the suites are: the bundled ones, or a deployment's (CIVICPULSE_EXPECTATIONS)."""
    return Path(os.environ.get("CIVICPULSE_EXPECTATIONS") or EXPECTATIONS_DIR)


def suite_path(suite_name: str, directory: Path | None = None) -> Path:
    return (directory or expectations_dir()) / f"{suite_name}.json"


def suite_for(source: str, entity: str) -> str:
    """The source's own suite, else its entity's default: a new source is validated from its
    first night, and a reviewed suite of its own can follow."""
    own = f"{source}__{entity}"
    return own if suite_path(own).exists() else f"default__{entity}"


def load_suite_definition(suite_name: str, directory: Path | None = None) -> dict[str, Any]:
    """The reviewed suite file, as JSON; `SuiteError` if it is not a suite."""
    path = suite_path(suite_name, directory)
    if not path.exists():
        raise FileNotFoundError(f"no expectation suite for {suite_name!r}: {path} is missing")
    try:
        definition = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise SuiteError(f"{path}: {where}: not valid JSON: {error.msg}") from None
    except UnicodeDecodeError as error:
        raise SuiteError(f"{path}: byte {error.start}: not UTF-8 text") from None
    if not isinstance(definition, dict) or not isinstance(definition.get("name"), str):
        raise SuiteError(f'{path}: not a suite: expected an object with a "name"')
    expectations = definition.get("expectations")
    if not isinstance(expectations, list):
        raise SuiteError(f'{path}: not a suite: "expectations" must be a list')
    for number, expectation in enumerate(expectations, start=1):
        if not isinstance(expectation, dict) or not isinstance(expectation.get("type"), str):
            raise SuiteError(f'{path}: expectation {number}: expected an object with a "type"')
        meta = expectation.get("meta") or {}
        policy = meta.get("policy", DEFAULT_POLICY) if isinstance(meta, dict) else None
        if policy not in POLICIES:
            raise SuiteError(
                f'{path}: expectation {number}: "meta" must be an object whose "policy" is '
                f'"row" or "batch", not {policy!r}'
            )
    return definition


def validate(frame: pd.DataFrame, suite_name: str, key_columns: list[str]) -> ValidationReport:
    """Validate `frame` against `expectations/<suite_name>.json` in an ephemeral GX context."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    gx_log = logging.getLogger("great_expectations")
    gx_log.setLevel(logging.WARNING)  # its import logs hundreds of INFO lines
    import great_expectations as gx

    gx_log.setLevel(logging.WARNING)  # and it resets the level on import

    definition = load_suite_definition(suite_name)
    suite = gx.ExpectationSuite(name=definition["name"], expectations=definition["expectations"])
    if len(suite.expectations) != len(definition["expectations"]):
        raise SuiteError(f"{suite_path(suite_name)}: some expectations are invalid (see log)")
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = context.data_sources.add_pandas("civicpulse").add_dataframe_asset(suite_name)
    batch = asset.add_batch_definition_whole_dataframe("batch").get_batch(
        batch_parameters={"dataframe": frame}
    )
    result = batch.validate(suite, result_format={"result_format": "COMPLETE"})
    failed = [
        _failed_expectation(r.to_json_dict(), frame, key_columns)
        for r in result.results
        if not r.success
    ]
    gx_result: dict[str, Any] = result.to_json_dict()
    outcomes = [_outcome(outcome) for outcome in gx_result["results"]]
    return ValidationReport(
        suite_name, len(result.results), len(frame), failed, outcomes, _trimmed(gx_result)
    )


def _outcome(outcome: dict[str, Any]) -> dict[str, Any]:
    """One expectation's result as a flat row for `marts.dq_results`."""
    config = outcome["expectation_config"]
    kwargs = {k: v for k, v in config["kwargs"].items() if k != "batch_id"}
    details = outcome.get("result") or {}
    if outcome.get("exception_info", {}).get("raised_exception"):
        details = {"observed_value": outcome["exception_info"]["exception_message"]}
    observed = details.get("observed_value")
    if observed is None:  # a per-record check: what it observed is the values it refused
        observed = details.get("partial_unexpected_list")
    column = kwargs.get("column") or ", ".join(kwargs.get("column_list") or []) or None
    return {
        "expectation": config["type"],
        "column_name": column,
        "kwargs": json.dumps(kwargs, sort_keys=True, default=str),
        "policy": (config.get("meta") or {}).get("policy", DEFAULT_POLICY),
        "success": bool(outcome.get("success")),
        "observed_value": None if observed is None else json.dumps(observed, default=str),
        "unexpected_count": details.get("unexpected_count"),
        "unexpected_percent": details.get("unexpected_percent"),
    }


def _trimmed(gx_result: dict[str, Any], keep: int = 50) -> dict[str, Any]:
    """GX's result with each expectation's lists of unexpected values cut to `keep`: a
    report, not a copy of the batch."""
    for outcome in gx_result.get("results", []):
        details = outcome.get("result") or {}
        for name, value in list(details.items()):
            if isinstance(value, list) and len(value) > keep:
                details[name] = value[:keep]
    return gx_result


def _failed_expectation(
    outcome: dict[str, Any], frame: pd.DataFrame, key_columns: list[str]
) -> FailedExpectation:
    config = outcome["expectation_config"]
    details = outcome.get("result") or {}
    if outcome.get("exception_info", {}).get("raised_exception"):
        details = {"observed_value": outcome["exception_info"]["exception_message"]}
    # Every offending row, not a sample: row-policy failures set these records aside.
    positions = [p for p in details.get("unexpected_index_list") or [] if isinstance(p, int)]
    keys = [c for c in key_columns if c in frame.columns]
    values = {c: frame[c].take(positions).tolist() for c in keys}
    rows = [{"row": p, **{c: values[c][n] for c in keys}} for n, p in enumerate(positions)]
    kwargs = {k: v for k, v in config["kwargs"].items() if k != "batch_id"}
    meta = config.get("meta") or {}
    return FailedExpectation(
        expectation=config["type"],
        kwargs=kwargs,
        why=meta.get("why"),
        policy=meta.get("policy", DEFAULT_POLICY),
        unexpected_count=details.get("unexpected_count"),
        observed=details.get("observed_value"),
        rows=rows,
    )
