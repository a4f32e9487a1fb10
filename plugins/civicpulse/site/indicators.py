"""Which indicators the site headlines and charts: the country-year panel's choice, so the
site and the panel show the same series (the WGI estimates, UCDP's battle deaths)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)

WGI = (
    "GOV_WGI_VA.EST",
    "GOV_WGI_PV.EST",
    "GOV_WGI_GE.EST",
    "GOV_WGI_RQ.EST",
    "GOV_WGI_RL.EST",
    "GOV_WGI_CC.EST",
)

# Display order of a country's headline table (as the panel's columns).
HEADLINE = (
    "cpi_score",
    *WGI,
    "SG.LAW.INDX",
    "hdi",
    "gii",
    "fsi_total",
    "ucdp_battle_deaths",
    "NY.GDP.PCAP.CD",
    "SP.POP.TOTL",
    "SG.GEN.PARL.ZS",
)


@dataclass(frozen=True)
class ChartSpec:
    """One trend chart: its series are indicators on a shared y axis."""

    chart_id: str
    title: str
    kind: str  # a Chart.js type: "line" or "bar"
    indicator_ids: tuple[str, ...]


CHARTS = (
    ChartSpec("cpi", "Corruption Perceptions Index (0–100)", "line", ("cpi_score",)),
    ChartSpec("wgi", "Worldwide Governance Indicators (estimate, about −2.5 to 2.5)", "line", WGI),
    ChartSpec("hdi_gii", "Human Development and Gender Inequality (0–1)", "line", ("hdi", "gii")),
    ChartSpec("fsi", "Fragile States Index, total (0–120)", "line", ("fsi_total",)),
    ChartSpec("battle_deaths", "Battle-related deaths (UCDP)", "bar", ("ucdp_battle_deaths",)),
)

CHARTED = tuple(dict.fromkeys(i for chart in CHARTS for i in chart.indicator_ids))
