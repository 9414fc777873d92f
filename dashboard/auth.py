"""Sign-in: who may see and change which part of the office tree.

With an identity provider configured (`[auth]` in .streamlit/secrets.toml) Streamlit's native
OpenID Connect sign-in is offered and the user is matched by e-mail; otherwise (the embedded
default) the local user store checks a username and password (Argon2, slowed after repeated
failures: data/users.py). The signed-in user lives in `st.session_state["user"]`.
"""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import lang, tr
from data import audit
from data.users import DEMO_ACCOUNTS, DEMO_PASSWORD, sign_in, user_by_email

TEXTS = {
    "title": ("সাইন ইন", "Sign in"),
    "username": ("ব্যবহারকারীর নাম", "Username"),
    "password": ("পাসওয়ার্ড", "Password"),
    "submit": ("সাইন ইন করুন", "Sign in"),
    "bad-credentials": ("ব্যবহারকারীর নাম বা পাসওয়ার্ড সঠিক নয়।", "Wrong username or password."),
    "inactive": ("এই অ্যাকাউন্ট নিষ্ক্রিয়।", "This account is not active."),
    "throttled": (
        "বারবার ভুল চেষ্টার কারণে {seconds} সেকেন্ড অপেক্ষা করে আবার চেষ্টা করুন।",
        "Too many failed attempts: try again in {seconds} seconds.",
    ),
    "wait_next": (
        "পরের চেষ্টার আগে {seconds} সেকেন্ড অপেক্ষা করতে হবে।",
        "The next attempt must wait {seconds} seconds.",
    ),
    "oidc": ("প্রতিষ্ঠানের অ্যাকাউন্টে সাইন ইন", "Sign in with your organisation's account"),
    "oidc_unknown": (
        "{email} এই ড্যাশবোর্ডের কোনো ব্যবহারকারী নয়; প্রশাসকের সাথে যোগাযোগ করুন।",
        "{email} is not a user of this dashboard; ask an administrator.",
    ),
    "demo": (
        "ডেমো অ্যাকাউন্ট (পাসওয়ার্ড সবার {password}): {names}",
        "Demo accounts (password {password} for all): {names}",
    ),
    "signed_in": ("সাইন ইন করেছেন", "Signed in as"),
    "scope": ("এখতিয়ার", "Scope"),
    "everything": ("সব অফিস", "All offices"),
    "sign_out": ("সাইন আউট", "Sign out"),
}


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def require_user(engine, is_demo: bool) -> None:
    """Sign someone in: the identity provider's user, else the form; the run stops or reruns."""
    if _oidc_configured() and getattr(st.user, "is_logged_in", False):
        user = user_by_email(engine, st.user.email or "")
        if user is None:
            st.error(tr(TEXTS, "oidc_unknown", email=st.user.email))
            st.stop()
        audit.record_event(engine, user.username, "sign-in", object_type="user", object_id=user.id)
        st.session_state["user"] = user
        st.rerun()
    st.title(tr(TEXTS, "title"))
    if _oidc_configured():
        st.button(tr(TEXTS, "oidc"), on_click=st.login, type="primary")
    with st.form("sign-in"):
        username = st.text_input(tr(TEXTS, "username"), key="sign-in-username")
        password = st.text_input(tr(TEXTS, "password"), type="password", key="sign-in-password")
        submitted = st.form_submit_button(tr(TEXTS, "submit"), type="primary")
    if submitted:
        result = sign_in(engine, username, password)
        if result.outcome == "ok":
            st.session_state["user"] = result.user
            st.rerun()
        message = tr(TEXTS, result.outcome, seconds=result.wait_seconds)
        if result.outcome == "bad-credentials" and result.wait_seconds:
            message += " " + tr(TEXTS, "wait_next", seconds=result.wait_seconds)
        st.error(message)
    if is_demo:
        names = ", ".join(account[0] for account in DEMO_ACCOUNTS)
        st.info(tr(TEXTS, "demo", password=DEMO_PASSWORD, names=names), icon=":material/key:")
    st.stop()


def sidebar_user(engine, user) -> None:
    """Who is signed in, their scope, and the sign-out button."""
    scope_name = user.scope_name_bn if lang() == "bn" else user.scope_name_en
    st.sidebar.caption(
        f"{tr(TEXTS, 'signed_in')}: **{user.display_name}** ({user.username})  \n"
        f"{tr(TEXTS, 'scope')}: {scope_name or tr(TEXTS, 'everything')}"
    )
    if st.sidebar.button(tr(TEXTS, "sign_out"), key="sign-out", icon=":material/logout:"):
        audit.record_event(engine, user.username, "sign-out", object_type="user", object_id=user.id)
        del st.session_state["user"]
        if _oidc_configured() and getattr(st.user, "is_logged_in", False):
            st.logout()
        st.rerun()
