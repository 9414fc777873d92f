"""Streamlit's floor for bench_load: a sign-in form, a line that changes on every run, and
nothing else (no database, none of the app's own modules). Its first view in a new browser is
what any Streamlit page costs before the app's own work (the frontend's scripts fetched and
compiled, the WebSocket opened, one run); a press of its button is the lightest view Streamlit
has (one rerun, one line redrawn)."""

import streamlit as st

st.session_state.runs = st.session_state.get("runs", 0) + 1
st.title("Sign in")
with st.form("sign-in"):
    st.text_input("User name")
    st.text_input("Password", type="password")
    st.form_submit_button("Sign in")
st.caption(f"Run {st.session_state.runs}")
