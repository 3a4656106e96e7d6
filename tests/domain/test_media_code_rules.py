"""Media codes as typed against the codes as stored (issue 19): found whatever the case, used as
stored; a code that names no medium is kept as typed for validation to refuse."""

from rightsdesk.domain.media import CODE, MediaCodes, media_codes


def test_a_code_typed_in_any_case_is_the_stored_one_and_an_unknown_one_stays_as_typed():
    media = MediaCodes(["APP", "SVOD", "inflight", "Hotels"])
    assert [media.as_stored(typed) for typed in ("INFLIGHT", " Inflight ", "app", "HOTELS", " Boat ")] == [
        "inflight", "inflight", "APP", "Hotels", "Boat"]
    assert media.stored("hotels") == "Hotels" and media.stored("Boat") is None
    assert media.all_as_stored(["svod", "Inflight", "INFLIGHT", " ", "APP"]) == ["APP", "SVOD", "inflight"]
    assert "inflight" in media and "INFLIGHT" not in media  # still the set of stored codes


def test_a_plain_set_of_codes_reads_alike_and_media_codes_are_built_once():
    media = MediaCodes(["inflight"])
    assert media_codes(media) is media
    assert media_codes({"inflight"}).as_stored("INFLIGHT") == "inflight"


def test_a_code_is_letters_digits_and_dashes_in_any_case():
    assert all(CODE.match(code) for code in ("inflight", "Hotels", "APP", "4K-VOD", "svod.hd"))
    assert not any(CODE.match(code) for code in ("in flight", "-app", "", "x" * 33))
