"""The wrong claims the December fact-check found (issue 19) do not come back: not in the knowledge, the
references, pattern notes and templates, rule docs, the skill or the commands. Each check is narrow enough
that the corrected wording passes it; tests/data/misconceptions.toml checks that search answers with it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from skill_server.knowledge.corpus import chunk_document, default_roots, document_paths, load_document
from skill_server.versions import parse_version

ROOT = Path(__file__).resolve().parents[1]
SCANNED = (
    sorted((ROOT / "knowledge").glob("*.md"))
    + sorted((ROOT / "references").glob("*.md"))
    + sorted((ROOT / "skill_server/patterns/library").glob("*/pattern.toml"))
    + sorted((ROOT / "skill_server/patterns/library").glob("*/templates/*.j2"))
    + sorted((ROOT / "skill_server/review/rules").glob("*/*.py"))
    + sorted((ROOT / "skills").glob("**/*.md"))
    + sorted((ROOT / "commands").glob("*.md"))
    + [ROOT / "README.md"]
)
CHUNKS = [c for p in document_paths(default_roots()) for c in chunk_document(load_document(p))]
NEGATION = re.compile(r"\b(never|not|no|raises?|ArgumentError|fails?|failed)\b")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+(?=[A-Z`(])", _flat(text))


def _older_than(chunk, version: str) -> bool:
    return chunk.since is not None and parse_version(chunk.since) < parse_version(version)


# (fact-check number, what was wrong, a pattern only the wrong wording matches)
FORBIDDEN = [
    (2, "release history: 1.1.5 'let assign_async return a keyword list' as if it worked",
     re.compile(r"let `?assign_async`? return a keyword list")),
    (7, "ignore_attributes wildcards date from 1.1.0, not 1.1.13",
     re.compile(r"(wildcard|`\*`)[^.]{0,60}\b(work|works|supported|allowed) (from|since|in) 1\.1\.13")),
    (10, "200 ms into a 300 ms fade is two thirds of the way, not a third",
     re.compile(r"200 ms,? a third of the way")),
    (12, "push_focus pushes the element the command runs on, not the focused one",
     re.compile(r"push_focus[^.]{0,40}\b(currently|already) focused")),
    (13, "only tr and td get table display defaults; th and the others get block",
     re.compile(r"table rows and cells get")),
    (14, "max_entries is enforced on the server too; :accept is the check that trusts the client",
     re.compile(r"only the size limit is enforced")),
    (17, ":ignore is an action that shows no errors",
     re.compile(r"\(or any action\)")),
    ("fc-m2-m1", "JS.navigate after JS.push does not wait for the event to be handled (only JS.patch is ordered)",
     re.compile(r"navigation is handled (once|after) the event")),
    ("fc-n-1", "the sandbox's owner-exit error quoted as db_connection 1.x 'owner ... exited while client ... is still "
     "running'; db_connection 2.x (Ecto 3) says 'owner #PID<...> exited' then 'Client ... is still using a connection'",
     re.compile(r"exited while client")),
    ("fc-o-1", "Bandit's HTTP/1 handler discards unexpected messages from 1.1.0 (logged at error level up to 1.2.0, "
     "silent from 1.2.1), not 'since 1.2'; 1.0 crashed the connection (bandit CHANGELOG 1.1.0, 1.2.1)",
     re.compile(r"since (Bandit )?1\.2 drops?\b|drops?[^.]{0,40}since Bandit 1\.2\b")),
    ("fc-o-2", "phoenix.js 1.7.12 to 1.8.3 build the long-poll memory key from the class's name, which a minified "
     "production bundle renames (fixed in 1.8.4, phoenix 636acb0); the key is not always phx:fallback:LongPoll",
     re.compile(r"\(key `phx:fallback:LongPoll`\)")),
    ("fc-q-1", "_target was decoded wrongly in 1.0.6 only (a side effect of #3688, fixed in 1.0.7, commit 02f08c71); "
     "it was not wrong before 1.0.6",
     re.compile(r"`_target` param was wrong: fixed in 1\.0\.7")),
    ("fc-q-2", "form recovery for forms targeting a LiveComponent broke in 0.20.15 (fragment-based recovery; still "
     "in 0.20.17) and was fixed in 1.0.0-rc.5 (628f885a); 0.20.0-0.20.14 are not affected",
     re.compile(r"for forms targeting a LiveComponent \(1\.0\.0\)")),
    ("fc-q-3", "LiveComponents destroyed on a DOM id change is a 1.1.0 regression (findComponentNodeList took a view "
     "id from 1.1.0, maybePushComponentsDestroyed still passed the element; fixed 1.1.11, 8a979c4b); 1.0 never had it",
     re.compile(r"destroyed when their DOM id changed although still rendered \(fixed in 1\.1\.11\)")),
    ("fc-q-4", "1.1.31/1.2.0's 'Fix nested assign change tracking' (#4225) is a speed-up that renders the same; "
     "no missed nested-assign update was fixed",
     re.compile(r"a fix to the tracking of nested assigns")),
    ("fc-q-5", "LiveViewTest's submitter-without-id crash and trimmed textarea were 1.1.0-1.1.2 regressions "
     "(TreeDOM/LazyHTML, new in 1.1.0; 1.0.19 keeps the textarea text)",
     re.compile(r"textarea whitespace was not kept, until 1\.1\.3")),
    ("fc-q-6", "the test client's diff (lib/phoenix_live_view/test/diff.ex) is new in 1.1.0: its struct, moved "
     "comprehension and stream-merge crashes were 1.1-only",
     re.compile(r"comprehensions crashed the diff \(1\.1\.9\)|stream merging was wrong \(1\.1\.13\)")),
    ("fc-q-7", "a phx-update=ignore container added later raised in LiveViewTest in 0.20.8 only (#3125 in 0.20.8, "
     "fixed 0.20.9, 04d1921f)",
     re.compile(r"container added later raised \(0\.20\.9\)")),
    ("fc-q-8", "file_input's error interpolates the upload name without a colon: 'no uploads allowed for photo'",
     re.compile(r"no uploads allowed for :\w+` when")),
    ("fc-q-9", "form recovery's fieldset bug came with 1.0.14's shallow form copy (1.0.13 cloned the form deeply); "
     "1.0.14-1.0.19 and 1.1.0-1.1.2 have it, fixed in 1.1.3 (ce3107c0)",
     re.compile(r"fieldsets were ignored until 1\.1\.3")),
    ("fc-r-1", "components of a nested LiveView destroying the parent's is a 1.1.0-1.1.5 regression (1.1.0's "
     "findComponentNodeList check never matched; 1.0 keeps cids still on the page), fixed in 1.1.6 (fc04af42)",
     re.compile(r"destroy the parent's components: fixed in 1\.1\.6")),
    ("fc-r-2", "to_form dropping a passed form's action came with 1.0.0-rc.0 (d9124684) and was fixed in rc.8 "
     "(9eb8b540); no release had it, 0.20 keeps the action",
     re.compile(r"`to_form` dropped the action of a form passed to it: fixed in 1\.0\.0")),
    ("fc-r-3", "hooks not cleared (#3628) is a 1.0.0-1.0.2 regression of rc.8's 82d04088, not an older bug",
     re.compile(r"hooks not cleared, and hooks with dynamic ids")),
    ("fc-r-4", "focus_wrap's endless recursion came with 1.0.11 (tabIndex >= 0 made its aria-hidden guards "
     "focusable): 1.0.11-1.0.15 only, fixed 1.0.16, never in 1.1",
     re.compile(r"`<\.focus_wrap>` could recurse forever \(1\.0\.16\)")),
    ("fc-r-5", "the XML/SVG crash in LiveViewTest came with 1.0.1's duplicate-id check (d1250dc6), 1.0.1 only",
     re.compile(r"embedded XML such as SVG crashed \(fixed in 1\.0\.2\)")),
    ("fc-r-6", "JS.exec with a plain selector worked before 1.0.5 (each match ran once per match); only 1.0's "
     "{:inner}/{:closest} scopes failed",
     re.compile(r"`JS\.exec` with a selector failed \(1\.0\.5\)")),
    ("fc-r-7", "stream items not updating nested streams/LiveComponents was a 0.20.4-0.20.5 regression (#3070, #3035 "
     "in 0.20.4), fixed in 0.20.6 (cd155d46)",
     re.compile(r"Stream items did not update nested streams or LiveComponents: fixed in 0\.20\.6")),
    ("fc-r-8", "phx-viewport with overflow on html/body broke with 0.20.4's scroll containers (e69d7c0f): 0.20.4-0.20.14",
     re.compile(r"failed with `overflow` on `html` or `body` \(0\.20\.15 and 1\.0\.0\)")),
    ("fc-r-9", "phx-click-away on partly hidden elements broke with 0.20.2's whole-element viewport check "
     "(6ba694fa): 0.20.2-0.20.4, fixed 0.20.5 (3bf2dc2e)",
     re.compile(r"failed on partly hidden elements \(fixed in 0\.20\.5\)")),
    ("fc-r-10", "the cold-deploy live session failures fixed in 1.0.1 came with 1.0.0's version check on patches "
     "(83900448 in rc.8; 09d798c4 dropped it), 1.0.0 only",
     re.compile(r"fail mounts and `push_patch`: fixed in 1\.0\.1")),
    ("fc-r-11", "the submitter fix of 0.20.5 (#3092) repaired 0.20.4's injected submitter input (form attribute set to "
     "the form object); 0.20.0-0.20.3 sent form= submitters",
     re.compile(r"missing from the params: some cases fixed in 0\.20\.5")),
    ("fc-s-1", "LiveViewTest's stream merging bug fixed in 1.1.13 (#3993) came with 1.1.9's keyed-comprehension "
     "merge (693af793, #3963), which dropped the stream next to the keyed entries: 1.1.9-1.1.12, not 1.1.0",
     re.compile(r"merged wrongly by the test client's diff merging, new in 1\.1\.0, in 1\.1\.0 to 1\.1\.12")),
    ("fc-s-2", "form recovery sent fieldset inputs twice only from 1.0.17 (each element deep-copied); 1.0.14-1.0.16 "
     "copied elements without children, so only a disabled fieldset was ignored",
     re.compile(r"from 1\.0\.14 \(its shallow copy of the form\).{0,120}recovered twice")),
    ("fc-s-3", "LiveViewTest dropping stream items (#3100) was a 0.20.5-only regression of #3078 (55333849)",
     re.compile(r"items went missing \(0\.20\.6\)")),
    ("fc-s-4", "the LiveViewTest mount crash fixed in 0.20.12 (#3141) came with 0.20.10's stream search in "
     "comprehension lists (c712dfed)",
     re.compile(r"a connected mount failed with some streams \(0\.20\.12\)")),
    ("fc-s-5", "1.1.3 (#3936) tracks dynamic-assign component calls again when the spread has no dependencies",
     re.compile(r"1\.1\.2 such calls are not change-tracked at all")),
    ("fct2-1", "before 1.1.19 a non-map JS.dispatch detail is passed on unchecked; Phoenix's esbuild bundle is not "
     "strict-mode code, so setting dispatcher on a string or number is lost silently (a TypeError only as a native "
     "module) and a list arrives as an array",
     re.compile(r"releases pass it on and the client throws a `TypeError`")),
    ("fct2-2", "a patch whose URL has a #fragment scrolls to that element (Browser.pushState looks up the hash target "
     "after every push), so a patch does not always keep the scroll position",
     re.compile(r"assigns and scroll position stay \||`patch` keeps the scroll position, and Back")),
    ("fct2-3", "get_connect_info(socket, :uri) works on the dead render too, and on the connected mount only with "
     ":uri in the socket's connect_info",
     re.compile(r"get_connect_info\(socket, :uri\)` during a connected mount\)")),
    ("fct3-l1", "Phoenix 1.7.2 and 1.7.3 closed drained sockets without the 1012 restart code, so LiveViews "
     "reloaded the page; the drain asks clients to reconnect only from 1.7.4 (phoenix 1.7.4 CHANGELOG)",
     re.compile(r"Since Phoenix 1\.7\.2 the endpoint drains sockets in\s+batches on shutdown, asking clients")),
    ("fct3-l2", "on 0.20.0 and 0.20.1 assert_patch(view, path) had a fixed 100 ms timeout; it returned as soon "
     "as the patch arrived, it did not always wait",
     re.compile(r"assert_patch/2` with a path always waited 100 ms")),
    ("fct3-l3", "0.20.4 already patched a focused single <select> whose options or selection changed; the 0.20 "
     "line is not left without a fix",
     re.compile(r"focus state was wrong: fixed in 1\.0\.0\. - ")),
    ("fct3-l4", "mime's docs (2.0.4+) ask for mix deps.clean mime --build after a :types change only on Elixir "
     "before 1.15, as the live_upload pattern already says",
     re.compile(r"`config :mime, :types` and recompile `mime`")),
]


@pytest.mark.parametrize(("number", "reason", "pattern"), FORBIDDEN, ids=[f"#{n}" for n, _, _ in FORBIDDEN])
def test_wrong_wording_does_not_come_back(number, reason, pattern):
    hits = [p.relative_to(ROOT).as_posix() for p in SCANNED if pattern.search(_flat(p.read_text(encoding="utf-8")))]
    assert hits == [], f"fact-check #{number} ({reason}) is back in {hits}"


def _texts_about_assign_async():
    """Knowledge sections one by one, every other scanned file whole, when they mention assign_async."""
    for chunk in CHUNKS:
        if "assign_async" in chunk.text:
            yield chunk.id, chunk.text
    for path in SCANNED:
        text = path.read_text(encoding="utf-8")
        if path.suffix != ".md" and "assign_async" in text:
            yield path.relative_to(ROOT).as_posix(), text


def test_no_text_says_assign_async_accepts_a_keyword_list():
    """#1: every release needs {:ok, map}; where assign_async is discussed, a sentence about returning a
    keyword list may only say that it fails."""
    bad = [
        f"{where}: {s}" for where, text in _texts_about_assign_async() for s in _sentences(text)
        if "keyword list" in s and "return" in s and not NEGATION.search(s)
    ]
    assert bad == []


def test_sections_before_1_0_say_loading_targets_are_locked_only_from_1_0():
    """#4: the lock on loading: targets arrived in 1.0.0-rc.3."""
    bad = [
        f"{c.id}: {s}" for c in CHUNKS if _older_than(c, "1.0.0")
        for s in _sentences(c.text)
        if re.search(r"\block(ed|s)?\b", s) and ("loading:" in s or "loading target" in s) and "1.0" not in s
    ]
    assert bad == []


