"""Does a search hit answer the question, or only share its words? Coverage of the question's informative terms,
read against what the question is about.

The question is split into terms the way the index tokenizes text. API names (`stream_insert/4`, `phx-click`,
`@myself`, `Ecto.Multi`, `pushEvent`) count double their rarity; plain words count by their rarity in the knowledge,
capped, because in a corpus this small a rare plain word says little about the topic; words of how a question is
asked ('wondering', 'any idea', 'I've tried', question_words.toml) count nothing; words the knowledge never uses count
little (typos, other languages).

What the question is about sets how much of it a hit must hold (its scope):
- `liveview`: it names LiveView API (resolved through the lookup_api catalogue) or LiveView itself. The knowledge is
  about LiveView, so a hit holding part of it is on topic; names the knowledge never uses are the asker's own code
  (`@details_changeset`, `save_details`) and weigh like a rare word. A module named as Phoenix names an app's
  LiveViews (`KeilaWeb.ContactImportLive`) says LiveView too. Callbacks LiveView shares with GenServer (`handle_info`)
  say it only when no other library is named beside them.
  A phx- binding written as an Elixir keyword (`phx_change`) is the binding, and a long snake_case name one letter from
  a LiveView function (`assert_path`) is a slip for it: both say LiveView.
- `other`: it names something else and nothing of LiveView (`Repo.preload`, `GenServer`, `:telemetry.attach`, a
  product such as Ecto, Docker or Oban mid-sentence). Such a question shares words with many LiveView sections;
  only a hit holding nearly all of it answers it, and another library's name counts as present only where a
  section's prose uses it, not in a passing code example. Names that mark no library: Elixir's and the browser's own
  (`ArgumentError`, `IO.inspect`, `setTimeout`), the asker's own (`_session`, a bare `presign_url` or `progressTimeout`
  the knowledge never uses), and a capitalized word the knowledge writes in lower case (the Form, in Channels): only
  words the knowledge itself writes capitalized (Index.names: Ecto, Phoenix; these even first in a sentence) or never
  uses are read as products; a quote's or list item's first word (`> Invoking`) starts a sentence. Phoenix's parts
  taught with LiveView (PubSub, Presence, Endpoint: question_words.toml companions) mark no other library.
- `plain`: neither; the default share applies, except to a short question (SHORT_QUESTION terms or fewer: 'Explicit
  reconnect doesn't rejoin channels'). Each of its few terms is its topic, and LiveView sections share two of four
  generic words with almost any such question, so it needs the share asked of a question about another library.
  In a short question outside LiveView a word the knowledge never uses is no typo but the likeliest topic ('How to use
  distillery to run migrations on update'): it weighs like a rare word.

A long question (more than LONG_QUESTION terms) is mostly the asker's story, code and error text; an answering section
holds its topic, not its story, so the share needed falls with the square root of its length, and the asker's own names
in it weigh like a rare word, as an underscored name (`_redirected_to`, a variable or session key) does in any question.

A hit that quotes the question (a run of QUOTED_RUN words in the same order, at least QUOTED_NAMES of them no stop
word, as when a question pastes an error message the section names) answers it whatever its share: the message is
the question's topic however long the story around it.

A hit whose coverage is under its scope's share is weak. Nothing here knows which topics the knowledge covers, so new
documents change the answer by themselves. The shares, words and names with their reasons are data
(question_words.toml). Tuned on evals/uncovered.jsonl against evals/retrieval*.jsonl, then on real questions
(retrieval-real-*, uncovered-real*; evals/scripts/measure_weak.py --ranks), and measured by the `uncovered` and
`retrieval` eval suites (uncovered.weak_rate, retrieval.weak_rate)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .languages import in_english
from .tokenizer import KEYWORD_BINDING, PREDICATES, STOP_WORDS, TOKEN_RE, _is_compound, stem

NAME_WEIGHT = 2.0  # an API name: what a technical question is about
WORD_CAP = 2.0  # a plain word's weight is its idf, capped here
UNKNOWN_WORD = 0.3  # a plain word the knowledge never uses: a typo, another language
QUOTED_RUN = 5  # words in a row the question and a hit share for the hit to quote it ("no DOM ID for hook")
QUOTED_NAMES = 3  # of them, at least this many are not stop words: "how do i use the" quotes nothing
WORD_RUN = re.compile(r"[a-z0-9_]+")
@lru_cache(maxsize=1)
def _words() -> dict:
    return tomllib.loads(Path(__file__).with_name("question_words.toml").read_text(encoding="utf-8"))


_SHARES = _words()["shares"]
WEAK_BELOW: dict[str, float] = _SHARES["weak_below"]  # the share of its terms a question's hits must hold, by scope
SHORT_QUESTION: int = _SHARES["short_question"]  # a plain question this short needs WEAK_BELOW["other"]
LONG_QUESTION: int = _SHARES["long_question"]  # past this many terms the share needed falls as sqrt(LONG / terms)

CONTRACTION = re.compile(r"(?<=[A-Za-z])(?:n['’]t|['’](?:m|s|ve|re|ll|d))\b", re.I)
CAMEL_CASE = re.compile(r"[A-Z][a-z0-9]*[A-Z]\w*|[a-z]+[A-Z]\w*")  # GenServer, LiveView, pushEvent, liveSocket
ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,5}s?")  # DOM, CSS, JSON, CI: words of the trade, not API names
HYPHENATED_WORD = re.compile(r"[a-z]+(?:-[a-z]+)+")  # back-end, use-case (unless LiveView's: phx-click)
VARIABLE_ACCESS = re.compile(r"@?[a-z_]\w*(?:\.[a-z_]\w*)+")  # form.errors, user.id: the asker's code
OWN_NAME = re.compile(r"_?[a-z]\w*_\w*[?!]?(?:/\d)?|[a-z]+[A-Z][A-Za-z0-9]*")  # presign_url/2, progressTimeout
RECEIVERS = ("this.", "livesocket.")
MIX_BEFORE = re.compile(r"\bmix\s+$", re.I)  # hook and LiveSocket members, read by lookup_api
SENTENCE_STARTS = ".?!:>*#"  # a sentence's end, or a quote's or list item's start (> quoted, * item, # heading)


@dataclass(frozen=True)
class Term:
    text: str  # as written in the question
    forms: frozenset[str]  # index tokens that count as the term being present
    weight: float
    kind: str  # liveview | other (another library's name) | code (the asker's) | platform (Elixir's, the browser's)
    # | companion (Phoenix's parts taught with LiveView: PubSub, Presence, Endpoint) | word | unknown
    known: bool  # the knowledge uses it somewhere

    @property
    def is_name(self) -> bool:
        return self.kind in ("liveview", "other", "code", "platform", "companion")


@dataclass(frozen=True)
class Question:
    terms: list[Term]
    scope: str  # liveview | other | plain

    @property
    def weak_below(self) -> float:
        if self.scope == "plain" and len(self.terms) <= SHORT_QUESTION:
            return WEAK_BELOW["other"]
        return WEAK_BELOW[self.scope] * min(1.0, (LONG_QUESTION / len(self.terms)) ** 0.5)


def filler_words() -> frozenset[str]:
    return frozenset(_words()["filler"]["words"].split())


def liveview_words() -> frozenset[str]:
    return frozenset(_words()["liveview"]["words"])


def _says_liveview(lowered_query: str) -> bool:
    words = _words()["liveview"]
    return any(re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", lowered_query)
               for phrase in words["words"] + words["phrases"])


def _english_word(lowered: str) -> bool:
    return lowered.endswith(tuple(_words()["english"]["suffixes"]))


def abbreviations() -> frozenset[str]:
    return frozenset(_words()["filler"]["abbreviations"])


def _platform(raw: str) -> bool:
    """Elixir's runtime and standard library or the browser's JavaScript (question_words.toml [platform])."""
    words = _words()["platform"]
    name = raw.lstrip("@:").split("/")[0].rstrip("?!")
    return (name.endswith(tuple(words["exception_suffixes"])) and CAMEL_CASE.fullmatch(name.split(".")[-1]) is not None
            or name.split(".")[0] in words["modules"] and "." in name or name in words["names"])


def _companion(raw: str) -> bool:
    """A module of Phoenix that the knowledge teaches with LiveView (Phoenix.PubSub.subscribe,
    MyAppWeb.Endpoint.broadcast, MyApp.Presence.list): question_words.toml [liveview] companions."""
    return any(segment in _words()["liveview"]["companions"] for segment in raw.lstrip("@:").split("/")[0].split("."))


@lru_cache(maxsize=1)
def _snake_case_api() -> tuple[str, ...]:
    from ..api_lookup.catalogue import catalogue

    return tuple(sorted({r.name for r in catalogue() if r.kind in ("function", "macro", "callback") and "_" in r.name}))


def _one_edit(a: str, b: str) -> bool:
    """Whether b is a with one letter changed, dropped or added."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) > len(b):
        a, b = b, a
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), len(a))
    return a[at + (len(a) == len(b)):] == b[at + 1:]


