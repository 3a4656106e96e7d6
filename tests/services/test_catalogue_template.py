"""The catalogue template (issue 19): parties, titles and episodes in bulk, all or nothing, by
the same strict rules as every other import."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from rightsdesk.cli import main
from rightsdesk.domain.catalogue_template import EXAMPLE_EPISODES, EXAMPLE_PARTY, EXAMPLE_TITLE
from rightsdesk.reports.catalogue_template import template
from rightsdesk.services import catalogue, catalogue_template, parties
from rightsdesk.services.revenue import ImportRefused


def filled(parties_=(), titles=(), episodes=()):
    book = load_workbook(BytesIO(template()))
    for name, rows in (("Parties", parties_), ("Titles", titles), ("Episodes", episodes)):
        for row in rows:
            book[name].append(list(row))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def example(**changes):
    """The template's example rows, as a user would copy them onto the sheets read."""
    return dict(parties_=[EXAMPLE_PARTY], titles=[EXAMPLE_TITLE], episodes=EXAMPLE_EPISODES) | changes


def test_the_blank_template_imports_nothing_its_examples_stand_on_sheets_never_read(database):
    book = load_workbook(BytesIO(template()))
    assert book.sheetnames == ["Parties", "Titles", "Episodes", "Instructions", "Example parties", "Example titles",
                               "Example episodes"]
    assert [book[name].max_row for name in ("Parties", "Titles", "Episodes")] == [1, 1, 1]
    assert book["Example titles"]["B2"].value == "The CEO's Substitute Bride"
    with database.transaction() as session:
        done = catalogue_template.import_catalogue(session, template(), user="ana")
    assert (done.parties, done.titles, done.episodes) == ([], [], 0)
    with database.read() as session:
        assert catalogue.title_id_of(session, "T000001") is None


def test_the_examples_copied_onto_the_sheets_import_and_titles_get_their_episodes(database):
    with database.transaction() as session:
        done = catalogue_template.import_catalogue(session, filled(
            [EXAMPLE_PARTY, ("ShortMax", "platform", "", "SG", "USD", "", "", "", "", "", "")],
            [EXAMPLE_TITLE, ("", "The Hidden Heiress", "zh-Hans", "CN", "romance", 2025, "Golden Reel Pictures", "", "9:16", "")],
            EXAMPLE_EPISODES + [("The Hidden Heiress", n, "", "01:30") for n in range(1, 4)]), user="ana")
    assert done.parties == ["Golden Reel Pictures", "ShortMax"] and done.episodes == 5
    with database.read() as session:
        bride = catalogue.load_title(session, catalogue.title_id_of(session, done.titles[0]))
        heiress = catalogue.load_title(session, catalogue.title_id_of(session, done.titles[1]))
        producer = parties.load_party(session, bride.producer_id)
    assert (bride.original_name, [(e.number, e.runtime_seconds) for e in bride.episodes]) == (
        "The CEO's Substitute Bride", [(1, 105), (2, 102)])
    assert [e.runtime_seconds for e in heiress.episodes] == [90, 90, 90] and producer.tax_residence == "TH"


def test_a_title_given_again_by_its_id_is_updated_and_keeps_its_episode_records(database):
    with database.transaction() as session:
        done = catalogue_template.import_catalogue(session, filled(**example()), user="ana")
        first_episode = catalogue.load_title(session, catalogue.title_id_of(session, done.titles[0])).episodes[0].id
    code = done.titles[0]
    with database.transaction() as session:
        catalogue_template.import_catalogue(session, filled(
            titles=[(code, "The CEO's Substitute Bride (2026)", "th", "TH", "romance", 2026, "", "", "9:16", "")],
            episodes=[(code, 1, "The contract", "02:00"), (code, 2, "", 100), (code, 3, "", 100)]), user="ana")
    with database.read() as session:
        again = catalogue.load_title(session, catalogue.title_id_of(session, code))
    assert again.original_name == "The CEO's Substitute Bride (2026)" and len(again.episodes) == 3
    assert again.episodes[0].id == first_episode and again.episodes[0].runtime_seconds == 120


def test_the_same_file_imported_twice_is_refused_row_by_row_and_creates_nothing_twice(database):
    content = filled(**example(titles=[EXAMPLE_TITLE, ("", "Lone Wolf", "th", "", "", "", "", "", "", "")],
                               episodes=[]))
    with database.transaction() as session:
        assert catalogue_template.import_catalogue(session, content, user="ana").titles == ["T000001", "T000002"]
    with pytest.raises(ImportRefused) as refused, database.transaction() as session:
        catalogue_template.import_catalogue(session, content, user="ana")
    assert [str(p) for p in refused.value.problems] == [
        "row 2, column 'Titles!Original name': 'The CEO's Substitute Bride' is already in the catalogue as T000001 "
        "(the same producer): write T000001 in its Internal ID to update that title, or remove the row; nothing is "
        "created twice",
        "row 3, column 'Titles!Original name': 'Lone Wolf' is already in the catalogue as T000002 (no producer "
        "either): write T000002 in its Internal ID to update that title, or remove the row; nothing is created twice",
    ]
    with database.read() as session:
        assert catalogue.title_id_of(session, "T000003") is None
    other_producer = filled([("Blue Moon", "producer", "", "", "", "", "", "", "", "", "")],
                            [("", "the ceo's substitute bride", "th", "", "", "", "Blue Moon", "", "", "")])
    with database.transaction() as session:  # the same name from another producer is another title
        assert catalogue_template.import_catalogue(session, other_producer, user="ana").titles == ["T000003"]


