"""Suite files: every reviewed suite loads and states each expectation's policy, and a broken
one fails naming the file, the place and the reason (not a bare JSONDecodeError that the task
retries)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from civicpulse.quality import DEFAULT_POLICY, EXPECTATIONS_DIR, SuiteError, load_suite_definition

SUITES = sorted(EXPECTATIONS_DIR.glob("*.json"))
DEFAULT = EXPECTATIONS_DIR / "default__articles.json"


@pytest.mark.parametrize("path", SUITES, ids=lambda p: p.stem)
def test_every_suite_loads_under_its_file_name(path: Path) -> None:
    assert load_suite_definition(path.stem)["name"] == path.stem


@pytest.mark.parametrize("path", SUITES, ids=lambda p: p.stem)
def test_every_expectation_states_a_policy_its_kind_can_keep(path: Path) -> None:
    """ "row" only where GX names the failing records (a map expectation) and judges each on
    its own (no `mostly`: a share of the batch is a batch rule); the default is documented."""
    import great_expectations as gx
    from great_expectations.expectations.expectation import (
        ColumnMapExpectation,
        ColumnPairMapExpectation,
        MulticolumnMapExpectation,
    )

    definition = load_suite_definition(path.stem)
    assert f"No policy means {DEFAULT_POLICY}." in definition["meta"]["policies"]
    suite = gx.ExpectationSuite(name=path.stem, expectations=definition["expectations"])
    per_record = (ColumnMapExpectation, ColumnPairMapExpectation, MulticolumnMapExpectation)
    for expectation in suite.expectations:
        policy, mostly = expectation.meta["policy"], getattr(expectation, "mostly", 1)
        described = f"{expectation.expectation_type} {expectation.configuration.kwargs}"
        assert policy in ("row", "batch"), described
        if policy == "row":
            assert isinstance(expectation, per_record) and mostly == 1, described


def test_a_suite_that_is_not_json_names_the_file_line_column_and_reason(tmp_path: Path) -> None:
    """A broken copy of a reviewed suite: the comma after its first expectation deleted."""
    lines = DEFAULT.read_text(encoding="utf-8").splitlines()
    first = next(n for n, line in enumerate(lines) if line.lstrip().startswith('{"type"'))
    lines[first] = lines[first].rstrip().removesuffix(",")
    (tmp_path / "default__articles.json").write_text("\n".join(lines), encoding="utf-8")

    with pytest.raises(SuiteError) as raised:
        load_suite_definition("default__articles", tmp_path)

    column = len(lines[first + 1]) - len(lines[first + 1].lstrip()) + 1
    where = f"line {first + 2}, column {column}"  # the next expectation, 1-based
    path = tmp_path / "default__articles.json"
    assert str(raised.value) == f"{path}: {where}: not valid JSON: Expecting ',' delimiter"


@pytest.mark.parametrize(
    ("suite", "reason"),
    [
        ([], 'not a suite: expected an object with a "name"'),
        ({"name": "broken"}, 'not a suite: "expectations" must be a list'),
        (
            {"name": "broken", "expectations": [{"type": "x"}, {"kwargs": {}}]},
            'expectation 2: expected an object with a "type"',
        ),
        (
            {"name": "broken", "expectations": [{"type": "x", "meta": {"policy": "rows"}}]},
            'expectation 1: "meta" must be an object whose "policy" is "row" or "batch", '
            "not 'rows'",
        ),
    ],
)
def test_a_json_file_that_is_not_a_suite_names_the_file_and_reason(
    tmp_path: Path, suite: object, reason: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(suite), encoding="utf-8")
    with pytest.raises(SuiteError, match=f"^{re.escape(f'{path}: {reason}')}$"):
        load_suite_definition("broken", tmp_path)