def _heex_blocks(text: str) -> list[str]:
    return re.findall(r"```heex\n(.*?)```", text, re.S)


def test_heex_examples_keep_phx_change_inputs_inside_a_form():
    """#5: phx-change on an input outside a form sends nothing."""
    bad = []
    for chunk in CHUNKS:
        for block in _heex_blocks(chunk.text):
            for match in re.finditer(r"<(input|select|textarea|\.input)\b[^>]*\bphx-change=", block, re.S):
                before = block[: match.start()]
                opened = len(re.findall(r"<\.?form\b", before))
                closed = len(re.findall(r"</\.?form>", before))
                if opened <= closed:
                    bad.append(f"{chunk.id}: {match.group(0)[:60]}")
    assert bad == []


def test_the_form_check_catches_a_bare_input():
    block = '<input type="search" name="q" phx-change={JS.push("search")} />\n'
    assert re.search(r"<(input|select|textarea|\.input)\b[^>]*\bphx-change=", block)
    assert not re.findall(r"<\.?form\b", block)


def test_sections_before_1_0_tie_to_form_action_to_phoenix_ecto():
    """#6: phoenix_ecto honours to_form's :action only from 4.5; 0.20 apps often have an older one."""
    bad = [c.id for c in CHUNKS if _older_than(c, "1.0.0") and "action: :validate" in c.text and "phoenix_ecto" not in c.text]
    assert bad == []


def test_sections_before_0_20_4_say_when_reinserts_stopped_moving_items():
    """#8: on 0.20.0 to 0.20.3 an explicit at: moved an existing stream item."""
    bad = [
        f"{c.id}: {s}" for c in CHUNKS if _older_than(c, "0.20.4")
        for s in _sentences(c.text) if re.search(r"`?:at`? is ignored", s) and "0.20.4" not in c.text
    ]
    assert bad == []


def test_sections_before_0_20_4_say_when_cancelled_tasks_started_to_report():
    """#9: cancel_async delivers {:exit, _} only from 0.20.4."""
    bad = [
        f"{c.id}: {s}" for c in CHUNKS if _older_than(c, "0.20.4")
        for s in _sentences(c.text)
        if re.search(r"\bcancel", s) and "{:exit" in s and "0.20.4" not in s and "not delivered" not in s
    ]
    assert bad == []


def test_sections_before_1_0_do_not_use_curly_body_interpolation_unexplained():
    """#18: {expr} in tag bodies needs 1.0; a 0.20 section must say so where it uses it."""
    bad = []
    for chunk in CHUNKS:
        if not _older_than(chunk, "1.0.0"):
            continue
        for block in _heex_blocks(chunk.text):
            body = re.sub(r"[\w:.-]+=\{(?:[^{}]|\{[^{}]*\})*\}", "", block)  # attribute values may use {}
            body = re.sub(r"<[^>]*>", "<>", body)
            if re.search(r"\{[^%]", body) and "<%=" not in chunk.text:
                bad.append(chunk.id)
    assert bad == []


# Third fact-check (factcheck-c, /work/coord/factcheck-c-report.md).

def test_api_reference_dates_the_0_20_15_removals():
    """c#1: get_connect_info/1 and put_connect_info/2 were deleted in 0.20.15 (and 1.0.0-rc.1); the rendered
    reference said 1.0.0, because removed_entries count from the 1.0.0-rc.0 pre-release."""
    api = (ROOT / "references/api.md").read_text(encoding="utf-8")
    for name in ("Phoenix.LiveView.get_connect_info` /1", "Phoenix.LiveViewTest.put_connect_info` /2"):
        line = next(l for l in api.splitlines() if name in l)
        assert line.endswith("removed from the public API in 0.20.15"), line


def test_sections_before_0_20_2_say_when_async_names_could_be_tuples():
    """c#2: start_async/3 guards its name with is_atom on 0.20.0 and 0.20.1, so a tuple name raises there."""
    tuple_name = re.compile(r"(start_async|handle_async|cancel_async)\(\s*(socket,\s*)?\{|name[^.]{0,80}`\{:(?!ok\b|error\b|exit\b)[a-z_]+, [a-z_]+\}`")
    bad = [c.id for c in CHUNKS if _older_than(c, "0.20.2") and tuple_name.search(_flat(c.text)) and "0.20.2" not in c.text]
    assert bad == []


def test_the_tuple_name_check_catches_the_old_wording():
    old = "Keep the name stable per thing being loaded (`:search`, or `{:load_card, card_id}`), not per request."
    assert re.search(r"name[^.]{0,80}`\{:(?!ok\b|error\b|exit\b)[a-z_]+, [a-z_]+\}`", old)


def test_sections_before_1_2_10_do_not_promise_a_kept_writer_failure():
    """c#3: up to 1.2.4 a writer error stops the LiveView (the client leaves the upload channel); 1.2.5-1.2.9
    drop the entry; only 1.2.10 keeps it with {:writer_failure, reason}."""
    bad = [
        f"{c.id}: {s}" for c in CHUNKS if _older_than(c, "1.2.10")
        for s in _sentences(c.text)
        if "{:writer_failure" in s and re.search(r"\b(gets|becomes|receives|has) the error\b", s) and "1.2.10" not in s
    ]
    assert bad == []
    text = _flat((ROOT / "knowledge/uploads.md").read_text(encoding="utf-8"))
    assert "1.2.4" in text and "1.2.5" in text


def test_no_section_says_re_assigning_the_old_order_moves_a_dragged_item_back():
    """recheck-2 #1: assign/3 ignores a value equal to the current one (utils.ex:36-41 at v0.20.0 and
    v1.2.10), so after a failed save re-assigning the unchanged list sends nothing and the browser keeps
    the order the drag library made. A sentence promising that re-rendering the old order undoes a drag
    must say that the assign alone does not (or use a stream reset or a pushed revert)."""
    bad = [
        f"{c.id}: {s}" for c in CHUNKS for item in re.split(r"\n\s*- ", c.text) for s in _sentences(item)
        if re.search(r"(old|previous|saved) order", s) and re.search(r"\bmoves?\b[^.]{0,40}\bback\b", s)
        and not re.search(r"\b(not|nothing|never)\b", s)
    ]
    assert bad == []


# Fourth fact-check (factcheck-d, /work/coord/factcheck-d-report.md).

def _bad_reset_sentences(chunks):
    return [
        f"{c.id}: {s}" for c in chunks if _older_than(c, "0.20.4")
        for s in _sentences(c.text)
        if "assign_async" in s and "reset: true" in s and "0.20.4" not in s
    ]


