"""API credentials, from Airflow connections only (the UI, a secrets backend, or an
`AIRFLOW_CONN_<ID>` variable): never from code, the registry or logs."""

from __future__ import annotations

from dataclasses import dataclass, field


class SourceNotConfigured(RuntimeError):
    """A source needs credentials nobody has configured: it is skipped, not failed."""


@dataclass(frozen=True)
class Credentials:
    login: str
    password: str = field(repr=False)  # never in a log line or a traceback's locals


def credentials(conn_id: str, source: str) -> Credentials:
    """The login and password of Airflow connection `conn_id`, or `SourceNotConfigured`
    naming what to set up."""
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        connection = Connection.get(conn_id)
    except AirflowNotFoundException:
        connection = None
    if connection is None or not connection.password:
        raise SourceNotConfigured(
            f"{source}: skipped: no credentials; create the Airflow connection {conn_id!r} "
            f"(login and password, or AIRFLOW_CONN_{conn_id.upper()})"
        )
    return Credentials(connection.login or "", connection.password)
