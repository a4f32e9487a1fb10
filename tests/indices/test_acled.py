"""ACLED: the export-tool CSV (Ukraine, 20 events) and API pages in, ISO-numeric country-years out.

Expected values were worked out from the raw file in a scratch script (pandas, by hand), not
read from the parser's output. No recorded API page exists, so the API tests wrap the CSV's
real events in the documented envelope, with every value a string as the API sends them."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

import pytest

from civicpulse.indices.acled import parse_api_page, parse_export_csv
from civicpulse.indices.observations import ParseError
from tests.conftest import FIXTURES

NAME = "ACLED_export_UKR_2024_head21.csv"
BODY = (FIXTURES / "indices" / "acled" / NAME).read_bytes()
UKRAINE = [("804", 2023, 4.0, "Ukraine"), ("804", 2024, 1.0, "Ukraine")]


def rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(BODY.decode("utf-8"), newline="")))


def written(table: list[list[str]]) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(table)
    return text.getvalue().encode("utf-8")


def with_cell(row: int, column: str, value: str) -> bytes:
    """The published file with one cell changed (row counted with the header as 1)."""
    table = rows()
    table[row - 1][table[0].index(column)] = value
    return written(table)


def api_page(events: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The CSV's events as the API sends them: ISO dates, strings only, no population_best."""
    if events is None:
        header, *body = rows()
        events = []
        for cells in body:
            event = dict(zip(header, cells, strict=True))
            event.pop("population_best")
            date = datetime.strptime(event["event_date"], "%d %B %Y")
            event["event_date"] = date.strftime("%Y-%m-%d")
            events.append(event)
    return {
        "status": 200,
        "success": True,
        "last_update": 38,
        "count": len(events),
        "messages": [],
        "data": events,
    }


def test_rewriting_the_file_is_byte_exact() -> None:
    assert written(rows()) == BODY


def test_fatalities_sum_by_iso_numeric_code_and_year() -> None:
    observations = list(parse_export_csv(BODY, NAME))
    # 2024: 7 events, one death (UKR145564); 2023: 13 events, 3 (UKR140489) + 1 (UKR139542)
    assert [(o.country, o.year, o.value, o.country_name) for o in observations] == UKRAINE
    assert {(o.indicator_id, o.scheme) for o in observations} == {
        ("acled_fatalities", "iso_numeric")
    }


def test_the_year_column_decides_not_the_date() -> None:
    # the export writes "23 January 2024"; an unreadable date changes nothing
    edited = with_cell(6, "event_date", "sometime")
    assert list(parse_export_csv(edited, NAME)) == list(parse_export_csv(BODY, NAME))


@pytest.mark.parametrize(
    ("row", "column", "value", "reason"),
    [
        (6, "fatalities", "unknown", "fatalities is not a whole number: 'unknown'"),
        (6, "fatalities", "", "fatalities is not a whole number: ''"),
        (11, "fatalities", "-3", "fatalities is negative"),
        (13, "year", "2023.0", "year is not a whole number"),
        (13, "iso", "UKR", "iso is not an ISO numeric code: 'UKR'"),
    ],
)
def test_a_bad_cell_names_the_file_and_row(row: int, column: str, value: str, reason: str) -> None:
    with pytest.raises(ParseError) as raised:
        list(parse_export_csv(with_cell(row, column, value), NAME))
    assert (raised.value.file, raised.value.row) == (NAME, row)
    assert reason in raised.value.reason
    assert str(raised.value).startswith(f"{NAME}, row {row}: ")


def test_a_missing_column_names_the_header_row() -> None:
    edited = BODY.replace(b",fatalities,", b",deaths,", 1)
    with pytest.raises(ParseError, match=rf"^{NAME}, row 1: missing column\(s\) fatalities"):
        list(parse_export_csv(edited, NAME))


def test_a_ragged_row_names_its_row() -> None:
    table = rows()
    table[4].append("extra")
    with pytest.raises(ParseError, match="row 5: 33 fields where the header has 32"):
        list(parse_export_csv(written(table), NAME))


def test_an_api_page_of_strings_gives_the_same_country_years() -> None:
    page = api_page()
    assert {type(value) for event in page["data"] for value in event.values()} == {str}
    observations = parse_api_page(json.dumps(page).encode(), "acled_page1.json")
    assert [(o.country, o.year, o.value, o.country_name) for o in observations] == UKRAINE


def test_a_bad_api_event_names_its_index() -> None:
    page = api_page()
    page["data"][4]["fatalities"] = "several"
    with pytest.raises(ParseError) as raised:
        parse_api_page(json.dumps(page).encode(), "acled_page1.json")
    assert (raised.value.file, raised.value.row) == ("acled_page1.json", "data[4]")
    assert "fatalities is not a whole number: 'several'" in raised.value.reason


def test_an_api_event_without_fatalities_is_refused() -> None:
    page = api_page()
    del page["data"][2]["fatalities"]
    with pytest.raises(ParseError, match=r"row data\[2\]: missing field\(s\) fatalities"):
        parse_api_page(json.dumps(page).encode(), "acled_page1.json")


def test_an_api_error_is_not_read_as_an_empty_page() -> None:
    denied = {"status": 403, "success": False, "messages": ["Access denied"], "data": []}
    with pytest.raises(ParseError, match=r"^p\.json: API error, status 403: \['Access denied'\]"):
        parse_api_page(json.dumps(denied).encode(), "p.json")


def test_an_envelope_without_data_is_refused() -> None:
    page = api_page()
    del page["data"]
    with pytest.raises(ParseError, match="no data"):
        parse_api_page(json.dumps(page).encode(), "p.json")


def test_unreadable_json_names_the_file() -> None:
    with pytest.raises(ParseError, match=r"^p\.json: not readable as JSON") as raised:
        parse_api_page(b'{"status": 200, "data": [', "p.json")
    assert raised.value.row is None
