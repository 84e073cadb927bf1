"""hook_missing_destroyed_cleanup reads each function of a file once per review, however many hooks call it
(audit 11 M7: a helper that attaches listeners, shared by many hooks, was scanned again for every hook; so was a
teardown function they share). Counted, not timed."""

from __future__ import annotations

from skill_server.review.engine import review_source
from skill_server.review.rules.hooks import hook_missing_destroyed_cleanup as rule

HOOKS = 40
WIRE = ("function wireListeners(hook) {\n"
        "  hook.onResize = () => hook.layout()\n"
        "  window.addEventListener(\"resize\", hook.onResize)\n"
        "  hook.observer = new ResizeObserver(() => hook.layout())\n"
        "  hook.observer.observe(document.body)\n"
        "}\n")
TEARDOWN = ("function teardown(hook) {\n"
            "  window.removeEventListener(\"resize\", hook.onResize)\n"
            "  hook.observer.disconnect()\n"
            "}\n")


def _source(hooks: int, leaky: int | None = None) -> str:
    cleaned = "".join(f"const Clean{n} = {{\n  mounted() {{ wireListeners(this) }},\n  destroyed() {{ teardown(this) }}\n}}\n"
                      for n in range(hooks))
    leaky = "".join(f"const Leaky{n} = {{\n  mounted() {{ wireListeners(this) }}\n}}\n" for n in range(hooks if leaky is None else leaky))
    return WIRE + TEARDOWN + cleaned + leaky


def test_a_shared_helper_and_a_shared_teardown_are_each_read_once(monkeypatch):
    attachments: list[str] = []
    cleanups: list[str] = []
    real_attachment = rule._attachment

    def counting_attachment(body):
        attachments.append(body)
        return real_attachment(body)

    class CountingCleanup(rule._Cleanup):
        def __init__(self, code: str = "") -> None:
            cleanups.append(code)
            super().__init__(code)

    monkeypatch.setattr(rule, "_attachment", counting_attachment)
    monkeypatch.setattr(rule, "_Cleanup", CountingCleanup)
    result = review_source(_source(HOOKS), filename="assets/js/hooks.js")
    lines = [f.line for f in result.findings if f.rule == rule.RULE.slug]
    # The hooks without destroyed() leak the helper's window listener (one finding at the helper's line).
    assert lines == [3]
    assert attachments.count(WIRE.rstrip("\n")) == 1
    assert sum(1 for code in cleanups if "removeEventListener" in code) == 1
    assert len(attachments) <= 2 * HOOKS + 1  # each hook's own mounted(), and the helper once


def test_hooks_whose_destroyed_calls_the_shared_teardown_are_clean():
    result = review_source(_source(HOOKS, leaky=0), filename="assets/js/hooks.js")
    assert [f for f in result.findings if f.rule == rule.RULE.slug] == []
