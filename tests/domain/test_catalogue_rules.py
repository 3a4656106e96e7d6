from rightsdesk.domain.catalogue import (
    EpisodeDraft,
    TitleDraft,
    eidr_problem,
    normalize_title,
    title_problems,
)

COUNTRIES = {"CN", "TH", "US"}


def problems(draft: TitleDraft) -> dict[str, str]:
    return {p.where: p.message for p in title_problems(normalize_title(draft), countries=COUNTRIES, this_year=2026)}


def valid() -> TitleDraft:
    return TitleDraft(
        original_name="总裁的替身新娘",
        original_language="zh-Hans",
        country_of_origin="cn",
        production_year=2025,
        localized_names={"en": "The CEO's Substitute Bride"},
        episodes=[EpisodeDraft(1, "第1集", 95), EpisodeDraft(2, "第2集", 101)],
    )


def test_a_complete_title_breaks_no_rule():
    assert problems(valid()) == {}


def test_a_title_needs_a_name_and_blank_space_is_no_name():
    draft = valid()
    draft.original_name = "   "
    assert problems(draft) == {"original_name": "a title needs a name"}


def test_unknown_country_codes_are_refused():
    draft = valid()
    draft.country_of_origin = "XX"
    assert "country_of_origin" in problems(draft)


def test_country_codes_are_taken_in_any_case():
    draft = normalize_title(valid())
    assert draft.country_of_origin == "CN"


def test_language_must_be_a_bcp47_tag():
    draft = valid()
    draft.original_language = "chinese!"
    assert "original_language" in problems(draft)


def test_negative_and_zero_runtimes_are_refused():
    draft = valid()
    draft.episodes = [EpisodeDraft(1, "", -5), EpisodeDraft(2, "", 0)]
    found = problems(draft)
    assert found["episode 1 (row 1)"] == "runtime must be more than 0 seconds"
    assert found["episode 2 (row 2)"] == "runtime must be more than 0 seconds"


def test_duplicate_episode_numbers_are_refused_on_every_row():
    draft = valid()
    draft.episodes = [EpisodeDraft(1, "", 90), EpisodeDraft(1, "", 90), EpisodeDraft(2, "", 90)]
    found = problems(draft)
    assert found["episode 1 (row 1)"] == "episode number 1 is used twice"
    assert found["episode 1 (row 2)"] == "episode number 1 is used twice"
    assert "episode 2 (row 3)" not in found


def test_episode_numbers_start_at_one():
    draft = valid()
    draft.episodes = [EpisodeDraft(0, "", 90)]
    assert problems(draft) == {"episode 0 (row 1)": "episode numbers start at 1"}


def test_production_year_must_be_plausible():
    draft = valid()
    draft.production_year = 1850
    assert "production_year" in problems(draft)


def test_every_problem_is_reported_at_once():
    draft = TitleDraft(original_name="", country_of_origin="ZZ", episodes=[EpisodeDraft(1, "", -1)])
    assert len(problems(draft)) == 3


def test_eidr_check_character_is_verified():
    assert eidr_problem("10.5240/7791-8534-2C23-9030-8610-5") is None
    assert eidr_problem("10.5240/7791-8534-2C23-9030-8610-6") == "check character does not match (mistyped?)"
    assert eidr_problem("7791-8534") is not None


def test_localized_names_need_a_valid_tag_and_a_name():
    draft = valid()
    draft.localized_names = {"th": "", "not a tag": "x"}
    found = problems(draft)
    assert found["localized_names[th]"] == "a localized name cannot be empty"
    assert "localized_names[not a tag]" in found


def test_an_internal_id_fits_its_column():
    draft = valid()
    draft.internal_id = "SERIES-" + "9" * 25
    assert problems(draft) == {}
    draft.internal_id += "9"
    assert problems(draft) == {"internal_id": "longer than 32 characters"}
