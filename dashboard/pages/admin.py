"""Administrators: the users within their scope (add, change, unlock, reset, sign out), and,
for national administrators, the fiscal years' rule sets."""

import streamlit as st

from dashboard import cache
from dashboard.components.table import show_table
from dashboard.escape import literal
from dashboard.i18n import digits, lang, tr
from dashboard.session import current_scope
from data import queries
from data.desk import rule_set_deadlines
from data.rules import BETWEEN_LEVELS, rule_sets, update_rules
from data.users import (
    SCOPE_LEVELS,
    SCOPE_OFFICE_LEVELS,
    UserError,
    add_user,
    change_user,
    reset_password,
    sign_out_everywhere,
    unlock,
    users_frame,
)

TEXTS = {
    "title": ("ব্যবহারকারী ও নিয়ম", "Users and rules"),
    "not_allowed": ("এই পাতা শুধু প্রশাসকদের জন্য।", "This page is for administrators only."),
    "users": ("ব্যবহারকারী", "Users"),
    "new_user": ("নতুন ব্যবহারকারী", "New user"),
    "username": ("ব্যবহারকারীর নাম", "Username"),
    "display_name": ("পূর্ণ নাম", "Full name"),
    "email": ("ই-মেইল (প্রতিষ্ঠানের সাইন-ইন থাকলে)", "E-mail (for the organisation's sign-in)"),
    "password": (
        "পাসওয়ার্ড (কমপক্ষে ১২ অক্ষর; প্রচলিত পাসওয়ার্ড নয়)",
        "Password (at least 12 characters; not a common password)",
    ),
    "choose_level": ("স্তর বেছে নিন", "Choose a level"),
    "choose_office": ("অফিস বেছে নিন", "Choose an office"),
    "manage": ("ব্যবহারকারী ব্যবস্থাপনা", "Manage a user"),
    "who": ("ব্যবহারকারী", "User"),
    "active": ("সক্রিয়", "Active"),
    "save_user": ("পরিবর্তন সংরক্ষণ করুন", "Save the changes"),
    "saved_user": ("ব্যবহারকারী বদলানো হয়েছে।", "User changed."),
    "new_password": ("নতুন পাসওয়ার্ড", "New password"),
    "reset": ("পাসওয়ার্ড বদলান (সব সেশন শেষ হবে)", "Set the password (ends every session)"),
    "reset_done": ("পাসওয়ার্ড বদলানো হয়েছে।", "Password set."),
    "unlock": ("সাইন-ইন আনলক করুন", "Unlock sign-in"),
    "unlocked": ("সাইন-ইন আনলক হয়েছে।", "Sign-in unlocked."),
    "end_sessions": ("সব জায়গা থেকে সাইন আউট করান", "Sign out everywhere"),
    "ended": ("ব্যবহারকারীর সব সেশন শেষ হয়েছে।", "Every session of the user has ended."),
    "failed": ("করা যায়নি: {why}", "Not done: {why}"),
    "national_only": (
        "নিয়মের সেট সব অফিসে প্রযোজ্য; কেবল জাতীয় পর্যায়ের প্রশাসক এগুলো বদলাতে পারেন।",
        "The rule sets apply to every office; only national administrators change them.",
    ),
    "scope_level": ("এখতিয়ারের স্তর", "Scope level"),
    "office_search": ("এখতিয়ারের অফিস খুঁজুন", "Find the scope's office"),
    "office": ("এখতিয়ারের অফিস", "Scope office"),
    "can_upload": ("আপলোড করতে পারবেন", "May upload"),
    "is_admin": ("প্রশাসক", "Administrator"),
    "create": ("ব্যবহারকারী যোগ করুন", "Add the user"),
    "created": ("ব্যবহারকারী যোগ হয়েছে।", "User added."),
    "invalid": ("যোগ করা যায়নি: {why}", "Could not add the user: {why}"),
    "rules": ("অর্থবছরের নিয়ম", "Rule sets of the fiscal years"),
    "rule_set": ("নিয়মের সেট", "Rule set"),
    "due_days": ("প্রতিবেদনের সময় (দিন)", "Days to report"),
    "fiscal_years": ("অর্থবছর", "Fiscal years"),
    "threshold": ("পিছিয়ে থাকার সীমা (প্রক্ষেপিত নম্বর)", "Lagging threshold (projected score)"),
    "between": ("দুই স্তরের মাঝে", "Between two levels"),
    "save_rules": ("নিয়ম সংরক্ষণ করুন ও নম্বর আবার হিসাব করুন", "Save and rescore"),
    "saved": (
        "নিয়ম বদলেছে; {rows}টি সূচক-ত্রৈমাসিকের নম্বর আবার হিসাব হয়েছে।",
        "Rules changed; {rows} indicator-quarters rescored.",
    ),
    "cabinet": ("মন্ত্রিপরিষদ বিভাগ (সব)", "Cabinet Division (everything)"),
    "all_offices": ("সব অফিস", "All offices"),
    "ministry": ("মন্ত্রণালয়/বিভাগ", "Ministry/division"),
    "agency": ("দপ্তর/সংস্থা", "Agency"),
    "office_level": ("একটি অফিস", "One office"),
    "interpolate": ("রৈখিক অনুপাতে (ইন্টারপোলেশন)", "Interpolate"),
    "step": ("নিচের স্তরের নম্বর (ধাপ)", "Step (the lower level)"),
    "calendar": ("এপিএ ক্যালেন্ডার: প্রতিবেদনের নির্ধারিত তারিখ", "APA calendar: due dates"),
    "calendar_note": (
        "অর্থবছরের শুরুর বছর + বছর যোগ, মাস ও দিন: যেমন ২০২৪-২৫-এর ২য় ত্রৈমাসিকের প্রতিবেদন ১৫/০১/২০২৫।",
        "The fiscal year's first year + the years added, month and day: e.g. the 2024-25 second-quarter report is due 15/01/2025.",
    ),
    "event": ("কার্যক্রম", "What is due"),
    "quarter": ("ত্রৈমাসিক", "Quarter"),
    "day": ("দিন", "Day"),
    "month": ("মাস", "Month"),
    "year_offset": ("বছর যোগ", "Years added"),
}
LEVEL_KEYS = {
    "cabinet": "cabinet",
    "ministry": "ministry",
    "agency": "agency",
    "office": "office_level",
}

