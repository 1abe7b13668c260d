"""The scheduling examples run the same notebooks with the same parameters as `audit run`.

The Airflow DAG is checked by reading its source: Airflow is not installed here.
"""

from __future__ import annotations

import ast
import json
import shlex

import yaml

from audit import runner
from audit.cli import _parser

from .conftest import REPO

SCHEDULE = REPO / "schedule"


def _notebook_parameters(name: str) -> set[str]:
    nb = json.loads((REPO / "notebooks" / f"{name}.ipynb").read_text())
    cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    tree = ast.parse("".join(cell["source"]))
    return {
        t.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name)
    }


def _audit_args(command: str) -> list[str]:
    words = shlex.split(command)
    return words[words.index(next(w for w in words if w.endswith("audit"))) + 1 :]


def test_airflow_dag_runs_every_notebook_with_the_runner_parameters():
    tree = ast.parse((SCHEDULE / "airflow_dag.py").read_text())
    assigns = {
        t.id: node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    notebooks = ast.literal_eval(assigns["NOTEBOOKS"])
    assert tuple(notebooks) == runner.NOTEBOOKS
    params = {k.value for k in assigns["PARAMETERS"].keys}
    for name in (*notebooks, "summary"):
        assert params == _notebook_parameters(name), name
    calls = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "PapermillOperator"
    ]
    assert len(calls) == 2  # one per check notebook (in a comprehension), and the summary
    for call in calls:
        kw = {k.arg: k.value for k in call.keywords}
        assert ast.literal_eval(kw["kernel_name"]) == runner.KERNEL
        assert getattr(kw["parameters"], "id", None) == "PARAMETERS"
    assert any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.RShift) for n in ast.walk(tree)), (
        "summary runs last"
    )


def test_cron_and_ci_run_the_same_valid_command():
    cron = [
        line
        for line in (SCHEDULE / "crontab").read_text().splitlines()
        if line and not line.startswith(("#", "CRON_TZ"))
    ]
    assert len(cron) == 1 and len(cron[0].split()[:5]) == 5
    cron_args = _audit_args(cron[0].split(" ", 5)[5].split("&&")[1].split(">>")[0])
    workflow = yaml.safe_load((SCHEDULE / "github-actions.yml").read_text())
    step = next(s for s in workflow["jobs"]["audit"]["steps"] if s.get("name") == "audit")
    ci_args = _audit_args(step["run"])
    assert cron_args == ci_args
    args = _parser().parse_args(cron_args)
    assert (args.command, args.config, args.out, args.fail_on) == (
        "run",
        "data_samples/audit.yml",
        "reports",
        "high",
    )
