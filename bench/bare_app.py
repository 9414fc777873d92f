"""Streamlit's floor for bench_load: a sign-in form and nothing else (no database, no imports of
the app's own). Its first view in a new browser is what any Streamlit page costs before the
app's own work: the frontend's scripts fetched and compiled, the WebSocket opened, one run."""

import streamlit as st

st.title("Sign in")
with st.form("sign-in"):
    st.text_input("User name")
    st.text_input("Password", type="password")
    st.form_submit_button("Sign in")