user = st.session_state.get("user")
if user is None or not user.is_admin:
    st.error(tr(TEXTS, "not_allowed"))
    st.stop()
engine = cache.engine()
national = user.scope.is_everything
st.title(tr(TEXTS, "title"))


def why(error: UserError) -> str:
    return literal(error.message_bn if lang() == "bn" else error.message_en, 400)


st.subheader(tr(TEXTS, "users"))
users = users_frame(engine, user.scope)  # the users within this administrator's scope
office_col = "office_bn" if lang() == "bn" else "office_en"
show_table(
    users.assign(
        scope_level=users["scope_level"].map(lambda v: tr(TEXTS, LEVEL_KEYS.get(v, v))),
        **{office_col: users[office_col].astype(object).fillna(tr(TEXTS, "all_offices"))},
    )[
        [
            "username",
            "display_name",
            "scope_level",
            office_col,
            "can_upload",
            "is_admin",
            "is_active",
        ]
    ],
    hide_index=True,
    width="stretch",
    column_config={
        "username": tr(TEXTS, "username"),
        "display_name": tr(TEXTS, "display_name"),
        "scope_level": tr(TEXTS, "scope_level"),
        office_col: tr(TEXTS, "office"),
        "can_upload": tr(TEXTS, "can_upload"),
        "is_admin": tr(TEXTS, "is_admin"),
        "is_active": tr(TEXTS, "active"),
    },
)

with st.expander(tr(TEXTS, "new_user")):
    # No default: the scope is chosen, never assumed (and the whole tree only by national
    # administrators).
    levels = [v for v in SCOPE_LEVELS if national or v != "cabinet"]
    level_names = {v: tr(TEXTS, LEVEL_KEYS[v]) for v in levels}
    level = st.selectbox(
        tr(TEXTS, "scope_level"),
        levels,
        index=None,
        placeholder=tr(TEXTS, "choose_level"),
        format_func=level_names.get,
        key="new-level",
    )
    office_id = None
    if level not in (None, "cabinet"):
        found = cache.query(
            queries.search_offices,
            current_scope(),
            st.text_input(tr(TEXTS, "office_search"), key="new-office-search"),
        )
        found = found[found["level"].isin(SCOPE_OFFICE_LEVELS[level])]
        names = dict(
            zip(found["id"], found["name_bn" if lang() == "bn" else "name_en"], strict=True)
        )
        office_id = st.selectbox(
            tr(TEXTS, "office"),
            list(names),
            index=None,
            placeholder=tr(TEXTS, "choose_office"),
            format_func=names.get,
            key="new-office",
        )
    with st.form("new-user"):
        username = st.text_input(tr(TEXTS, "username"))
        display_name = st.text_input(tr(TEXTS, "display_name"))
        email = st.text_input(tr(TEXTS, "email"))
        password = st.text_input(tr(TEXTS, "password"), type="password", max_chars=1024)
        can_upload = st.checkbox(tr(TEXTS, "can_upload"), disabled=not user.can_upload)
        is_admin = st.checkbox(tr(TEXTS, "is_admin"))
        if st.form_submit_button(tr(TEXTS, "create"), type="primary"):
            try:
                if level is None or (level != "cabinet" and office_id is None):
                    raise UserError(
                        "choose the scope's level and office",
                        "এখতিয়ারের স্তর ও অফিস বেছে নিন",
                    )
                add_user(
                    engine,
                    user,
                    username=username,
                    display_name=display_name or username,
                    password=password,
                    scope_level=level,
                    scope_office_id=None if office_id is None else int(office_id),
                    can_upload=can_upload,
                    is_admin=is_admin,
                    email=email or None,
                )
            except UserError as error:  # refused: the rules, the scope, a taken name
                st.error(tr(TEXTS, "invalid", why=why(error)))
            else:
                st.success(tr(TEXTS, "created"))

