"""The peer: great-expectations used the obvious way on the same Parquet workload.

One column expectation per rule, on GX's pandas engine, with the default result format
(SUMMARY), after the least pandas it takes to give each rule a column (ages, elapsed
times, parsed timestamps). It does less than the audit: no card-number scan, no cookie
consent join, no deletion search, no inventory. Its time is therefore a floor for what the
obvious approach costs. Prints ``{"seconds": ..., "violations": {...}}``.

Usage: ``python -m benchmarks.peer WORKLOAD/parquet.yml``
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ["GX_ANALYTICS_ENABLED"] = "false"

import great_expectations as gx  # noqa: E402
import great_expectations.expectations as gxe  # noqa: E402
import pandas as pd  # noqa: E402
import yaml  # noqa: E402

from audit.detect import HASHED, SECURITY_CODE_VALUE  # noqa: E402

APPROVED = ["hosting provider", "payment processor", "analytics provider", "law enforcement"]
PROHIBITED = ["sale", "selling", "data sale", "data brokerage", "advertising resale"]


def ts(s: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(s):
        return s
    return pd.to_datetime(s.replace("", None), utc=True, format="ISO8601", errors="coerce")


def main(argv: list[str]) -> None:
    t0 = time.perf_counter()
    cfg_path = Path(argv[0])
    cfg = yaml.safe_load(cfg_path.read_text())
    root = cfg_path.parent / cfg["sources"]["files"]["path"]
    as_of = pd.Timestamp(str(cfg["as_of"]), tz="UTC")
    cutoff = pd.Timestamp(as_of.year - 2, as_of.month, as_of.day, tz="UTC")
    ctx = gx.get_context(mode="ephemeral")
    ctx.enable_analytics(False)
    source = ctx.data_sources.add_pandas("peer")
    counts: dict[str, int] = {}

    def validate(name: str, df: pd.DataFrame, exps: list) -> None:
        asset = source.add_dataframe_asset(name)
        batch = asset.add_batch_definition_whole_dataframe("all").get_batch(
            batch_parameters={"dataframe": df}
        )
        suite = gx.ExpectationSuite(name=name)
        for e in exps:
            suite.add_expectation(e)
        res = batch.validate(suite)  # the default result format
        for r in res.results:
            kw = r.expectation_config.kwargs
            counts[f"{name}:{r.expectation_config.type}:{kw.get('column', kw.get('column_A'))}"] = (
                int(r.result.get("unexpected_count") or 0)
            )

    ds = cfg["datasets"]
    for name, spec in ds.items():
        df = pd.concat(
            [pd.read_parquet(p) for p in sorted(root.glob(spec["files"]))], ignore_index=True
        )
        r = spec.get("roles", {})
        exps: list = []
        if spec["kind"] == "accounts":
            dob, created = ts(df[r["date_of_birth"]]), ts(df[r["created_at"]]).fillna(as_of)
            df["age_signup"] = (created - dob).dt.days / 365.2425
            df["minor"] = ((as_of - dob).dt.days / 365.2425 < 18).astype("str")
            df["flag"] = (
                df[r["minor_flag"]].str.lower().isin(["1", "y", "yes", "true"]).astype("str")
            )
            exps += [
                gxe.ExpectColumnValuesToBeBetween(column="age_signup", min_value=13),
                gxe.ExpectColumnPairValuesToBeEqual(column_A="flag", column_B="minor"),
                gxe.ExpectColumnValuesToNotBeNull(column=r["date_of_birth"]),
            ]
        if spec["kind"] == "usage_log":
            df["t"] = ts(df[r["event_time"]])
            exps.append(gxe.ExpectColumnValuesToBeBetween(column="t", min_value=cutoff))
        if spec["kind"] == "api_keys":
            df["revoked"] = ts(df[r["revoked_at"]])
            exps += [
                gxe.ExpectColumnValuesToBeBetween(column="revoked", min_value=cutoff),
                gxe.ExpectColumnValuesToMatchRegex(column=r["secret"], regex=HASHED),
            ]
        if spec["kind"] == "payments":
            exps.append(
                gxe.ExpectColumnValuesToNotMatchRegex(
                    column=r["card_security_code"], regex=SECURITY_CODE_VALUE
                )
            )
        if spec["kind"] == "rights_requests":
            took = ts(df[r["completed_at"]]).fillna(as_of) - ts(df[r["received_at"]])
            df["days"] = took.dt.total_seconds() / 86400
            exps.append(gxe.ExpectColumnValuesToBeBetween(column="days", max_value=30))
        if spec["kind"] == "disclosures":
            df["rec"] = df[r["recipient"]].str.strip().str.lower()
            df["pur"] = df[r["purpose"]].str.strip().str.lower()
            exps += [
                gxe.ExpectColumnValuesToBeInSet(column="rec", value_set=APPROVED),
                gxe.ExpectColumnValuesToNotBeInSet(column="pur", value_set=PROHIBITED),
            ]
        for col in df.columns:  # secrets in any text column
            if pd.api.types.is_string_dtype(df[col]):
                exps.append(
                    gxe.ExpectColumnValuesToNotMatchRegexList(
                        column=col, regex_list=[r"sk_(?:live|test)_[A-Za-z0-9]{16,}"]
                    )
                )
        validate(name, df, exps)
    print(json.dumps({"seconds": time.perf_counter() - t0, "violations": counts}))


if __name__ == "__main__":
    main(sys.argv[1:])
