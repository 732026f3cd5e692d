"""Spoken-Arabic contractions in questions (arabic.spoken): «هالموسم» is searched as «الموسم», and the
question is still shown as typed."""

from assistant.arabic.spoken import standard_spelling
from assistant.retrieval.question import analyse
from assistant.types import Query


def test_a_demonstrative_joined_to_its_noun_is_written_out_and_names_stay():
    assert standard_spelling("مين اللي يكونون ورا هالتفجيرات؟") == "مين اللي يكونون ورا التفجيرات؟"
    assert standard_spelling("وهالموسم") == "والموسم"
    for kept in ("من هي هالة؟", "هالك", "شاهد الموسم"):
        assert standard_spelling(kept) == kept


def test_the_question_is_searched_in_standard_spelling_and_shown_as_typed():
    spoken = analyse("متى بدأت هالزيارة؟")
    assert spoken.typed.tokens == Query.of("متى بدأت الزيارة؟").tokens
    assert spoken.text == "متى بدأت هالزيارة؟" and spoken.key == analyse("متى بدأت الزيارة؟").key


def test_a_spoken_question_finds_by_its_words_what_its_standard_form_finds(real_pipeline):
    def found(question: str) -> list[tuple[str, float]]:
        hits = real_pipeline.retriever.search(analyse(question).searched, k=5, mode="bm25").hits
        return [(h.chunk.chunk_id, round(h.score, 6)) for h in hits]

    assert found("ليش صارت هالقمة بين بوتين وكيم؟") == found("ليش صارت القمة بين بوتين وكيم؟")
    assert found("ليش صارت هالقمة بين بوتين وكيم؟") != found("ليش صارت بين بوتين وكيم؟")  # the word counts
