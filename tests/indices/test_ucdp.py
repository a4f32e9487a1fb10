"""UCDP: the Battle-Related Deaths v24.1 CSV and GED API rows in, GW country-year deaths out.

Expected values were worked out from the raw files in a scratch script (pandas, by hand), not
read from the parser's output."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable

import pytest

from civicpulse.indices.observations import Observation, ParseError
from civicpulse.indices.ucdp import parse_battle_deaths_csv, parse_ged_api_page
from tests.conftest import FIXTURES

BRD_NAME = "BattleDeaths_v24_1.csv"
BRD = (FIXTURES / "indices" / "ucdp" / BRD_NAME).read_bytes()
GED_NAME = "gedevents_api_Result_rows_Israel_2002.json"
GED = (FIXTURES / "indices" / "ucdp" / GED_NAME).read_bytes()
RUSSIA_UKRAINE_2022 = (
    70  # row (header = 1): 91,723 deaths in "Poland, Russia (Soviet Union), Ukraine"
)
USA_AL_QAIDA_2019 = 1832  # row: gwno_loc "2" (USA), gwno_battle "700" (Afghanistan), 37 deaths


@pytest.fixture(scope="module")
def battle_deaths() -> dict[tuple[str, int], Observation]:
    return by_country_year(parse_battle_deaths_csv(BRD, BRD_NAME))


def by_country_year(observations: Iterable[Observation]) -> dict[tuple[str, int], Observation]:
    result: dict[tuple[str, int], Observation] = {}
    for o in observations:
        assert (o.country, o.year) not in result, "one observation per country-year"
        result[o.country, o.year] = o
    return result


def with_cell(row: int, column: str, value: str, body: bytes = BRD) -> bytes:
    """The published file with one cell changed (header = row 1), quoted as published."""
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    rows[row - 1][rows[0].index(column)] = value
    text = io.StringIO()
    csv.writer(text, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    return text.getvalue().encode("utf-8")


def test_rewriting_the_file_is_byte_exact() -> None:
    # the helper's edits change only the cell they name
    assert with_cell(2, "year", "2012") == BRD


def test_country_years_carry_gw_numbers_and_keep_the_total(
    battle_deaths: dict[tuple[str, int], Observation],
) -> None:
    assert len(battle_deaths) == 1165  # distinct (gwno_battle code, year) pairs
    assert {o.indicator_id for o in battle_deaths.values()} == {"ucdp_battle_deaths"}
    assert {o.scheme for o in battle_deaths.values()} == {"gw"}
    assert {o.year for o in battle_deaths.values()} == set(range(1989, 2024))
    # splitting moves deaths between countries but loses none: the sum of bd_best over 1,920 rows
    assert sum(o.value or 0 for o in battle_deaths.values()) == pytest.approx(2_226_798)


def test_single_country_dyads_are_summed(battle_deaths: dict[tuple[str, int], Observation]) -> None:
    # Israel 2002: Fatah 62 + Hamas 195 + PIJ 107 + PNA 116 + AMB 133
    israel = battle_deaths["666", 2002]
    assert (israel.value, israel.country_name) == (613, "Israel")


def test_deaths_go_where_the_battles_were_not_where_the_incompatibility_is(
    battle_deaths: dict[tuple[str, int], Observation],
) -> None:
    # Afghanistan 2019: IS 1,075 + Taleban 28,828 + the USA's war with al-Qaida, fought there: 37
    assert battle_deaths["700", 2019].value == 29_940
    # the USA (gwno_loc of the al-Qaida dyad) has battle deaths on its soil only in 2001
    assert sorted(year for code, year in battle_deaths if code == "2") == [2001]


def test_a_multi_country_battle_location_is_split_evenly(
    battle_deaths: dict[tuple[str, int], Observation],
) -> None:
    # row 70: 91,723 deaths across Poland, Russia and Ukraine; Ukraine also has DPR's 29
    assert battle_deaths["290", 2022].value == pytest.approx(91_723 / 3)
    assert battle_deaths["365", 2022].value == pytest.approx(91_723 / 3)
    assert battle_deaths["369", 2022].value == pytest.approx(91_723 / 3 + 29)
    # Sudan–South Sudan 2012, 367 deaths, lists gwno_battle "626, 625": halves, plus each one's own
    assert battle_deaths["625", 2012].value == pytest.approx(367 / 2 + 1173)
    assert battle_deaths["626", 2012].value == pytest.approx(367 / 2 + 137)


def test_names_pair_with_codes_in_battle_location_order(
    battle_deaths: dict[tuple[str, int], Observation],
) -> None:
    # "South Sudan, Sudan" / "626, 625": alphabetical names, codes in the same order
    assert battle_deaths["625", 2012].country_name == "Sudan"
    assert battle_deaths["626", 2012].country_name == "South Sudan"
    assert battle_deaths["290", 2022].country_name == "Poland"
    assert battle_deaths["365", 2022].country_name == "Russia (Soviet Union)"
    assert battle_deaths["490", 2000].country_name == "DR Congo (Zaire)"


def test_gwno_loc_is_the_fallback_when_gwno_battle_is_empty() -> None:
    edited = with_cell(USA_AL_QAIDA_2019, "gwno_battle", "")
    observations = by_country_year(parse_battle_deaths_csv(edited, BRD_NAME))
    assert observations["2", 2019].value == 37
    assert observations["2", 2019].country_name == "United States of America"
    assert observations["700", 2019].value == 29_940 - 37


def test_a_multi_country_fallback_is_split_without_names() -> None:
    # gwno_loc "365, 369" is in numeric order, location_inc in alphabetical: they need not pair
    edited = with_cell(RUSSIA_UKRAINE_2022, "gwno_battle", "")
    observations = by_country_year(parse_battle_deaths_csv(edited, BRD_NAME))
    assert ("290", 2022) not in observations
    assert observations["365", 2022].value == pytest.approx(91_723 / 2)
    assert observations["365", 2022].country_name is None


@pytest.mark.parametrize(
    ("row", "column", "value", "reason"),
    [
        (RUSSIA_UKRAINE_2022, "bd_best", "n/a", "bd_best is not a whole number: 'n/a'"),
        (RUSSIA_UKRAINE_2022, "bd_best", "", "bd_best is not a whole number: ''"),
        (USA_AL_QAIDA_2019, "bd_best", "-37", "bd_best is negative"),
        (USA_AL_QAIDA_2019, "year", "2019a", "year is not a whole number"),
        (USA_AL_QAIDA_2019, "gwno_battle", "Afghanistan", "gwno_battle is not a list of GW"),
    ],
)
def test_a_bad_cell_names_the_file_and_row(row: int, column: str, value: str, reason: str) -> None:
    with pytest.raises(ParseError) as raised:
        list(parse_battle_deaths_csv(with_cell(row, column, value), BRD_NAME))
    assert (raised.value.file, raised.value.row) == (BRD_NAME, row)
    assert reason in raised.value.reason
    assert str(raised.value).startswith(f"{BRD_NAME}, row {row}: ")


def test_a_missing_column_names_the_header_row() -> None:
    edited = BRD.replace(b'"bd_best"', b'"best"', 1)
    with pytest.raises(ParseError, match=r"row 1: missing column\(s\) bd_best") as raised:
        list(parse_battle_deaths_csv(edited, BRD_NAME))
    assert raised.value.file == BRD_NAME


def test_a_headerless_file_is_refused() -> None:
    # UCDP's candidate release 24.0.1 CSV came without a header row
    headerless = BRD.split(b"\n", 1)[1]
    with pytest.raises(ParseError, match="row 1: missing column"):
        list(parse_battle_deaths_csv(headerless, BRD_NAME))


def test_a_short_row_names_its_row() -> None:
    lines = BRD.split(b"\n")
    lines[9] = lines[9].rsplit(b",", 1)[0]  # row 10 loses its last field
    with pytest.raises(ParseError, match="row 10: 24 fields where the header has 25"):
        list(parse_battle_deaths_csv(b"\n".join(lines), BRD_NAME))


def test_ged_rows_sum_by_country_and_year() -> None:
    observations, next_url = parse_ged_api_page(GED, GED_NAME)
    assert next_url is None  # a bare Result list has no envelope
    # 373 events: 370 Israel 2002, 2 Israel 2003 (2 deaths each) and one Lebanon 2002 with none
    assert [(o.country, o.year, o.value, o.country_name) for o in observations] == [
        ("660", 2002, 0, "Lebanon"),
        ("666", 2002, 880, "Israel"),
        ("666", 2003, 4, "Israel"),
    ]
    assert {(o.indicator_id, o.scheme) for o in observations} == {("ucdp_ged_deaths", "gw")}


def ged_page(rows: list[object], page: int, pages: int) -> bytes:
    """The API envelope around real Result rows, as the uploader's concatenation removed it."""
    url = "https://ucdpapi.pcr.uu.se/api/gedevents/19.1?pagesize=200&Country=666&page={}"
    return json.dumps(
        {
            "TotalCount": 373,
            "TotalPages": pages,
            "PreviousPageUrl": url.format(page - 1) if page > 1 else "",
            "NextPageUrl": url.format(page + 1) if page < pages else "",
            "Result": rows,
        }
    ).encode()


