"""The catalogue template: parties, titles and their episodes in one workbook, one a row, by the
same strict rules as the deals template (docs/catalogue-template.md)."""

from __future__ import annotations

PARTY_COLUMNS = ("Name", "Kind", "Legal name", "Tax residence", "Currency", "Contact", "Email", "Phone", "Address",
                 "Tax ID", "Notes")
TITLE_COLUMNS = ("Internal ID", "Original name", "Original language", "Country of origin", "Genre", "Production year",
                 "Producer", "EIDR", "Aspect ratio", "Synopsis")
EPISODE_COLUMNS = ("Title", "Number", "Name", "Runtime")

# The examples stand on sheets of their own, which the import never reads (it reads only the
# sheets named Parties, Titles and Episodes): a blank template imports nothing.
EXAMPLE_SHEETS = {"Parties": "Example parties", "Titles": "Example titles", "Episodes": "Example episodes"}
EXAMPLE_PARTY = ("Golden Reel Pictures", "producer", "Golden Reel Pictures Co., Ltd.", "TH", "THB", "Somchai P.",
                 "rights@goldenreel.example", "+66 2 123 4567", "Bangkok", "0105551234567", "")
EXAMPLE_TITLE = ("", "The CEO's Substitute Bride", "th", "TH", "romance", 2026, "Golden Reel Pictures",
                 "", "9:16", "A contract bride falls for the CEO she was paid to marry.")
EXAMPLE_EPISODES = [("The CEO's Substitute Bride", 1, "The contract", "01:45"),
                    ("The CEO's Substitute Bride", 2, "", 102)]

INSTRUCTIONS = [
    ("Sheet", "Column", "What to write"),
    ("Parties", "Name", "The party's name as everyone calls it (required; an existing party of that name is updated)"),
    ("Parties", "Kind", "producer, platform, channel, broadcaster, music_publisher, record_label, "
                        "localization_vendor or other (required)"),
    ("Parties", "Tax residence", "ISO 3166-1 country code, e.g. TH"),
    ("Parties", "Currency", "ISO 4217 code the party is paid in, e.g. THB"),
    ("Titles", "Internal ID", "Empty for a new title (RightsDesk numbers it); a title's ID to update it"),
    ("Titles", "Original name", "The series' name in its original language (required). A row without an internal "
                                "ID whose original name (any case) and producer are a title's already in RightsDesk "
                                "is refused, naming that title's ID: write the ID to update it"),
    ("Titles", "Original language", "BCP 47 tag: th, zh-Hans, es-419"),
    ("Titles", "Country of origin", "ISO 3166-1 code"),
    ("Titles", "Production year", "Four digits"),
    ("Titles", "Producer", "A party's name: on the Parties sheet or already in RightsDesk"),
    ("Titles", "EIDR", "10.5240/XXXX-XXXX-XXXX-XXXX-XXXX-C (doi: and md:cid:eidr-s: forms are read too)"),
    ("Episodes", "Title", "The title's internal ID, or its original name as on the Titles sheet"),
    ("Episodes", "Number", "1, 2, 3... (a title given episodes here gets exactly these)"),
    ("Episodes", "Runtime", "MM:SS, HH:MM:SS or whole seconds"),
    ("Example parties, Example titles, Example episodes", "(all)",
     "Examples of each sheet, never imported: only the sheets named Parties, Titles and Episodes are read"),
    ("All", "How cells are read", "Numbers as spreadsheet numbers or plain digits; nothing that reads two ways is "
                                  "guessed; every problem of the file is listed at once by sheet, row and column (as the headers name "
                                  "it) and nothing is imported"),
]