with st.expander(tr(TEXTS, "manage")):
    choices = {row.id: f"{row.username} · {row.display_name}" for row in users.itertuples()}
    chosen = st.selectbox(
        tr(TEXTS, "who"), list(choices), index=None, format_func=choices.get, key="manage-user"
    )
    if chosen is not None:
        row = users.set_index("id").loc[chosen]
        with st.form("change-user"):
            active = st.checkbox(tr(TEXTS, "active"), value=bool(row["is_active"]))
            upload = st.checkbox(
                tr(TEXTS, "can_upload"), value=bool(row["can_upload"]), disabled=not user.can_upload
            )
            admin = st.checkbox(tr(TEXTS, "is_admin"), value=bool(row["is_admin"]))
            if st.form_submit_button(tr(TEXTS, "save_user")):
                try:
                    change_user(
                        engine,
                        user,
                        int(chosen),
                        is_active=active,
                        can_upload=upload,
                        is_admin=admin,
                    )
                except UserError as error:
                    st.error(tr(TEXTS, "failed", why=why(error)))
                else:
                    st.success(tr(TEXTS, "saved_user"))
        with st.form("reset-password"):
            new_password = st.text_input(
                tr(TEXTS, "new_password"), type="password", max_chars=1024, key="reset-new"
            )
            if st.form_submit_button(tr(TEXTS, "reset")):
                try:
                    reset_password(engine, user, int(chosen), new_password)
                except UserError as error:
                    st.error(tr(TEXTS, "failed", why=why(error)))
                else:
                    st.success(tr(TEXTS, "reset_done"))
        left, right = st.columns(2)
        for column, label, action, done in (
            (left, "unlock", unlock, "unlocked"),
            (right, "end_sessions", sign_out_everywhere, "ended"),
        ):
            if column.button(tr(TEXTS, label), key=f"manage-{label}"):
                try:
                    action(engine, user, int(chosen))
                except UserError as error:
                    st.error(tr(TEXTS, "failed", why=why(error)))
                else:
                    st.success(tr(TEXTS, done))

st.subheader(tr(TEXTS, "rules"))
rules = rule_sets(engine)
rule_name = "name_bn" if lang() == "bn" else "name_en"
show_table(
    rules.assign(
        between_levels=rules["between_levels"].map(lambda v: tr(TEXTS, v)),
        fiscal_years=rules["fiscal_years"].map(digits),
    )[[rule_name, "lagging_threshold", "between_levels", "report_due_days", "fiscal_years"]],
    hide_index=True,
    width="stretch",
    column_config={
        rule_name: tr(TEXTS, "rule_set"),
        "lagging_threshold": tr(TEXTS, "threshold"),
        "between_levels": tr(TEXTS, "between"),
        "report_due_days": tr(TEXTS, "due_days"),
        "fiscal_years": tr(TEXTS, "fiscal_years"),
    },
)
st.markdown(f"**{tr(TEXTS, 'calendar')}**")
st.caption(tr(TEXTS, "calendar_note"))
deadlines = rule_set_deadlines(engine)
rule_col, event_col = ("rule_set_bn", "name_bn") if lang() == "bn" else ("rule_set_en", "name_en")
show_table(
    deadlines[[rule_col, event_col, "quarter", "day", "month", "year_offset"]],
    hide_index=True,
    width="stretch",
    column_config={
        rule_col: tr(TEXTS, "rule_set"),
        event_col: tr(TEXTS, "event"),
        "quarter": tr(TEXTS, "quarter"),
        "day": tr(TEXTS, "day"),
        "month": tr(TEXTS, "month"),
        "year_offset": tr(TEXTS, "year_offset"),
    },
)
if not national:
    st.info(tr(TEXTS, "national_only"))
    st.stop()
with st.form("rules"):
    names = dict(zip(rules["id"], rules["name_bn" if lang() == "bn" else "name_en"], strict=True))
    rule_set_id = st.selectbox(tr(TEXTS, "rule_set"), list(names), format_func=names.get)
    current = rules.set_index("id").loc[rule_set_id]
    threshold = st.number_input(
        tr(TEXTS, "threshold"),
        min_value=0.0,
        max_value=100.0,
        value=float(current["lagging_threshold"]),
        step=5.0,
    )
    between = st.selectbox(
        tr(TEXTS, "between"),
        BETWEEN_LEVELS,
        index=BETWEEN_LEVELS.index(current["between_levels"]),
        format_func=lambda v: tr(TEXTS, v),
    )
    if st.form_submit_button(tr(TEXTS, "save_rules")):
        try:
            counts = update_rules(
                engine,
                user,
                int(rule_set_id),
                lagging_threshold=threshold,
                between_levels=between,
            )
        except UserError as error:
            st.error(tr(TEXTS, "failed", why=why(error)))
        else:
            st.cache_data.clear()
            st.success(tr(TEXTS, "saved", rows=counts["indicator_scores"]))
