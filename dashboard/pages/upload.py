"""Upload: check workbooks and see every problem before anything is imported; import; templates."""

import hashlib

import streamlit as st

from dashboard import cache
from dashboard.components.import_report import show_checked, show_outcome
from dashboard.escape import literal
from dashboard.filters import default_fiscal_year, wanted
from dashboard.i18n import PLAN_TYPE_NAMES, lang, pick, tr
from dashboard.session import current_scope, current_user_name
from data import queries
from data.audit import record_event
from loaders import worker
from loaders.template import template_bytes

TEXTS = {
    "title": ("আপলোড", "Upload"),
    "intro": (
        "পরিকল্পনা বা অগ্রগতির এক্সেল ফাইল দিন। আমদানির আগে প্রতিটি সমস্যা শিট, সারি ও কলামসহ দেখানো হবে।",
        "Drop plan or progress workbooks. Every problem is shown with its sheet, row and column before anything is imported.",
    ),
    "files": ("ওয়ার্কবুক (.xlsx, .xlsm, .xls, .ods)", "Workbooks (.xlsx, .xlsm, .xls, .ods)"),
    "office_search": (
        "অফিস খুঁজুন (ফাইলে নাম না থাকলে)",
        "Find the office (if the file does not name it)",
    ),
    "office": ("অফিস", "Office"),
    "from_file": ("ফাইল থেকে", "From the file"),
    "kept": ("আগে আপলোড করা ফাইল: {names}", "Files uploaded before: {names}"),
    "forget": ("ফাইলগুলো সরান", "Remove these files"),
    "strict": (
        "কঠোর মোড: কোনো ত্রুটি থাকলে পুরো পরিকল্পনা বাদ দিন",
        "Strict mode: leave out any plan with an error",
    ),
    "strict_help": (
        "সাধারণভাবে একটি ত্রুটি শুধু তার সূচককে থামায়: সূচকটি 'সংশোধন প্রয়োজন' হিসেবে আমদানি হয় (নম্বর শূন্য), বাকি পরিকল্পনা স্বাভাবিকভাবে।",
        "By default an error stops only the indicator it touches: that indicator is imported as 'needs correction' (it counts 0) and the rest of the plan as usual.",
    ),
    "import": ("আমদানি করুন", "Import"),
    "importing": ("আমদানি হচ্ছে…", "Importing…"),
    "nothing": ("আমদানিযোগ্য কোনো পরিকল্পনা নেই।", "No plan can be imported."),
    "template": ("খালি টেমপ্লেট", "Blank template"),
    "template_intro": (
        "একটি অফিসের জন্য পরিকল্পনার টেমপ্লেট: জানা পরিকল্পনার সূচক ও লক্ষ্যমাত্রা আগেই পূরণ করা থাকে।",
        "A plan template for an office: the indicators and targets of a known plan come filled in.",
    ),
    "year": ("অর্থবছর", "Fiscal year"),
    "plan": ("পরিকল্পনা", "Plan"),
    "all": ("সব পরিকল্পনা", "All plans"),
    "download": ("টেমপ্লেট ডাউনলোড", "Download the template"),
    "choose_office": ("টেমপ্লেটের জন্য একটি অফিস বেছে নিন।", "Choose an office for the template."),
}
# [(name, bytes)]: the files uploaded, kept across reruns (a language switch, another page and
# back) until the user changes them; tests and programmatic callers put files here too.
TEST_FILES = "upload_files"


def record_check_refusal(engine, username: str, checked) -> None:
    """A file refused whole at its check (unsafe, unreadable, over a limit) goes on record."""
    report = checked.report
    record_event(
        engine,
        username,
        "check-refused",
        object_type="file",
        object_id=report.file_name,
        details={"sha256": report.sha256, "codes": sorted({i.code for i in report.errors})},
    )


scope = current_scope()
engine = cache.engine()
worker.warm()  # a checking process ready before the first file arrives
st.title(tr(TEXTS, "title"))
upload_tab, template_tab = st.tabs([tr(TEXTS, "title"), tr(TEXTS, "template")])


def office_picker(key: str, allow_none: bool) -> str | None:
    """An office by search; without `allow_none` it starts on the user's own office."""
    text = st.text_input(tr(TEXTS, "office_search"), key=f"{key}-search")
    found = cache.query(queries.search_offices, scope, text)
    names = dict(zip(found["id"], found["name_bn" if lang() == "bn" else "name_en"], strict=True))
    own = cache.query(queries.office, scope, scope.office_id) if scope.office_id else None
    if own is not None and not text:
        names = {own["id"]: own["name_bn" if lang() == "bn" else "name_en"], **names}
    options = ([None] if allow_none else []) + list(names)
    chosen = st.selectbox(
        tr(TEXTS, "office"),
        options,
        format_func=lambda i: tr(TEXTS, "from_file") if i is None else names[i],
        key=f"{key}-office",
    )
    return None if chosen is None else str(chosen)


