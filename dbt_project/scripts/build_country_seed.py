"""Regenerate `seeds/countries.csv` from maintained libraries: `make countries`.

hdx-python-country (OCHA's countries and territories taxonomy, read from its bundled copy,
never the network) gives codes, names in English, French and Spanish, a name regex, region
and World Bank income group; country_converter adds Gleditsch–Ward numbers. Both run in an
isolated environment at pinned versions (see the Makefile), not in the platform's: only the
committed CSV is used at run time. Reviewed corrections live in `country_exceptions.csv`.
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path

import country_converter
from hdx.location.country import Country

SEED = Path(__file__).resolve().parents[1] / "seeds" / "countries.csv"
COLUMNS = [
    "iso3",
    "iso2",
    "iso_numeric",
    "gw_code",
    "name_en",
    "name_fr",
    "name_es",
    "region",
    "subregion",
    "income_group",
    "name_regex",
]


def gw_codes() -> dict[str, str]:
    data = country_converter.CountryConverter().data
    return {
        str(row.ISO3): str(int(row.GWcode))
        for row in data.itertuples()
        if isinstance(row.GWcode, (int, float)) and row.GWcode == row.GWcode  # not NaN
    }


def rows() -> list[dict[str, str]]:
    Country.set_use_live_default(False)
    taxonomy = Country.countriesdata(include_unofficial=True)["countries"]
    gw = gw_codes()
    out = []
    for iso3, info in sorted(taxonomy.items()):
        numeric = info.get("m49 numerical code") or ""
        out.append(
            {
                "iso3": iso3,
                "iso2": info.get("ISO 3166-1 Alpha 2-Codes") or info.get("x Alpha2 codes") or "",
                "iso_numeric": f"{int(numeric):03d}" if numeric else "",
                "gw_code": gw.get(iso3, ""),
                "name_en": info.get("English Short") or info.get("Preferred Term") or "",
                "name_fr": info.get("French Short") or "",
                "name_es": info.get("Spanish Short") or "",
                "region": info.get("Region Name") or "",
                "subregion": info.get("Intermediate Region Name")
                or info.get("Sub-region Name")
                or "",
                "income_group": info.get("World Bank Income Level") or "",
                "name_regex": info.get("Regex") or "",
            }
        )
    return out


def main() -> None:
    logging.getLogger("country_converter").setLevel(logging.ERROR)
    with SEED.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows())
    print(f"wrote {SEED}")


if __name__ == "__main__":
    main()
