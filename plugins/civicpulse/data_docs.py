"""GX's own Data Docs for every kept validation (`dq.py`'s `quality/`), rebuilt whole in a
throwaway GX project and swapped into the data folder's `reports/data_docs/`, so a reader
never opens half a site; the index lists every result without the CDN scripts GX links."""

from __future__ import annotations

import logging
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from civicpulse.dq import stored_validations
from civicpulse.files import replaced_folder
from civicpulse.quality import SuiteError, expectations_dir, load_suite_definition
from civicpulse.settings import Settings, load_settings

log = logging.getLogger(__name__)

SITE = "data_docs"

# GX's index lists suites and results in bootstrap-table, filled by jQuery from CDNs and
# linked to their pages by script: offline it is empty. These replace that template with a
# table written into the page, each row's first cell a link, and give GX's Font Awesome status
# icons a text glyph (the font is on a CDN too). Pages keep GX's other CDN links: online they
# style the site; offline it reads unstyled but whole.
OFFLINE_TEMPLATES = {
    "bootstrap_table.j2": """{% include 'content_block_header.j2' %}
{% set columns = content_block["table_columns"] %}
{% set rows = content_block["table_data"] | render_bootstrap_table_data %}
{% if rows and "_run_time_sort" in rows[0] %}
  {% set rows = rows | sort(attribute="_run_time_sort", reverse=true) %}
{% endif %}
<table class="table table-sm table-hover">
  <thead><tr>{% for column in columns %}<th>{{ column["title"] }}</th>{% endfor %}</tr></thead>
  <tbody>
  {% for row in rows %}
    <tr>{% for column in columns %}<td>
      {%- if column["field"] == "validation_success" and "_validation_success_text" in row -%}
        {%- set cell = row["_validation_success_text"] -%}
      {%- else -%}
        {%- set cell = row.get(column["field"], "") | string -%}
      {%- endif -%}
      {%- if loop.first and "_table_row_link_path" in row and "<a " not in cell -%}
        <a href="{{ row["_table_row_link_path"] }}">{{ cell }}</a>
      {%- else -%}
        {{ cell }}
      {%- endif -%}
    </td>{% endfor %}</tr>
  {% endfor %}
  </tbody>
</table>
""",
    "data_docs_custom_styles.css": """
.fas.fa-check-circle::before { content: "\\2714"; font-family: sans-serif; }
.fas.fa-times::before { content: "\\2716"; font-family: sans-serif; }
.fas.fa-exclamation-triangle::before { content: "\\26A0"; font-family: sans-serif; }
""",
}


def build_data_docs(settings: Settings | None = None) -> Path:
    """Render every kept validation and every reviewed suite as GX Data Docs into
    `reports/data_docs/`, replacing the previous site whole; return its `index.html`.
    A kept validation that cannot be read is skipped and named in the log."""
    settings = settings or load_settings()
    documents = stored_validations(settings)

    final = settings.reports_root / SITE
    with (
        replaced_folder(final) as staging,
        tempfile.TemporaryDirectory(prefix="civicpulse-gx-") as project,
    ):
        context = _context(Path(project))
        suites = _add_suites(context)
        results = _add_results(context, documents)
        _render(context, staging)
    log.info("data docs: %d suites, %d validation results in %s", suites, results, final)
    return final / "index.html"


def _context(project: Path) -> Any:
    """A GX file context in `project`, quiet: no analytics, progress bars or INFO lines.
    A file context, as an ephemeral one keeps no validation results to render."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    gx_log = logging.getLogger("great_expectations")
    gx_log.setLevel(logging.WARNING)  # its import logs hundreds of INFO lines
    import great_expectations as gx

    gx_log.setLevel(logging.WARNING)  # and it resets the level on import
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="file", project_root_dir=str(project))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def _add_suites(context: Any) -> int:
    """Every reviewed suite, so each has its page; an unusable one is logged and skipped
    (its own validations already failed on it)."""
    import great_expectations as gx

    added = 0
    directory = expectations_dir()
    for path in sorted(directory.glob("*.json")):
        try:
            definition = load_suite_definition(path.stem, directory)
        except SuiteError as error:
            log.error("data docs: suite skipped: %s", error)
            continue
        context.suites.add(
            gx.ExpectationSuite(name=definition["name"], expectations=definition["expectations"])
        )
        added += 1
    return added


def _add_results(context: Any, documents: list[tuple[Path, dict[str, Any]]]) -> int:
    """Put each kept GX result in the context's validation results store, keyed by suite,
    run (named by the day, timed when validated) and batch (`<source>__<entity>__<ds>`);
    one that GX cannot read back is logged and skipped."""
    from great_expectations.core.expectation_validation_result import (
        ExpectationSuiteValidationResultSchema,
    )
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    schema = ExpectationSuiteValidationResultSchema()
    added = 0
    for path, document in documents:
        try:
            source, entity, ds = document["source"], document["entity"], document["ds"]
            validated_at = datetime.fromisoformat(document["validated_at"])
            run_id = RunIdentifier(run_name=ds, run_time=validated_at)
            result = schema.load(_for_display(document, run_id.to_json_dict()))
            key = ValidationResultIdentifier(
                expectation_suite_identifier=ExpectationSuiteIdentifier(name=result.suite_name),
                run_id=run_id,
                batch_identifier=f"{source}__{entity}__{ds}",
            )
            context.validation_results_store.set(key, result)
        except Exception as error:  # whatever one record holds, it must not cost the site
            log.error("%s: validation record not rendered, skipped: %r", path, error)
            continue
        added += 1
    return added


def _for_display(document: dict[str, Any], run_id: dict[str, Any]) -> dict[str, Any]:
    """The kept GX result with what its page shows filled in: the run (GX sets it only in a
    checkpoint), the asset as `<source>/<entity>` (quality.py names it by suite), the batch's
    source, entity and day, and what became of it (published, quarantined)."""
    gx_result = dict(document["gx_result"])
    meta = dict(gx_result.get("meta") or {})
    meta["run_id"] = run_id
    meta["batch_spec"] = {
        **(meta.get("batch_spec") or {}),
        "data_asset_name": f"{document['source']}/{document['entity']}",
    }
    meta["batch_parameters"] = {k: document[k] for k in ("source", "entity", "ds")}
    meta["batch_markers"] = {**(meta.get("batch_markers") or {}), "outcome": document["outcome"]}
    gx_result["meta"] = meta
    return gx_result


def _render(context: Any, folder: Path) -> None:
    """Build the site into `folder` with GX's site builder, as `context.build_data_docs()`
    would for a configured site, but with `OFFLINE_TEMPLATES` ahead of GX's templates."""
    import jinja2
    from great_expectations.render.renderer.site_builder import SiteBuilder

    builder = SiteBuilder(
        data_context=context,
        store_backend={"class_name": "TupleFilesystemStoreBackend", "base_directory": str(folder)},
        site_name=SITE,
        show_how_to_buttons=False,
    )
    sections = builder.site_section_builders.values()
    for view in [builder.site_index_builder.view_class, *(s.view_class for s in sections)]:
        view.env.loader = jinja2.ChoiceLoader(
            [jinja2.DictLoader(OFFLINE_TEMPLATES), view.env.loader]
        )
    builder.build()
