"""The project's own habits: pinned and mirrored dependencies, clean notebooks, documented checks."""

from __future__ import annotations

import json
import re
import tomllib

import yaml

from audit.checks import CHECKS

from .conftest import REPO


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    wanted = set(project["dependencies"]).union(*extras.values())
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert {p for p in pip if not p.startswith("-e")} == wanted
    assert all("==" in d for d in wanted), "pin exact versions of what was tested"


def test_notebooks_have_no_outputs_and_no_logic():
    for nb_path in (REPO / "notebooks").glob("*.ipynb"):
        nb = json.loads(nb_path.read_text())
        tags = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tags) == 1, f"{nb_path.name}: one parameters cell"
        assert nb["metadata"]["kernelspec"]["name"] == "spectra-audit"
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                src = "".join(cell["source"])
                assert not cell.get("outputs"), f"{nb_path.name}: commit without outputs"
                assert not re.search(r"^\s*(def|class|lambda)\b", src, re.M), (
                    f"{nb_path.name}: logic belongs in src/audit"
                )


def test_every_registered_check_is_documented_and_tested():
    readme = (REPO / "README.md").read_text()
    tests = "".join(p.read_text() for p in (REPO / "tests").glob("test_*.py"))
    for check in CHECKS:
        assert f"| `{check}` |" in readme, f"{check} missing from README's check table"
        assert f'"{check}"' in tests, f"{check} has no test naming it"


def test_policy_clauses_cover_the_written_policy():
    from audit.config import DEFAULT_POLICY, load_policy

    policy = load_policy(DEFAULT_POLICY)
    headings = [c.heading for c in policy.clauses]
    assert headings == [
        "Data We Collect",
        "How We Use Data",
        "Legal Basis",
        "Sharing & Disclosure",
        "Security",
        "Data Retention",
        "Your Rights",
        "Cookies & Tracking",
        "Children",
        "Changes",
        "Contact",
    ]
    assert "date_of_birth" not in policy.declared_categories  # §1 does not declare it
    assert policy.minimum_age.value == 13 and not policy.minimum_age.interpretation
    assert policy.minor_age.interpretation and policy.minor_age.reason
    for kind, rule in policy.retention.items():
        assert rule.interpretation == (kind != "usage_log") and (rule.reason or kind == "usage_log")
    for check in CHECKS:
        assert policy.clause_of(check) != "Unassigned"
