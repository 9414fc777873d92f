"""The router: page config, first-run demo data, language switches, navigation."""

import streamlit as st

from dashboard import cache
from dashboard.first_run import build_demo_if_empty
from dashboard.i18n import tr

TEXTS = {
    "overview": ("সারসংক্ষেপ", "Overview"),
    "drilldown": ("ড্রিল-ডাউন", "Drill-down"),
    "office": ("অফিস", "Office"),
    "lagging": ("পিছিয়ে থাকা সূচক", "Lagging indicators"),
    "upload": ("আপলোড", "Upload"),
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
with st.sidebar:
    choice = st.radio(
        "ভাষা / Language",
        ["bn", "en"],
        horizontal=True,
        key="lang",
        format_func=lambda code: {"bn": "বাংলা", "en": "English"}[code],
    )
    st.toggle(tr(TEXTS, "bn_digits"), value=choice == "bn", key="bn_digits")
st.query_params["lang"] = choice

engine = cache.engine()
build_demo_if_empty(engine)
if cache.demo_info(cache.url()).get("demo") == "1":
    st.sidebar.info(tr(TEXTS, "demo"), icon=":material/science:")

pages = [
    st.Page(
        "dashboard/pages/overview.py",
        title=tr(TEXTS, "overview"),
        icon="📊",
        url_path="overview",
        default=True,
    ),
    st.Page(
        "dashboard/pages/drilldown.py",
        title=tr(TEXTS, "drilldown"),
        icon=":material/account_tree:",
        url_path="drilldown",
    ),
    st.Page(
        "dashboard/pages/office.py",
        title=tr(TEXTS, "office"),
        icon=":material/apartment:",
        url_path="office",
    ),
    st.Page(
        "dashboard/pages/lagging.py",
        title=tr(TEXTS, "lagging"),
        icon=":material/warning:",
        url_path="lagging",
    ),
    st.Page(
        "dashboard/pages/upload.py",
        title=tr(TEXTS, "upload"),
        icon=":material/upload_file:",
        url_path="upload",
    ),
]
st.navigation(pages).run()