def test_sections_before_0_20_4_say_when_assign_async_got_reset():
    """d#1: assign_async/4 (an options argument) arrived in 0.20.2 and reads :reset from 0.20.4; on 0.20.0
    and 0.20.1 a call with reset: true is an undefined function."""
    assert _bad_reset_sentences(CHUNKS) == []


def test_the_reset_check_catches_the_old_wording():
    class Old:
        id = "async-results#when-an-async-function-fails"
        since = "0.20.0"
        text = "- A retry button just calls `assign_async/3` again (with `reset: true` to show loading)."
    assert _bad_reset_sentences([Old()])


def _bad_held_back_submits(chunks):
    return [
        f"{c.id}: {s}" for c in chunks if _older_than(c, "0.20.2")
        for s in _sentences(c.text)
        if re.search(r"\bsubmit\b", s) and re.search(r"held back|waits? for (the )?uploads|queued until", s)
        and "0.20.2" not in s
    ]


def test_sections_before_0_20_2_say_when_a_submit_started_waiting_for_uploads():
    """d#3: on 0.20.0 and 0.20.1 a submit made while auto-uploads run throws a TypeError in the client when
    the uploads finish (arguments swapped in pushFormSubmit, fixed in 0.20.2), so it never reaches the server."""
    assert _bad_held_back_submits(CHUNKS) == []


def test_the_held_back_check_catches_the_old_wording():
    class Old:
        id = "uploads#auto-upload-uploading-as-soon-as-files-are-picked"
        since = "0.20.0"
        text = "The form still needs `phx-change`. A submit sent while files are still uploading is held back until they finish."
    assert _bad_held_back_submits([Old()])


# Re-check of the kb-gaps3 sections (recheck-3, /work/coord/recheck-3-report.md).

def test_no_text_dates_the_disable_with_switch_to_text_content_at_1_0():
    """recheck-3 #1: phx-disable-with saved and wrote innerText through 1.1.14 (v1.0.0 view.js:1013-1015,
    v1.1.14 view.js:1436); 1.1.15 saves textContent and 1.1.16 also restores with it. A sentence that ties
    textContent to phx-disable-with must name 1.1.15 or 1.1.16, not 1.0."""
    bad = []
    for path in SCANNED:
        text = _flat(path.read_text(encoding="utf-8"))
        if "disable-with" not in text and "disable_with" not in text:
            continue
        for s in _sentences(text):
            if "textContent" in s and "innerText" in s and not re.search(r"1\.1\.1[56]", s):
                bad.append(f"{path.relative_to(ROOT).as_posix()}: {s[:120]}")
    assert bad == []


def test_the_disable_with_check_catches_the_old_wording():
    old = ("It is text only: the client saves the element's text (`innerText` on 0.20, `textContent` from 1.0), "
           "replaces the children with the new text.")
    assert any("textContent" in s and "innerText" in s and not re.search(r"1\.1\.1[56]", s) for s in _sentences(old))


# Fifth fact-check (factcheck-e, /work/coord/factcheck-e-report.md): the CHANGELOG class sweep.

def _bad_window_focus_sections(chunks):
    return [
        c.id for c in chunks if _older_than(c, "0.20.2")
        if re.search(r"phx-window-(focus|blur)=", c.text) and "0.20.2" not in c.text
    ]


def test_sections_before_0_20_2_say_when_window_focus_bindings_started_to_fire():
    """e#1: on 0.20.0 and 0.20.1 the client's window blur/focus handler took its arguments shifted by one
    (live_socket.js:539 at v0.20.1), so phx-window-focus and phx-window-blur never pushed; fixed in 0.20.2."""
    assert _bad_window_focus_sections(CHUNKS) == []


def test_the_window_focus_check_catches_the_old_wording():
    class Old:
        id = "bindings#focus-and-blur-events"
        since = "0.20.0"
        text = '`phx-window-focus`/`phx-window-blur` when the browser tab or window does:\n<div id="presence" phx-window-blur="away" phx-window-focus="back"></div>'
    assert _bad_window_focus_sections([Old()])


def _bad_push_event_redirect_sentences(chunks):
    return [
        f"{c.id}: {s}" for c in chunks for s in _sentences(c.text)
        if "push_event" in s and re.search(r"push_navigate|redirect", s)
        and re.search(r"never reaches the old page|only the new page|new page's hooks", s)
    ]


def test_no_section_says_events_pushed_with_a_redirect_go_to_the_new_page():
    """e#2: from 0.20.2 the channel pushes pending events before the redirect (channel.ex
    push_pending_events_on_redirect), so the old page's listeners get them; on 0.20.0/0.20.1 they are
    dropped. The new page never receives them."""
    assert _bad_push_event_redirect_sentences(CHUNKS) == []


def test_the_push_event_redirect_check_catches_the_old_wording():
    class Old:
        id = "js-hooks#handleevent-removehandleevent-and-scoping-pushed-events"
        since = "0.20.0"
        text = ("A `push_event` in the same reply as `push_navigate/2` never reaches the old page's hooks: the "
                "handlers run once the new page's hooks have mounted, so only a hook there listening for that "
                "name receives it.")
    assert _bad_push_event_redirect_sentences([Old()])


def _bad_parent_pid_nil_disconnected(chunks):
    """Lines (table rows count) that say a child LiveView's parent_pid is nil in the disconnected render."""
    return [
        f"{c.id}: {line}" for c in chunks for line in _flat(c.text).split("|")
        if "parent_pid" in line and re.search(r"\bnil\b[^.;]{0,40}disconnected|disconnected[^.;]{0,40}\bnil\b", line)
        and not re.search(r"sticky[^.;]{0,30}\bnil\b", line)
    ]


def test_no_section_says_parent_pid_is_nil_in_the_disconnected_render():
    """recheck-4 #1: a child LiveView's disconnected render gets parent_pid: self(), the HTTP request
    process (static.ex:175 at v0.20.0, :212 at v1.2.10); only a sticky child (or a root) has nil."""
    assert _bad_parent_pid_nil_disconnected(CHUNKS) == []


def test_the_parent_pid_check_catches_the_old_wording():
    class Old:
        id = "live-components#who-talks-to-whom-liveview-livecomponent-and-child-liveview-messages"
        since = "0.20.0"
        text = "| Child LiveView to parent | `send(socket.parent_pid, msg)`; `parent_pid` is `nil` in the disconnected render |"
    assert _bad_parent_pid_nil_disconnected([Old()])


def _bad_viewport_scroll_container(chunks):
    """Sections before 0.20.15 that teach an overflow ancestor as the phx-viewport scroll area without
    saying that <html>/<body> with such a style silenced the bindings until 0.20.15."""
    return [
        c.id for c in chunks if _older_than(c, "0.20.15")
        and re.search(r"phx-viewport-(top|bottom)", c.text) and re.search(r"overflow-y", c.text)
        and not ("0.20.15" in c.text and re.search(r"<html>|<body>", c.text))
    ]


def test_sections_before_0_20_15_say_html_or_body_overflow_silenced_viewport_bindings():
    """factcheck-f #1: 0.20.4-0.20.14 findScrollContainer returned <html>/<body> when they had overflow-y
    auto/scroll (hooks.js:60-64 at v0.20.14); those never fire scroll events, so phx-viewport-* stayed
    silent. 0.20.15 (5a33080d) listens on the document instead."""
    assert _bad_viewport_scroll_container(CHUNKS) == []


def test_the_viewport_scroll_container_check_catches_the_old_wording():
    class Old:
        id = "bindings#infinite-scroll-in-both-directions-with-phx-viewport-top-and-phx-viewport-bottom"
        since = "0.20.4"
        text = ("`phx-viewport-bottom` fires once the last child shows. Since 0.20.4 an ancestor with "
                "`overflow-y: auto` or `scroll` is used as the scroll area.")
    assert _bad_viewport_scroll_container([Old()])


def _bad_portal_sections(chunks):
    """Sections that teach <.portal> as keeping its events and updates from 1.1.0 without the 1.1 patch
    releases that made teleported streams, forms, targets and click-away work."""
    return [
        c.id for c in chunks if c.since and parse_version(c.since) < parse_version("1.1.25")
        and re.search(r"<\.portal\b", c.text) and re.search(r"keeps its events|keeps? (its )?events and updates", c.text)
        and not all(v in c.text for v in ("1.1.14", "1.1.20", "1.1.21", "1.1.25"))
    ]


def test_portal_sections_name_the_patch_releases_that_fixed_teleported_content():
    """factcheck-f #2: teleported content did not keep every event and update from 1.1.0: stream
    delete/reset (dom_patch.js:459-464, fixed 1.1.21), form recovery (1.1.14), selector/element targets
    out of a LiveComponent and phx-trigger-action (1.1.20), click-away (1.1.25)."""
    assert _bad_portal_sections(CHUNKS) == []


def test_the_portal_check_catches_the_old_wording():
    class Old:
        id = "components#portal-rendering-content-elsewhere-in-the-dom"
        since = "1.1.0"
        text = ('`<.portal id="p" target="body">` (1.1.0) renders its content inside the element matched by '
                "`target` while it keeps its events and updates in the LiveView or LiveComponent that renders it.")
    assert _bad_portal_sections([Old()])


def _bad_sticky_navigation_sections(chunks):
    """Sections before 1.0.10 that say sticky LiveViews survive live navigation without saying that a
    sticky LiveView's own push_navigate stopped it until 1.0.10."""
    return [
        c.id for c in chunks if _older_than(c, "1.0.10")
        and re.search(r"sticky", c.text) and re.search(r"sticky LiveViews stay|keeps the child alive across live navigation", c.text)
        and "1.0.10" not in c.text
    ]


def test_sticky_sections_say_when_a_sticky_liveview_survived_its_own_push_navigate():
    """factcheck-f #3: up to 1.0.9 handle_redirect stops the process of any LiveView that push_navigates
    (channel.ex:879-880 at v1.0.9), so a sticky child that navigated was left disconnected; 1.0.10 keeps
    a sticky one running (3f5514ba, #3612)."""
    assert _bad_sticky_navigation_sections(CHUNKS) == []


def test_the_sticky_navigation_check_catches_the_old_wording():
    class Old:
        id = "live-components#nested-liveviews-live-render-sticky-and-the-controller"
        since = "0.20.0"
        text = ("`sticky: true`, which keeps the child alive across live navigation within the same "
                "`live_session`; render it from the layout.")
    assert _bad_sticky_navigation_sections([Old()])


