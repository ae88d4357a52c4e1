"""The conda environment and the pip package declare the same dependencies (conda is not installable here)."""

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
