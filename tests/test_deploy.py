"""What the container image and the deploy examples run, checked outside a container (no container
registry is reachable where the tests run): the image's entry point and environment, its health
check against a real process, and the compose and Kubernetes files against what the bot serves."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import aiohttp
import yaml

from bot.config import Settings
from tests.processes import env_for, free_port, salesbot, stop, wait_ready

ROOT = Path(__file__).parent.parent


def dockerfile() -> dict:
    """The final stage's ENV, USER, ENTRYPOINT, CMD and HEALTHCHECK command."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    final = text.rsplit("\nFROM ", 1)[1]
    env = {}
    for line in re.findall(r"^ENV (.+)$", final, re.MULTILINE):
        env.update(dict(part.split("=", 1) for part in shlex.split(line)))
    return {
        "env": env,
        "user": re.search(r"^USER (\S+)", final, re.MULTILINE).group(1),
        "entrypoint": json.loads(re.search(r"^ENTRYPOINT (.+)$", final, re.MULTILINE).group(1)),
        "cmd": json.loads(re.search(r"^CMD (.+)$", final, re.MULTILINE).group(1)),
        "healthcheck": json.loads(
            re.search(r"^HEALTHCHECK .*?CMD (\[.+\])\s*$", final, re.MULTILINE).group(1)
        ),
        "final": final,
    }


def healthcheck(command: list[str], env: dict) -> int:
    assert command[0] == "python"
    return subprocess.run([sys.executable, *command[1:]], env=env, capture_output=True, timeout=10).returncode


async def test_the_images_entry_point_serves_and_its_health_check_follows_the_process(tmp_path):
    image = dockerfile()
    assert image["user"] != "root" and "pip install" not in image["final"] and "gcc" not in image["final"]
    assert image["entrypoint"] == ["salesbot"] and image["cmd"] == ["serve"]
    port = free_port()
    base = env_for(None, f"sqlite:///{tmp_path / 'bot.db'}", port)
    # The image's environment as it is (HOST=0.0.0.0, LOG_FORMAT=json...), on a free port and this PATH.
    env = {**base, **image["env"], "PORT": str(port), "PATH": base["PATH"]}
    proc = salesbot(*image["cmd"], env=env)
    try:
        await wait_ready(f"http://127.0.0.1:{port}/healthz", proc)
        assert healthcheck(image["healthcheck"], env) == 0
        proc.terminate()  # what `docker stop` sends to PID 1
        _, err = proc.communicate(timeout=15)
    finally:
        stop(proc)
    assert proc.returncode == 0 and "Traceback" not in err
    assert all(json.loads(line)["level"] for line in err.splitlines())  # LOG_FORMAT=json: every line
    assert healthcheck(image["healthcheck"], env) != 0  # the process is gone: unhealthy


def test_compose_runs_the_bot_and_postgresql_16_with_a_volume_and_the_env_file():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert services["db"]["image"] == "postgres:16"
    assert any(v.endswith(":/var/lib/postgresql/data") for v in services["db"]["volumes"])
    assert set(compose["volumes"]) == {v.split(":")[0] for v in services["db"]["volumes"]}
    assert services["bot"]["env_file"] == ".env" and services["bot"]["command"] == ["serve"]
    assert services["migrate"]["command"] == ["migrate"]
    assert services["bot"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["bot"]["environment"]["DATABASE_URL"].startswith("postgresql://")


async def test_the_kubernetes_example_probes_paths_the_bot_serves(tmp_path):
    folder = ROOT / "deploy" / "kubernetes"
    docs = [d for f in sorted(folder.glob("*.yaml")) for d in yaml.safe_load_all(f.read_text())]
    by_kind = {d["kind"]: d for d in docs}
    deployment, secret, job = by_kind["Deployment"], by_kind["Secret"], by_kind["Job"]
    assert deployment["spec"]["replicas"] >= 2
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["envFrom"] == [{"secretRef": {"name": secret["metadata"]["name"]}}]
    assert job["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate"]
    assert set(secret["stringData"]) >= {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "DATABASE_URL"}
    paths = {container["livenessProbe"]["httpGet"]["path"], container["readinessProbe"]["httpGet"]["path"]}
    assert paths == {"/healthz", "/readyz"}
    port = free_port()
    proc = salesbot(*container["args"], env=env_for(None, f"sqlite:///{tmp_path / 'k.db'}", port))
    try:
        await wait_ready(f"http://127.0.0.1:{port}/readyz", proc)
        async with aiohttp.ClientSession() as http:
            for path in sorted(paths):
                async with http.get(f"http://127.0.0.1:{port}{path}") as resp:
                    assert resp.status == 200, path
    finally:
        stop(proc)


def test_every_setting_is_in_the_readme_with_its_default():
    readme = (ROOT / "README.md").read_text()
    rows = dict(re.findall(r"^\| `([A-Z_]+)`(?:, `[A-Z_]+`)? \| .*? \| (.+?) \|$", readme, re.MULTILINE))
    rows.update({"SLACK_CLIENT_SECRET": rows.get("SLACK_CLIENT_ID", "")})
    missing = [name.upper() for name in Settings.model_fields if name.upper() not in rows]
    assert missing == []
    for name, field in Settings.model_fields.items():
        default = field.default
        if isinstance(default, str) and default:
            assert f"`{default}`" in rows[name.upper()], name
        elif isinstance(default, bool):
            assert rows[name.upper()] == ("`1`" if default else "`0`"), name
        elif isinstance(default, int | float):
            assert rows[name.upper()] == f"`{default:g}`", name