def _bad_stream_at_zero_sentences(chunks):
    """Sentences that tell to reverse a list inserted with at: 0 in a section that never says the call
    creating the stream ignores at:."""
    return [
        f"{c.id}: {s}" for c in chunks for s in _sentences(c.text)
        if re.search(r"\bat: 0\b", s) and re.search(r"\breverse (the|a|that) list first\b", s)
        and not re.search(r"creat|first .?stream", c.text)
    ]


def test_no_section_says_a_creating_stream_call_reverses_a_list_at_0():
    """factcheck-f #4: the stream/4 call that creates a stream builds every insert with at -1
    (live_stream.ex:26-29 at v1.2.10, :23 at v0.20.0), so at: 0 is ignored there and the list keeps its
    order; reversing it first shows it backwards. limit: on that call is read from 0.20.4."""
    assert _bad_stream_at_zero_sentences(CHUNKS) == []


def test_the_stream_at_zero_check_catches_the_old_wording():
    class Old:
        id = "streams#inserting-updating-moving-and-deleting"
        since = "0.20.0"
        text = ("- `stream_insert(socket, :messages, item, at: 0)` prepends. Inserting a list with `at: 0` "
                "reverses it, so reverse the list first to keep its order.")
    assert _bad_stream_at_zero_sentences([Old()])


def _bad_disable_with_restore_sections(chunks):
    """Sections valid before 0.20.4 that promise phx-disable-with restores the disabled state on the
    acknowledgement without the 0.20.4 boundary."""
    return [
        c.id for c in chunks if _older_than(c, "0.20.4")
        and re.search(r"phx-disable-with", c.text) and re.search(r"restores both|re-?enabl", c.text)
        and "0.20.4" not in c.text
    ]


def test_sections_before_0_20_4_say_when_disable_with_started_to_re_enable():
    """factcheck-f #5: on 0.20.0-0.20.3 putRef disabled a phx-disable-with element without recording
    data-phx-disabled (view.js:795-801 at v0.20.3), so an acknowledgement that did not re-render it left it
    disabled; 0.20.4 (a36861ba) records and restores the state."""
    assert _bad_disable_with_restore_sections(CHUNKS) == []


def test_the_disable_with_restore_check_catches_the_old_wording():
    class Old:
        id = "loading-states#replacing-the-label-with-phx-disable-with"
        since = "0.20.0"
        text = ('`phx-disable-with="Saving..."` swaps the element\'s text while its event is pending and '
                "disables it, then restores both on the acknowledgement.")
    assert _bad_disable_with_restore_sections([Old()])


def _bad_toggle_class_transition_sections(chunks):
    """Sections valid before 0.20.15 whose code runs JS.toggle_class with transition: and that do not
    say a transition needs 0.20.15."""
    return [
        c.id for c in chunks if _older_than(c, "0.20.15")
        and re.search(r"JS\.toggle_class\([^)]*transition:", c.text) and "0.20.15" not in c.text
    ]


def test_sections_before_0_20_15_say_toggle_class_transitions_need_0_20_15():
    """factcheck-f #6: 0.20.4-0.20.14 exec_toggle_class calls toggleClasses(el, names, transition, view)
    (js.js:113-114 at v0.20.4), shifting view into time, so a transition throws and nothing toggles;
    fixed in 0.20.15 (9e7f197f)."""
    assert _bad_toggle_class_transition_sections(CHUNKS) == []


def test_the_toggle_class_transition_check_catches_the_old_wording():
    class Old:
        id = "js-commands-in-depth#classes-with-transitions-add-class-remove-class-toggle-class-transition"
        since = "0.20.0"
        text = ('<button phx-click={JS.toggle_class("line-through", to: "#todo-3", transition: "ease-out '
                'duration-150", time: 150)}>Done</button> `JS.toggle_class/2` arrived in 0.20.4.')
    assert _bad_toggle_class_transition_sections([Old()])


def _bad_phx_mounted_sections(chunks):
    """Sections valid before 0.20.15 that say phx-mounted does not run before the LiveView connects,
    without the 0.20.15 boundary."""
    return [
        c.id for c in chunks if _older_than(c, "0.20.15")
        and re.search(r"phx-mounted", c.text) and re.search(r"does not run on the dead render", c.text)
        and "0.20.15" not in c.text
    ]


def test_sections_before_0_20_15_say_phx_mounted_ran_before_the_join():
    """factcheck-f #7: up to 0.20.14 the page-wide dead view on <body> ran phx-mounted for every element,
    LiveView-owned ones included (view.js:366 at v0.20.14), right after connect() and before the join;
    0.20.15 (2efa3f49) checks ownership."""
    assert _bad_phx_mounted_sections(CHUNKS) == []


def test_the_phx_mounted_check_catches_the_old_wording():
    class Old:
        id = "bindings#phx-mounted-run-a-command-when-an-element-appears"
        since = "0.20.0"
        text = ("`phx-mounted` runs a JS command once for each element. It does not run on the dead render "
                "(no JavaScript has connected yet).")
    assert _bad_phx_mounted_sections([Old()])


def _bad_submit_disable_with_sections(chunks):
    """Sections valid before 0.20.15 that say a submit relabels every phx-disable-with element of the
    form, without the 0.20.15 boundary (since then only the submitter swaps)."""
    return [
        c.id for c in chunks if _older_than(c, "0.20.15")
        and re.search(r"phx-disable-with", c.text)
        and re.search(r"every element of the\s+form carrying", c.text) and "0.20.15" not in c.text
    ]


def test_sections_before_0_20_15_say_only_the_submitter_swaps_its_disable_with_text():
    """factcheck-g #1: up to 0.20.14 putRef relabelled every phx-disable-with element of a submitted form
    (view.js:825 at v0.20.14); 0.20.15 (91288a5d) skips every element but the submitter and the form
    when the submit has a submitter (view.js:900 at v0.20.15, view.ts:1637-1642 at v1.2.10)."""
    assert _bad_submit_disable_with_sections(CHUNKS) == []


def test_the_submit_disable_with_check_catches_the_old_wording():
    class Old:
        id = "bindings#phx-disable-with-works-only-for-liveview-events"
        since = "0.20.0"
        text = ("`phx-disable-with` swaps an element's text while a LiveView event waits: a `phx-click` on "
                "the element, or a `phx-submit` of its form (every element of the\nform carrying the attribute).")
    assert _bad_submit_disable_with_sections([Old()])


def _bad_throttle_sections(chunks):
    """Sections valid on 0.20.5 that teach phx-throttle as sending nothing at the end of the window,
    without naming the 0.20.4/0.20.5 releases whose blur and trailing sends doubled events."""
    return [
        c.id for c in chunks if _older_than(c, "0.20.6")
        and re.search(r"phx-throttle", c.text) and re.search(r"Nothing is sent at the end of the window", c.text)
        and not ("0.20.5" in c.text and "0.20.6" in c.text)
    ]


def test_throttle_sections_name_the_0_20_4_and_0_20_5_double_sends():
    """factcheck-g #2: 0.20.4 (55d50ef3) sent a debounced/throttled element's event on every blur
    (dom.js:258-262 at v0.20.4) and 0.20.5 (8cffda75) added a trailing send after each throttle window
    (dom.js:224-239 at v0.20.5), so a throttled click was sent twice; 0.20.6 (f2749437) undid both."""
    assert _bad_throttle_sections(CHUNKS) == []


def test_the_throttle_check_catches_the_old_wording():
    class Old:
        id = "bindings#rate-limiting-what-phx-debounce-and-phx-throttle-really-do"
        since = "0.20.0"
        text = ('- `phx-throttle="200"` sends the first event at once and drops the ones that arrive during '
                "the next 200 ms. Nothing is sent at the end of the window.")
    assert _bad_throttle_sections([Old()])


def _bad_js_command_recovery_sections(chunks):
    """Sections valid before 1.0.2 that teach form recovery (phx-auto-recover) or show a form with an id
    whose phx-change is a JS command, without the 0.20.15-1.0.1 wrong-event-name boundary (1.0.2)."""
    bad = []
    for c in chunks:
        if not _older_than(c, "1.0.2") or "1.0.2" in c.text or c.id.startswith("api#"):
            continue
        teaches_recovery = "phx-auto-recover" in c.text and re.search(r"re-sends?|recover", c.text)
        js_change_form = re.search(r"<form\b[^>]*\bid=[^>]*phx-change=\{JS\.", c.text)
        if teaches_recovery or js_change_form:
            bad.append(c.id)
    return bad


def test_recovery_sections_say_js_command_phx_change_was_recovered_wrongly_until_1_0_2():
    """factcheck-g #3: 0.20.15 (5acf2cd9) passed the raw phx-change attribute to pushInput as the event
    name during form recovery (view.js:1238-1255 at v0.20.15; 0.20.14 ran it through JS.exec at
    view.js:1163-1164), so a JS.push phx-change was sent as encoded JSON and no handle_event clause
    matched; 1.0.2 (5384eb75, #3607) runs the command again (view.js:1418)."""
    assert _bad_js_command_recovery_sections(CHUNKS) == []


def test_the_js_command_recovery_check_catches_the_old_wording():
    class OldRecovery:
        id = "forms#form-recovery-after-reconnects"
        since = "0.20.0"
        text = ("When the connection drops and comes back, LiveView re-sends each form's current values with its "
                '`phx-change` event. `phx-auto-recover="other_event"` sends a different event.')

    class OldExample:
        id = "loading-states#marking-another-element-with-loading"
        since = "0.20.0"
        text = '<form id="search-form" phx-change={JS.push("search", loading: "#results")}>'
    assert _bad_js_command_recovery_sections([OldRecovery(), OldExample()]) == [OldRecovery.id, OldExample.id]


def _bad_trigger_action_test_sections(chunks):
    """Sections valid before 1.1.10 that say submit_form/follow_trigger_action post the form's own values
    without naming the releases (1.1.9 added the rendered values, 1.1.10 fixed keyword lists)."""
    return [
        c.id for c in chunks if _older_than(c, "1.1.10")
        and re.search(r"follow_trigger_action|submit_form", c.text)
        and re.search(r"with the form's method, action and values", _flat(c.text))
        and not ("1.1.9" in c.text and "1.1.10" in c.text)
    ]


def test_trigger_action_test_sections_say_which_values_each_release_posts():
    """factcheck-h #1: up to 1.1.8 __render_trigger_submit__ posts only form.form_data
    (live_view_test.ex:1906 at v1.1.8, :1816 at v0.20.0); 1.1.9 (c44d06d7) merges the rendered values
    with form_data as given, so a keyword list raises (:1909-1912); 1.1.10 converts it first (:1909-1917)."""
    assert _bad_trigger_action_test_sections(CHUNKS) == []


