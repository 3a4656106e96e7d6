"""The layout of the deals template: its sheets, columns and instructions (docs/deals-template.md)."""

from __future__ import annotations

from datetime import date

DEAL_COLUMNS = ("Reference", "Direction", "Counterparty", "Status", "Signed on", "Currency", "Notes",
                "Participant", "Fee %", "Expense cap", "MG", "MG paid on", "Share tiers", "Cross-collateralized",
                "Withholding %", "Statements")
# Columns a template from an earlier version may lack: a missing one takes its default.
OPTIONAL_DEAL_COLUMNS = ("Expense cap per title", "Reserve %", "Reserve periods", "FX rate date")
MG_PAYMENT_COLUMNS = ("Deal reference", "Amount", "Paid on", "Title")
GRANT_COLUMNS = ("Deal reference", "Titles", "Libraries", "Territories", "Media", "Languages", "Start", "End",
                 "Exclusive", "Sublicensing", "Notes")
OPTIONAL_GRANT_COLUMNS = ("Counted from", "Lasts", "Event on")  # a term counted from an event (issue 19)
INSTRUCTIONS = [
    ("Sheet", "Column", "What to write"),
    ("Deals", "Reference", "Unique deal reference, e.g. OUT-2026-0042 (required)"),
    ("Deals", "Direction", "IN (rights acquired) or OUT (rights licensed) (required)"),
    ("Deals", "Counterparty", "The party's name exactly as in RightsDesk (required)"),
    ("Deals", "Status", "draft, signed, expired or terminated (default draft)"),
    ("Deals", "Signed on", "Date, YYYY-MM-DD (required for signed deals)"),
    ("Deals", "Currency", "ISO 4217 code, e.g. USD (default USD)"),
    ("Deals", "Participant", "Leave empty for a deal without royalties; else the party paid (usually the producer)"),
    ("Deals", "Fee %, Expense cap, MG, Withholding %", "Numbers; an empty expense cap means no cap"),
    ("Deals", "Share tiers", "From:percent pairs, e.g. 0:60; 100000:70 (60 % up to 100 000 of cumulative net, then 70 %)"),
    ("Deals", "Cross-collateralized", "yes or no (default yes)"),
    ("Deals", "Statements", "monthly, quarterly, semi_annual or annual (default quarterly)"),
    ("Deals", "MG, MG paid on", "One MG payment and the date it was paid (counted from the statement whose period holds "
                                "it); more payments, or an MG per title, go on the MG payments sheet"),
    ("Deals", "Expense cap per title", "yes: each title has the cap; no or empty: the cap is the deal's, all titles together"),
    ("Deals", "Reserve %, Reserve periods", "A reserve against returns: % of the share held back for that many periods"),
    ("Deals", "FX rate date", "period_end (the statement period's last day, default) or line_period_end (each line's own)"),
    ("MG payments", "Deal reference, Amount, Paid on", "One MG payment a row: the deal, the amount in the deal's "
                                                      "royalty currency, the date it was paid"),
    ("MG payments", "Title", "Empty for the whole deal; a title's internal ID for an MG of that title (titles that "
                             "stand alone: Cross-collateralized no)"),
    ("Grants", "Deal reference", "The reference of a deal on the Deals sheet (required)"),
    ("Grants", "Titles", "Internal IDs separated by commas; an episode range in brackets: T000001[1-40]"),
    ("Grants", "Libraries", "Library codes separated by commas (a grant needs titles or libraries)"),
    ("Grants", "Territories", "Countries and groups with exclusions: WORLD excluding CN, HK, MO, TW"),
    ("Grants", "Media", "Media codes separated by commas: APP, AVOD, FAST, SVOD..."),
    ("Grants", "Languages", "BCP 47 tags separated by commas; empty means every language"),
    ("Grants", "Start, End", "Dates, inclusive; an empty End is an open end"),
    ("Grants", "Exclusive, Sublicensing", "yes or no"),
    ("Grants", "Counted from", "Empty for fixed dates; else what the term counts from: signature, delivery, or "
                               "first release and a media (first release APP). The term starts on the event unless "
                               "Start is given"),
    ("Grants", "Lasts", "With Counted from: how long the term runs from the event, e.g. 5 years, 18 months "
                        "(then leave End empty); 5 years from 2026-03-01 ends on 2031-02-28"),
    ("Grants", "Event on", "With Counted from: the day the event happened (delivery, first release); empty while "
                           "it has not. A term from signature counts from the deal's Signed on"),
    ("All", "", "The import is all or nothing: any problem is listed by sheet, row and column and nothing is "
                "written. OUT grants are checked against the rights held: a signed deal that clashes is refused."),
]
EXAMPLE_DEAL = ("OUT-2026-0042", "OUT", "ShortMax", "signed", date(2026, 9, 1), "USD", "", "", "", "", "", "", "", "",
                "", "", "", "", "", "")
EXAMPLE_GRANT = ("OUT-2026-0042", "T000001, T000002[1-40]", "", "SEA excluding VN", "APP, SOCIAL_CLIPS", "",
                 date(2026, 10, 1), date(2028, 9, 30), "yes", "no", "", "", "", "")
