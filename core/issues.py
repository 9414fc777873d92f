"""Every problem an import can meet: a stable code, a severity, and messages in Bengali and
English that say where (file, sheet, row, column), what was found and what was expected.

An error stops only what it touches (scoring.md section 5): a plan-level error (`PLAN_ERRORS`:
the plan cannot be placed) refuses that plan; any other error makes its indicator "needs
correction" and the rest of the plan is stored. Strict mode refuses a plan with any error.
Each issue also says whose entry it concerns (`part`): the workbook as a whole ("file"), the
approved plan ("plan"), or the office's own report for the period ("report": achievements).

Every refusal has the same shape: a registered code, its wording (`variant`) and parameters,
rendered in both languages here. A file the reader refuses (`loaders.read.UnreadableWorkbook`),
an import data/ refuses (`data.imports.ImportRefused`), a worker stopped or an upload over its
budget (loaders/worker.py) are all `Refusal`s; none carries a finished message of its own.

Codes never change once published (the upload page, the JSON report and docs/import-issues.md
refer to them). `tests/test_issue_docs.py` fails when a code has no line in the docs or a
wording does not render in both languages.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from string import Formatter

from core.terms import to_bengali_digits

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class IssueType:
    """A registered problem: its code, severity, title, and message templates (str.format):
    `{value}` (what was found), `{expected}`, `{detail}`, or parameters of its own (`{limit}`),
    the same ones in Bengali and in English. `variants` holds the other wordings of the same
    code, by name: (Bengali, English)."""

    code: str
    severity: str
    title_bn: str
    title_en: str
    template_bn: str
    template_en: str
    variants: dict[str, tuple[str, str]] = field(default_factory=dict)

    def templates(self, variant: str | None = None) -> tuple[str, str]:
        """(Bengali, English) template of the variant (None: the code's own)."""
        return self.variants[variant] if variant else (self.template_bn, self.template_en)

    def parameters(self, variant: str | None = None) -> set[str]:
        """The names the variant's templates fill in (`{sheet}` comes from the location)."""
        names = set()
        for template in self.templates(variant):
            names |= {field for _, field, _, _ in Formatter().parse(template) if field}
        return names - {"sheet"}


def _t(code, severity, title_bn, title_en, template_bn, template_en, **variants) -> IssueType:
    return IssueType(code, severity, title_bn, title_en, template_bn, template_en, variants)


ISSUE_TYPES: dict[str, IssueType] = {
    t.code: t
    for t in (
        # ---- the file (loaders/read.py refuses it whole; the worker and the upload too)
        _t("file-too-large", ERROR, "ফাইল খুব বড়", "File too large",
           "ফাইলটি {size}; সর্বোচ্চ {limit} গ্রহণযোগ্য।",
           "the file is {size}; at most {limit} is accepted."),
        _t("not-a-workbook", ERROR, "ওয়ার্কবুক নয়", "Not a workbook",
           "ফাইলটি ওয়ার্কবুক নয়; এক্সেল (.xlsx, .xlsm, .xls) বা ওপেনডকুমেন্ট (.ods) ফাইল প্রত্যাশিত।",
           "the file is not a workbook; expected an Excel (.xlsx, .xlsm, .xls) or OpenDocument (.ods) file.",
           zip=("ফাইলটি জিপ আর্কাইভ, কিন্তু এক্সেল বা ওপেনডকুমেন্ট ওয়ার্কবুক নয়; .xlsx, .xlsm, .xls বা .ods প্রত্যাশিত।",
                "the file is a zip archive but not an Excel or OpenDocument workbook; expected .xlsx, .xlsm, .xls or .ods.")),
        _t("encrypted-workbook", ERROR, "পাসওয়ার্ড-সুরক্ষিত ওয়ার্কবুক", "Password-protected workbook",
           "ওয়ার্কবুকটি পাসওয়ার্ড দিয়ে সুরক্ষিত; পাসওয়ার্ড ছাড়া সংরক্ষণ করে আবার পাঠান।",
           "the workbook is protected by a password; save it without a password and upload again."),
        _t("truncated-workbook", ERROR, "ক্ষতিগ্রস্ত বা অসম্পূর্ণ ফাইল", "Damaged or incomplete file",
           "ফাইলটি ক্ষতিগ্রস্ত বা অসম্পূর্ণ; সম্পূর্ণ এক্সেল ওয়ার্কবুক প্রত্যাশিত।",
           "the file is damaged or incomplete ({reason}); expected a complete Excel workbook.",
           part=("অংশ {member} পড়া যায়নি; সম্পূর্ণ ওয়ার্কবুক প্রত্যাশিত।",
                 "part {member} cannot be read ({reason}); expected a complete workbook."),
           workbook_part=("ওয়ার্কবুকের মূল অংশ নিরাপদে পড়া যায়নি।",
                          "the workbook part cannot be read safely ({reason})."),
           content_part=("ওয়ার্কবুকের বিষয়বস্তুর অংশ নিরাপদে পড়া যায়নি।",
                         "the workbook's content part cannot be read safely ({reason}).")),
        _t("zip-bomb", ERROR, "অস্বাভাবিক সংকোচন (জিপ বোমা)", "Abnormal compression (zip bomb)",
           "ফাইলটি খুললে {size} হয়; সর্বোচ্চ {limit} গ্রহণযোগ্য।",
           "the file would unpack to {size}; at most {limit} is accepted.",
           parts=("ফাইলে {parts}টি অংশ আছে; ওয়ার্কবুকে সর্বোচ্চ {limit}টি থাকে।",
                  "the file holds {parts} parts; a workbook has at most {limit}."),
           ratio=("অংশ {member} {ratio} গুণ সংকুচিত; সর্বোচ্চ {limit} গুণ গ্রহণযোগ্য।",
                  "part {member} is compressed {ratio} times; at most {limit} is accepted.")),
        _t("xml-bomb", ERROR, "অনিরাপদ XML (এক্সএমএল বোমা)", "Unsafe XML (XML bomb)",
           "অংশ {member}-এ DTD বা এনটিটি ঘোষণা আছে, যা ওয়ার্কবুকে লাগে না; অনিরাপদ বলে গ্রহণ করা হয়নি।",
           "part {member} declares a DTD or entities, which workbooks never need; refused as unsafe.",
           workbook_part=("ওয়ার্কবুকের মূল অংশ নিরাপদে পড়া যায়নি।",
                          "the workbook part cannot be read safely ({reason})."),
           content_part=("ওয়ার্কবুকের বিষয়বস্তুর অংশ নিরাপদে পড়া যায়নি।",
                         "the workbook's content part cannot be read safely ({reason}).")),
        _t("too-many-sheets", ERROR, "অনেক বেশি শিট", "Too many sheets",
           "ওয়ার্কবুকে {count}টি শিট আছে; সর্বোচ্চ {limit}টি গ্রহণযোগ্য।",
           "the workbook has {count} sheets; at most {limit} are accepted."),
        _t("too-many-rows", ERROR, "অনেক বেশি সারি", "Too many rows",
           "শিট {sheet}-এ {count}টি সারি আছে; সর্বোচ্চ {limit}টি গ্রহণযোগ্য।",
           "sheet {sheet} has {count} rows; at most {limit} are accepted."),
        _t("too-many-columns", ERROR, "অনেক বেশি কলাম", "Too many columns",
           "শিট {sheet}-এ {count}টি কলাম আছে; সর্বোচ্চ {limit}টি গ্রহণযোগ্য।",
           "sheet {sheet} has {count} columns; at most {limit} are accepted."),
        _t("too-many-cells", ERROR, "অনেক বেশি ঘর", "Too many cells",
           "ওয়ার্কবুকে ঘর {count}টি (A1 থেকে সারি × কলাম); সর্বোচ্চ {limit}টি গ্রহণযোগ্য। সারণির বাইরের খালি সারি ও কলাম মুছুন বা ওয়ার্কবুক ভাগ করুন।",
           "the workbook holds {count} cells (rows × columns from A1); at most {limit} are accepted. Delete empty rows and columns beyond the table, or split the workbook.",
           sheet=("শিট {sheet}-এ এসে ওয়ার্কবুকে ঘর {count}টি (A1 থেকে সারি × কলাম); সর্বোচ্চ {limit}টি গ্রহণযোগ্য। সারণির বাইরের খালি সারি ও কলাম মুছুন বা ওয়ার্কবুক ভাগ করুন।",
                  "sheet {sheet} brings the workbook to {count} cells (rows × columns from A1); at most {limit} are accepted. Delete empty rows and columns beyond the table, or split the workbook.")),
        _t("too-much-text", ERROR, "অনেক বেশি লেখা", "Too much text",
           "ওয়ার্কবুকের লেখা {size} (একই লেখা যত ঘরে আছে তত বার গোনা); সর্বোচ্চ {limit} গ্রহণযোগ্য।",
           "the workbook's text is {size} (a shared text counted in every cell that uses it); at most {limit} is accepted.",
           sheet=("শিট {sheet}-এ এসে ওয়ার্কবুকের ঘরের লেখা {size} (একই লেখা যত ঘরে আছে তত বার গোনা); সর্বোচ্চ {limit} গ্রহণযোগ্য।",
                  "sheet {sheet} brings the workbook's cell text to {size} (a shared text counted in every cell that uses it); at most {limit} is accepted.")),
        _t("too-many-merged-cells", ERROR, "অনেক বেশি একত্রিত ঘর", "Too many merged cells",
           "শিট {sheet}-এ এসে ওয়ার্কবুকের একত্রিত (মার্জ) ঘরের পরিসর {count}টি; সর্বোচ্চ {limit}টি গ্রহণযোগ্য।",
           "sheet {sheet} brings the workbook to {count} merged ranges; at most {limit} are accepted.",
           cells=("একত্রিত (মার্জ) পরিসর {value} নিয়ে ওয়ার্কবুকের একত্রিত ঘর {count}টি; সর্বোচ্চ {limit}টি গ্রহণযোগ্য।",
                  "with the merged range {value} the workbook's merged ranges cover {count} cells of its data; at most {limit} are accepted.")),
        _t("check-limit-exceeded", ERROR, "যাচাইয়ের সীমা ছাড়িয়েছে", "Check limit exceeded",
           "ওয়ার্কবুক পড়তে {limit}-এর বেশি মেমরি লেগেছে, তাই থামানো হয়েছে; পরিকল্পনার ওয়ার্কবুকে এর অনেক কম লাগে।",
           "reading the workbook needed more than {limit} of memory and was stopped; a plan workbook needs far less.",
           time=("ওয়ার্কবুক যাচাইয়ে {limit} সেকেন্ডের বেশি লেগেছে, তাই থামানো হয়েছে; পরিকল্পনার ওয়ার্কবুক কয়েক সেকেন্ডে পড়া যায়।",
                 "checking the workbook took longer than {limit} seconds and was stopped; a plan workbook is read in a few seconds."),
           memory=("ওয়ার্কবুক পড়তে একটি যাচাইয়ের অনুমোদিত মেমরির চেয়ে বেশি লেগেছে; পরিকল্পনার ওয়ার্কবুকে এর অনেক কম লাগে।",
                   "reading the workbook needed more memory than one check may use; a plan workbook needs far less.")),
        _t("upload-too-large", ERROR, "আপলোড খুব বড়", "Upload too large",
           "এক আপলোডে সর্বোচ্চ {limit}টি ফাইল; এটি আলাদা করে আপলোড করুন।",
           "one upload takes at most {limit} files; upload this one separately.",
           bytes=("এক আপলোডের ফাইলগুলো মিলিয়ে সর্বোচ্চ {limit}; এটি আলাদা করে আপলোড করুন।",
                  "the files of one upload may add up to {limit}; upload this one separately."),
           cells=("এক আপলোডের ওয়ার্কবুকগুলোতে মিলিয়ে সর্বোচ্চ {limit}টি ঘর; এটি আলাদা করে আপলোড করুন।",
                  "the workbooks of one upload may hold {limit} cells in all; upload this one separately.")),
        _t("unreadable-workbook", ERROR, "ওয়ার্কবুক পড়া যায়নি", "Workbook cannot be read",
           "ওয়ার্কবুকটি পড়া যায়নি ({reason}); এক্সেলে খোলা যায় এমন ওয়ার্কবুক প্রত্যাশিত।",
           "the workbook cannot be read ({reason}); expected a workbook Excel can open.",
           cannot_open=("ফাইলটি খোলা যায়নি; একটি ওয়ার্কবুক ফাইল প্রত্যাশিত।",
                        "the file cannot be opened ({reason}); expected a workbook file.")),
        _t("workbook-not-imported", ERROR, "ওয়ার্কবুক আমদানি হয়নি", "Workbook not imported",
           "ওয়ার্কবুকের কোনো পরিকল্পনা আমদানি করা যায়নি",
           "no plan in the workbook can be imported"),
        # ---- layout and plan facts
        _t("no-table-found", WARNING, "পরিকল্পনার সারণি পাওয়া যায়নি", "No plan table found",
           "এই শিটে কর্মসম্পাদন সূচকের সারণি পাওয়া যায়নি (শিরোনামে 'কর্মসম্পাদন সূচক', 'একক', 'মান', 'লক্ষ্যমাত্রা' প্রত্যাশিত); শিটটি বাদ দেওয়া হয়েছে।",
           "no table of performance indicators was found (expected headers such as 'Performance indicator', 'Unit', 'Weight', 'Target'); the sheet was skipped."),
        _t("no-indicators", ERROR, "কোনো সূচক নেই", "No indicators",
           "সারণিতে কোনো কর্মসম্পাদন সূচকের সারি পাওয়া যায়নি; প্রতি সূচকের জন্য একটি সারি প্রত্যাশিত।",
           "the table has no indicator rows; expected one row per performance indicator."),
        _t("plan-type-unknown", ERROR, "পরিকল্পনার ধরন জানা যায়নি", "Plan type unknown",
           "'{value}' থেকে পরিকল্পনার ধরন বোঝা যায়নি; শিরোনাম বা শিটের নামে এপিএ, শুদ্ধাচার, ই-গভর্ন্যান্স, অভিযোগ প্রতিকার, সেবা প্রদান প্রতিশ্রুতি বা তথ্য অধিকার প্রত্যাশিত।",
           "the plan type cannot be told from '{value}'; expected the title or sheet name to name APA, integrity (NIS), e-governance, grievance redress, citizen's charter or right to information."),
        _t("fiscal-year-unknown", ERROR, "অর্থবছর জানা যায়নি", "Fiscal year unknown",
           "'{value}' থেকে অর্থবছর বোঝা যায়নি বা তা ড্যাশবোর্ডে নেই; শিরোনামে ২০২৪-২৫ ধরনের অর্থবছর প্রত্যাশিত।",
           "the fiscal year cannot be told from '{value}', or it is not in the dashboard; expected a fiscal year such as 2024-25 in the title."),
        _t("quarter-unknown", ERROR, "ত্রৈমাসিক জানা যায়নি", "Quarter unknown",
           "অর্জনের কলাম '{value}' কোন ত্রৈমাসিকের তা বোঝা যায়নি; শিরোনামে '১ম ত্রৈমাসিক' বা 'জুলাই-সেপ্টেম্বর' ধরনের লেখা প্রত্যাশিত।",
           "the achievement column '{value}' does not say which quarter it is for; expected e.g. '1st quarter' or 'July-September' in its header or the title."),
        _t("office-not-matched", ERROR, "অফিস শনাক্ত হয়নি", "Office not matched",
           "'{value}' কোনো অফিসের সাথে মেলেনি; অফিসের নাম শিরোনামে ('অফিসের নাম : ...') লিখুন বা আমদানির সময় অফিস বেছে দিন।",
           "'{value}' matches no office; name the office in the title ('Office: ...') or choose it when importing."),
        _t("office-match-uncertain", ERROR, "অফিস মেলানো অনিশ্চিত", "Office match uncertain",
           "'{value}' সম্ভবত '{expected}' (নিশ্চয়তা {detail}%); ভুল অফিসে তথ্য যাতে না যায়, আমদানির সময় অফিসটি বেছে দিন।",
           "'{value}' probably means '{expected}' ({detail}% confidence); so that nothing lands in the wrong office, choose the office when importing."),
        _t("office-out-of-scope", ERROR, "অফিস আপনার এখতিয়ারের বাইরে", "Office outside your scope",
           "'{value}' অফিসের তথ্য আমদানির অনুমতি আপনার নেই; আপনার এখতিয়ার: {expected}।",
           "you may not import data for the office '{value}'; your scope is {expected}."),
        _t("scope-missing", ERROR, "এখতিয়ার দেওয়া হয়নি", "No scope given",
           "এই আমদানির এখতিয়ার দেওয়া হয়নি, তাই কিছুই আমদানি হয়নি।",
           "no scope was given for this import, so nothing was imported."),
        _t("plan-not-for-this-office", WARNING, "পরিকল্পনাটি এই অফিসের জন্য নয়", "Plan not for this office",
           "শিটটি {expected} পর্যায়ের অফিসের জন্য, কিন্তু অফিস '{value}' {detail} পর্যায়ের; শিটটি বাদ দেওয়া হয়েছে।",
           "the sheet is for {expected} offices, but the office '{value}' is a {detail} office; the sheet was skipped."),
        _t("duplicate-plan", ERROR, "একই পরিকল্পনা দুবার", "Plan repeated",
           "এই ওয়ার্কবুকে অফিস '{value}'-এর {expected} পরিকল্পনা একাধিক শিটে আছে (শিট {detail}); একটি প্রত্যাশিত।",
           "this workbook holds the {expected} plan of the office '{value}' on more than one sheet ({detail}); expected one."),
        # ---- values (recorded while reading and normalising)
        _t("unparseable-number", ERROR, "সংখ্যা পড়া যায়নি", "Number cannot be read",
           "'{value}' সংখ্যা হিসেবে পড়া যায়নি; ১০, ০১ বা ২.৫ ধরনের সংখ্যা প্রত্যাশিত।",
           "'{value}' cannot be read as a number; expected a number such as 10, 01 or 2.5."),
        _t("unparseable-percent", ERROR, "শতাংশ পড়া যায়নি", "Percent cannot be read",
           "'{value}' শতাংশ হিসেবে পড়া যায়নি; ৯০, ৯০% বা 0.9 ধরনের মান প্রত্যাশিত।",
           "'{value}' cannot be read as a percent; expected a value such as 90, 90% or 0.9."),
        _t("unparseable-date", ERROR, "তারিখ পড়া যায়নি", "Date cannot be read",
           "'{value}' তারিখ হিসেবে পড়া যায়নি; দিন/মাস/বছর আকারে তারিখ প্রত্যাশিত, যেমন ৩১/১২/২০২৪।",
           "'{value}' cannot be read as a date; expected day/month/year, such as 31/12/2024."),
        _t("unreadable-value", ERROR, "অর্জন পড়া যায়নি", "Achievement not readable",
           "'{value}' সংখ্যা, তারিখ বা জানা অবস্থা ('কার্যক্রম চলমান রয়েছে', 'অর্জিত হয়নি') নয়; লেখা হিসেবে রাখা হয়েছে, সংশোধন না হওয়া পর্যন্ত সূচকটির নম্বর শূন্য।",
           "'{value}' is not a number, a date or a known status ('in progress', 'not achieved'); it is kept as text and the indicator counts 0 until it is corrected."),
        _t("leaked-number-format", ERROR, "মানের জায়গায় এক্সেলের ফরম্যাট", "Excel number format instead of a value",
           "ঘরে মান নয়, এক্সেলের নম্বর-ফরম্যাট '{value}' লেখা আছে (মানটি হারিয়ে গেছে); সংশোধন না হওয়া পর্যন্ত সূচকটির নম্বর শূন্য। ঘরে সংখ্যা, শতাংশ বা তারিখ লিখুন।",
           "the cell holds the Excel number format '{value}' instead of a value (the value was lost); the indicator counts 0 until it is corrected. Write the number, percent or date in the cell."),
        _t("cell-error", ERROR, "ঘরে এক্সেলের ত্রুটি", "Excel error value in a cell",
           "ঘরে মান নয়, এক্সেলের ত্রুটি '{value}' আছে (সূত্রটি কাজ করেনি); সংশোধন না হওয়া পর্যন্ত সূচকটির নম্বর শূন্য। ঘরে সংখ্যা, শতাংশ বা তারিখ লিখুন।",
           "the cell holds Excel's error value '{value}' instead of a value (its formula failed); the indicator counts 0 until it is corrected. Write the number, percent or date in the cell."),
        _t("marks-above-weight", WARNING, "প্রাপ্ত নম্বর মানের বেশি", "Marks above the row's weight",
           "প্রাপ্ত নম্বর '{value}' সারির মান {expected}-এর বেশি; {expected} ধরা হয়েছে।",
           "the marks obtained '{value}' exceed the row's weight {expected}; {expected} is counted."),
        _t("day-month-swapped", WARNING, "দিন ও মাস অদলবদল", "Day and month swapped",
           "'{value}' দিন/মাস/বছর হিসেবে বৈধ নয় বা অর্থবছরের বাইরে; মাস/দিন ধরে {detail} নেওয়া হয়েছে।",
           "'{value}' is not a valid day/month/year date or falls outside the fiscal year; read as month/day: {detail}."),
        _t("date-year-corrected", WARNING, "তারিখের বছর সংশোধিত", "Year of a date corrected",
           "'{value}' পরিকল্পনার অর্থবছরের বাইরে; একই দিন ও মাস অর্থবছরের মধ্যে ধরা হয়েছে ({detail})।",
           "'{value}' lies outside the plan's fiscal year; the same day and month within the fiscal year was used ({detail})."),
        _t("code-repaired", WARNING, "কোড সংশোধিত", "Code repaired",
           "কোড '{value}' ত্রুটিপূর্ণ; {detail} হিসেবে পড়া হয়েছে ([১.১.১] আকারে কোড প্রত্যাশিত)।",
           "the code '{value}' is malformed; read as {detail} (expected a code such as [1.1.1])."),
        # ---- checks of the plan (loaders/checks.py)
        _t("ladder-not-monotonic", ERROR, "লক্ষ্যমাত্রা ক্রমানুসারে নয়", "Targets not in order",
           "পাঁচ স্তরের লক্ষ্যমাত্রা ({value}) অসাধারণ থেকে চলতি মানের নিম্নে পর্যন্ত কেবল বাড়ে বা কেবল কমে না; ক্রমানুসারে লক্ষ্যমাত্রা প্রত্যাশিত।",
           "the five targets ({value}) neither only fall nor only rise from excellent to poor; expected targets in order."),
        _t("date-outside-fiscal-year", WARNING, "তারিখ অর্থবছরের বাইরে", "Date outside the fiscal year",
           "তারিখ '{value}' অর্থবছর {expected}-এর বাইরে।",
           "the date '{value}' lies outside the fiscal year {expected}."),
        _t("weight-sum-mismatch", WARNING, "মানের যোগফল মেলেনি", "Weights do not add up",
           "সূচকের মানের যোগফল {detail}, কিন্তু '{value}'-এর মান {expected}।",
           "the indicator weights add up to {detail}, but '{value}' has weight {expected}."),
        _t("duplicate-indicator-code", ERROR, "একই সূচক দুবার", "Indicator repeated",
           "সূচক '{value}' এই পরিকল্পনায় একাধিকবার আছে (সারি {detail}); প্রতিটি সূচক একবার প্রত্যাশিত।",
           "the indicator '{value}' appears more than once in this plan (rows {detail}); expected each indicator once."),
        _t("duplicate-code", WARNING, "একই কোড দুই সূচকে", "Same code on two indicators",
           "কোড '{value}' দুটি ভিন্ন সূচকে আছে (সারি {detail}); সূচকগুলো সারির ক্রমে আলাদা রাখা হয়েছে।",
           "the code '{value}' is used by two different indicators (rows {detail}); they are kept apart by their row order."),
        _t("missing-unit", WARNING, "একক নেই", "Unit missing",
           "সূচক '{value}'-এর একক দেওয়া নেই; {expected} ধরা হয়েছে।",
           "the indicator '{value}' has no unit; taken as {expected}."),
        _t("missing-weight", WARNING, "মান নেই", "Weight missing",
           "সূচক '{value}'-এর মান দেওয়া নেই; পরিকল্পনার নম্বরে এর ভার শূন্য।",
           "the indicator '{value}' has no weight; it weighs nothing in the plan's score."),
        _t("missing-targets", WARNING, "লক্ষ্যমাত্রা নেই", "Targets missing",
           "সূচক '{value}'-এর কোনো লক্ষ্যমাত্রা নেই; নম্বর দেওয়া হবে না।",
           "the indicator '{value}' has no target; it is not scored."),
        _t("text-too-long", ERROR, "লেখা খুব দীর্ঘ", "Text too long",
           "'{value}'-এ {detail}টি অক্ষর; এখানে সর্বোচ্চ {expected}টি গ্রহণযোগ্য।",
           "'{value}' has {detail} characters; at most {expected} are accepted here."),
        _t("too-many-issues", WARNING, "আরও সমস্যা আছে", "More issues",
           "আরও {value}টি সমস্যা দেখানো হয়নি; প্রথমগুলো ঠিক করে আবার যাচাই করুন।",
           "{value} more issues are not shown; fix the first ones and check again."),
    )
}  # fmt: skip


# Plan-level errors: the plan cannot be placed (or, for a duplicate, is given twice), so it is
# refused whatever the mode. Other errors stop only the indicator they touch.
PLAN_ERRORS = frozenset(
    {
        "no-indicators",
        "plan-type-unknown",
        "fiscal-year-unknown",
        "office-not-matched",
        "office-match-uncertain",
        "office-out-of-scope",
        "scope-missing",
        "duplicate-plan",
        # Text past the columns' limits: storing it would fail (or cut what the office wrote).
        "text-too-long",
    }
)
PARTS = ("file", "plan", "report")


@dataclass(frozen=True)
class Issue:
    code: str
    severity: str
    file: str | None
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    message_bn: str
    message_en: str
    part: str = "file"  # file, plan or report (see the module docstring)
    text_bn: str = ""  # the message without its location (tables show that in columns)
    text_en: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def refuses_plan(self) -> bool:
        return self.severity == ERROR and self.code in PLAN_ERRORS


def _where_en(file, sheet, row, column) -> str:
    parts = [file] if file else []
    if sheet:
        parts.append(f"sheet '{sheet}'")
    if row:
        parts.append(f"row {row}")
    if column:
        parts.append(f"column {column}")
    return ", ".join(parts)


def _where_bn(file, sheet, row, column) -> str:
    parts = [file] if file else []
    if sheet:
        parts.append(f"শিট '{sheet}'")
    if row:
        parts.append(f"সারি {to_bengali_digits(str(row))}")
    if column:
        parts.append(f"কলাম {column}")
    return ", ".join(parts)


def make_issue(
    code: str,
    *,
    file: str | None = None,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    value: object = None,
    expected: object = "",
    detail: object = "",
    severity: str | None = None,
    part: str | None = None,
    variant: str | None = None,
    **parameters: object,
) -> Issue:
    """An issue of a registered type (and wording: `variant`), its messages filled in from
    the templates with `value`, `expected`, `detail`, the sheet and `parameters`, located."""
    kind = ISSUE_TYPES[code]
    shown = "" if value is None else str(value)
    filled = {
        "value": shown,
        "expected": expected,
        "detail": detail,
        "sheet": sheet or "",
        **parameters,
    }
    template_bn, template_en = kind.templates(variant)
    en = template_en.format(**filled)
    bn = template_bn.format(**filled)
    where_en = _where_en(file, sheet, row, column)
    where_bn = _where_bn(file, sheet, row, column)
    return Issue(
        code=code,
        severity=severity or kind.severity,
        file=file,
        sheet=sheet,
        row=row,
        column=column,
        value=None if value is None else shown,
        message_bn=f"{where_bn}: {bn}" if where_bn else bn,
        message_en=f"{where_en}: {en}" if where_en else en,
        part=part or ("plan" if row else "file"),
        text_bn=bn,
        text_en=en,
    )


class Refusal(Exception):
    """Something refused whole (a file, an import): a registered code, its wording and its
    parameters, rendered in both languages by `make_issue` like every other issue."""

    def __init__(
        self,
        code: str,
        *,
        file: str | None = None,
        sheet: str | None = None,
        value: object = None,
        variant: str | None = None,
        **parameters: object,
    ) -> None:
        self.code = code
        self.file = file
        self.sheet = sheet
        self.value = None if value is None else str(value)
        self.variant = variant
        self.parameters = parameters
        super().__init__(self.message_en)

    def issue(self, file: str | None = None) -> Issue:
        """The refusal as an issue of the report, located in `file` (else its own)."""
        return make_issue(
            self.code,
            file=file or self.file,
            sheet=self.sheet,
            value=self.value,
            variant=self.variant,
            **self.parameters,
        )

    @property
    def message_en(self) -> str:
        return self.issue().message_en

    @property
    def message_bn(self) -> str:
        return self.issue().message_bn