def test_the_trigger_action_test_check_catches_the_old_wording():
    class Old:
        id = "testing-liveviews#forms-that-post-over-http-submit-form-and-follow-trigger-action"
        since = "0.20.0"
        text = ("`follow_trigger_action/2` raises unless the form has `phx-trigger-action`; `submit_form/2` needs an\n"
                "`action` attribute. Both run the endpoint's plug pipeline with the form's method, action and values.")
    assert _bad_trigger_action_test_sections([Old()])


def _bad_deploy_recovery_sections(chunks):
    """Sections valid before 1.0.6 that promise a rejoin with form recovery after a deploy without the
    live_session version boundary (1.0.6): pages reached by live navigation were reloaded in full."""
    return [
        c.id for c in chunks if _older_than(c, "1.0.6")
        and re.search(r"\bdeploy", c.text)
        and re.search(r"(forms?[^.]{0,60}\brecovered|re-sends? (each|their|its) form)", _flat(c.text))
        and "1.0.6" not in c.text
    ]


def test_deploy_sections_say_live_navigated_pages_reloaded_until_1_0_6():
    """factcheck-h #2: up to 1.0.5 a live_session carried a compile-time version (router.ex:492-499 at
    v1.0.5); a rejoin after live navigation is a redirect join (view.js:162-179) that session.ex:20-31
    refused on a version change, so the client reloaded the page (view.js:831-834) and recovered no form.
    1.0.6 (92820211, #3715) compares only the name (session.ex:19-28)."""
    assert _bad_deploy_recovery_sections(CHUNKS) == []


def test_the_deploy_recovery_check_catches_the_old_wording():
    class Old:
        id = "telemetry-gettext-and-deploys#what-users-see-when-you-deploy"
        since = "0.20.0"
        text = ("When a node stops (a deploy), every LiveView on it stops. The client reconnects and each LiveView "
                "mounts again:\n- forms with an `id` and `phx-change` are recovered: the client re-sends their values;")
    assert _bad_deploy_recovery_sections([Old()])


def _bad_live_session_patch_sections(chunks):
    """Sections valid on 0.20 that say crossing a live_session always reloads the page, without the
    pre-1.0 patch to the same LiveView module in another session (83900448, 1.0.0)."""
    return [
        c.id for c in chunks if _older_than(c, "1.0.0")
        and re.search(r"another\*{0,2} `?live_session`? always does a full page load", _flat(c.text))
        and not re.search(r"Before 1\.0[^.]*patch", _flat(c.text))
    ]


def test_live_session_sections_name_the_pre_1_0_same_module_patch():
    """factcheck-h #3: up to 0.20.17 Route.live_link_info! calls a route internal whenever its view is the
    current module (route.ex:31-37 at v0.20.17), so a live_patch to the same module in another
    live_session ran handle_params without that session's on_mount (channel.ex:138-152); 1.0.0
    (83900448, #3521) also matches the live_session (route.ex:31-40)."""
    assert _bad_live_session_patch_sections(CHUNKS) == []


def test_the_live_session_patch_check_catches_the_old_wording():
    class Old:
        id = "navigation#live-session-what-it-groups-and-what-crossing-one-does"
        since = "0.20.0"
        text = ("default session. Navigating to a LiveView of **another** `live_session` always does a full page load,\n"
                "through the router and its plugs, with a new connection.")
    assert _bad_live_session_patch_sections([Old()])


def _bad_cancel_then_disallow_sections(chunks):
    """Sections whose code cancels or consumes upload entries and then calls disallow_upload/allow_upload
    in the same function: entries whose upload started are dropped only after the callback returns."""
    bad = []
    for c in chunks:
        for block in re.findall(r"```elixir\n(.*?)```", c.text, re.S):
            for body in re.split(r"\n(?=\s*def )", block):
                first = re.search(r"\b(cancel_upload|consume_uploaded_entr(?:y|ies))\(", body)
                then = re.search(r"\b(disallow_upload|allow_upload)\(", body)
                if first and then and then.start() > first.start():
                    bad.append(c.id)
    return bad


def test_no_example_cancels_and_disallows_an_upload_in_one_callback():
    """factcheck-h #4: cancel_upload keeps an entry that has an upload channel (cancelled?: true,
    upload_config.ex:669-678 at v0.20.0, :749-758 at v1.2.10) until the LiveView handles the channel's
    :DOWN (channel.ex:106-118); consumed entries are dropped by a message to self (channel.ex:66-69;
    1.2.10 :71-74). disallow_upload/allow_upload raise while any entry remains (upload.ex:41-66)."""
    assert _bad_cancel_then_disallow_sections(CHUNKS) == []


def test_the_cancel_then_disallow_check_catches_the_old_example():
    class Old:
        id = "uploads#resetting-an-upload-disallow-upload-and-allow-upload-again"
        since = "0.20.0"
        text = ("```elixir\nsocket =\n  Enum.reduce(socket.assigns.uploads.receipt.entries, socket, fn entry, acc ->\n"
                "    cancel_upload(acc, :receipt, entry.ref)\n  end)\n\n{:noreply, disallow_upload(socket, :receipt)}\n```\n")
    assert _bad_cancel_then_disallow_sections([Old()])


LOGGER_MACRO = re.compile(r"\bLogger\.(debug|info|notice|warning|warn|error|critical|alert|emergency|log)\(")


def _logger_without_require(chunks) -> list[str]:
    bad = []
    for c in chunks:
        for block in re.findall(r"```elixir\n(.*?)```", c.text, re.S):
            if LOGGER_MACRO.search(block) and "require Logger" not in block:
                bad.append(c.id)
    return bad


def test_examples_that_log_require_logger():
    """factcheck-j l3: Logger.debug/warning/... are macros; an example calling one without
    `require Logger` does not compile (LiveView's own modules require it, channel.ex:5 at v0.20.0)."""
    assert _logger_without_require(CHUNKS) == []


def test_the_logger_check_catches_the_old_example():
    class Old:
        id = "lifecycle-and-errors#unknown-messages-a-catch-all-handle-info"
        text = ("```elixir\ndef handle_info(msg, socket) do\n"
                "  Logger.debug(\"ignored #{inspect(msg)}\")\n  {:noreply, socket}\nend\n```\n")
    assert _logger_without_require([Old()]) == [Old.id]


CONTROLLER_LIVE_RENDER = re.compile(r"(?<![.\w])live_render\(\s*conn\b|\|>\s*live_render\(")
LIVE_RENDER_IMPORTED_BY_USE = re.compile(r"imported by\s+`?use \w+Web, :controller")


def _controller_live_render_without_import(chunks) -> list[str]:
    bad = []
    for c in chunks:
        if LIVE_RENDER_IMPORTED_BY_USE.search(_flat(c.text)):
            bad.append(c.id)
            continue
        for block in re.findall(r"```elixir\n(.*?)```", c.text, re.S):
            if CONTROLLER_LIVE_RENDER.search(block) and "import Phoenix.LiveView.Controller" not in block:
                bad.append(c.id)
    return bad


def test_controller_examples_import_live_render():
    """factcheck-k4 h1: the `:controller` block Phoenix generates (phoenix@v1.6.16, v1.7.0, v1.8.0:
    installer/templates/phx_single/lib/app_name_web.ex) imports neither Phoenix.LiveView.Controller nor
    live_render/3, so a controller calling live_render(conn, ...) unqualified needs the import."""
    assert _controller_live_render_without_import(CHUNKS) == []


def test_the_controller_live_render_check_catches_the_old_wording():
    class OldProse:
        id = "authorization-and-sessions#refusing-to-show-a-liveview-redirect-in-mount-halt-in-on-mount-or-a-403-404-status"
        text = ("render the LiveView from a controller: `conn |> put_status(:not_found) |> live_render(MyAppWeb.MissingLive)`"
                " (`Phoenix.LiveView.Controller.live_render/3`, imported by\n  `use MyAppWeb, :controller`)")

    class OldCode:
        id = "x#controller-example"
        text = ("```elixir\ndefmodule MyAppWeb.MissingController do\n  use MyAppWeb, :controller\n\n"
                "  def show(conn, _params), do: conn |> put_status(404) |> live_render(MyAppWeb.MissingLive)\nend\n```\n")

    assert _controller_live_render_without_import([OldProse(), OldCode()]) == [OldProse.id, OldCode.id]


def _bad_component_recovery_sections(chunks):
    """Sections valid on 0.20.15-0.20.17 that teach form recovery (a form re-sent on rejoin, phx-auto-recover)
    without saying that those releases do not recover a form targeting a LiveComponent (and stall the
    rejoin when it is the last form), fixed in 1.0.0."""
    return [
        c.id for c in chunks if _older_than(c, "0.20.18") and not c.id.startswith("api#")
        and (getattr(c, "until", None) is None or parse_version(c.until) >= parse_version("0.20.15"))
        and "phx-auto-recover" in c.text and re.search(r"re-sends?", c.text)
        and not ("0.20.17" in c.text and "LiveComponent" in c.text)
    ]


def test_recovery_sections_say_livecomponent_forms_were_not_recovered_on_0_20_15_to_0_20_17():
    """factcheck-k2 m1: 0.20.15 (5acf2cd9) recovers forms against a template fragment; for a CID
    phx-target, filterWithinSameLiveView stops at the LiveView root (dom.js:165-178 at v0.20.17), so the form
    is not recovered and, as the last form, its callback never completes the join (view.js:537-545, diffs
    queued at :607-608). 1.0.0 (628f885a, #3317) passes the fragment's first child (view.js:578)."""
    assert _bad_component_recovery_sections(CHUNKS) == []


def test_the_component_recovery_check_catches_the_old_wording():
    class Old:
        id = "nested-forms#form-recovery-for-wizards-and-stateful-forms-phx-auto-recover"
        since = "0.20.0"
        until = None
        text = ("On a reconnect the client re-sends every form that has an `id` and a `phx-change`. "
                '`phx-auto-recover="ignore"` skips a form. Fixed in 1.0.2.')
    assert _bad_component_recovery_sections([Old()]) == [Old.id]


# Components and helpers that Phoenix 1.7 generates into CoreComponents and Phoenix 1.8 no longer does
# (phoenix@v1.7.0 vs v1.8.0/v1.8.12: installer/templates/phx_web/components/core_components.ex).
PHOENIX_17_ONLY_COMPONENTS = re.compile(r"<\.(modal|simple_form|back|label)\b|\b(show_modal|hide_modal)\(")


