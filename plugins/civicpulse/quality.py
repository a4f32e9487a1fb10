"""Great Expectations gate: validate a batch against its reviewed suite in `expectations/`."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from civicpulse.settings import REPO_ROOT

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

EXPECTATIONS_DIR = REPO_ROOT / "expectations"
_EXAMPLES_PER_EXPECTATION = 20


class SuiteError(ValueError):
    """A suite file is unusable; the message names the file, where, and why: retrying cannot
    fix it, a reviewed edit to the file can."""


@dataclass(frozen=True)
class FailedExpectation:
    """One expectation a batch broke, with the offending rows (by position and key)."""

    expectation: str
    kwargs: dict[str, Any]
    why: str | None
    unexpected_count: int | None
    observed: Any
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating one batch against one suite."""

    suite: str
    success: bool
    evaluated: int
    failed: list[FailedExpectation]

    def to_markdown(self, title: str) -> str:
        lines = [
            f"# Quarantined batch: {title}",
            "",
            f"Suite `{self.suite}`: {len(self.failed)} of {self.evaluated} expectations failed.",
            "",
        ]
        for failure in self.failed:
            lines.append(f"## `{failure.expectation}` {json.dumps(failure.kwargs, default=str)}")
            if failure.why:
                lines.append(f"Why it matters: {failure.why}")
            if failure.unexpected_count is not None:
                lines.append(f"Unexpected records: {failure.unexpected_count}")
            if failure.observed is not None:
                lines.append(f"Observed: {failure.observed}")
            lines.extend(
                f"- {json.dumps(row, default=str, ensure_ascii=False)}" for row in failure.rows
            )
            lines.append("")
        return "\n".join(lines)


def suite_path(suite_name: str, directory: Path = EXPECTATIONS_DIR) -> Path:
    return directory / f"{suite_name}.json"


def suite_for(source: str, entity: str) -> str:
    """The source's own suite, else its entity's default: a new source is validated from its
    first night, and a reviewed suite of its own can follow."""
    own = f"{source}__{entity}"
    return own if suite_path(own).exists() else f"default__{entity}"


def load_suite_definition(suite_name: str, directory: Path = EXPECTATIONS_DIR) -> dict[str, Any]:
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
    return ValidationReport(suite_name, bool(result.success), len(result.results), failed)


def _failed_expectation(
    outcome: dict[str, Any], frame: pd.DataFrame, key_columns: list[str]
) -> FailedExpectation:
    config = outcome["expectation_config"]
    details = outcome.get("result") or {}
    if outcome.get("exception_info", {}).get("raised_exception"):
        details = {"observed_value": outcome["exception_info"]["exception_message"]}
    positions = (details.get("unexpected_index_list") or [])[:_EXAMPLES_PER_EXPECTATION]
    keys = [c for c in key_columns if c in frame.columns]
    rows = [
        {"row": int(p), **{c: frame.iloc[int(p)][c] for c in keys}}
        for p in positions
        if isinstance(p, int)
    ]
    kwargs = {k: v for k, v in config["kwargs"].items() if k != "batch_id"}
    return FailedExpectation(
        expectation=config["type"],
        kwargs=kwargs,
        why=(config.get("meta") or {}).get("why"),
        unexpected_count=details.get("unexpected_count"),
        observed=details.get("observed_value"),
        rows=rows,
    )