def misspelt_api(name: str) -> str | None:
    """The LiveView function a snake_case name is one letter away from (assert_path: assert_patch) or has the words of
    in another order (configure_stream: stream_configure), or None. A long underscored name that close to LiveView's
    own is a slip of the keyboard or of memory, not the asker's code."""
    if len(name) < 8 or "_" not in name:
        return None
    words = sorted(name.split("_"))
    return next((api for api in _snake_case_api()
                 if (api[:3] == name[:3] and _one_edit(name, api)) or sorted(api.split("_")) == words), None)


def _liveview_module(raw: str) -> bool:
    """A module named the way Phoenix names an app's LiveViews (KeilaWeb.ContactImportLive): the asker's LiveView."""
    suffixes = tuple(_words()["liveview"]["module_suffixes"])
    return any(segment.endswith(suffixes) and segment[:1].isupper() for segment in raw.split("/")[0].split(".")[:-1]
               + ([raw.split("/")[0].split(".")[-1]] if "." in raw else []))


def _liveview_api(name: str) -> bool:
    from ..api_lookup import is_public_liveview_name

    return is_public_liveview_name(name)


def read_question(query: str, idf: dict[str, float], names: frozenset[str] | None = None) -> Question:
    """The question's informative terms (stop words, filler and numbers left out), each once, and its scope.
    `names`: the words the knowledge writes as names (Index.names); a capitalized word mid-sentence that the knowledge
    writes in lower case (the Form, in Channels, Projects and Settings) is then the asker's emphasis, not a product."""
    query = CONTRACTION.sub("", query)
    english = in_english(query)
    text = f"{query} {english}"
    ceiling = max(idf.values(), default=1.0)
    filler, product = filler_words(), liveview_words()
    # In a Title Case Title capitals do not mark product names.
    long_words = re.findall(r"\b[A-Za-z][a-z]{3,}\b", query)
    title_case = len(long_words) >= 3 and sum(w[0].isupper() for w in long_words) * 5 >= len(long_words) * 3
    liveview, other, otp_callback = _says_liveview(query.lower()), False, False
    found: dict[str, tuple[str, frozenset[str], list[float], str, bool]] = {}  # key -> text, forms, idfs, kind, known
    for match in TOKEN_RE.finditer(text):
        raw = match.group(0)
        if raw[-1] in "?!" and raw.lower() not in PREDICATES and "_" not in raw:
            raw = raw[:-1]
        lowered = raw.lower()
        if re.fullmatch(r":[a-z]+", lowered):
            raw, lowered = raw[1:], lowered[1:]  # a bare atom (:ok, :error) is a value, read as a word
        if raw.startswith(":") and text[max(0, match.start() - 3):match.start()].lower() == "phx":
            raw, lowered = "phx" + raw, "phx" + lowered  # phx:page-loading-start, a window event of LiveView's client
        if (len(lowered) == 1 or lowered in STOP_WORDS or lowered.replace("_", "").isdigit() or lowered in product
                or lowered in abbreviations()):
            continue  # every section is about LiveView: its name says nothing of which one (nor 10_000 or e.g.)
        proper = raw[0].isupper() and not title_case and _mid_sentence(text, match.start())
        name_like = (_is_compound(raw) or CAMEL_CASE.fullmatch(raw)) and not ACRONYM.fullmatch(raw)
        if name_like and HYPHENATED_WORD.fullmatch(raw) and not _liveview_api(raw):
            if lowered in idf:  # re-renders: a word the knowledge uses
                found.setdefault(lowered, (raw, frozenset({lowered}), [idf[lowered]], "word", True))
            for part in [] if lowered in idf else lowered.split("-"):  # back-end: the words back and end
                _add_word(found, part, idf, filler)
            continue
        if name_like:
            key, forms, kind = _name(raw, lowered, idf, mix_task=_after_mix(text, match.start()))
            shared = kind == "liveview" and key.split("/")[0] in _words()["liveview"]["shared_with_otp"]
            liveview |= (kind == "liveview" and not shared) or _liveview_module(raw)
            otp_callback |= shared
            other |= kind == "other"
            known = [idf[f] for f in forms if f in idf]
            found.setdefault(key, (raw, forms, known, kind, bool(known)))
            continue
        token = stem(lowered)
        ordinary = names is not None and token in idf and lowered not in names
        # a word the knowledge only writes capitalized (Index.names) is a product even first in a sentence: 'Ecto query'
        named = names is not None and lowered in names and raw[0].isupper() and not title_case
        if (proper or named) and not ACRONYM.fullmatch(raw) and not ordinary:
            other = True  # Ecto, Docker, Oban, Phoenix mid-sentence: another product (LiveView's are CamelCase)
        if token in idf or lowered in filler:
            _add_word(found, lowered, idf, filler)
        elif raw[0].isupper() and not title_case and (proper or (not english and not _english_word(lowered))):
            other = True  # a capitalized word the knowledge never uses is a name (Oban, Kubernetes), even first
            found.setdefault(token, (raw, frozenset({token}), [], "other", False))
        else:
            found.setdefault(token, (raw, frozenset({token}), [], "unknown", False))
    scope = "liveview" if liveview else "other" if other else "liveview" if otp_callback else "plain"
    count = sum(entry[3] != "filler" for entry in found.values())
    short, long = scope != "liveview" and count <= SHORT_QUESTION, count > LONG_QUESTION
    terms = [Term(raw, forms, WORD_CAP if (short and kind == "unknown") or _own_code(raw, kind, known, long)
                  else _weight(kind, known, scope, ceiling), kind, bool(known))
             for raw, forms, known, kind, _ in found.values() if kind != "filler"]
    return Question(terms, scope)


