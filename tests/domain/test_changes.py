from rightsdesk.domain.changes import Difference, differences


def test_only_changed_fields_are_listed_in_their_order():
    before = {"reference": "OUT-1", "status": "draft", "notes": "", "currency": "USD"}
    after = {"reference": "OUT-1", "status": "signed", "notes": "Countersigned", "currency": "USD"}
    assert differences(before, after) == [Difference("status", "draft", "signed"),
                                          Difference("notes", "", "Countersigned")]


def test_lists_of_records_are_compared_item_by_item_and_values_as_a_whole():
    grant = {"media": ["APP", "AVOD"], "exclusive": True, "territories": {"items": [{"code": "WORLD", "is_group": True}]}}
    changed = {**grant, "media": ["APP"], "exclusive": False}
    assert differences({"grants": [grant, grant]}, {"grants": [grant, changed]}) == [
        Difference("grant 2 › media", "APP, AVOD", "APP"),
        Difference("grant 2 › exclusive", "yes", "no"),
    ]


def test_an_added_or_removed_record_shows_every_field():
    assert differences({"grants": []}, {"grants": [{"media": ["APP"], "term_end": None}]}) == [
        Difference("grant 1 › media", "", "APP")]
    assert differences(None, {"reference": "OUT-1", "status": "draft"}) == [
        Difference("reference", "", "OUT-1"), Difference("status", "", "draft")]
    assert differences({"term_end": "2027-12-31"}, None) == [Difference("term end", "2027-12-31", "")]


def test_the_same_record_has_no_differences():
    record = {"grants": [{"media": ["APP"]}], "notes": "x"}
    assert differences(record, dict(record)) == []
