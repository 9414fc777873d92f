"""Who is signed in, and the part of the office tree they may see."""

from __future__ import annotations

import streamlit as st

from data.scope import Scope

# Nobody signed in sees nothing (app.py shows the sign-in form before any page runs; this is
# the second lock): a path no office has.
NOBODY = Scope(path="/nobody/")


def current_scope() -> Scope:
    user = st.session_state.get("user")
    return user.scope if user is not None else NOBODY


def current_user_name() -> str:
    user = st.session_state.get("user")
    return user.username if user is not None else "anonymous"