def _own_code(raw: str, kind: str, known: list[float], long: bool) -> bool:
    """The asker's own code, weighed like a rare word in any question: an underscored name the knowledge never uses
    (_redirected_to, _session: a variable or a session key), and in a long question (the asker's story, code and all)
    any of the asker's names the knowledge never uses (admin_route, inline_bar). A short question's own name may be its
    topic (upsert with on_conflict) and keeps a name's weight."""
    return kind == "code" and not known and (raw.startswith("_") or long)


def question_terms(query: str, idf: dict[str, float], names: frozenset[str] | None = None) -> list[Term]:
    return read_question(query, idf, names).terms


def _name(raw: str, lowered: str, idf: dict[str, float], mix_task: bool = False) -> tuple[str, frozenset[str], str]:
    """An API-like token: its key, the index tokens that mean it, and whose it is (`mix_task`: it follows `mix`)."""
    bare = lowered.lstrip("@:").split("/")[0]
    segments = bare.split(".")
    last = raw.lstrip("@:").split("/")[0].split(".")[-1]
    forms = {lowered, bare, ".".join(segments[-2:])}
    if bare.startswith("phx:"):
        forms |= {bare[3:], bare[4:]}  # the index reads phx:page-loading-start as phx and :page-loading-start
    binding = bare.replace("_", "-") if bare.startswith(KEYWORD_BINDING) else None  # phx_change: phx-change
    if binding:
        forms.add(binding)
    slip = misspelt_api(bare) if len(segments) == 1 and not raw.startswith(("@", "_")) else None
    if slip:
        forms.add(slip)
    variable = (VARIABLE_ACCESS.fullmatch(raw.split("/")[0]) and not lowered.startswith(RECEIVERS)
                and not mix_task)
    specific = re.search(r"[_?!]", last) or CAMEL_CASE.fullmatch(last)
    if variable or (len(segments) > 1 and specific):
        forms.add(segments[-1])  # form.errors: the field; MyAppWeb.PostLive.handle_async: the function
    # but Repo.insert is not `insert`, nor assets.deploy `deploy`
    own = OWN_NAME.fullmatch(raw) and not any(form in idf for form in forms)  # question_words.toml [code]
    if variable:
        kind = "code"
    elif (_liveview_api(raw) or _liveview_api(raw.lstrip(":"))  # :live_action is the assign
          or (len(segments) > 1 and specific and _liveview_api(last)) or (binding and _liveview_api(binding))
          or slip):
        kind = "liveview"
    elif raw.startswith(("@", "_")) or own or _liveview_module(raw):
        kind = "code"  # an assign LiveView does not set, an ignored variable, a function of the asker's own
    elif _platform(raw):
        kind = "platform"
    elif _companion(raw):
        kind = "companion"
    else:
        kind = "other"
    return bare, frozenset(forms), kind