def _phoenix_17_components_without_a_word(chunks) -> list[str]:
    """Chunks reaching LiveView 1.1 (Phoenix 1.8's partner) whose examples call a 1.7-only core
    component without the chunk saying that it comes from Phoenix 1.7."""
    bad = []
    for c in chunks:
        if c.until is not None and parse_version(c.until) <= parse_version("1.1.0"):
            continue
        code = "\n".join(re.findall(r"```(?:heex|elixir)\n(.*?)```", c.text, re.S))
        if PHOENIX_17_ONLY_COMPONENTS.search(code) and "Phoenix 1.7" not in _flat(c.text):
            bad.append(c.id)
    return bad


def test_phoenix_17_only_core_components_are_labelled():
    """factcheck-l m1: `<.modal>` (and simple_form, back, label, show_modal) exist only in the core
    components Phoenix 1.7 generates; Phoenix 1.8, paired with LiveView 1.1+, generates none of them,
    so an unlabelled example is an undefined component there."""
    assert _phoenix_17_components_without_a_word(CHUNKS) == []


def test_the_phoenix_17_component_check_catches_the_old_example():
    class Old:
        id = "navigation#live-action-and-the-router-s-live-4"
        since = "0.20.0"
        until = None
        text = ("The third argument becomes `@live_action`.\n\n```heex\n"
                "<.modal :if={@live_action in [:new, :edit]} id=\"invoice-modal\" on_cancel={JS.patch(~p\"/invoices\")}>\n"
                "  ...\n</.modal>\n```\n")
    assert _phoenix_17_components_without_a_word([Old()]) == [Old.id]


# Fact-check m1 (fc-m1, /work/coord/factcheck-m1-report.md).

def _arities_dated_too_early(api_text: str, entries: list[dict]) -> list[str]:
    """Names whose later arity (arity_since after the function's since) the rendered line does not date."""
    sections = {m.group(1): m.group(2) for m in re.finditer(r"^## (\S+) functions and callbacks\n(.*?)(?=^## |\Z)",
                                                             api_text, re.M | re.S)}
    bad = []
    for e in entries:
        line = next((l for l in sections.get(e["module"], "").splitlines() if l.startswith(f"- `{e['name']}` ")), None)
        for arity, since in e.get("arity_since", {}).items():
            if line and since != e["since"] and parse_version(since) > parse_version(e["since"]) \
                    and f"/{arity} since {since}" not in line:
                bad.append(f"{e['module']}.{e['name']}/{arity}")
    return bad


def test_api_reference_dates_arities_added_later():
    """m1-m1: every arity was listed under the function's first release, so push_event/4 (1.1.18),
    start_async/4 (0.20.13), assign_async/4 and AsyncResult.ok/1 (0.20.2), fetch_live_flash/1 (0.20.3) and
    refute_redirected/1 (1.0.8) read as available on every covered version."""
    data = json.loads((ROOT / "references/liveview_api.json").read_text(encoding="utf-8"))
    api = (ROOT / "references/api.md").read_text(encoding="utf-8")
    assert _arities_dated_too_early(api, data["entries"]) == []


def test_the_arity_date_check_catches_the_old_line():
    old = "## Phoenix.LiveView functions and callbacks\n\n- `push_event` /3, /4 (function), since 0.14.0\n"
    entry = {"module": "Phoenix.LiveView", "name": "push_event", "since": "0.14.0",
             "arity_since": {"3": "0.14.0", "4": "1.1.18"}}
    assert _arities_dated_too_early(old, [entry]) == ["Phoenix.LiveView.push_event/4"]


def _tag_handler_callbacks_out_of_range(chunks, history: dict) -> list[str]:
    """`Phoenix.LiveView.TagEngine` callbacks named with an arity (`annotate_caller/3`) in a paragraph that names
    no version must exist over the whole range of the section: the callbacks changed between minors."""
    arities = {}
    for key, info in history.items():
        if key.startswith("Phoenix.LiveView.TagEngine.") and info.get("kind") == "callback":
            name = key.rsplit(".", 1)[1]
            for arity, dates in info.get("arities", {}).items():
                arities[(name, int(arity))] = dates
    bad = []
    for chunk in chunks:
        low, high = parse_version(chunk.since or "0.20.0"), parse_version(chunk.until or "1.2.10")
        prose = re.sub(r"```.*?```", "", chunk.text, flags=re.S)
        for paragraph in re.split(r"\n\s*\n", prose):
            if re.search(r"\b\d\.\d+(\.\d+)?\b", paragraph):
                continue
            for name, arity in re.findall(r"`([a-z_?]+)/(\d)`", paragraph):
                dates = arities.get((name, int(arity)))
                if dates and (parse_version(dates["since"]) > low or
                              ("removed_in" in dates and parse_version(dates["removed_in"]) <= high)):
                    bad.append(f"{chunk.id}: {name}/{arity}")
    return bad


def test_tag_handler_callbacks_named_with_arity_hold_over_the_section_range():
    """m1-m2: the 0.20.10+ debug annotations section said the comments come from annotate_slot/4 and
    annotate_caller/3; 0.20.10-1.1 declare annotate_caller/2, and annotate_slot/4 arrived in 1.1."""
    history = json.loads((ROOT / "references/liveview_api.json").read_text(encoding="utf-8"))["function_history"]
    assert _tag_handler_callbacks_out_of_range(CHUNKS, history) == []


def test_the_tag_handler_callback_check_catches_the_old_wording():
    history = json.loads((ROOT / "references/liveview_api.json").read_text(encoding="utf-8"))["function_history"]

    class Old:
        id = "advanced-heex-and-tooling#heex-debug-annotations-and-opting-out"
        since = "0.20.10"
        until = None
        text = ("The annotations come from the `annotate_body/1`, `annotate_slot/4` and `annotate_caller/3`\n"
                "callbacks of the tag handler (next sections).\n")
    assert _tag_handler_callbacks_out_of_range([Old()], history) == [f"{Old.id}: annotate_slot/4",
                                                                      f"{Old.id}: annotate_caller/3"]


def _loading_option_definitions_without_the_submit_case(chunks) -> list[str]:
    """Chunks reaching 1.0 that define JS.push's `loading:` option ("`loading:` puts ...", "`loading:` (...)")
    without the submit case: from 1.0 a `JS.push` in `phx-submit` carries the submitter, and putRef then gives
    `phx-submit-loading` only to the submitter and the form."""
    bad = []
    for c in chunks:
        if c.until is not None and parse_version(c.until) < parse_version("1.0.0"):
            continue
        text = _flat(c.text)
        if re.search(r"`loading:` (puts|adds|gives|marks|\()", text) and "phx-submit" not in text:
            bad.append(c.id)
    return bad


def test_loading_option_definitions_name_the_submit_exception():
    """fc-m1 m4: references/js-commands said `loading:` targets get the loading class of the triggering
    binding, on every version. From 1.0 the submit handler's submitter reaches a JS.push
    (v1.0.0:assets/js/phoenix_live_view/js.js exec merges defaultArgs; v0.20.17 drops them unless data is set),
    and putRef skips the class for every element but the submitter and the form
    (v1.0.0:assets/js/phoenix_live_view/view.js:999, v1.2.10:assets/js/phoenix_live_view/view.ts:1637-1642)."""
    assert _loading_option_definitions_without_the_submit_case(CHUNKS) == []


def test_the_loading_option_check_catches_the_old_wording():
    class Old:
        id = "js-commands#push-send-an-event"
        since = "0.20.0"
        until = None
        text = ("`JS.push(\"save\", loading: \"#form\")`. Options: `loading:` (more elements that get the loading class\n"
                "of the triggering binding), `page_loading:` (fire the page loading events).\n")
    assert _loading_option_definitions_without_the_submit_case([Old()]) == [Old.id]


def _streams_left_undefined_by_mount(chunks) -> list[str]:
    """Examples whose template reads `@streams.NAME` while their `mount/3` can return without calling `stream`
    on NAME: directly, or through a helper of the example every branch of which calls it (a chunk whose prose
    says where the stream is filled, `stream(socket, :NAME, ...)`, is left alone). `@streams` exists only
    after the first `stream/4` call, so such a page raises KeyError when the branch without it runs."""
    call = r"stream(?:_configure|_async)?\((?:socket, )?:{name}\b"
    bad = []
    for c in chunks:
        heex = "\n".join(re.findall(r"```heex\n(.*?)```", c.text, re.S))
        code = "\n".join(re.findall(r"```elixir\n(.*?)```", c.text, re.S)) + "\n"
        mount = re.search(r"def mount\(.*?\n(.*?)\nend\n", code, re.S)
        if not mount:
            continue
        for name in sorted(set(re.findall(r"@streams\.(\w+)", heex))):
            pattern = call.format(name=name)
            prose = re.sub(r"```.*?```", "", c.text, flags=re.S)
            if re.search(pattern, mount.group(1)) or re.search(pattern, prose):
                continue
            helpers = re.findall(r"\|> (\w+)\(|\b(\w+)\(socket\b", mount.group(1))
            covered = False
            for helper in {a or b for a, b in helpers}:
                body = re.search(rf"defp? {helper}\(.*?\n(.*?)\nend\n", code, re.S)
                if not body:
                    continue
                branches = re.split(r"\n\s+[^\n]*->\n", body.group(1))
                branches = branches[1:] if len(branches) > 1 else branches
                covered = covered or all(re.search(pattern, b) for b in branches)
            if not covered:
                bad.append(f"{c.id}: {name}")
    return bad


def test_stream_examples_define_the_stream_on_every_mount_path():
    """fc-m1 m5: the infinite-scroll example's mount piped into load_page/2, whose empty-first-page branch only
    assigned at_end?; with no stream/4 call `@streams` is never assigned and `@streams.items` raises
    (v0.20.4:lib/phoenix_live_view.ex:1696 and v1.2.10:lib/phoenix_live_view.ex:2102 assign :streams on the
    first stream call only)."""
    assert _streams_left_undefined_by_mount(CHUNKS) == []


def test_the_stream_mount_check_catches_the_old_example():
    class Old:
        id = "bindings#infinite-scroll-in-both-directions-with-phx-viewport-top-and-phx-viewport-bottom"
        since = "0.20.4"
        until = None
        text = ("```elixir\ndef mount(_params, _session, socket) do\n"
                "  {:ok, socket |> assign(page: 1, at_end?: false) |> load_page(1)}\nend\n\n"
                "defp load_page(socket, page) do\n  items = Feed.list(page)\n\n  cond do\n"
                "    items == [] ->\n      assign(socket, at_end?: true)\n\n    true ->\n"
                "      socket |> assign(page: page) |> stream(:items, items, at: -1)\n  end\nend\n```\n\n"
                "```heex\n<li :for={{id, item} <- @streams.items} id={id}>{item.title}</li>\n```\n")
    assert _streams_left_undefined_by_mount([Old()]) == [f"{Old.id}: items"]