def test_ged_pages_return_the_next_url_and_add_up_per_country_year() -> None:
    rows = json.loads(GED)
    first, last = ged_page(rows[:200], 1, 2), ged_page(rows[200:], 2, 2)
    page_one, next_url = parse_ged_api_page(first, "page1.json")
    page_two, no_more = parse_ged_api_page(last, "page2.json")
    assert (
        next_url == "https://ucdpapi.pcr.uu.se/api/gedevents/19.1?pagesize=200&Country=666&page=2"
    )
    assert no_more is None
    totals: defaultdict[tuple[str, int], float] = defaultdict(float)
    for o in page_one + page_two:
        totals[o.country, o.year] += o.value or 0
    assert totals["666", 2002] == 880  # the caller's sum over pages, not either page alone
    assert all(o.value != 880 for o in page_one + page_two if (o.country, o.year) == ("666", 2002))


def test_an_envelope_without_next_page_url_is_refused() -> None:
    body = json.dumps({"TotalCount": 0, "Result": []}).encode()
    with pytest.raises(ParseError, match="no NextPageUrl"):
        parse_ged_api_page(body, "page.json")


def test_unreadable_json_names_the_file() -> None:
    with pytest.raises(ParseError, match=r"^gedevents.json: not readable as JSON") as raised:
        parse_ged_api_page(GED[:-10], "gedevents.json")
    assert raised.value.row is None


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [("best", "many", "best is not a whole number: 'many'"), ("best", None, "best is not")],
)
def test_a_bad_ged_event_names_its_index(field: str, value: object, reason: str) -> None:
    rows = json.loads(GED)
    rows[5][field] = value
    with pytest.raises(ParseError) as raised:
        parse_ged_api_page(json.dumps(rows).encode(), GED_NAME)
    assert (raised.value.file, raised.value.row) == (GED_NAME, "Result[5]")
    assert reason in raised.value.reason


def test_a_ged_event_without_country_id_is_refused() -> None:
    rows = json.loads(GED)
    del rows[7]["country_id"]
    with pytest.raises(ParseError, match=r"row Result\[7\]: missing field\(s\) country_id"):
        parse_ged_api_page(json.dumps(rows).encode(), GED_NAME)