def _add_word(found: dict, lowered: str, idf: dict[str, float], filler: frozenset[str]) -> None:
    if lowered in STOP_WORDS or len(lowered) == 1:
        return
    token = stem(lowered)
    if lowered in filler:
        found.setdefault(token, (lowered, frozenset({token}), [], "filler", token in idf))
    elif token in idf:
        found.setdefault(token, (lowered, frozenset({token}), [idf[token]], "word", True))
    else:
        found.setdefault(token, (lowered, frozenset({token}), [], "unknown", False))


def _weight(kind: str, known: list[float], scope: str, ceiling: float) -> float:
    if kind == "word" or (kind == "platform" and known):
        return min(max(known), WORD_CAP)  # a platform name says no more of the topic than a word
    if kind == "unknown":
        return UNKNOWN_WORD
    if known:
        return NAME_WEIGHT * max(known)
    # A name the knowledge never uses: the topic of a question about something else (or about nothing named: an
    # upsert with on_conflict), the asker's own code in a question about LiveView, a name of Elixir or the browser.
    return WORD_CAP if scope == "liveview" or kind in ("platform", "companion") else NAME_WEIGHT * ceiling


def _after_mix(text: str, start: int) -> bool:
    """Whether the token at `start` follows `mix` (a task name: mix assets.deploy), read in a bounded window."""
    return bool(MIX_BEFORE.search(text[max(0, start - 40):start]))


