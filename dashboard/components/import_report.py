"""What a checked workbook holds and what its import did, as tables (the upload page).

The check predicts the import: each plan says whether it will be stored, and if not why; an
indicator an error touches is stored as "needs correction" (scoring.md section 5). Problems
are shown errors first, in three groups: the workbook as a whole (which plan, office, year),
the office's own report for the period (achievements and their dates, which the uploader can
correct), and the approved plan (targets, weights, codes, which only a revised plan changes).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.components.download import download_buttons
from dashboard.components.table import show_table
from dashboard.escape import literal
from dashboard.i18n import PLAN_TYPE_NAMES, fmt_number, lang, pick, tr
from loaders.pipeline import left_out_reasons
from loaders.report import FileReport, issues_frame

TEXTS = {
    "ok": ("কোনো ত্রুটি নেই: সব পরিকল্পনা আমদানি করা যাবে", "No errors: every plan can be imported"),
    "errors": (
        "{n}টি ত্রুটি। যে পরিকল্পনা কোনো অফিস, অর্থবছর বা ধরনে বসানো যায় না তা বাদ যাবে; ত্রুটিপূর্ণ সূচক 'সংশোধন প্রয়োজন' হিসেবে আমদানি হবে (নম্বর শূন্য), বাকি পরিকল্পনা স্বাভাবিকভাবে।",
        "{n} errors. A plan that cannot be placed (office, fiscal year, plan type) is left out; an indicator with an error is imported as 'needs correction' (it counts 0) and the rest of its plan as usual.",
    ),
    "errors_strict": (
        "{n}টি ত্রুটি। কঠোর মোড: ত্রুটিপূর্ণ পরিকল্পনা আমদানি হবে না।",
        "{n} errors. Strict mode: plans with errors will not be imported.",
    ),
    "warnings": ("{n}টি সতর্কতা (আমদানি থামায় না)", "{n} warnings (they stop nothing)"),
    "plans": ("পাওয়া পরিকল্পনা: আমদানিতে যা হবে", "Plans found: what the import will do"),
    "sheet": ("শিট", "Sheet"),
    "plan": ("পরিকল্পনা", "Plan"),
    "year": ("অর্থবছর", "Fiscal year"),
    "quarter": ("ত্রৈমাসিক", "Quarter"),
    "office": ("অফিস (মিলেছে)", "Office (matched)"),
    "confidence": ("নিশ্চয়তা %", "Confidence %"),
    "indicators": ("সূচক", "Indicators"),
    "needs_correction": ("সংশোধন প্রয়োজন", "Need correction"),
    "score": ("নম্বর", "Score"),
    "state": ("আমদানিতে", "On import"),
    "importable": ("আমদানি হবে", "Will be imported"),
    "importable_flagged": (
        "আমদানি হবে; {n}টি সূচক সংশোধন প্রয়োজন",
        "Will be imported; {n} indicators need correction",
    ),
    "left_out": ("বাদ যাবে: {why}", "Left out: {why}"),
    "severity": ("ধরন", "Severity"),
    "code": ("কোড", "Code"),
    "row": ("সারি", "Row"),
    "column": ("কলাম", "Column"),
    "value": ("ঘরে যেমন লেখা", "Value as written"),
    "message": ("বার্তা", "Message"),
    "error": ("ত্রুটি", "Error"),
    "warning": ("সতর্কতা", "Warning"),
    "show_codes": ("সমস্যার কোড দেখান", "Show problem codes"),
    "part_file": ("ওয়ার্কবুক: পরিকল্পনা, অফিস, অর্থবছর", "The workbook: plan, office, fiscal year"),
    "part_report": (
        "আপনার প্রতিবেদন: অর্জন ও তারিখ (আপনি সংশোধন করতে পারেন)",
        "Your report: achievements and dates (you can correct these)",
    ),
    "part_plan": (
        "অনুমোদিত পরিকল্পনা: লক্ষ্যমাত্রা, মান, কোড (সংশোধিত পরিকল্পনা লাগবে)",
        "The approved plan: targets, weights, codes (a revised plan corrects these)",
    ),
    "added": ("আমদানি হয়েছে", "Imported"),
    "partial": ("আংশিক আমদানি হয়েছে", "Partly imported"),
    "unchanged": ("আগেই আমদানি হয়েছে: কিছু বদলায়নি", "Already imported: nothing changed"),
    "refused_file": ("গ্রহণ করা হয়নি", "Refused"),
    "result": (
        "পরিকল্পনা: {added} নতুন, {superseded} প্রতিস্থাপিত, {same} অপরিবর্তিত · প্রতিবেদন: {reports} নতুন, {replaced} প্রতিস্থাপিত · {progress}টি অর্জন",
        "Plans: {added} added, {superseded} superseded, {same} unchanged · reports: {reports} added, {replaced} superseded · {progress} achievements",
    ),
    "superseded_means": (
        "প্রতিস্থাপিত: একই অফিস, অর্থবছর ও ধরনের আগের সংস্করণের জায়গায় নতুনটি চালু হয়েছে; আগেরটি ইতিহাস হিসেবে রাখা আছে (একই ত্রৈমাসিকের প্রতিবেদনের ক্ষেত্রেও তাই)। অপরিবর্তিত: একই পরিকল্পনা আগেই আছে, শুধু অর্জন যোগ হয়েছে।",
        "Superseded: the new version replaces the earlier one of the same office, fiscal year and plan (for a report, of the same quarter), which is kept as history. Unchanged: the same plan was stored already; only its achievements were added.",
    ),
    "left_out_plan": ("বাদ পড়েছে — শিট '{sheet}': {why}", "Left out — sheet '{sheet}': {why}"),
    "flagged_plan": (
        "শিট '{sheet}': {n}টি সূচক 'সংশোধন প্রয়োজন' হিসেবে আমদানি হয়েছে (নম্বর শূন্য): {codes}",
        "Sheet '{sheet}': {n} indicators imported as 'needs correction' (they count 0): {codes}",
    ),
}


def _reason(plan) -> str:
    en, bn = left_out_reasons(plan)
    return bn if lang() == "bn" else en


def plans_frame(checked) -> pd.DataFrame:
    rows = []
    for plan in checked.plans:
        draft, office = plan.draft, plan.office
        flagged = len(plan.needs_correction)
        governance = sum(1 for i in draft.indicators if i.is_governance)
        if not plan.importable:
            state = tr(TEXTS, "left_out", why=_reason(plan))
        elif flagged:
            state = tr(TEXTS, "importable_flagged", n=fmt_number(flagged))
        else:
            state = tr(TEXTS, "importable")
        rows.append(
            {
                tr(TEXTS, "sheet"): draft.sheet,
                tr(TEXTS, "plan"): pick(PLAN_TYPE_NAMES[draft.plan_type])
                if draft.plan_type in PLAN_TYPE_NAMES
                else "–",
                tr(TEXTS, "state"): state,
                tr(TEXTS, "year"): draft.fiscal_year or "–",
                tr(TEXTS, "quarter"): fmt_number(draft.quarter) if draft.quarter else "–",
                tr(TEXTS, "office"): "–"
                if office is None
                else (office.name_bn if lang() == "bn" else office.name_en),
                tr(TEXTS, "confidence"): "–" if office is None else fmt_number(office.score),
                # An APA's own indicators, and its governance rows after a plus.
                tr(TEXTS, "indicators"): fmt_number(len(draft.indicators) - governance)
                + (f" + {fmt_number(governance)}" if governance else ""),
                tr(TEXTS, "needs_correction"): fmt_number(flagged),
                tr(TEXTS, "score"): "–"
                if not plan.score or plan.score.get("score") is None
                else fmt_number(plan.score["score"], 2),
            }
        )
    return pd.DataFrame(rows)


def issues_table(reports, with_codes: bool = True) -> pd.DataFrame:
    """The issues, errors first; the message without the file and sheet, which have their
    own columns; the stable code only when asked for."""
    frame = issues_frame(reports)
    frame = frame.assign(_error=frame["severity"] != "error").sort_values(
        ["_error", "sheet", "row"], kind="stable", na_position="first"
    )
    table = pd.DataFrame(
        {
            tr(TEXTS, "severity"): frame["severity"].map(lambda s: tr(TEXTS, s)),
            tr(TEXTS, "code"): frame["code"],
            tr(TEXTS, "sheet"): frame["sheet"].fillna(""),
            tr(TEXTS, "row"): frame["row"].map(lambda r: "" if pd.isna(r) else fmt_number(r)),
            tr(TEXTS, "column"): frame["column"].fillna(""),
            tr(TEXTS, "message"): frame["text_bn" if lang() == "bn" else "text_en"],
            tr(TEXTS, "value"): frame["value"].fillna(""),
        }
    )
    if not with_codes:
        table = table.drop(columns=tr(TEXTS, "code"))
    return table.reset_index(drop=True)


def show_checked(checked, key: str, strict: bool = False) -> None:
    """One file's check: a badge, what will happen to each plan, the located issues in their
    groups (codes behind a toggle) and their download."""
    report = checked.report
    if report.ok:
        st.success(tr(TEXTS, "ok"), icon=":material/check_circle:")
    else:
        message = "errors_strict" if strict else "errors"
        st.error(tr(TEXTS, message, n=fmt_number(report.error_count)), icon=":material/error:")
    if report.warnings:
        st.warning(
            tr(TEXTS, "warnings", n=fmt_number(len(report.warnings))), icon=":material/warning:"
        )
    if checked.plans:
        st.caption(tr(TEXTS, "plans"))
        show_table(plans_frame(checked), hide_index=True, width="stretch")
    if not report.issues:
        return
    with_codes = st.toggle(tr(TEXTS, "show_codes"), key=f"codes-{key}")
    message = tr(TEXTS, "message")
    config = {message: st.column_config.TextColumn(message, width="large")}
    for part in ("file", "report", "plan"):
        issues = [i for i in report.issues if i.part == part]
        if not issues:
            continue
        st.caption(tr(TEXTS, f"part_{part}"))
        part_report = FileReport(report.path, report.file_name, report.sha256, [], issues)
        show_table(
            issues_table([part_report], with_codes),
            hide_index=True,
            width="stretch",
            column_config=config,
        )
    download_buttons(issues_table([report]), f"import-report-{key}", {"file": report.file_name})


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
    summary = tr(
        TEXTS,
        "result",
        added=fmt_number(result.plans_added),
        superseded=fmt_number(result.plans_superseded),
        same=fmt_number(result.plans_unchanged),
        reports=fmt_number(result.reports_added),
        replaced=fmt_number(result.reports_superseded),
        progress=fmt_number(result.progress),
    )
    lines = [
        tr(TEXTS, "left_out_plan", sheet=plan.draft.sheet, why=_reason(plan))
        for plan in outcome.refused_plans
    ]
    for plan in outcome.checked.plans:
        flagged = plan.needs_correction if plan.importable else []
        if flagged:
            codes = ", ".join(str(i.code or i.row) for i in flagged[:20])
            lines.append(
                tr(
                    TEXTS,
                    "flagged_plan",
                    sheet=plan.draft.sheet,
                    n=fmt_number(len(flagged)),
                    codes=codes,
                )
            )
    text = "  \n".join([f"{name}: {tr(TEXTS, outcome.status)} · {summary}", *lines])
    if outcome.status == "partial":
        st.warning(text, icon=":material/warning:")
    else:
        st.success(text, icon=":material/check_circle:")
    if result.plans_superseded or result.reports_superseded or result.plans_unchanged:
        st.caption(tr(TEXTS, "superseded_means"))
