"""Sign-in: who may see and change which part of the office tree.

With an identity provider configured (`[auth]` in .streamlit/secrets.toml) Streamlit's native
OpenID Connect sign-in is offered and the user is matched by e-mail; otherwise (the embedded
default) the local user store checks a username and password (Argon2, attempts budgeted per
username, client address and in all: data/users.py). The signed-in user lives in
`st.session_state["user"]`, and follows the user store: `current_user` reloads it on every
run (scope and rights as they are now) and ends the session when the account was
deactivated, its sessions were ended (password change, "sign out everywhere"), or it sat
unused longer than `IDLE_TIMEOUT`.
"""

from __future__ import annotations

import time

import streamlit as st

from dashboard import cache
from dashboard.escape import literal
from dashboard.i18n import lang, tr
from data import audit
from data.sessions import (
    COOKIE,
    LIFETIME,
    TOUCH_EVERY,
    end_session,
    open_session,
    resume,
    touch,
)
from data.users import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    IDLE_TIMEOUT,
    session_user,
    sign_in,
    sign_out_everywhere,
    user_by_email,
)

TEXTS = {
    "title": ("সাইন ইন", "Sign in"),
    "username": ("ব্যবহারকারীর নাম", "Username"),
    "password": ("পাসওয়ার্ড", "Password"),
    "submit": ("সাইন ইন করুন", "Sign in"),
    "bad-credentials": (
        "ব্যবহারকারীর নাম বা পাসওয়ার্ড সঠিক নয়, অথবা অ্যাকাউন্টটি সক্রিয় নয়।",
        "Wrong username or password, or the account is not active.",
    ),
    "throttled": (
        "অনেকবার চেষ্টা হয়েছে: {seconds} সেকেন্ড পরে আবার চেষ্টা করুন, বা প্রশাসককে আনলক করতে বলুন।",
        "Too many attempts: try again in {seconds} seconds, or ask an administrator to unlock.",
    ),
    "ended": (
        "আপনার সেশন শেষ হয়েছে (অ্যাকাউন্ট বদলেছে বা সব জায়গা থেকে সাইন আউট করা হয়েছে); আবার সাইন ইন করুন।",
        "Your session has ended (the account changed or was signed out everywhere); sign in again.",
    ),
    "idle": (
        "অনেকক্ষণ নিষ্ক্রিয় থাকায় সেশন শেষ হয়েছে; আবার সাইন ইন করুন।",
        "The session ended after a long time without use; sign in again.",
    ),
    "sign_out_everywhere": ("সব জায়গা থেকে সাইন আউট", "Sign out everywhere"),
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


def client_address() -> str | None:
    """The browser's address as Streamlit sees it (behind a reverse proxy: the proxy's)."""
    try:
        return st.context.ip_address
    except Exception:  # no browser session (AppTest, bare mode)
        return None


def _cookie() -> str | None:
    """The session cookie the browser sent when it connected (None without a browser)."""
    try:
        return st.context.cookies.get(COOKIE)
    except Exception:  # no browser session (AppTest, bare mode)
        return None


def _write_cookie(value: str | None) -> None:
    """Keep (or, with None, forget) the session cookie in the browser. Streamlit cannot set a
    cookie from Python, so a script on the page writes it: it cannot be HttpOnly (a script
    sets it), so it is short-lived (`LIFETIME`, idle `IDLE_TIMEOUT`), SameSite=Strict, Secure
    over HTTPS, signed, and only a hash of its token is stored, revocable server-side
    (data/sessions.py)."""
    if value is None:
        script = f"document.cookie = '{COOKIE}=; Max-Age=0; Path=/; SameSite=Strict';"
    else:
        seconds = int(LIFETIME.total_seconds())
        script = (
            f"document.cookie = '{COOKIE}={value}; Max-Age={seconds}; Path=/; SameSite=Strict'"
            " + (location.protocol === 'https:' ? '; Secure' : '');"
        )
    with st.sidebar:
        st.html(f"<script>{script}</script>", unsafe_allow_javascript=True, width=1)


def _start(engine, user) -> None:
    """A signed-in user: the session state, and a browser session a reload resumes."""
    st.session_state["user"] = user
    st.session_state["last_seen"] = st.session_state["touched_at"] = time.time()
    st.session_state["session_cookie"] = open_session(engine, user)
    st.session_state["write_cookie"] = True


def _end(engine, user, reason: str) -> None:
    audit.record_event(
        engine,
        user.username,
        "session-ended",
        object_type="user",
        object_id=user.id,
        details={"reason": reason},
    )
    st.session_state.pop("user", None)
    end_session(engine, st.session_state.pop("session_cookie", None))
    st.session_state["clear_cookie"] = True
    st.session_state["session_ended"] = "idle" if reason == "idle" else "ended"


def current_user(engine):
    """The signed-in user as the user store has them now, or None (and the session ended)
    when the account is gone, inactive, its sessions were ended, or it sat idle too long."""
    user = st.session_state.get("user")
    now = time.time()
    if user is None:  # a reload: the browser's session cookie may still be good
        cookie = _cookie()
        user = resume(engine, cookie) if cookie else None
        if user is not None:  # `resume` recorded the use
            st.session_state.update(user=user, last_seen=now, session_cookie=cookie, touched_at=now)
        return user
    last = st.session_state.get("last_seen", now)
    if now - last > IDLE_TIMEOUT.total_seconds():
        _end(engine, user, "idle")
        return None
    fresh = session_user(engine, user.id, user.session_epoch)
    if fresh is None:
        _end(engine, user, "ended")
        return None
    st.session_state["user"] = fresh
    st.session_state["last_seen"] = now
    # The browser session's last use is written at most once every TOUCH_EVERY, counted here:
    # not a write on every run (on SQLite an UPDATE waits for the write lock, so every page
    # would wait for an import or a rebuild to commit).
    if now - st.session_state.get("touched_at", 0.0) >= TOUCH_EVERY.total_seconds():
        touch(engine, st.session_state.get("session_cookie"))
        st.session_state["touched_at"] = now
    return fresh


def require_user(engine, is_demo: bool) -> None:
    """Sign someone in: the identity provider's user, else the form; the run stops or reruns."""
    if _oidc_configured() and getattr(st.user, "is_logged_in", False):
        user = user_by_email(engine, st.user.email or "")
        if user is None:
            st.error(tr(TEXTS, "oidc_unknown", email=literal(st.user.email)))
            st.stop()
        audit.record_event(engine, user.username, "sign-in", object_type="user", object_id=user.id)
        _start(engine, user)
        st.rerun()
    if st.session_state.pop("clear_cookie", False):
        _write_cookie(None)
    st.title(tr(TEXTS, "title"))
    ended = st.session_state.pop("session_ended", None)
    if ended:
        st.warning(tr(TEXTS, ended), icon=":material/logout:")
    if _oidc_configured():
        st.button(tr(TEXTS, "oidc"), on_click=st.login, type="primary")
    with st.form("sign-in"):
        username = st.text_input(tr(TEXTS, "username"), key="sign-in-username")
        password = st.text_input(tr(TEXTS, "password"), type="password", key="sign-in-password")
        submitted = st.form_submit_button(tr(TEXTS, "submit"), type="primary")
    if submitted:
        result = sign_in(engine, username, password, address=client_address())
        if result.outcome == "ok":
            _start(engine, result.user)
            st.rerun()
        st.error(tr(TEXTS, result.outcome, seconds=result.wait_seconds))
    if is_demo:
        names = ", ".join(account[0] for account in DEMO_ACCOUNTS)
        st.info(tr(TEXTS, "demo", password=DEMO_PASSWORD, names=names), icon=":material/key:")
    _load_charts_early()
    # The form's run is done: a warm of the cache waiting for its delay (after a start) need
    # not wait longer, the person lands on the overview a second or two later.
    cache.warm_now()
    st.stop()


def _load_charts_early() -> None:
    """An empty chart no one sees, under the form: the browser loads and starts Plotly's
    script (Streamlit loads it with the first chart: 4.7 MB, some 0.4 s of the browser's
    work) while the person types, not after they sign in, when the overview's charts wait
    for it. Hidden by its container's documented CSS class (st-key-<key>)."""
    import plotly.graph_objects as go

    st.html("<style>.st-key-charts-early { display: none; }</style>")
    with st.container(key="charts-early"):
        st.plotly_chart(go.Figure(), config={"displayModeBar": False}, key="charts-early-chart")


def sidebar_user(engine, user) -> None:
    """Who is signed in, their scope, and the sign-out button."""
    if st.session_state.pop("write_cookie", False):
        _write_cookie(st.session_state.get("session_cookie"))
    scope_name = user.scope_name_bn if lang() == "bn" else user.scope_name_en
    st.sidebar.caption(
        f"{tr(TEXTS, 'signed_in')}: **{literal(user.display_name)}** ({literal(user.username)})"
        f"  \n{tr(TEXTS, 'scope')}: {literal(scope_name) if scope_name else tr(TEXTS, 'everything')}"
    )
    signed_out = st.sidebar.button(tr(TEXTS, "sign_out"), key="sign-out", icon=":material/logout:")
    everywhere = st.sidebar.button(tr(TEXTS, "sign_out_everywhere"), key="sign-out-everywhere")
    if signed_out or everywhere:
        if everywhere:  # every other browser of this user too (the epoch moves on)
            sign_out_everywhere(engine, user, user.id)
        audit.record_event(engine, user.username, "sign-out", object_type="user", object_id=user.id)
        del st.session_state["user"]
        end_session(engine, st.session_state.pop("session_cookie", None))
        st.session_state["clear_cookie"] = True
        if _oidc_configured() and getattr(st.user, "is_logged_in", False):
            st.logout()
        st.rerun()
