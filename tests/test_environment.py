"""The conda environment and the pip package declare the same dependencies (conda is not installable here); the
Makefile sets up what a user starts (CI, JupyterLab) as the README says."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _normalise(spec: str) -> tuple[str, str]:
    spec = spec.replace(" ", "")
    name, version = re.match(r"^([A-Za-z0-9_.\-]+)(.*)$", spec).groups()
    return name.lower().replace("_", "-"), version


def pip_dependencies() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = [s for group in project.get("optional-dependencies", {}).values() for s in group]
    return dict(_normalise(s) for s in [*project["dependencies"], *extras])


def conda_dependencies() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    deps = [d for d in env["dependencies"] if isinstance(d, str) and not d.startswith(("python=", "pip"))]
    pip_extra = [d for d in env["dependencies"] if isinstance(d, dict)]
    pip_specs = [s for block in pip_extra for s in block.get("pip", []) if not s.startswith("-e")]
    return dict(_normalise(s) for s in deps + pip_specs)


def test_environment_yml_and_pyproject_list_the_same_dependencies_and_versions():
    assert conda_dependencies() == pip_dependencies()


def test_matplotlib_is_pinned_below_3_13_for_seaborn_boxplot():
    # seaborn 0.13.2's boxplot passes `vert`, which matplotlib 3.13 removes.
    assert pip_dependencies()["matplotlib"].endswith("<3.13")
    assert pip_dependencies()["seaborn"] == "==0.13.2"


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [line.strip() for line in ci.splitlines() if line.strip() and not line.startswith(("#", "set ", "cd "))]
    assert commands == ["make test"]
    assert "make test" in readme and "make report" in readme


def test_make_lab_offers_only_the_project_kernel_and_no_news_pop_up():
    # Looked at in headless Chromium: the launcher offered "Python 3 (ipykernel)", the lab's own Python (no pandas,
    # no package: ModuleNotFoundError in the first cell), and a "get notified about official Jupyter news?" toast
    # met every first start.
    import json
    import shutil
    import subprocess

    if shutil.which("make") is None:
        import pytest

        pytest.skip("make is part of the set-up")
    # -B: what a first `make lab` does, whatever this checkout has installed already
    plan = subprocess.run(["make", "-n", "-B", "-C", str(ROOT), "lab"], capture_output=True, text=True, check=True).stdout
    start = next(line for line in plan.splitlines() if " lab " in line and "/bin/jupyter" in line)
    kernels = {json.loads(p.read_text(encoding="utf-8"))["metadata"]["kernelspec"]["name"]
               for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert kernels == {"krihs-analysis"}
    assert "--KernelSpecManager.allowed_kernelspecs=krihs-analysis" in start.split()
    assert "--MultiKernelManager.default_kernel_name=krihs-analysis" in start.split()
    # the settings JupyterLab reads as its defaults, put where it reads them
    assert "cp scripts/jupyterlab-overrides.json .venv-lab/share/jupyter/lab/settings/overrides.json" in plan
    assert plan.index("overrides.json") < plan.index(start)
    settings = json.loads((ROOT / "scripts" / "jupyterlab-overrides.json").read_text(encoding="utf-8"))
    assert settings["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false", "checkForUpdates": False}
    # where `make lab` has installed the lab, each value against the schema JupyterLab checks it with (a boolean
    # false for fetchNews would be refused, and the pop-up would come back)
    schemas = ROOT / ".venv-lab" / "share" / "jupyter" / "lab" / "schemas"
    for plugin, values in settings.items():
        package, _, name = plugin.partition(":")
        schema_file = schemas / package / f"{name}.json"
        if not schema_file.is_file():
            continue
        properties = json.loads(schema_file.read_text(encoding="utf-8"))["properties"]
        for key, value in values.items():
            spec = properties[key]
            assert {"string": str, "boolean": bool}[spec["type"]] is type(value), (key, value)
            assert value in [c["const"] for c in spec.get("oneOf", [])] or "oneOf" not in spec, (key, value)
