"""The catalogue template (issue 19): parties, titles and episodes in bulk, all or nothing, by
the same strict rules as every other import."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from rightsdesk.cli import main
from rightsdesk.reports.catalogue_template import template
from rightsdesk.services import catalogue, catalogue_template, parties
from rightsdesk.services.revenue import ImportRefused


def filled(parties_=(), titles=(), episodes=(), *, keep_examples=True):
    book = load_workbook(BytesIO(template()))
    for name, rows in (("Parties", parties_), ("Titles", titles), ("Episodes", episodes)):
        sheet = book[name]
        if not keep_examples:
            sheet.delete_rows(2, sheet.max_row)
        for row in rows:
            sheet.append(list(row))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_template_imports_as_it_comes_and_titles_get_their_episodes(database):
    with database.transaction() as session:
        done = catalogue_template.import_catalogue(session, filled(
            [("ShortMax", "platform", "", "SG", "USD", "", "", "", "", "", "")],
            [("", "The Hidden Heiress", "zh-Hans", "CN", "romance", 2025, "Golden Reel Pictures", "", "9:16", "")],
            [("The Hidden Heiress", n, "", "01:30") for n in range(1, 4)]), user="ana")
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
        done = catalogue_template.import_catalogue(session, filled(), user="ana")
        first_episode = catalogue.load_title(session, catalogue.title_id_of(session, done.titles[0])).episodes[0].id
    code = done.titles[0]
    with database.transaction() as session:
        catalogue_template.import_catalogue(session, filled(
            titles=[(code, "The CEO's Substitute Bride (2026)", "th", "TH", "romance", 2026, "", "", "9:16", "")],
            episodes=[(code, 1, "The contract", "02:00"), (code, 2, "", 100), (code, 3, "", 100)],
            keep_examples=False), user="ana")
    with database.read() as session:
        again = catalogue.load_title(session, catalogue.title_id_of(session, code))
    assert again.original_name == "The CEO's Substitute Bride (2026)" and len(again.episodes) == 3
    assert again.episodes[0].id == first_episode and again.episodes[0].runtime_seconds == 120


def test_every_problem_is_listed_by_sheet_row_and_column_and_nothing_is_written(database):
    content = filled(
        [("Kwai", "streamer", "", "", "", "", "", "", "", "", "")],
        [("T999999", "Ghost", "", "", "", "", "", "", "", ""), ("", "Evil\u202eName", "", "", "", "20.25", "Nobody", "", "", "")],
        [("Nope", 1, "", "01:00"), ("The CEO's Substitute Bride", 3, "", "1:2:3:4"), ("The CEO's Substitute Bride", "²", "", "")])
    with pytest.raises(ImportRefused) as refused, database.transaction() as session:
        catalogue_template.import_catalogue(session, content, user="ana")
    assert [str(p) for p in refused.value.problems] == [
        "row 3, column 'Parties!Kind': 'streamer' is not producer, platform, channel, broadcaster, music_publisher, "
        "record_label, localization_vendor, other",
        "row 3, column 'Titles!Internal ID': 'T999999' is not a title in RightsDesk (leave it empty for a new title)",
        "row 4, column 'Titles!Producer': 'Nobody' is not a party on the Parties sheet or in RightsDesk",
        "row 4, column 'Titles!Original name': 'Evil\\u202eName' holds a control character (U+202E)",
        "row 4, column 'Titles!Production year': '20.25' is not a whole number",
        "row 4, column 'Episodes!Title': 'Nope' is neither a title on the Titles sheet nor a title's internal ID",
        "row 5, column 'Episodes!Runtime': '1:2:3:4' is not a runtime (MM:SS, HH:MM:SS or seconds)",
        "row 6, column 'Episodes!Number': '²' is not a number",
    ]
    with database.read() as session:
        assert catalogue.title_id_of(session, "T000001") is None


def test_the_command_line_writes_the_template_and_imports_it(database, tmp_path, capsys):
    path = tmp_path / "catalogue.xlsx"
    assert main(["template", "catalogue", str(path)]) == 0
    assert main(["import", "catalogue", str(path), "--db", database.location]) == 0
    assert "Imported 1 party, 1 title and 2 episodes" in capsys.readouterr().out


def test_a_refused_party_is_named_and_its_titles_wait_for_it(database):
    content = filled([("Golden Reel Pictures", "producer", "", "ZZ", "", "", "", "", "", "", "")], keep_examples=False,
                     titles=[("", "Bride", "th", "TH", "", "", "Golden Reel Pictures", "", "9:16", "")])
    with pytest.raises(ImportRefused) as refused, database.transaction() as session:
        catalogue_template.import_catalogue(session, content, user="ana")
    assert any("Parties!" in str(p) and "ZZ" in str(p) for p in refused.value.problems)
