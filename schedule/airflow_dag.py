"""Airflow DAG: the audit notebooks with PapermillOperator, the same parameters as `audit run`.

Each notebook runs on the project's kernel (``spectra-audit``, installed by ``make setup`` or
by the first ``audit run``), writes its findings into the run folder, and the summary runs
last. ``audit run`` itself is the simpler choice (a BashOperator calling it gives the atomic
run folder, the history and exit codes); this DAG is for teams that want one task per
notebook. Copy it into the DAGs folder and set AUDIT_HOME.
"""

from __future__ import annotations

import os
from datetime import datetime

from airflow import DAG
from airflow.providers.papermill.operators.papermill import PapermillOperator

AUDIT_HOME = os.environ.get("AUDIT_HOME", "/srv/spectra-audit")
NOTEBOOKS = ("inventory", "minors", "retention", "credentials_payment", "rights_sharing_cookies")
RUN = AUDIT_HOME + "/reports/airflow/{{ ds }}"
PARAMETERS = {
    "config": AUDIT_HOME + "/data_samples/audit.yml",
    "as_of": "{{ ds }}",
    "out_dir": RUN,
    "sample_size": 10000,
}

with DAG(
    dag_id="privacy_audit",
    schedule="30 2 * * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["privacy"],
) as dag:
    checks = [
        PapermillOperator(
            task_id=name,
            input_nb=f"{AUDIT_HOME}/notebooks/{name}.ipynb",
            output_nb=f"{RUN}/{name}.ipynb",
            parameters=PARAMETERS,
            kernel_name="spectra-audit",
        )
        for name in NOTEBOOKS
    ]
    collect = PapermillOperator(
        task_id="summary",
        input_nb=f"{AUDIT_HOME}/notebooks/summary.ipynb",
        output_nb=f"{RUN}/summary.ipynb",
        parameters=PARAMETERS,
        kernel_name="spectra-audit",
    )
    checks >> collect
