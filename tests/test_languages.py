"""Questions in Spanish, Portuguese, French and German reach the English knowledge and patterns (tuning
cases; the held-out ones are in evals/)."""

from __future__ import annotations

import pytest

from skill_server.engine import clarify_request, recommend_patterns, search_guidance
from skill_server.knowledge.languages import fold, in_english


def test_folding_and_phrases_before_words():
    assert fold("Cómo BOTÃO Löschen") == "como botao loschen"
    assert in_english("una animación de salida") == "fade out animation"
    assert in_english("plain English only") == ""


@pytest.mark.parametrize(("query", "section"), [
    ("¿Cómo muestro un indicador de carga en otro botón?", "loading-states"),
    ("como desativar o botão enquanto salva o formulário", "phx-disable-with"),
    ("supprimer une ligne avec une animation de sortie", "removal-animations"),
    ("Doppelklick auf den Knopf verhindern", "double"),
])
def test_search_understands_other_languages(query, section):
    hits = search_guidance(query, limit=3).hits
    assert any(section in hit.id for hit in hits), [hit.id for hit in hits]


@pytest.mark.parametrize(("scenario", "pattern"), [
    ("deshacer el borrado de una tarea durante unos segundos", "undo_delete"),
    ("subir archivos con barra de progreso", "live_upload"),
    ("recherche avec résultats en temps réel pendant la saisie", "search_async"),
])
def test_recommend_understands_other_languages(scenario, pattern):
    assert pattern in [p.id for p in recommend_patterns(scenario).patterns]


def test_clarify_echoes_the_request_as_sent_not_its_translation():
    result = clarify_request("borrar un comentario al instante")
    assert result.request == "borrar un comentario al instante"
    assert result.missing == ["failure_ux", "collection_kind"]


def test_phrases_come_back_the_same_from_the_cache_and_a_damaged_cache_is_rebuilt(tmp_path, monkeypatch):
    from skill_server.knowledge import languages

    monkeypatch.setenv("LIVEVIEW_SKILL_CACHE", str(tmp_path))
    languages._words.cache_clear()
    try:
        parsed = languages._words()
        [cached] = tmp_path.glob("translations-*.json")
        languages._words.cache_clear()
        assert languages._words() == parsed  # read from the JSON this time
        cached.write_text("[[", encoding="utf-8")
        languages._words.cache_clear()
        assert languages._words() == parsed
        assert cached.read_text(encoding="utf-8").startswith("[[[")  # rewritten whole
    finally:
        languages._words.cache_clear()
