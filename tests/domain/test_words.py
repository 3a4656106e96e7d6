import pytest

from rightsdesk.domain.words import natural_key, plural, plural_word


def test_a_count_reads_with_a_real_plural():
    assert plural(1, "title") == "1 title"
    assert plural(2, "title") == "2 titles"
    assert plural(0, "title") == "0 titles"
    assert plural(1, "entry", "entries") == "1 entry"
    assert plural(3, "entry", "entries") == "3 entries"
    assert plural(12345, "line") == "12,345 lines"
    assert plural_word(1, "line") == "line" and plural_word(4, "line") == "lines"


def test_names_sort_as_people_read_numbers_in_them():
    names = ["Temporada 10", "temporada 2", "Temporada 1", "Épisode 3", "episode 20", "Temporada", ""]
    ordered = sorted(names, key=natural_key)
    assert ordered.index("temporada 2") < ordered.index("Temporada 10")
    assert ordered.index("Temporada 1") < ordered.index("temporada 2")
    assert ordered.index("Épisode 3") < ordered.index("episode 20")  # accents and case aside
    assert natural_key("A 007") == natural_key("a 7")
    assert natural_key("Show 2b") < natural_key("Show 10")


def test_a_running_time_reads_as_every_screen_and_statement_writes_it():
    from rightsdesk.domain.words import parse_runtime, runtime

    assert [runtime(s) for s in (9623, 125, 0, None)] == ["2:40:23", "2:05", "", ""]
    assert [parse_runtime(t) for t in ("2:40:23", "2:05", "125")] == [9623, 125, 125]
    with pytest.raises(ValueError, match="is not a runtime"):
        parse_runtime("2h")