# A push chained into a client-side navigate, in one line of a fenced example.
PUSH_THEN_NAVIGATE = re.compile(r"JS\.push\(.*\|>\s*JS\.navigate\(")
NAVIGATE_DOES_NOT_WAIT = re.compile(r"does not wait|before `?handle_event/3`? has finished|what it returns is lost", re.I)


def _push_then_navigate_without_the_race(chunks) -> list[str]:
    """Chunks whose examples chain `JS.push(...) |> JS.navigate(...)` without saying that the navigation
    starts at once (the next LiveView may mount before the event is handled, and its reply is lost)."""
    bad = []
    for c in chunks:
        code = "\n".join(re.findall(r"```(?:heex|elixir)\n(.*?)```", c.text, re.S))
        if PUSH_THEN_NAVIGATE.search(code) and not NAVIGATE_DOES_NOT_WAIT.search(_flat(c.text)):
            bad.append(c.id)
    return bad


def test_push_then_navigate_examples_say_the_navigation_does_not_wait():
    """fc-m2 m1: the client destroys the current LiveView and joins the next one as soon as JS.navigate
    runs (v1.2.10:assets/js/phoenix_live_view/live_socket.ts:944-952); only JS.patch is queued behind the
    push on the same channel. An example chaining push into navigate must say so."""
    assert _push_then_navigate_without_the_race(CHUNKS) == []


def test_the_push_then_navigate_check_catches_the_old_example():
    class Old:
        id = "js-commands-in-depth#js-navigate-and-js-patch-with-replace"
        text = ("```heex\n<button phx-click={JS.push(\"archive\", value: %{id: @order.id}) |> JS.navigate(~p\"/orders\")}>\n"
                "  Archive and go back\n</button>\n```\n\nAfter a push, the navigation is handled once the event "
                "was handled.\n")
    assert _push_then_navigate_without_the_race([Old()]) == [Old.id]


CLIENT_SET_ID = re.compile(r"""setAttribute\([^)]*["']id["']""")


def _client_ids_without_their_version(chunks) -> list[str]:
    """Chunks reaching back before 1.1.29 that tell the reader to set an element's id with a JS command
    without saying the patch copes with it only from 1.1.29."""
    return [
        c.id for c in chunks
        if _older_than(c, "1.1.29") and CLIENT_SET_ID.search(c.text) and "1.1.29" not in c.text
    ]


def test_client_side_ids_set_with_js_commands_are_gated_at_1_1_29():
    """fc-m2 m2: the patch matches an element whose id `js().setAttribute` set by its magic id only from
    1.1.29 / 1.2.0-rc.1 (#4146, v1.1.29:assets/js/phoenix_live_view/dom_patch.js:162-166); up to 1.1.28
    it looks the element up by the new id and replaces it."""
    assert _client_ids_without_their_version(CHUNKS) == []


def test_the_client_id_check_catches_the_old_sentence():
    class Old:
        id = "js-hooks#running-js-commands-from-a-hook-this-js"
        since = "1.0.0"
        text = ('An id generated on the client must be set with `this.js().setAttribute(el, "id", ...)`, '
                "never by assigning `el.id`.")
    assert _client_ids_without_their_version([Old()]) == [Old.id]


def _submitter_loading_targets_without_1_0(chunks) -> list[str]:
    """Sentences of chunks valid before 1.0 saying a submit's `loading:` targets get no loading class
    (because of the 0.20.15 submitter rule) without naming 1.0: a written `JS.push` receives the submitter
    only from 1.0, so 0.20.15 to 0.20.17 still mark its targets."""
    bad = []
    for c in chunks:
        if not _older_than(c, "1.0.0"):
            continue
        for s in _sentences(c.text):
            if ("`loading:` target" in s and re.search(r"\bno class|not (get|marked)|unstyled", s)
                    and "1.0" not in s):
                bad.append(f"{c.id}: {s[:90]}")
    return bad


def test_sections_before_1_0_date_unstyled_submit_loading_targets_at_1_0():
    """fc-p2 F1: loading-states said that since 0.20.15 a submit's `loading:` targets get no class. On
    0.20.15-0.20.17 exec merges the submit's default args (the submitter) into a written push only when they
    carry data (v0.20.17:assets/js/phoenix_live_view/js.js:14-17), so putRef's submitter filter
    (v0.20.15:assets/js/phoenix_live_view/view.js:900) never applies to a JS.push and its targets are
    marked; from 1.0 the args are always merged (v1.0.0:assets/js/phoenix_live_view/js.js:15-18)."""
    assert _submitter_loading_targets_without_1_0(CHUNKS) == []


def test_the_submit_loading_target_check_catches_the_old_wording():
    class Old:
        id = "loading-states#marking-another-element-with-loading"
        since = "0.20.0"
        text = ("Since 0.20.15,\non a `phx-submit` with a submitter button only the submitter and the form get "
                "`phx-submit-loading`;\nthe other elements the submit marks, including `loading:` targets, get no "
                "class, so mark a results\narea from the change event or style the form.")
    assert _submitter_loading_targets_without_1_0([Old()]) == [f"{Old.id}: " + _sentences(Old.text)[0][:90]]

# Fact-check p3 (fc-p3, /work/coord/factcheck-fc-p3-report.md).

RAISE_CHUNK_TIMEOUT = re.compile(r"\b(raise|increase|higher|longer|larger)\b[^.]{0,40}`chunk_timeout|"
                                 r"`chunk_timeout:?`[^.]{0,40}\b(raise|increase|higher|longer)\b")
CLIENT_PUSH_TIMEOUT_CAVEAT = re.compile(r"0\.20[^.]{0,160}\b(push timeout|ignores the option)\b")


def _chunk_timeout_advice_without_the_0_20_client(chunks) -> list[str]:
    """Chunks reaching back before 1.0 that advise a longer `chunk_timeout` for slow chunks without saying that
    the 0.20 client never used it: it pushed each chunk with the channel's default timeout (10 s)."""
    return [
        c.id for c in chunks
        if _older_than(c, "1.0.0") and RAISE_CHUNK_TIMEOUT.search(_flat(c.text))
        and not CLIENT_PUSH_TIMEOUT_CAVEAT.search(_flat(c.text))
    ]


def test_chunk_timeout_advice_names_the_0_20_client_limit():
    """fc-p3 m1: uploads said to raise `chunk_timeout:` so a slow chunk does not close the upload, on every
    version. The 0.20 client pushes each chunk with the channel's default timeout and no timeout handler
    (v0.20.0:assets/js/phoenix_live_view/entry_uploader.js:48, phoenix@v1.7.14:assets/js/phoenix/socket.js:116),
    so a chunk acknowledged after 10 s stalls the upload whatever `chunk_timeout` says; 1.0.0-rc.8 (d6a01403)
    made the client use it (v1.2.10:assets/js/phoenix_live_view/entry_uploader.js:74)."""
    assert _chunk_timeout_advice_without_the_0_20_client(CHUNKS) == []


def test_the_chunk_timeout_check_catches_the_old_wording():
    class Old:
        id = "uploads#allow-upload-options-and-their-defaults"
        since = "0.20.0"
        text = ("Large files on slow connections: raise `chunk_timeout:` (and keep `chunk_size:` moderate) so a "
                "slow\nchunk does not close the upload. With LiveView 1.2.10, the newer options look like this:")
    assert _chunk_timeout_advice_without_the_0_20_client([Old()]) == [Old.id]


MOVE_BY_DELETE_AND_INSERT = re.compile(r"\bmove\b[^.]{0,80}`?stream_delete[^.]{0,80}\binsert")


def _stream_moves_without_the_phx_remove_caveat(chunks) -> list[str]:
    """Chunks reaching back before 0.20.8 that advise moving a stream item by deleting and inserting it again
    without saying that 0.20.0-0.20.7 run the item's phx-remove and then remove it."""
    return [
        c.id for c in chunks
        if _older_than(c, "0.20.8")
        and any(MOVE_BY_DELETE_AND_INSERT.search(s) for s in _sentences(c.text))
        and not ("phx-remove" in c.text and "0.20.8" in c.text)
    ]


def test_moving_a_stream_item_names_the_phx_remove_bug_before_0_20_8():
    """fc-p3 m2: streams said 'to move an item on any version, stream_delete/3 it and insert it again', next to
    documents that put phx-remove on stream rows. Up to 0.20.7 the delete runs maybePendingRemove before looking
    at the same render's inserts (v0.20.7:assets/js/phoenix_live_view/dom_patch.js:333-345), so the row plays its
    exit transition and is removed when it ends (v0.20.0:assets/js/phoenix_live_view/dom_patch.js:348-357);
    0.20.8 (76f2c9ee, #3121) restores a re-inserted item without phx-remove
    (v0.20.8:assets/js/phoenix_live_view/dom_patch.js:333-346, v1.2.10:assets/js/phoenix_live_view/dom_patch.ts:680-688)."""
    assert _stream_moves_without_the_phx_remove_caveat(CHUNKS) == []


def test_the_stream_move_check_catches_the_old_wording():
    class Old:
        id = "streams#inserting-updating-moving-and-deleting"
        since = "0.20.0"
        text = ("there (the default `at: -1` left it in place). To move an item on any version, `stream_delete/3`\n"
                "  it and insert it again.\n- `stream_delete(socket, :messages, item)` removes by the item's DOM id")
    assert _stream_moves_without_the_phx_remove_caveat([Old()]) == [Old.id]


# fct1 (/work/coord/fct1-report.md): the December re-check of eleven documents against the source.

LONE_DYNAMIC_TAG_NAME = re.compile(r"\b(lone|alone|only) `name`[^.]{0,120}\b(still names|deprecat)")
TAG_NAME_REQUIRED = re.compile(r"required[^.]{0,40}`tag_name`|`tag_name`[^.]{0,40}\brequired")


def _reaches(chunk, version: str) -> bool:
    return chunk.until is None or parse_version(chunk.until) >= parse_version(version)


def _lone_dynamic_tag_name_without_the_compile_warning(chunks) -> list[str]:
    """Chunks reaching 1.0 that say a lone `name` on <.dynamic_tag> still names the tag (with a deprecation
    warning) without saying that `tag_name` is a required attribute there, which the compiler reports too."""
    return [
        c.id for c in chunks
        if "dynamic_tag" in c.text and _reaches(c, "1.0.0")
        and any(LONE_DYNAMIC_TAG_NAME.search(s) for s in _sentences(c.text))
        and not TAG_NAME_REQUIRED.search(_flat(c.text))
    ]


