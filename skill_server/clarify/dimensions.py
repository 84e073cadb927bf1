"""The data behind clarifying questions: which interactions exist, which decisions matter for each, the
words that show a request already settled a decision, and the question to ask when it did not."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Interaction kinds, most specific first. `matters` lists the decisions that change the code for it.
@dataclass(frozen=True)
class Interaction:
    kind: str
    verbs: tuple[str, ...]
    matters: tuple[str, ...]
    action: str  # how questions name the action


INTERACTIONS: tuple[Interaction, ...] = (
    Interaction("client_toggle", (
        r"dropdown", r"accordion", r"collaps", r"expand", r"modal", r"menu",
        r"(?<!browser )(?<!that )(?<!other )(?<!new )(?<!another )tabs?\b", r"show more", r"details panel",
        r"disclosure", r"popover", r"(open|close|toggle|show|hide)s? (the |a )?(\w+ )?sidebar",
    ), (), "toggle"),
    Interaction("upload", (
        r"upload",
    ), (), "upload"),
    Interaction("search", (
        r"search", r"filter", r"autocomplete", r"typeahead",
    ), (), "search"),
    Interaction("loading_feedback", (
        r"loading state", r"\bskeleton", r"(?<!no )(?<!without )(?<!without a )spinner", r"disable.{0,20}button",
        r"phx-disable-with", r"loading indicator", r"double.?(submit|post)", r"progress bar",
        r"double.?click(s|ed|ing)? (on )?(the |a )?(submit|save|send|pay|button)",
        r"(users?|people|they) (keep )?double.?click",
    ), (), "submit"),
    Interaction("form", (
        r"\bform\b", r"validat", r"(?<!:error, )changeset", r"inputs_for", r"nested", r"cast_assoc", r"cast_embed",
        r"has_many", r"embeds_many",
    ), (), "save"),
    Interaction("delete", (
        r"delet", r"remov", r"destroy", r"trash",
        r"\b(button|link|action|icon)s?\s*['\"“‘]?(cancel|delete|remove)\b",
        r"\bcancel (button|link|action|icon) (on|for|next to|beside) (each|every|a|the)\b",
        r"\bcancel(s|ling|led)? (a |an |the |their |his |her |my |your )(?!(button|upload|edit|editing|changes|"
        r"modal|dialog|form|timer|job|request|query|operation|task|async|search|typing|navigation|event)\b)\w+",
        r"\bcancel(s|ling|led)? (a |an |the |their |his |her |my |your |this |that )?(\w+ )?(booking|reservation|"
        r"order|subscription|appointment|visit|session|class|ride|trip|ticket|meeting|event|rsvp|registration|"
        r"enrol?lment|hold)s?\b",
        r"\bbin (icon|button)|\b(the )?bin (it|them)\b|\bin the bin\b", r"\bnuke", r"\byeet", r"\bgets? rid of",
        r"\bswip\w* (\w+ ){0,3}off\b", r"\bswipe.to.(delete|remove)", r"\bbump\w* off\b",
        r"\b(should|must|to|will|would|can|then|and|it) (\w+ ){0,3}(go(es)? away|disappear|vanish)",
        r"\bmake (it|them|the \w+) (go away|disappear|vanish)", r"\bcan cancel (it|them)\b",
    ), ("failure_ux", "collection_kind"), "delete"),
    Interaction("archive", (
        r"archiv(?!e page|es page|e of|e[,.;!?]|e\s*$|es[,.;!?])", r"\bswipe.to.(archive|dismiss)",
        r"\b(approve|reject|decline) or (approve|reject|decline)\b",
        r"\b(approve|reject|decline)s? (each |the |a )?pending\b",
        r"\b(approve|reject|decline) (button|action|link)s?\b",
        r"\b(resolve|close|hide)['\"”’]? (action|button|link|icon)\b",
        r"(?<!auto-)(?<!auto)(?<!banner can be )(?<!toast can be )(?<!flash can be )(?<!it can be )dismiss(?!\w*"
        r" (the |"
        r"a |an )?(banner|toast|flash|notice|popup|modal)\b)",
        r"hide (a|the|an) (row|item|card)",
    ), ("failure_ux", "collection_kind"), "archive"),
    Interaction("toggle", (
        r"toggl", r"\b(flip|switch|mark)\w* .{0,30}\bread\b",
        r"\bmark(s|ed|ing)? (\w+ ){0,2}(as )?(done|read|complete)", r"\bmark(s|ed|ing)? (\w+ ){0,2}as \w+",
        r"\bcheck(s|ing)? (the |a )?box", r"(?<!consent )(?<!required )(?<!terms )(?<!agree )(?<!filter )\bcheckbox",
        r"\b(tap|click)\w* (on )?(the |a |an |each |its )?([\w-]+ ){0,2}icon\b[^.]{0,60}\b(stay|fill|turn|light|lit)",
        r"\bbutt?on\s*['\"“‘]?(like|star|follow|favou?rite|bookmark|pin|upvote)\b",
        r"['\"“‘][^'\"”’]{2,25}['\"”’] (check|checkmark|tick|toggle)\b",
        r"['\"“‘](i'?m (going|in|interested)|going|interested|attending|ik kom|ich nehme teil|mi interessa|"
        r"me interesa|j'y vais)['\"”’]",
        r"\b(starring|pinning|bookmarking|hearting)\b",
        r"\b(follow|star|pin|bookmark|favou?rite|heart|like|upvote) (butt?on|icon|toggle)",
        r"(?<!'d )(?<!would )\b(like|unlike) (a |the |this |my |their |each )?(posts?|comments?|photos?|messages?|"
        r"items?|tweets?|reviews?|songs?)\b",
        r"\blike button", r"\bliking\b", r"\bhearts?\b", r"\bthumbs?.up", r"\b(up|down)vot", r"\bvot(e|es|ing)\b",
        r"\b(star|like|bookmark|pin|favou?rite)s? (is|are|on)\b",
        r"\b(star|pin|bookmark|favou?rite|follow)(s|ing|red|ned|ed)? (a|an|the|this|it|them|posts?|items?|notes?|"
        r"messages?|repos?|sections?|pages?)\b",
        r"\b(star|pin|bookmark|favou?rite|heart|like) (button|icon)", r"\bcomplet(e|ing) (a |the )?task",
        r"\b(let \w+|can|to|and|or) (star|pin|bookmark|like|favou?rite|heart|upvote|follow) \w+",
        r"\bswitch(es)? (it |them )?between\b", r"\b(tap|click)(ping|ing|s)? (it |the \w+ )?again\b",
    ), ("persistence", "failure_ux"), "toggle"),
    Interaction("create", (
        r"\badd(s|ing)? (a |an )?new \w+",
        r"(?<!page )(?<!page to )(?<!header )(?<!headers )(?<!filters )(?<!shell )(?<!layout )(?<!content"
        r" )\b(appears?|"
        r"shows? up)\b[^.]{0,40}\b(immediately|instantly|right away|at once)",
        r"\bcomment (box|form|field|section)\b",
        r"\badd(ing)? (a |an |the )?(new )?(comment|message|item|row|task|todo|entr|post|card|record|note|product|"
        r"line)",
        r"creat", r"\bpost (a|an|new)\b", r"\binsert(s|ing)? (a |an |the |new )",
        r"(?<!count of )(?<!number of )new (comment|message|item|row|task|todo)", r"send(s|ing)? (a |the )?message",
        r"\bchat\b", r"\b\w+s added (under|to|below|beneath|at)\b", r"\badd(s|ed|ing)? (it|them) to\b",
        r"\btype (a|an|the|their) (\w+ )?(comment|message|note|reply|entry|item)\b",
        r"\badd(s|ed|ing)? (a |an |the |new )?([\w-]+ ){1,2}to (\w+'s )(queue|list|table|board|cart|schedule)\b",
        r"\bleav\w* (\w+ ){0,2}(notes?|comments?|reviews?|feedback|messages?)\b",
        r"\b(appears?|shows? up|pops? (in|up|into))\b[^.]{0,30}\b(list|table|feed|thread|"
        r"timeline)\b[^.]{0,30}\b(immediately|instantly|straight away|right away|at once)",
        r"\badd(s|ed|ing)? (new )?(\w+ )?(events?|entries|entry|items?|rows?|records?|notes?|comments?|messages?|"
        r"posts?|tasks?|cards?|todos?)\b",
        r"\badd(s|ed|ing)? (?!(an? )?(aria|phx|role|class|attribute|id)\b)(a |an |the |new )?([\w-]+ )?to (the |a |"
        r"an |my |our |their |his |her )?('[^']*' |\"[^\"]*\" )?(queue|list|cart|basket|playlist|board|column|feed|"
        r"table|collection|wishlist|order|thread|conversation|channel|inbox|timeline|album|folder)\b",
    ), ("failure_ux", "collection_kind"), "create"),
    Interaction("edit", (
        r"\bedit(s|ing|ed|able|ion)?\b",
        r"\bupdat(e|es|ing) (the |a |an |its |their |my |our )(?!data\b|chart|graph|map\b|dom\b|ui\b)\w+",
        r"\brenam", r"\binline.edit", r"\b(edit(able|ed)?|change[sd]?) (it )?(in.place|inline)",
        r"\b(type|write|enter)s? (in )?(\w+ )?(new|correct(ed)?|right) \w+",
        r"\btweak\w* (\w+'? ){0,3}(value|number|quantity|amount|price|pace|target|limit|rate|score|name|title|"
        r"setting)s?\b",
        r"\bfix(es|ing)? (a |the |their )?typos?",
        r"\b(fix|correct)(es|s|ed|ing)? (a |an |the |its |their |his |her )?(\w+ )?(value|entry|number|amount|"
        r"reading|field|name|title|price|quantity|date|score|grade)s?\b",
        r"\bclick\w*\b[^.]{0,40}\b(and|to|e|y|et|und|en) (fix|correct|change|edit|update|adjust)\b",
        r"\bclick\w* (on )?(the |a )?(number|value|amount|price|name|title|cell|quantity|count)\b[^.]{0,40}\btyp(e|"
        r"ing)\b",
        r"(?<!on )\b(change[sd]?|changing|edit\w*|adjust\w*|renam\w*)\b(?:(?!error)[^.]){0,25}\b(directly|"
        r"right there|in place|inline)\b",
        r"\b(directly|right there|in place)\b[^.]{0,25}\b(change|edit|adjust|rename)\b",
        r"\b(edit\w*|fix\w*|correct\w*|change[sd]?|changing|updat\w*|adjust\w*|"
        r"renam\w*)\b(?:(?!error)[^.]){0,40}\binline\b(?! form)",
        r"\bclick\w* (on )?(the |a |an )?([\w-]+ )?(cell|value|amount|number|name|title|field)\b[^.]{0,30}\b(input|"
        r"editable|text field)",
        r"\bset(s|ting)? (\w+('s)? ){0,2}(status|state|stage|priority|owner|assignee) to\b",
        r"change the (?!order|position)", r"\bchange (a|an|its|their|his|her)\b(?! (order|position))",
        r"\b(correct|fix)(s|es|ed|ing)? (a |an |the |its |their )?(recorded |wrong )?(value|values|entry|entries|"
        r"number|amount|reading|field)",
        r"\badjust(s|ed|ing)?\b", r"(?<!undo the )(?<!revert the )\b(increment|decrement)", r"\+/-",
    ), ("concurrency", "failure_ux"), "update"),
    Interaction("reorder", (
        r"reorder(?! (threshold|point|level|quantity|qty))", r"\bmove\w* (\w+ ){0,3}(up|down) (or|and) (up|down)\b",
        r"\bmove_(up|down)\b", r"\bnew position\b", r"drag", r"sort(able)?\b", r"move (items|rows|cards)",
    ), ("failure_ux", "collection_kind"), "reorder"),
    Interaction("async_load", (
        r"\bload(ing)? (the )?(list|data|dashboard|stats|page)",
        r"after the page (has )?(loads?|loaded|renders?|rendered|is shown|shows)",
        r"\b(fetch|load|pull|compute|query|call)\w*\b[^.]{0,60}\b(in the background|once the page|after the page)",
        r"\bload\w* after the (main|rest|page)", r"\b(page|it|shell|header) (appears?|shows?|loads?) first",
        r"\brender\w* (the rest( of the page)?|the page|it|everything else|the shell|the header)( \w+)? first",
        r"(takes?|taking) (about |around |almost |over |up to )?(two|three|four|five|six|seven|eight|nine|ten|"
        r"twenty|thirty) seconds",
        r"slow quer", r"heavy quer", r"\bload\w* .{0,40}\b(lazily|later|after the page|in the background)",
        r"\blazily\b", r"assign_async", r"stream_async", r"\bbackground (load|fetch)", r"long.running", r"lazy load",
        r"render(s|ed)? first", r"fill(s|ed)? in (after|later)", r"render(s|ed)? immediately",
        r"after the page (has )?render", r"once (they're|they are|it's|it is) loaded", r"mount (just )?blocks",
        r"(whole |the )?page (just )?hangs",
        r"(takes?|taking) (like |about |around |up to |over |almost )?(\d+\+?|several|a few|a couple of|many) ?(s|"
        r"sec|secs|seconds)\b",
        r"takes? forever", r"\btakes? (a )?long time\b", r"\b(comes?|appears?|loads?|shows? up) later\b",
        r"fill(s|ed)? in (once|when|as soon as|after|later)",
        r"render(s|ed)? (immediately|right away|straight away|first)",
    ), ("liveview_version",), "load"),
    Interaction("realtime", (
        r"pubsub", r"\bincoming \w+",
        r"\b(show|display)\w*\b[^.]{0,50}\blive\b(?!\s*(reload|view|component|session|navigation|patch|redirect))",
        r"\bwithout (anybody|anyone|the user|them|users) (touching|refreshing|reloading|clicking)",
        r"\bfor (every|each|all) other (\w+)\b",
        r"\b(appear|show up|pop up|pop in)\w* (by themselves|on their own|automatically|by itself|on its own)",
        r"\b(automatically|by (it|them)sel(f|ves)|on (its|their) own)\b[^.]{0,40}\b(appear|show up|pop up)",
        r"\b(appear|show up|pop)\w*\b[^.]{0,30}\b(by themselves|on their own|automatically)", r"\bhandle_info\b",
        r"\b\w+s (arrive|come in)\b", r"real.?time", r"broadcast", r"live (updates?|feed)", r"presence",
        r"refresh(ing)? the page( manually)?", r"without (refreshing|reloading)",
        r"(as|when) (they|it|new \w+) (arrives?|comes? in)", r"\bupdat\w* live\b", r"\bnew \w+ (arrives?|comes? in)",
        r"\bw/o refresh", r"without (a |any )?refresh", r"\bas (\w+ ){0,2}come in\b",
        r"\bshow(s)? up .{0,30}(w/o|without) (a )?(refresh|reload)",
    ), ("collection_kind",), "update"),
    Interaction("notify", (
        r"\btoast", r"\bbanner (that |to |which )?(should |will |must |can )?(slides?|pops?|appears?|shows?)",
        r"\b(slides?|pops?) (in|up|down)\b[^.]{0,30}\b(banner|message|alert|notice)",
        r"\blive (count|total|number)\b", r"\brunning total\b", r"\bstatus line\b",
        r"\b(number|count|total|counter|tally|how many)\b[^.]{0,60}\b(update|refresh|change)\w*\b[^.]{0,20}\b(live|"
        r"by itself|on its own|automatically|for (all|every|everyone))",
        r"\bstatus\b[^.]{0,30}\b(updat|chang|switch)\w*\b[^.]{0,15}\blive\b",
        r"\b(total|count|counter|number)\b[^.]{0,30}\bticks? (up|upward)",
        r"\b(line|text|label|banner)\b[^.]{0,30}\b(changes|updates) (when|whenever|as)\b",
        r"\b(notice|message|alert|banner|popup|notification)\b.{0,40}\bpops? up\b",
        r"\b(flash.style|flash.like) banner|\bshow (a|an) ([\w'\"“”‘’-]+ ){0,4}banner\b",
        r"\bshow (a|an) (\w+ )?(notice|notification|message|banner|toast|alert) when\b",
        r"\b(small |little )?popup (in the corner|like|saying|that says)",
        r"\bhow many (people|users|viewers|visitors|players|members)\b[^.]{0,40}\b(currently|right now|live|online|"
        r"viewing|watching)",
        r"show (a |an )?notification", r"notification (badge|count|toast|banner)", r"status message",
        r"\b(live|unread|notification)\b[^.]{0,40}\bcounter\b|\bcounter\b(?=[^.]{0,80}\b(live|arrives?|whenever|"
        r"pubsub|broadcast|automatically|by itself|real.?time|other (users|people)|joins?|leaves?))",
        r"unread count", r"\bbadge",
    ), ("accessibility",), "show"),
    Interaction("hook", (
        r"\bhook", r"pull.to.refresh", r"\bswipe (to|left|right)\b",
        r"\b(?!(?:next|node|nuxt|vue|react|angular|svelte|ember|express|nest)\.js)[a-z][\w-]*\.js\b", r"colocated",
        r"javascript library", r"\bchart(s|ing)? (library|lib)\b", r"chart\.?js|apexcharts|echarts|\bd3\b",
        r"\b(map|mapbox|leaflet) (widget|library|component)",
    ), ("liveview_version",), "hook"),
)

# Concepts of lexicon.toml that also signal an interaction kind, or settle a decision to an option key.
INTERACTION_CONCEPTS: dict[str, str] = {
    "client_toggle": "client_only_ui", "loading_feedback": "loading_feedback", "delete": "delete_item",
    "archive": "archive_item", "toggle": "toggle_saved_state", "create": "create_item", "edit": "inline_edit",
    "reorder": "reorder_items", "async_load": "async_load", "realtime": "live_list", "notify": "notification",
    "hook": "js_hook",
}
STATED_CONCEPTS: dict[str, tuple[tuple[str, str], ...]] = {
    "collection_kind": (("uses_stream", "stream"), ("uses_plain_list", "assign")),
    "failure_ux": (("failure_undo", "undo"), ("failure_revert", "revert"), ("failure_retry", "retry"),
                   ("failure_error_only", "error_only")),
    "concurrency": (("single_editor", "single"), ("shared_editing", "shared")),
    "persistence": (("client_only", "client_only"), ("saved_on_server", "server")),
    "accessibility": (("announce_a11y", "announce"),),
}

# A request that only asks what something does or why: no code decision is open.
EXPLAIN_RE = re.compile(
    r"^\s*(what (does|is|are|happens|changed)|what('s| is) the difference|why\b|which\b|is (it|there|this)\b|"
    r"are there\b|does\b|do (i|we|you) (need|have)\b|can (i|you) (explain|use)\b|should i\b|explain\b|"
    r"difference between\b|when should\b|is it true\b|(is|are|does|do)\b[^.!]*\?\s*$)(?!.*\b(implement|build|make|"
    r"create|add|write|generate|show me how)\b)|^\s*how does\b(?!.*\b(implement|build|create|add|write|generate|"
    r"show me how)\b)|\b(do ?n[o']?t need (any )?code|no code needed|just (the|an) explanation)\b", re.I | re.S,
)
# A debugging question about code the user already has ("... is at: 0 not supposed to prepend? What am I
# missing?"): it wants an explanation, not a design decision.
# "X vs Y — what's the difference?" anywhere in a short question.
COMPARE_RE = re.compile(r"(\bvs\.?\b|\bversus\b|what('s| is) the difference)[^.!]*\?\s*$", re.I)
DEBUG_RE = re.compile(
    r"what am i (missing|doing wrong)|(\bnot supposed to\b|is this (a bug|expected)|what('s| is) (wrong|going on)|"
    r"\bis (the|my|this) [^.?!]{1,40} wrong|\b(never|doesn't|does not|isn't|is not|won't|not) (fire|fires|firing|"
    r"run|runs|trigger|triggers|get called|called|work|works|working|update|updates|render|renders)\b|\bwhy (does|"
    r"is|do|isn't|doesn't|won't|can't)\b)[^\n]*(\?|\bwhy|\bhelp|\bany ideas?)\W*$", re.I,
)
# A question sentence anywhere in the request ("We're behind nginx. Is this a websocket timeout thing?").
QUESTION_RE = re.compile(
    r"^[\s(¿¡\"'“]*(so |and |but |also |ok |okay |hmm )?(is (this|it|that|there)(?! (possible|doable|feasible))|"
    r"are (there|these|they)|does|do (i|we) (need|have)|why|(can|could|would) (you|someone|anyone|"
    r"somebody) (please )?(explain|tell me|clarify|help me understand)|how come|how (do|can|should|would) (i|we|"
    r"you) (test|debug)\b|what (does|is|are|happens|changed)|which|should i|"
    r"is it (true|normal|ok|okay|fine|bad))\b", re.I,
)
# The whole app rather than one interaction: the examples it lists are not the interaction to build.
EVERYWHERE_RE = re.compile(
    r"\b(everything (feels|is|seems|should|needs|in (our|the|this|my))|go (through|over) (the|all|our|my) \w+|"
    r"\b\d+ pages\b|(the|our|my) whole experience|across the (\w+ )?(portal|app|site|product|dashboard)|(the|all|"
    r"our) interactions|make everything|everywhere|(the|our|my) whole (\w+ )?(app|admin|site|dashboard|panel|ui)|"
    r"all (the|our) (pages|screens))\b", re.I,
)
# Reduced-motion requests are about CSS and transitions, not about deleting anything.
MOTION_RE = re.compile(r"reduced.?motion|prefers-reduced|\bdizzy\b|vestibular", re.I)
# A live change to a collection (a feed, a table, incoming orders), as opposed to a single live value (a count,
# a status line), which is a notification.
COLLECTION_RE = re.compile(
    r"\b(lists?|feeds?|tables?|grids?|boards?|queues?|timelines?|logs?|rows|entries|items|cards|messages|orders|"
    r"comments|posts|results|tickets|events|readings|donations|transactions|bids|tasks|jobs|alerts|streams?|chat|"
    r"leaderboard|scores|trades|matches|players|catalogue|catalog|pool|inventory|lots)\b|\b(new|incoming|latest|"
    r"recent|updated) (\w+ )?\w+s\b|\b(on|at) the top\b|\b\w+s (show|pop) up\b", re.I,
)
# An explicit container of items that change live, as opposed to a count or badge about them.
LIST_RE = re.compile(
    r"\b(lists?|feeds?|tables?|grids?|boards?|timelines?|queues?|rows|logs?|panel that shows)\b|"
    r"\bincoming (\w+ )?\w+s\b", re.I,
)
# A single value: a count, a total, a status.
SINGLE_VALUE_RE = re.compile(
    r"\b(count|counts|total|number of|(?<!at the )counter|status|badge|tally|progress|percentage|how many|"
    r"free (spaces|spots|seats|places)|remaining)\b", re.I,
)
# Words that describe something disappearing by itself (a toast that fades), not a user's delete.
DISAPPEAR_RE = re.compile(r"\b(disappear|vanish|go(es)? away|fade)", re.I)
NOTICE_RE = re.compile(r"\b(toast|banner|notification|notice|flash|message|popup|alert|it|they)\b", re.I)
# An edit made in place (a cell, a title), even when the request mentions the changeset or the edit form.
INLINE_RE = re.compile(
    r"in.place|right there|\b(directly|right) (in|on) (the )?(cell|table|row|list|grid)|\bin the (cell|grid)\b|"
    r"\binline|editable|double.?click|click(ing)? (on )?(the|a) \w+,? (to edit|and type|type)|\b(type|write|"
    r"enter)s? (in )?(\w+ )?(new|correct(ed)?|right) \w+|\btweak", re.I,
)
# Loading that clearly happens after the page renders (as opposed to a slow click that only wants a spinner).
BACKGROUND_LOAD_RE = re.compile(
    r"in the background|after the page|once the page|lazily|lazy.load|assign_async|stream_async|start_async|fill(s|"
    r"ed)? in|\b(comes?|appears?|loads?|shows? up) later\b|render\w* (\w+ ){0,6}(first|straight away|right away|"
    r"immediately|instantly)|without blocking|instead of (blocking|waiting)|(page|shell|rest) (should |"
    r"to )?(show up|appear|render)\w* (instantly|immediately|right away|first)|\bshow (the )?(page|shell|"
    r"rest)( of the page)? (instantly|immediately|right away|first)", re.I,
)
# Optimism words: a form that adds to a list and wants the row at once is an optimistic create.
OPTIMISM_RE = re.compile(
    r"\b(as soon as (it's|it is|they're|they are) (submitted|saved|sent|posted|created|added)|immediately|instantly|"
    r"right away|at once|straight away|before (the )?(database|server|db))", re.I,
)
# A user action, as opposed to changes arriving from elsewhere (broadcasts, webhooks, jobs).
USER_ACTION_RE = re.compile(
    r"\b(click|tap|press|button|icon|drag|swipe|users? (can |should |need to |want to )?(add|delete|remove|create|"
    r"edit|archive)|when (i|a user|the user|someone|they) |\bhit(s|ting)? (send|enter|save|submit)|\baction\b|\b(on|"
    r"for|per) each (row|item|card|entry)\b|\b(need|needs|want|wants|has|have|can|should be able) to (delete|remove|"
    r"dismiss|archive|add|create|edit|rename|cancel|reorder|move|pin|star|like|vote)|\bcan (delete|remove|dismiss|"
    r"archive|add|create|edit|rename|cancel|reorder|move))", re.I,
)
# Words that ask for code rather than an explanation.
BUILD_RE = re.compile(r"\b(implement|build|make|create|add|write|generate|show me how)\b", re.I)
# Requests too vague to know which interaction is meant.
VAGUE_RE = re.compile(
    r"\b(speed up|more (smooth|alive|fluid)|(annoying|painful|hard|confusing|frustrating|clunky) to use|"
    r"feels? (heavy|dead|stiff|lifeless)|buttery|premium feel|better (user )?(experience|ux)|feel more (modern|"
    r"interactive|alive|polished|real.?time|live)|(some|more) (liveview )?polish|wherever it makes sense|"
    r"make everything (feel|more|faster|snappier)|polish (the |all |our )?interactions|more interactive|feels? (old|"
    r"dated|like 20\d\d)|old and slow|feel(s)? (faster|snappier|instant|quicker|more responsive|slow|clunky)|"
    r"fix the ux|improve it\b|make (the |our |this |my )?([\w-]+ ){0,3}(page|app|screen|site|ux) better|(laggy|"
    r"sluggish|slow) everywhere|snappier|more responsive|optimistic ui|perceived performance|"
    r"across the (whole )?app|(whole|entire) (app|dashboard|site|page|ui) feel|more optimistic|improve (the )?ux|"
    r"speed (it|things|the app) up|make (it|my app|the app|the page|everything) (fast|faster|snappy|snappier|"
    r"instant))", re.I,
)

# Words that settle a decision, by dimension. Each maps to the option key it settles to.
STATED: dict[str, tuple[tuple[str, str], ...]] = {
    "liveview_version": (
        (r"\b(?:liveview|lv|phoenix_live_view|live_view)\W{0,3}v?(0\.20|1\.[0-2])", "stated"),
        (r"\bv?(0\.20|1\.[0-2])(\.\d+)?\b", "stated"),
        (r"\blatest (liveview|version)\b", "stated"),
        (r"\bmix\.lock\b", "stated"),
    ),
    "collection_kind": (
        (r"\bstreams?\b(?! (the )?\w+ (on|to) (twitch|youtube))|@streams|stream_insert|stream_delete|"
         r"phx-update=\"stream\"", "stream"),
        (r"\bassigns?\b(?! async)|:for=\{\w+ <- @|\blist in (the )?socket|\bsmall (fixed )?list\b|"
         r"\bplain (@?\w+ )?list\b|@\w+ list\b|\b(max|at most|never more than|capped at|cap at( the last)?|"
         r"only the last|top) ~?\d+\b", "assign"),
    ),
    "failure_ux": (
        (r"(?<!again should )(?<!again will )(?<!again to )\bundo\b", "undo"),
        (r"\brevert|roll ?back|roll(s|ed|ing)? (\w+ ){1,2}back|put (\w+ ){0,3}back|\bre-?insert|keep (it|"
         r"the \w+) (exactly )?(where it (is|was)|in place)|(?<!when they )(?<!when you )(?<!when i )(bring|"
         r"come)s? (\w+ )?back(?! (next|later|tomorrow|to the page|it'?s))|(slide|move|"
         r"pop)s? (\w+ ){0,3}back(?! (up|down|out)\b)|restore|snaps? back", "revert"),
        (r"\bretry\b|try again", "retry"),
        (r"\b(error|flash|toast) (message|flash)\b|\b(show|display|flash|with|and) (an? |the )?(error|flash|"
         r"toast) (if|when)|show (an? )?error|with an? (error|flash)|if it fails|on failure|when it fails|\bon (a |"
         r"any )?conflict\b|\bif (the update|it|the save|the change) is rejected\b|\bon `?(\w+\.)*\w*(Error|"
         r"Exception)\b|with an? ([\w-]+ ){1,2}(error|flash)\b|\bshow\b[^.]{0,50}\berror\b|\b(refuses|rejects|fails|"
         r"failed)\b[^.]{0,60}\berror (message|flash)\b|\b(on|upon) (save |server |network )?(error|failure)\b|"
         r"\{:error[^}]*\}\s*(->|=>|→)|show the error|\bif (the )?(\w+ ){0,2}(fails|failed|is rejected|"
         r"errors( out)?)\b", "error_only"),
    ),
    "concurrency": (
        (r"\bsingle.(user|moderator|editor)|\bonly (i|me|the owner|one person|they|the user)\b( can)?|nobody else|"
         r"personal (list|notes|todo)|just me\b|\bthe only (user|person|one)\b|\bonly (his|her|their) own\b|"
         r"\bonly the \w+ who owns\b|\bonly the (\w+('s)? )?(owner|author|creator)\b|\bowner.only\b|"
         r"\bonly (the )?(\w+ )?(lead|leader|manager|admin|owner) (can|may|is allowed)\b|\b(only|sole) user\b|"
         r"their own|(user's|my) own|read.only (for|to) (everyone|others|other users)|public and identical", "single"),
        (r"\bother (users|people|managers|editors|admins|staff|members|agents|coordinators|teammates)|"
         r"\bother \w+'s? (edits|changes)|two (people|users)|concurren|collaborat|same record|lock_version|conflict|"
         r"multiple (users|people)|\bseveral (people|users|staff|editors|managers|members|planners)\b", "shared"),
    ),
    "persistence": (
        (r"\bnothing (is |gets )?(saved|stored|persisted)|\bnot (saved|persisted|stored)\b|"
         r"\bclient.side(?! (validation|rendering|routing|checks?))|client.only|nothing (goes|"
         r"is sent) to the server|never (hits|touches|goes to) the server|purely (visual|client)|no server|"
         r"without (saving|the server|a round)|just (ui|visual)|only visual|js.only|local only", "client_only"),
        (r"\b(stored|kept|persisted|remembered) (per (user|account|member)|for each (user|account)|across (sessions|"
         r"devices))|\bsave[sd]?\b|persist|database|\bdb\b|in the server|to the server|repo\.|"
         r"context function", "server"),
    ),
    "accessibility": (
        (r"screen.?reader|\baria\b|aria-|a11y|accessib|announce|keyboard|voiceover", "announce"),
    ),
    "scope": (),
}


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    recommended: bool = False


@dataclass(frozen=True)
class QuestionTemplate:
    dimension: str
    text: str  # may use {action} and {object}
    options: tuple[Option, ...]
    assumption: str
    uri: str
    order: int = field(default=0)


QUESTIONS: dict[str, QuestionTemplate] = {
    "scope": QuestionTemplate(
        "scope", "Which interaction should feel instant first?",
        (Option("delete", "Deleting or archiving items", True),
         Option("create", "Creating items (a new row or message)"),
         Option("toggle", "Toggling a saved state (like, done, pin)"), Option("form", "Submitting a form")),
        "start with deleting items", "liveview://knowledge/optimistic-ui", 0),
    "persistence": QuestionTemplate(
        "persistence", "Should the {action} be saved on the server, or is it a purely client-side UI change?",
        (Option("server", "Saved on the server", True), Option("client_only", "Client-side only (no server event)")),
        "the {action} is saved on the server", "liveview://knowledge/optimistic-ui", 1),
    "failure_ux": QuestionTemplate(
        "failure_ux", "When the server rejects the {action}{of_object}, what should the user see?",
        (Option("revert", "The change is reverted and an error message is shown", True),
         Option("undo", "An undo window before the change is committed"),
         Option("retry", "The change stays pending with a retry button"),
         Option("error_only", "Only an error message, nothing to revert")),
        "a rejected {action} is reverted with an error message",
        "liveview://knowledge/reverting-optimistic-changes", 2),
    "collection_kind": QuestionTemplate(
        "collection_kind", "Are the {objects} rendered from a stream (@streams) or from a list in assigns?",
        (Option("stream", "A stream (long or growing list)", True),
         Option("assign", "A list in assigns (short, bounded)")),
        "the {objects} are a stream", "liveview://knowledge/streams", 3),
    "concurrency": QuestionTemplate(
        "concurrency", "Can other people edit the same {object} at the same time?",
        (Option("single", "No, one editor at a time", True),
         Option("shared", "Yes: detect conflicts (lock_version) and tell the user")),
        "one editor at a time (no conflict detection)", "liveview://knowledge/undo-and-race-guards", 4),
    "liveview_version": QuestionTemplate(
        "liveview_version", "Which LiveView version does the app use (phoenix_live_view in mix.lock)?",
        (Option("1.2", "1.2", True), Option("1.1", "1.1 (1.1.5 or later has stream_async)"), Option("1.0", "1.0"),
         Option("0.20", "0.20")),
        "LiveView 1.2", "liveview://knowledge/release-history", 5),
    "accessibility": QuestionTemplate(
        "accessibility", "Should screen-reader users hear the result announced (an aria-live status region)?",
        (Option("announce", "Yes, announce it politely", True), Option("visual_only", "No, a visual change is enough")),
        "results are announced in a polite live region", "liveview://knowledge/accessibility", 6),
}

NOT_SURE = Option("default", "Not sure: use the recommended default")
