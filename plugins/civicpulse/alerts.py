"""When a task fails, no night is silent: a summary is written to the data folder's
`reports/failures/`, and sent through the Airflow connection `civicpulse_alerts` when one is
set: an `smtp` connection emails it (the SMTP provider; `extra: {"to": "..."}`), a
`slackwebhook` connection posts it to Slack (the Slack provider; the webhook URL as its
password), any other (`http`: a Teams or any incoming webhook) receives it as JSON
`{"text": ...}`. Without the connection nothing is sent. A callback never raises: a broken
notifier must not hide the failure it reports."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from civicpulse.files import replaced_atomically
from civicpulse.settings import load_settings

log = logging.getLogger(__name__)

CONNECTION = "civicpulse_alerts"


def on_failure(context: Any) -> None:
    """Airflow's `on_failure_callback` for every civicpulse task."""
    try:
        subject, text = failure_summary(context)
        path = write_summary(subject, text)
        log.error("%s: summary in %s", subject, path)
        notify(subject, text)
    except Exception:  # noqa: BLE001 - see the module docstring
        log.exception("civicpulse could not report a task failure")


def failure_summary(context: Any) -> tuple[str, str]:
    """A subject line and a short text: what failed, on which try, and why."""
    ti = context["ti"]
    mapped = f"[{ti.map_index}]" if getattr(ti, "map_index", -1) not in (-1, None) else ""
    subject = f"civicpulse: {ti.dag_id}.{ti.task_id}{mapped} failed ({ti.run_id})"
    error = context.get("exception")
    lines = [
        subject,
        f"try {getattr(ti, 'try_number', '?')}",
        f"error: {type(error).__name__}: {error}" if error else "error: (none given)",
        "run summaries: `civicpulse report`; source states: `civicpulse sources`",
    ]
    return subject, "\n".join(lines)


def write_summary(subject: str, text: str) -> Path:
    settings = load_settings()
    name = "".join(c if c.isalnum() or c in "._-" else "_" for c in subject.split(": ", 1)[1])
    path = settings.reports_root / "failures" / f"{name[:150]}.md"
    with replaced_atomically(path) as staged:
        staged.write_text(text + "\n", encoding="utf-8")
    return path


def notify(subject: str, text: str) -> str | None:
    """Send through the `civicpulse_alerts` connection; which kind it was, or None if unset."""
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        connection = Connection.get(CONNECTION)
    except AirflowNotFoundException:
        return None
    if connection.conn_type in ("smtp", "email"):
        from airflow.providers.smtp.hooks.smtp import SmtpHook

        with SmtpHook(smtp_conn_id=CONNECTION) as hook:
            extra = connection.extra_dejson
            hook.send_email_smtp(
                to=extra.get("to") or connection.login,
                from_email=extra.get("from_email") or connection.login or "civicpulse@localhost",
                subject=subject,
                html_content=f"<pre>{text}</pre>",
            )
    elif connection.conn_type == "slackwebhook":
        from airflow.providers.slack.hooks.slack_webhook import SlackWebhookHook

        SlackWebhookHook(slack_webhook_conn_id=CONNECTION, timeout=10).send(text=text)
    else:
        import requests

        response = requests.post(webhook_url(connection), json={"text": text}, timeout=10)
        response.raise_for_status()
    log.info("failure sent through the %s connection %s", connection.conn_type, CONNECTION)
    return str(connection.conn_type)


def webhook_url(connection: Any) -> str:
    """The URL a webhook connection names: its host when that is a whole URL (as Slack's
    incoming webhooks are usually stored), else scheme://host:port, the scheme being the
    HTTP connection's `schema` (https by default)."""
    host = str(connection.host or "")
    if host.startswith(("http://", "https://")):
        return host
    port = f":{connection.port}" if connection.port else ""
    return f"{connection.schema or 'https'}://{host}{port}"