def test_every_problem_of_the_file_is_listed_in_one_pass_by_row_and_header_and_nothing_is_written(database):
    content = filled(
        [("Kwai", "streamer", "", "ZZ", "EURO", "", "not-an-email", "", "", "", "")],
        [("", "The CEO's Substitute Bride", "th", "TH", "", 2026, "", "", "", ""), ("T999999", "Ghost", "", "", "", "", "", "", "", ""),
         ("", "Evil\u202eName", "", "", "", "20.25", "Nobody", "", "", ""),
         ("", "Theta", "xx-notalang-zz", "QQ", "", 1700, "Kwai", "10.5240/0000-0000-0000-0000-0000-Z", "", "")],
        [("Nope", 1, "", "01:00"), ("The CEO's Substitute Bride", 3, "", "1:2:3:4"),
         ("The CEO's Substitute Bride", "²", "", ""), ("The CEO's Substitute Bride", 3, "", "00:30")])
    with pytest.raises(ImportRefused) as refused, database.transaction() as session:
        catalogue_template.import_catalogue(session, content, user="ana")
    assert [str(p) for p in refused.value.problems] == [
        "row 2, column 'Parties!Kind': 'streamer' is not producer, platform, channel, broadcaster, music_publisher, "
        "record_label, localization_vendor, other",
        "row 2, column 'Parties!Tax residence': 'ZZ' is not an ISO 3166-1 country code",
        "row 2, column 'Parties!Currency': 'EURO' is not an ISO 4217 currency code",
        "row 2, column 'Parties!Email': 'not-an-email' is not an e-mail address",
        "row 3, column 'Titles!Internal ID': 'T999999' is not a title in RightsDesk (leave it empty for a new title)",
        "row 4, column 'Titles!Original name': 'Evil\\u202eName' holds a control character (U+202E)",
        "row 4, column 'Titles!Production year': '20.25' is not a whole number",
        "row 4, column 'Titles!Producer': 'Nobody' is not a party on the Parties sheet or in RightsDesk",
        "row 5, column 'Titles!Original language': 'xx-notalang-zz' is not a BCP 47 language tag (e.g. en, zh-Hans, "
        "es-419)",
        "row 5, column 'Titles!Country of origin': 'QQ' is not an ISO 3166-1 country code",
        "row 5, column 'Titles!Production year': '1700' must be between 1900 and %d" % (date.today().year + 5),
        "row 5, column 'Titles!EIDR': '10.5240/0000-0000-0000-0000-0000-Z' has a check character that does not match "
        "(mistyped?)",
        "row 2, column 'Episodes!Title': 'Nope' is neither a title on the Titles sheet nor a title's internal ID",
        "row 3, column 'Episodes!Runtime': '1:2:3:4' is not a runtime (MM:SS, HH:MM:SS or seconds)",
        "row 4, column 'Episodes!Number': '²' is not a number",
        "row 4, column 'Episodes!Runtime': is needed: more than 0 seconds",
        "row 5, column 'Episodes!Number': '3' is given twice for The CEO's Substitute Bride (rows 3 and 5)",
    ]
    with database.read() as session:
        assert catalogue.title_id_of(session, "T000001") is None


def test_the_command_line_writes_the_template_and_imports_it(database, tmp_path, capsys):
    path = tmp_path / "catalogue.xlsx"
    assert main(["template", "catalogue", str(path)]) == 0
    assert main(["import", "catalogue", str(path), "--db", database.location]) == 0
    assert "Imported 0 parties, 0 titles and 0 episodes" in capsys.readouterr().out
    path.write_bytes(filled(**example()))
    assert main(["import", "catalogue", str(path), "--db", database.location]) == 0
    assert "Imported 1 party, 1 title and 2 episodes" in capsys.readouterr().out


def test_a_refused_party_is_named_and_its_titles_wait_for_it(database):
    content = filled([("Golden Reel Pictures", "producer", "", "ZZ", "", "", "", "", "", "", "")],
                     titles=[("", "Bride", "th", "TH", "", "", "Golden Reel Pictures", "", "9:16", "")])
    with pytest.raises(ImportRefused) as refused, database.transaction() as session:
        catalogue_template.import_catalogue(session, content, user="ana")
    assert [str(p) for p in refused.value.problems] == [
        "row 2, column 'Parties!Tax residence': 'ZZ' is not an ISO 3166-1 country code"]
