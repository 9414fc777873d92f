"""The vocabulary every package shares: each term defined once (docs/domain.md explains them).

Codes are stored in the database and named in URLs, JSON and the import report: they never
change. Their Bengali and English names live with the texts that show them
(dashboard/i18n.py, the master data), keyed by these codes.
"""

from __future__ import annotations

# The five target levels of a plan's ladder, best first (অসাধারণ ... চলতি মানের নিম্নে).
TARGET_LEVELS = (100, 90, 80, 70, 60)
# The quarters of the fiscal year (July-September is Q1).
QUARTERS = (1, 2, 3, 4)
# Plan types, in the order the APA lists them (the APA, then its annexed action plans).
PLAN_TYPES = ("apa", "nis", "egov", "grs", "citizen_charter", "rti")
# Office levels, top to bottom of the office tree (not the target levels above).
OFFICE_LEVELS = ("ministry", "agency", "divisional", "district", "upazila")
UNIT_KINDS = ("number", "percent", "date")
# How a year's achievements add up (scoring.md section 1).
METHODS = ("sum", "cumulative", "average", "date")
# An indicator's status at a quarter, as scored and stored (indicator_scores.status).
STATUSES = (
    "on_track",
    "lagging",
    "missed",
    "not_yet_due",
    "not_reported",
    "not_scored",
    "needs_correction",
)
NEEDS_CORRECTION = "needs_correction"
# What lists of indicators needing attention show: lagging ones, and those that need
# correction (an unreadable target, weight or achievement; they count 0 until corrected).
LAGGING_STATUSES = ("lagging", "missed", "not_reported", "needs_correction")
# What an office wrote for one achievement (progress.status): a reading; an answer in words
# (in progress, not achieved); or a cell that could not be read.
ACHIEVEMENT_STATUSES = ("reported", "in_progress", "not_achieved", "unreadable")
# The ones that count as reported.
REPORTED_STATUSES = ("reported", "in_progress", "not_achieved")

BENGALI_DIGITS = "০১২৩৪৫৬৭৮৯"
TO_BENGALI_DIGITS = str.maketrans("0123456789", BENGALI_DIGITS)
TO_ASCII_DIGITS = str.maketrans(BENGALI_DIGITS, "0123456789")


def to_bengali_digits(text: str) -> str:
    """The text with its ASCII digits written in Bengali (a text function; whether a page
    shows Bengali digits is a setting: `dashboard.i18n.bengali_digits()`)."""
    return text.translate(TO_BENGALI_DIGITS)
