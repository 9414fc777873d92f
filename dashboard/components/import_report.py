"""What a checked workbook holds and what its import did, as tables (the upload page)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.components.download import download_buttons
from dashboard.components.table import show_table
from dashboard.escape import literal
from dashboard.i18n import PLAN_TYPES, fmt_number, lang, pick, tr
from loaders.report import issues_frame

TEXTS = {
    "ok": ("কোনো ত্রুটি নেই: আমদানি করা যাবে", "No errors: ready to import"),
    "errors": (
        "{n}টি ত্রুটি: ত্রুটিপূর্ণ পরিকল্পনা আমদানি হবে না",
        "{n} errors: plans with errors will not be imported",
    ),
    "warnings": ("{n}টি সতর্কতা", "{n} warnings"),
    "plans": ("পাওয়া পরিকল্পনা", "Plans found"),
    "issues": ("সমস্যা (অবস্থানসহ)", "Issues, with their locations"),
    "sheet": ("শিট", "Sheet"),
    "plan": ("পরিকল্পনা", "Plan"),
    "year": ("অর্থবছর", "Fiscal year"),
    "quarter": ("ত্রৈমাসিক", "Quarter"),
    "office": ("অফিস (মিলেছে)", "Office (matched)"),
    "confidence": ("নিশ্চয়তা %", "Confidence %"),
    "indicators": ("সূচক", "Indicators"),
    "score": ("নম্বর", "Score"),
    "state": ("অবস্থা", "State"),
    "importable": ("আমদানিযোগ্য", "Importable"),
    "refused": ("ত্রুটি আছে", "Has errors"),
    "severity": ("ধরন", "Severity"),
    "code": ("কোড", "Code"),
    "row": ("সারি", "Row"),
    "column": ("কলাম", "Column"),
    "value": ("মান (যেমন লেখা)", "Value as written"),
    "message": ("বার্তা", "Message"),
    "error": ("ত্রুটি", "Error"),
    "warning": ("সতর্কতা", "Warning"),
    "added": ("যোগ হয়েছে", "Added"),
    "unchanged": ("আগেই আমদানি হয়েছে: কিছু বদলায়নি", "Already imported: nothing changed"),
    "refused_file": ("গ্রহণ করা হয়নি", "Refused"),
    "result": (
        "পরিকল্পনা: {added} নতুন, {superseded} প্রতিস্থাপিত, {same} অপরিবর্তিত · প্রতিবেদন: {reports} নতুন, {replaced} প্রতিস্থাপিত · {progress}টি অর্জন",
        "Plans: {added} added, {superseded} superseded, {same} unchanged · reports: {reports} added, {replaced} superseded · {progress} achievements",
    ),
}


def plans_frame(checked) -> pd.DataFrame:
    rows = []
    for plan in checked.plans:
        draft, office = plan.draft, plan.office
        rows.append(
            {
                tr(TEXTS, "sheet"): draft.sheet,
                tr(TEXTS, "plan"): pick(PLAN_TYPES[draft.plan_type])
                if draft.plan_type in PLAN_TYPES
                else "–",
                tr(TEXTS, "year"): draft.fiscal_year or "–",
                tr(TEXTS, "quarter"): fmt_number(draft.quarter) if draft.quarter else "–",
                tr(TEXTS, "office"): "–"
                if office is None
                else (office.name_bn if lang() == "bn" else office.name_en),
                tr(TEXTS, "confidence"): "–" if office is None else fmt_number(office.score),
                tr(TEXTS, "indicators"): fmt_number(len(draft.indicators)),
                tr(TEXTS, "score"): "–"
                if not plan.score or plan.score.get("score") is None
                else fmt_number(plan.score["score"], 2),
                tr(TEXTS, "state"): tr(TEXTS, "importable" if plan.ok else "refused"),
            }
        )
    return pd.DataFrame(rows)


def issues_table(reports) -> pd.DataFrame:
    frame = issues_frame(reports)
    return pd.DataFrame(
        {
            tr(TEXTS, "severity"): frame["severity"].map(lambda s: tr(TEXTS, s)),
            tr(TEXTS, "code"): frame["code"],
            tr(TEXTS, "sheet"): frame["sheet"],
            tr(TEXTS, "row"): frame["row"].map(lambda r: "" if pd.isna(r) else fmt_number(r)),
            tr(TEXTS, "column"): frame["column"].fillna(""),
            tr(TEXTS, "message"): frame["message_bn" if lang() == "bn" else "message_en"],
            tr(TEXTS, "value"): frame["value"].fillna(""),
        }
    )


def show_checked(checked, key: str) -> None:
    """One file's check: a badge, the plans found, the located issues and their download."""
    report = checked.report
    if report.ok:
        st.success(tr(TEXTS, "ok"), icon=":material/check_circle:")
    else:
        st.error(tr(TEXTS, "errors", n=fmt_number(report.error_count)), icon=":material/error:")
    if report.warnings:
        st.warning(
            tr(TEXTS, "warnings", n=fmt_number(len(report.warnings))), icon=":material/warning:"
        )
    if checked.plans:
        st.caption(tr(TEXTS, "plans"))
        show_table(plans_frame(checked), hide_index=True, width="stretch")
    if report.issues:
        st.caption(tr(TEXTS, "issues"))
        table = issues_table([report])
        message = tr(TEXTS, "message")
        show_table(
            table,
            hide_index=True,
            width="stretch",
            column_config={message: st.column_config.TextColumn(message, width="large")},
        )
        download_buttons(table, f"import-report-{key}", {"file": report.file_name})


def show_outcome(outcome) -> None:
    result = outcome.result
    name = literal(outcome.checked.report.file_name)  # the uploader's text: never Markdown
    if result is None:
        why = literal(outcome.refusal_bn if lang() == "bn" else outcome.refusal, 400)
        st.error(f"{name}: {tr(TEXTS, 'refused_file')} — {why}")
        return
    if result.status == "unchanged":
        st.info(f"{name}: {tr(TEXTS, 'unchanged')}")
        return
    st.success(
        f"{name}: {tr(TEXTS, 'added')} · "
        + tr(
            TEXTS,
            "result",
            added=fmt_number(result.plans_added),
            superseded=fmt_number(result.plans_superseded),
            same=fmt_number(result.plans_unchanged),
            reports=fmt_number(result.reports_added),
            replaced=fmt_number(result.reports_superseded),
            progress=fmt_number(result.progress),
        )
    )