def test_a_lone_dynamic_tag_name_is_said_to_warn_at_compile_time_too():
    """fct1 m1: from 1.0.0-rc.7 `tag_name` is `required: true` (v1.0.0:lib/phoenix_component.ex:3022,
    v1.2.10:lib/phoenix_component.ex:3230), so `<.dynamic_tag name="h2">` gets the verifier's `missing required
    attribute "tag_name"` warning at compile time (v1.0.0:lib/phoenix_component/declarative.ex:1094-1097) besides
    the run-time deprecation; under `--warnings-as-errors` the build fails."""
    assert _lone_dynamic_tag_name_without_the_compile_warning(CHUNKS) == []


def test_the_dynamic_tag_check_catches_the_old_wording():
    class Old:
        id = "components#built-in-components-of-phoenix-component-at-a-glance"
        since = "0.20.0"
        until = None
        text = ("`<.dynamic_tag>` takes `tag_name` instead of `name` from 1.0: on 1.0 and later write "
                "`tag_name=\"h2\"`, since a lone `name` still names the tag there but logs a deprecation warning "
                "each time the component renders.")
    assert _lone_dynamic_tag_name_without_the_compile_warning([Old()]) == [Old.id]


TAILWIND_NODE_PATH_LIST = re.compile(r":tailwind.{0,200}?\"NODE_PATH\" => \[", re.S)
TAILWIND_0_5 = re.compile(r"`:tailwind` Hex package 0\.5|:tailwind, \"~> 0\.5\"|`~> 0\.5`")


def _tailwind_node_path_lists_without_the_package_version(chunks) -> list[str]:
    """Chunks that give the :tailwind profile a NODE_PATH list without saying it needs the :tailwind package 0.5+."""
    return [
        c.id for c in chunks
        if TAILWIND_NODE_PATH_LIST.search(c.text) and not TAILWIND_0_5.search(_flat(c.text))
    ]


def test_a_tailwind_node_path_list_names_the_package_version_it_needs():
    """fct1 m2: the :tailwind Hex package joins list env values only from 0.5.0
    (tailwind@v0.5.0:lib/tailwind.ex:556-560); 0.3 and 0.4 pass `env` to System.cmd/3 as given
    (tailwind@v0.4.1:lib/tailwind.ex:191-199), which takes strings only, so `mix tailwind` fails. Apps from
    Phoenix before 1.8.9 depend on `~> 0.3` (phoenix@v1.8.8:installer/templates/phx_single/mix.exs.eex:57)."""
    assert _tailwind_node_path_lists_without_the_package_version(CHUNKS) == []


def test_the_tailwind_check_catches_the_old_wording():
    class Old:
        id = "advanced-heex-and-tooling#colocated-css-1-2-colocatedcss-and-transform-4"
        text = ("- Tailwind (4.2.3+) reads it through `NODE_PATH` like esbuild: the `:tailwind` profile in\n"
                "  `config/config.exs` needs `env: %{\"NODE_PATH\" => [Path.expand(\"../deps\", __DIR__),\n"
                "  Mix.Project.build_path()]}` (generated from Phoenix 1.8.8; add it in older apps).")
    assert _tailwind_node_path_lists_without_the_package_version([Old()]) == [Old.id]


SCOPED_CSS_DIRECTIVES = re.compile(r"returns directives|root_tag_attribute", re.I)
SCOPED_CSS_DROP_FIXED = re.compile(r"1\.2\.0 to 1\.2\.3\b.*?\b1\.2\.4 keeps them", re.S)


def _scoped_css_sections_without_the_1_2_4_caveat(chunks) -> list[str]:
    """ColocatedCSS chunks that teach scoped-CSS directives without saying 1.2.0-1.2.3 drop them when a later
    macro component (a colocated hook or JS script) sits in the same template."""
    return [
        c.id for c in chunks
        if c.id.startswith("advanced-heex-and-tooling#colocated-css")
        and SCOPED_CSS_DIRECTIVES.search(c.text)
        and not SCOPED_CSS_DROP_FIXED.search(_flat(c.text))
    ]


def test_scoped_colocated_css_names_the_release_that_keeps_its_directives():
    """fcb1 l: on 1.2.0-1.2.3 each later macro component in a template replaces the template's directives
    (v1.2.3:lib/phoenix_live_view/tag_engine/parser.ex:647-651), so a colocated hook after a scoped
    ColocatedCSS tag drops its root_tag_attribute; 1.2.4 appends them (d4b8703b, #4319,
    v1.2.4:lib/phoenix_live_view/tag_engine/parser.ex:647-652)."""
    assert _scoped_css_sections_without_the_1_2_4_caveat(CHUNKS) == []


def test_the_scoped_css_check_catches_the_old_wording():
    class Old:
        id = "advanced-heex-and-tooling#colocated-css-1-2-colocatedcss-and-transform-4"
        text = ("- The `<style>` tag is removed from the output. When `transform/4` returns directives (scoped CSS),\n"
                "  the tag must also be the first node of its template; without directives it may sit anywhere.")
    assert _scoped_css_sections_without_the_1_2_4_caveat([Old()]) == [Old.id]


VIEWPORT_1_1_29 = re.compile(r"1\.1\.29 alone throws.*?1\.1\.30\s+fixed it", re.S)


def _infinite_scroll_sections_without_the_1_1_29_caveat(chunks) -> list[str]:
    """Sections teaching phx-viewport-top/bottom through 1.2 that do not warn about the 1.1.29-only crash."""
    return [
        c.id for c in chunks
        if c.id.startswith("bindings#infinite-scroll")
        and not VIEWPORT_1_1_29.search(_flat(c.text))
    ]


def test_infinite_scroll_warns_about_the_1_1_29_viewport_hook_crash():
    """fcb1 l: 1.1.29's viewport hook reads this.scrollContainer.isConnected in updated() without a null
    check (v1.1.29:assets/js/phoenix_live_view/hooks.js:264-271); the scroll container is null when the
    bindings listen on the window, so every patch of the container throws. 1.1.30 added the guard
    (v1.1.30:assets/js/phoenix_live_view/hooks.js:267)."""
    assert _infinite_scroll_sections_without_the_1_1_29_caveat(CHUNKS) == []


def test_the_1_1_29_check_catches_the_old_wording():
    class Old:
        id = "bindings#infinite-scroll-in-both-directions-with-phx-viewport-top-and-phx-viewport-bottom"
        text = "On those releases keep `overflow-y` off `<html>`/`<body>`, or upgrade. Since 1.1.18, ..."
    assert _infinite_scroll_sections_without_the_1_1_29_caveat([Old()]) == [Old.id]


FOCUS_WRAP_TRAP_CLAIM = re.compile(r"focus_wrap", re.I)
FOCUS_WRAP_KEEPS_FOCUS = re.compile(r"keeps Tab and Shift\+Tab cycling inside|focus kept inside", re.I)
FOCUS_WRAP_1_0_11_CAVEAT = re.compile(r"1\.0\.11 to 1\.0\.15.*?1\.0\.16 fixed it", re.S)


def _focus_wrap_trap_claims_without_the_1_0_11_caveat(chunks) -> list[str]:
    """Chunks that say focus_wrap keeps focus inside without saying 1.0.11-1.0.15 break it."""
    return [
        c.id for c in chunks
        if FOCUS_WRAP_TRAP_CLAIM.search(c.text) and FOCUS_WRAP_KEEPS_FOCUS.search(_flat(c.text))
        and not FOCUS_WRAP_1_0_11_CAVEAT.search(_flat(c.text))
    ]


def test_focus_wrap_trap_claims_name_the_broken_1_0_releases():
    """fcb1 m: 1.0.11 made isFocusable accept tabIndex >= 0 without excluding aria-hidden elements
    (v1.0.11:assets/js/phoenix_live_view/aria.js:10), so focus_wrap's tabindex="0" aria-hidden boundary
    spans (v1.0.15:lib/phoenix_component.ex:3117-3119) became targets of the hook's focusFirst/focusLast
    (v1.0.15:assets/js/phoenix_live_view/hooks.js:50-69) and tabbing past an end recursed without end;
    1.0.16 restored the aria-hidden exclusion (v1.0.16:assets/js/phoenix_live_view/aria.js:10)."""
    assert _focus_wrap_trap_claims_without_the_1_0_11_caveat(CHUNKS) == []


def test_the_focus_wrap_check_catches_the_old_wording():
    class Old:
        id = "components#dynamic-tag-intersperse-and-focus-wrap"
        text = ("- `<.focus_wrap id=\"...\">` keeps Tab and Shift+Tab cycling inside its content (dialogs, menus); the `id`\n"
                "  is required.")
    assert _focus_wrap_trap_claims_without_the_1_0_11_caveat([Old()]) == [Old.id]


KEYED_IN_COMPONENT_CAVEAT = re.compile(r"LiveComponent, 1\.1\.0 to 1\.1\.14 .*?1\.1\.15 fixed it", re.S)


def _keyed_comprehension_sections_without_the_component_caveat(chunks) -> list[str]:
    """The comprehension change-tracking section teaching :key without the 1.1.0-1.1.14 LiveComponent merge bug."""
    return [
        c.id for c in chunks
        if c.id.startswith("change-tracking-and-memory#comprehensions")
        and ":key" in c.text
        and not KEYED_IN_COMPONENT_CAVEAT.search(_flat(c.text))
    ]


def test_keyed_comprehensions_warn_about_the_live_component_merge_bug():
    """fcb1 m: up to 1.1.14 a LiveComponent's update goes through Rendered.cloneMerge
    (v1.1.14:assets/js/phoenix_live_view/rendered.js:236-239), which merges a keyed comprehension's move
    markers (an old index, or [old_idx, diff]: v1.1.14:.../rendered.js:286-322) as plain values;
    1.1.15 routes keyed sources through mergeKeyed (97764add, v1.1.15:.../rendered.js:340-345)."""
    assert _keyed_comprehension_sections_without_the_component_caveat(CHUNKS) == []


def test_the_keyed_component_check_catches_the_old_wording():
    class Old:
        id = "change-tracking-and-memory#comprehensions-per-item-tracking-and-key"
        text = ("A `:key` (1.1+) tracks items by identity, so moves and inserts send little.\n"
                "- `:for` on slot entries is not optimised this way and does not accept `:key`.")
    assert _keyed_comprehension_sections_without_the_component_caveat([Old()]) == [Old.id]