def keep_uploads() -> None:
    """The user changed the files: keep the new ones (their bytes) for later reruns."""
    chosen = st.session_state.get("upload-widget") or []
    st.session_state[TEST_FILES] = [(f.name, f.getvalue()) for f in chosen]
    st.session_state.pop("upload_outcomes", None)


with upload_tab:
    st.caption(tr(TEXTS, "intro"))
    st.file_uploader(
        tr(TEXTS, "files"),
        type=["xlsx", "xlsm", "xls", "ods"],
        accept_multiple_files=True,
        key="upload-widget",
        on_change=keep_uploads,
    )
    office = office_picker("upload", allow_none=True)
    strict = st.checkbox(tr(TEXTS, "strict"), help=tr(TEXTS, "strict_help"), key="upload-strict")
    files = st.session_state.get(TEST_FILES, [])
    if files and not st.session_state.get("upload-widget"):  # kept from before a rerun
        st.caption(tr(TEXTS, "kept", names=", ".join(literal(name) for name, _ in files)))
        if st.button(tr(TEXTS, "forget"), key="upload-forget", icon=":material/close:"):
            st.session_state.pop(TEST_FILES, None)
            st.session_state.pop("upload_outcomes", None)
            st.rerun()
    checks = st.session_state.setdefault("upload_checks", {})
    checked_files = []
    budget, size, cells = worker.UPLOAD_BUDGET, 0, 0
    for index, (name, data) in enumerate(files):
        sha = hashlib.sha256(data).hexdigest()
        # The check applies every rule the import will: the signed-in user's scope included.
        key = (name, sha, office, strict, scope)
        refusal = budget.admit(index, size, cells, len(data))
        if refusal is not None:
            checked = worker.refused_file(name, sha, refusal)
        elif key in checks:
            checked = checks[key]
        else:
            # In a worker process with a time and memory limit: no file can starve the server.
            with st.spinner(literal(name)):
                checked = worker.check_in_worker(
                    data,
                    file_name=name,
                    database_url=cache.url(),
                    office=office,
                    scope=scope,
                    strict=strict,
                    limits=budget.limits(cells),
                )
            checks[key] = checked
            if checked.report.errors and not checked.plans:  # refused whole: on the record
                record_check_refusal(engine, current_user_name(), checked)
        size += len(data)
        cells += checked.cells
        checked_files.append((key, data, checked))
    for n, (_key, _data, checked) in enumerate(checked_files):
        with st.expander(literal(checked.report.file_name), expanded=True):
            show_checked(checked, str(n), strict)
    if checked_files:
        importable = any(
            plan.importable for _k, _d, checked in checked_files for plan in checked.plans
        )
        if not importable:
            st.info(tr(TEXTS, "nothing"))
        if st.button(tr(TEXTS, "import"), type="primary", disabled=not importable, key="import"):
            bar = st.progress(0.0, text=tr(TEXTS, "importing"))
            outcomes = []
            for n, ((name, *_key), data, checked) in enumerate(checked_files, start=1):
                if not any(plan.importable for plan in checked.plans):  # refused at the check
                    outcomes.append(worker.refused_outcome(checked))
                    continue
                outcomes.append(
                    worker.import_in_worker(
                        data,
                        file_name=name,
                        database_url=cache.url(),
                        office=office,
                        uploaded_by=current_user_name(),
                        source_kind="upload",
                        scope=scope,
                        strict=strict,
                    )
                )
                bar.progress(n / len(checked_files), text=f"{tr(TEXTS, 'importing')} {name}")
            bar.empty()
            st.cache_data.clear()  # other pages show the new data at once
            st.session_state["upload_outcomes"] = outcomes
        for outcome in st.session_state.get("upload_outcomes", []):
            show_outcome(outcome)

with template_tab:
    st.caption(tr(TEXTS, "template_intro"))
    template_office = office_picker("template", allow_none=False)
    years = cache.fiscal_years(cache.url())
    current = wanted("fy") or default_fiscal_year()  # the year the user works in
    year = st.selectbox(
        tr(TEXTS, "year"),
        years,
        index=years.index(current) if current in years else max(len(years) - 1, 0),
        key="template-year",
    )
    plan_type = st.selectbox(
        tr(TEXTS, "plan"),
        [None, *PLAN_TYPE_NAMES],
        format_func=lambda p: tr(TEXTS, "all") if p is None else pick(PLAN_TYPE_NAMES[p]),
        key="template-plan",
    )
    if template_office is None:
        st.info(tr(TEXTS, "choose_office"))
    else:
        wanted = None if plan_type is None else [plan_type]
        downloader = current_user_name()
        st.download_button(
            tr(TEXTS, "download"),
            # Made on click (and put on the audit trail then), not on every run of the page.
            data=lambda: template_bytes(
                engine,
                office=template_office,
                fiscal_year=year,
                plan_types_wanted=wanted,
                downloaded_by=downloader,
            ),
            file_name=f"apa-template-{template_office}-{year}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/download:",
            on_click="ignore",
        )
