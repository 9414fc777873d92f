"""The router: page config, first-run demo data, language switches, sign-in, navigation by role."""

import streamlit as st

from dashboard import cache
from dashboard.auth import current_user, require_user, sidebar_user
from dashboard.filters import KEPT, in_url, kept
from dashboard.first_run import build_demo_if_empty
from dashboard.i18n import tr

TEXTS = {
    "overview": ("সারসংক্ষেপ", "Overview"),
    "league": ("অবস্থান তালিকা", "League table"),
    "calendar": ("প্রতিবেদন ক্যালেন্ডার", "Reporting calendar"),
    "drilldown": ("ড্রিল-ডাউন", "Drill-down"),
    "office": ("অফিস", "Office"),
    "lagging": ("পিছিয়ে থাকা সূচক", "Lagging indicators"),
    "upload": ("আপলোড", "Upload"),
    "admin": ("ব্যবহারকারী ও নিয়ম", "Users and rules"),
    "audit": ("নিরীক্ষা", "Audit trail"),
    "bn_digits": ("বাংলা অঙ্ক", "Bengali digits"),
    "demo": (
        "ডেমো ডেটা: অফিস ও পরিকল্পনা বাস্তব, কিন্তু অগ্রগতি বানানো।",
        "Demo data: the offices and plans are real, the progress is made up.",
    ),
}

st.set_page_config(
    page_title="APA Dashboard · এপিএ ড্যাশবোর্ড", page_icon=":material/bar_chart:", layout="wide"
)

if "lang" not in st.session_state:
    st.session_state["lang"] = (
        st.query_params.get("lang", "bn") if st.query_params.get("lang") in ("bn", "en") else "bn"
    )
# The digits follow the language (Bengali digits with Bengali) unless the user sets them.
st.session_state.setdefault("bn_digits", st.session_state["lang"] == "bn")


def _language_changed() -> None:
    if not st.session_state.get("digits_chosen"):
        st.session_state["bn_digits"] = st.session_state["lang"] == "bn"


with st.sidebar:
    choice = st.radio(
        "ভাষা / Language",
        ["bn", "en"],
        horizontal=True,
        key="lang",
        format_func=lambda code: {"bn": "বাংলা", "en": "English"}[code],
        on_change=_language_changed,
    )
    st.toggle(
        tr(TEXTS, "bn_digits"),
        key="bn_digits",
        on_change=lambda: st.session_state.update(digits_chosen=True),
    )
in_url("lang", choice)

engine = cache.engine()
build_demo_if_empty(engine)
is_demo = cache.demo_info(cache.url()).get("demo") == "1"
if is_demo:
    st.sidebar.info(tr(TEXTS, "demo"), icon=":material/science:")
user = current_user(engine)  # reloaded from the user store on every run; None when it ended

PAGES = [
    # (the page, its icon, who may open it)
    ("overview", "📊", lambda u: True),
    ("league", ":material/leaderboard:", lambda u: True),
    ("calendar", ":material/event:", lambda u: True),
    ("drilldown", ":material/account_tree:", lambda u: True),
    ("office", ":material/apartment:", lambda u: True),
    ("lagging", ":material/warning:", lambda u: True),
    ("upload", ":material/upload_file:", lambda u: u.can_upload),
    ("admin", ":material/manage_accounts:", lambda u: u.is_admin),
    ("audit", ":material/history:", lambda u: u.is_admin),
]
# Before sign-in every page is registered (hidden) so that a shared link's page survives the
# sign-in; after it, a role's navigation holds only its pages (a URL to another finds none).
pages = [
    st.Page(
        f"dashboard/pages/{name}.py",
        title=tr(TEXTS, name),
        icon=icon,
        url_path=name,
        default=name == "overview",
    )
    for name, icon, allowed in PAGES
    if user is None or allowed(user)
]
# The sidebar's links are drawn here (not by st.navigation) so that they carry the filters the
# user chose (dashboard/filters.py keeps them in the session) and the language.
page = st.navigation(pages, position="hidden")
if user is None:
    require_user(engine, is_demo)  # the sign-in form; the run stops here until someone signs in
with st.sidebar.container():
    carried = {key: kept()[key] for key in KEPT if key in kept()} | {"lang": choice}
    for item in pages:
        st.page_link(item, query_params=carried, width="stretch")
sidebar_user(engine, user)
st.session_state.pop("filters_tag", None)  # set again by this run's filters, if it has any
page.run()