def _mid_sentence(text: str, start: int) -> bool:
    """Whether the token at `start` follows a word rather than a sentence's end: looks back over the whitespace
    before it only, so reading a question stays linear in its length."""
    at = start - 1
    while at >= 0 and text[at].isspace():
        at -= 1
    return at >= 0 and text[at] not in SENTENCE_STARTS


def _present(term: Term, tokens: set[str], prose: set[str] | None) -> bool:
    """Another library's name counts where the hit's prose uses it, not in a code example that passes by it."""
    return bool(term.forms & (prose if prose is not None and term.kind == "other" else tokens))


def coverage(terms: list[Term], tokens: set[str], prose: set[str] | None = None) -> float:
    """Share of the question's term weight that a hit (its index tokens; `prose`: those outside its code blocks)
    contains; 1.0 for a question of no terms."""
    total = sum(t.weight for t in terms)
    return sum(t.weight for t in terms if _present(t, tokens, prose)) / total if total else 1.0


def missing(terms: list[Term], tokens: set[str], prose: set[str] | None = None) -> list[Term]:
    """The question's terms a hit lacks, heaviest first."""
    return sorted((t for t in terms if not _present(t, tokens, prose)), key=lambda t: -t.weight)


def quoted_runs(query: str) -> frozenset[tuple[str, ...]]:
    """The question's runs of QUOTED_RUN words holding at least QUOTED_NAMES words that are not stop words."""
    words = WORD_RUN.findall(query.lower())
    return frozenset(run for run in (tuple(words[i:i + QUOTED_RUN]) for i in range(len(words) - QUOTED_RUN + 1))
                     if sum(word not in STOP_WORDS for word in run) >= QUOTED_NAMES)


def quotes(runs: frozenset[tuple[str, ...]], text: str) -> bool:
    """Whether a hit's text holds one of the question's runs (`quoted_runs`), word for word."""
    if not runs:
        return False
    words = WORD_RUN.findall(text.lower())
    return any(tuple(words[i:i + QUOTED_RUN]) in runs for i in range(len(words) - QUOTED_RUN + 1))
