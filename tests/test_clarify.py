"""clarify_request: the cue rules on tuning cases written in other words than the eval sets, the blend with
the learned model, reply parsing and the elicitation model."""

from __future__ import annotations

import pytest

from skill_server.clarify import clarify
from skill_server.clarify.decide import rule_view
from skill_server.clarify.elicit import answers_from, elicitation_model, parse_reply
from skill_server.errors import InputError
from skill_server.knowledge.languages import gloss

CASES = [
    ("How do I make a delete button feel instant?", ["failure_ux", "collection_kind"]),
    ("what does cancel_async do?", []),
    ("Why does my mount run twice?", []),
    ("make my app feel snappier", ["scope"]),
    ("Toggle the dropdown menu", []),
    ("Let users like a post, saved to the db, revert on error, posts are in a stream", []),
    ("delete a comment from the stream, undo window please, LiveView 1.1", []),
    ("Add inline editing of a ticket title", ["failure_ux", "concurrency"]),
    ("Add inline editing of my personal notes title; only I edit them; show an error if saving fails", []),
    ("Load the dashboard stats in the background", ["liveview_version"]),
    ("Load the dashboard stats in the background, we are on 1.1.5", []),
    ("users double click the submit button", []),
    ("build a chat where users post messages", ["failure_ux", "collection_kind"]),
    ("So we have this list of invoices and people keep complaining that when they archive one it feels "
     "kind of sluggish, like nothing happens for a second, and our PM wants it to feel instant like Linear. "
     "Can you make archiving nicer?", ["failure_ux", "collection_kind"]),
    ("Star button on stream items, persisted, revert on failure.", []),
    # phrasing added after the first held-out measurement (different wording from evals/clarify.jsonl)
    ("When the page loads we fetch the profile; what's the difference between mount and handle_params here?", []),
    ("When a user removes a bookmark, make it disappear smoothly.", ["failure_ux", "collection_kind"]),
    ("Hide a reminder from the list at once, and if saving fails bring it back with an error flash. Reminders are a stream.", []),
    ("A form to edit the user's own settings, validated on change.", []),
    ("Invoice form with line items you can add and remove.", []),
    ("Our app feels slow everywhere; help.", ["scope"]),
    ("The orders page runs heavy queries in mount; load them lazily after the page shows.", ["liveview_version"]),
    ("Ticking the checkbox should mark the item done immediately.", ["persistence", "failure_ux"]),
    ("Sending a message should show it in the thread right away.", ["failure_ux", "collection_kind"]),
    ("Show a notification badge with the unread count as jobs finish.", ["accessibility"]),
    # phrasing added after the second held-out measurement (evals/clarify-2.jsonl), again in other words
    ("Double-click a column header to rename it; if the rename fails put the old title back.", ["concurrency"]),
    ("Playlist editor: tap a track to add it to the playlist, no waiting.", ["failure_ux", "collection_kind"]),
    ("Clicking the bin next to a draft should get rid of it straight away.", ["failure_ux", "collection_kind"]),
    ("Upvotes on answers should count up the moment you press them.", ["persistence", "failure_ux"]),
    ("Hmm, I stream_delete the row but it stays on the page. Is this a bug, or what am I doing wrong?", []),
    ("What's the difference between assign_async and start_async?", []),
    ("Each team's board should show new cards when they arrive, no reloading. Teams must not see each other's.",
     ["collection_kind"]),
    ("When the nightly import finishes, pop a toast; auto-dismiss it after 5 s and announce it via aria-live.", []),
    ("Survey builder with a has_many of questions that users add and delete before saving.", []),
    ("If the request is rejected, show an error; users adjust quantities in their own cart only.", []),
    ("The reports page hangs while the warehouse API takes several seconds; show the rest first.",
     ["liveview_version"]),
    ("Add aria-live to the cart total so it is read out.", []),
    # phrasing added after the third held-out measurement (evals/clarify-3.jsonl), in other words
    ("Let dispatchers fix a wrong odometer reading inline on the fleet table.", ["failure_ux", "concurrency"]),
    ("Everything in our back office feels slow: the forms, the tables, the modals. Make it all snappier.",
     ["scope"]),
    ("A bookmark icon on each article: clicking marks it saved right away, no spinner please.",
     ["failure_ux"]),
    ("Staff add a new pallet with the form and the pallet must show in the list immediately.",
     ["failure_ux", "collection_kind"]),
    ("Quiero que al cancelar una reserva desaparezca de la lista al instante.", ["failure_ux", "collection_kind"]),
    ("Show a status message after Mario's request is approved.", ["accessibility"]),
    ("Clicking the envelope flips the notification to read, instantly.", ["persistence", "failure_ux"]),
    ("Scores table that updates live as results come in.", ["collection_kind"]),
    ("Tabs on the order detail chart, client-side only.", []),
    ("Our slide-in animations make some readers dizzy; how do we honour reduced motion with JS transitions?", []),
    # phrasing added after the fourth held-out measurement (evals/clarify-4.jsonl), in other words
    ("When a device disconnects, pop a toast in an aria-live region that disappears after 5 s.", []),
    ("the checkout page feels clunky, can you improve it?", ["scope"]),
    ("Drag-and-drop CSV upload for the import page.", []),
    ("Load the invoice history after the page has rendered; it's slow.", ["liveview_version"]),
    ("Members see their bookings in a stream with an X so they can cancel them; they should vanish at once.",
     ["failure_ux"]),
    ("LiveView 1.1.4: a colocated hook that keeps the log view pinned to the bottom when a new line arrives.", []),
    ("Die Mitarbeiter sollen den Preis direkt in der Liste ändern; wenn das Speichern fehlschlägt, alten Wert zeigen.",
     ["concurrency"]),
    ("A comment box under each recipe, newest first.", ["failure_ux", "collection_kind"]),
    ("stream_insert vs stream_async, what's the difference?", []),
    ("Un petit cœur sur chaque annonce pour la mettre en favori, réactif tout de suite.", ["persistence", "failure_ux"]),
    ("Public scoreboard with live updates for everyone over PubSub, rendered as a stream.", []),
    # classes the sixth and seventh blind sets and the reserved fifth exposed, in other words
    ("Expand and collapse the shipment rows; purely visual, nothing saved, it can forget everything on reload.", []),
    ("The socket drops every minute behind our proxy. Is this a LiveView thing or our load balancer?", []),
    ("handle_event never fires when I click the row, what am I missing", []),
    ("Can u speed up the whole admin area?", ["scope"]),
    ("Quick question: is it true that streams keep nothing in memory?", []),
    ("Let staff set an order's status to shipped straight from the table.", ["failure_ux", "concurrency"]),
    ("Double-click a product name in the table to rename it; the changeset validates uniqueness.",
     ["failure_ux", "concurrency"]),
    ("Waitlist entries are a plain @entries list capped at 30; removing one should feel instant and put it back "
     "with an error if the server refuses.", []),
    ("Likes on photos: revert the heart and flash an error if the server call fails.", []),
    ("Live count of people watching this auction, from Presence.", ["accessibility"]),
    ("The delivery status line should change live as the courier app broadcasts updates.", ["accessibility"]),
    ("New bids show up at the top of the auction table as they are broadcast.", ["collection_kind"]),
    ("Scores arrive over PubSub; re-sort the plain assigns list of the top 5 on every update; no aria-live needed.", []),
    ("Teachers leave feedback notes under each essay; a new note should appear at the end of the list right away.",
     ["failure_ux", "collection_kind"]),
    ("A red banner should slide in when a freezer warms up, and disappear after a minute.", ["accessibility"]),
    ("Let organisers kick a guest off the event, and show the removed guest a toast.",
     ["failure_ux", "collection_kind", "accessibility"]),
    ("Tap a guest's name to mark them as arrived; saved in Postgres.", ["failure_ux"]),
    ("Favourites page: each row gets a remove button; rows are a stream; on error put the row back with a flash.", []),
    ("Staff tick a box per safety check and it should register immediately.", ["persistence", "failure_ux"]),
    ("The report page takes like 8 seconds to mount; show the header right away and fill in the charts once the "
     "queries finish.", ["liveview_version"]),
    ("Our CRM feels rough around the edges; can you make it nicer?", ["scope"]),
    ("The archive page lists ten years of filings and takes forever to open; render the shell first.",
     ["liveview_version"]),
    ("Delete on stream rows; on failure re-insert the row with a flash message.", []),
    ("Drag to reorder recipe steps with SortableJS; positions saved; steps are a stream; revert on failure.",
     ["liveview_version"]),
    ("Medewerkers moeten een reservering uit de lijst kunnen verwijderen.", ["failure_ux", "collection_kind"]),
    ("Quando un utente elimina un commento, deve sparire subito dalla lista.", ["failure_ux", "collection_kind"]),

    # classes the tenth and eleventh blind sets exposed, in other words
    ("How is the slide-out done in LiveView when a user removes a saved search from their list?",
     ["failure_ux", "collection_kind"]),
    ("Validate the signup form on change and show errors inline.", []),
    ("Let diners cancel their table reservations from the list.", ["failure_ux", "collection_kind"]),
    ("Let readers pin chapters in the sidebar.", ["persistence", "failure_ux"]),
    ("Inline edit of the rate; several planners edit the same rate, so use lock_version and on Ecto.StaleEntryError "
     "reload the value into the cell with a 'changed elsewhere' note.", []),
    ("Make the warehouse picking screens nicer to use.", ["scope"]),
    ("Only the workspace owner can change its billing email; editable inline, and if the server refuses it, put the "
     "old one back with an error under the field.", []),
    ("Students drag modules to reorder their plan; the order must still be there when they come back tomorrow; "
     "modules are a stream.", ["failure_ux"]),
    ("Customers say the free seats count doesn't change until they reload; make it update live for everyone.",
     ["accessibility"]),
    ("Clicking the score cell turns it into an input and Enter saves it.", ["failure_ux", "concurrency"]),
    ("Polish the interactions across the admin portal.", ["scope"]),
    ("Le offerte sono in uno stream: quando l'utente ne elimina una, toglila subito e, se il server rifiuta, "
     "rimettila al suo posto con un messaggio d'errore.", []),
    ("How do I test a LiveView that reacts to PubSub messages?", []),
    ("Tap the ribbon to bookmark a deal; tap again and it slides back up. Bookmarks are stored per user.",
     ["failure_ux"]),

    # classes the twelfth and thirteenth blind sets exposed, in other words
    ("Members can cancel a seat they reserved from 'My seats'; when they hit Cancel it should disappear and a toast "
     "should confirm it.", ["failure_ux", "collection_kind", "accessibility"]),
    ("The client says the intranet should feel more modern; add some polish wherever it makes sense.", ["scope"]),
    ("Show incoming support tickets live on the agents' wall screen.", ["collection_kind"]),
    ("Fetch exchange rates in the background once the page has loaded, and pop up a notification if a rate jumps.",
     ["liveview_version", "accessibility"]),
    ("Only the post's author can edit it; inline title editing, and if saving fails put the old title back with an "
     "error.", []),
    ("Make everything feel more realtime.", ["scope"]),
    ("Board page: a checkbox per card to mark it done (saved), and a form on top whose new cards appear at the top as "
     "soon as they're created; cards are a stream.", ["failure_ux"]),
    ("Je voudrais modifier la quantité directement dans le tableau des stocks.", ["failure_ux", "concurrency"]),
    ("New kitchen orders should pop up on the wall tablet without anyone touching it.", ["collection_kind"]),

    # classes the fourteenth to seventeenth blind sets exposed, in other words
    ("Support queue: a 'Resolve' action on each ticket row, and new tickets from the mail importer should show up at "
     "the top in real time.", ["failure_ux", "collection_kind"]),
    ("Add pull-to-refresh to the fixtures page.", ["liveview_version"]),
    ("When a bidder wins a lot it should vanish from the catalogue for every other bidder, with a toast saying who "
     "won.", ["collection_kind", "accessibility"]),
    ("Show a skeleton loader while the inbox connects.", []),
    ("Let reviewers move rubric items up or down and save the order.", ["failure_ux", "collection_kind"]),
    ("When the nightly import finishes, show a flash-style banner with the count of new rows; announce it politely "
     "to screen readers; it can be dismissed.", []),
    ("Give the onboarding screens a better user experience.", ["scope"]),
    ("Dispatchers need to dismiss an incident from the incident stream with a reason, and new incidents arriving "
     "should raise a toast.", ["failure_ux", "accessibility"]),
    ("Let editors delete or pin articles on the front page.", ["persistence", "failure_ux", "collection_kind"]),
    ("Add a cancel button on each upcoming dentist appointment.", ["failure_ux", "collection_kind"]),
    ("Planners tweak the target load right in the grid: double-click, type the new load, save on blur.",
     ["failure_ux", "concurrency"]),
    ("Several dispatchers edit the same route name; inline editing with lock_version; on a conflict roll the field "
     "back and say who changed it.", []),
    ("The rescue total ticks up whenever a pledge arrives over PubSub; make it pulse when it changes.",
     ["accessibility"]),
    ("¿por qué mi stream no se actualiza cuando llega un broadcast?", []),
    ("Could you explain how on_mount and handle_event share the socket, and where role checks belong?", []),
    ("Each note is typed in a textarea that auto-grows through a small JS hook, and must appear in the timeline "
     "immediately when saved.", ["failure_ux", "collection_kind", "liveview_version"]),
    ("A shopping list kept as a plain list in assigns: type an item, press enter, save it and add it to the list "
     "right away.", ["failure_ux"]),
    ("Toggle the filters sidebar with JS.toggle, nothing saved.", []),

    # classes the eighteenth to twenty-first blind sets exposed, in other words
    ("Dispatchers say the routing tool is painful to use. Please fix it.", ["scope"]),
    ("Planners correct the quantity directly in the table: click the number, type the new value, press Enter. "
     "Client-side validation rejects negatives before sending.", ["failure_ux", "concurrency"]),
    ("Add a delete button to each draft row; Drafts.delete/1 returns {:ok, draft} or {:error, changeset}.",
     ["failure_ux", "collection_kind"]),
    ("On 1.2: stream_async the audit log entries on the account page.", []),
    ("How does JS.transition on phx-mounted make a new card fade in?", []),
    ("Everything in the back office feels heavy and lifeless; make it feel premium.", ["scope"]),
    ("Tapping the bolt icon on a preset should make it glow and stay lit.", ["persistence", "failure_ux"]),
    ("Can the unread counter on the Alerts tab bounce whenever a new alert arrives?", ["accessibility"]),
    ("Add a follow buton on each podcast card.", ["persistence", "failure_ux"]),
    ("can someone explain how stream_delete finds the DOM node? dont need code just the explanation", []),
    ("Reviewers leave short notes on a grant; a new note shows up in the list immediately, and if the insert fails "
     "take it out and show an inline error.", ["collection_kind"]),
    ("A live-validating contact form with a required consent checkbox.", []),
    ("Show how many people are currently watching this auction, from Presence.", ["accessibility"]),
    ("Owner-only inline title edit; on failure revert and show an error.", []),
    ("The Export button's handler takes a few seconds calling a PDF service; show a spinner and disable it meanwhile.",
     []),
    ("The stats page takes about four seconds to mount; show the page instantly and a skeleton in the slow panel "
     "until the numbers arrive.", ["liveview_version"]),
    ("Managers approve or reject pending expense claims with two buttons per row, and a handled claim leaves the "
     "pending list.", ["failure_ux", "collection_kind"]),
    ("We're on the latest LiveView: stream_async the old press archive, please.", []),

    # classes the twenty-second to twenty-fifth blind sets exposed, in other words
    ("Several planners edit the same slot length inline; use lock_version and on a conflict show the newer value "
     "with a note to redo the change.", []),
    ("Bug: fixing a price by clicking the number in the table and typing a new one shows nothing until a refresh; it "
     "should save on enter and show the new price at once.", ["failure_ux", "concurrency"]),
    ("The 'learned it' check on a flashcard does nothing; learned cards should fade at once.",
     ["persistence", "failure_ux"]),
    ("Bug: the chart disappears after every patch; we're on the latest LiveView, write a colocated hook that keeps "
     "it and updates its data when the assigns change.", []),
    ("Votes are saved in the database and rank the ideas; the vote count should change at once when I vote, and if "
     "saving fails put it back.", []),
    ("The clerk adds a walk-in customer to today's queue from a form; the customer should appear at the end of the "
     "queue immediately, and if saving fails keep the form open with the error.", ["collection_kind"]),
    ("Pinning a report only highlights the pin in that browser tab; on another laptop nothing is pinned.",
     ["persistence", "failure_ux"]),
    ("Product filter checkboxes should filter on change instead of on submit.", []),
    ("Reviewers type a comment, press enter, and it shows for everyone who has the page open; if saving fails keep "
     "the text with an error next to it.", ["collection_kind"]),
    ("The loan history takes a long time to compute; open the page immediately and let the history come later.",
     ["liveview_version"]),
    ("Each user only sees their own budget; clicking an amount lets them change it, and if saving fails put the old "
     "amount back with the error.", []),
    ("Our boss wants the app to feel more smooth and more alive; we have 40 pages, where do we start?", ["scope"]),
    ("Shared family list: ticking items is only visual, but the quantity can be changed inline by several people at "
     "once.", ["failure_ux"]),
    ("Inline edit of the reorder threshold; only the buyer who owns the SKU edits it; if the update is rejected put "
     "the old value back with the error.", []),

]


@pytest.mark.parametrize(("request_text", "missing"), CASES)
def test_rules_decide_what_is_missing(request_text, missing):
    english = gloss(request_text)
    text = f"{request_text} ({english})" if english else request_text
    assert rule_view(request_text, text, None).missing == missing


@pytest.mark.parametrize(("request_text", "missing"), [
    # the model catches wording the rules have no cue for
    ("The tally of signatures at the top of the petition should go up as people sign.", ["accessibility"]),
    ("Let admins ban a user from the member list.", ["failure_ux", "collection_kind"]),
    # its reason to ask is a decision the request settles, so nobody is asked
    ("Load the dashboard stats in the background, we are on 1.1.5", []),
    # both agree
    ("How do I make a delete button feel instant?", ["failure_ux", "collection_kind"]),
    ("what does cancel_async do?", []),
    ("make my app feel snappier", ["scope"]),
])
def test_blend_of_rules_and_model(request_text, missing):
    result = clarify(request_text)
    assert result.missing == missing
    assert result.underspecified == bool(missing)
    assert len(result.questions) == min(3, len(missing))


def test_when_the_model_overrules_the_rules_the_assumption_is_still_stated():
    # The rules ask for the version (a SortableJS hook); the model is sure the request is complete. The answer
    # does not ask, but says it assumes LiveView 1.2, so the assistant can tell the user.
    result = clarify("Drag to reorder recipe steps with SortableJS; positions saved; steps are a stream; "
                     "revert on failure.")
    assert not result.underspecified
    assert result.assumptions == ["LiveView 1.2"]


def test_questions_are_concrete_multiple_choice_with_defaults():
    result = clarify("Make archiving an invoice feel instant")
    failure = next(q for q in result.questions if q.dimension == "failure_ux")
    assert "archive" in failure.question and "invoice" in failure.question
    assert sum(o.recommended for o in failure.options) == 1
    assert failure.options[-1].key == "default" and failure.uri.startswith("liveview://knowledge/")
    assert result.reply_hint and "defaults" in result.reply_hint
    assert len(result.assumptions) == len(result.missing)


def test_reply_forms():
    result = clarify("How do I make a delete button feel instant?")
    assert parse_reply("defaults", result) == {"failure_ux": "revert", "collection_kind": "stream"}
    assert parse_reply("1b 2b", result) == {"failure_ux": "undo", "collection_kind": "assign"}
    assert parse_reply("1e", result)["failure_ux"] == "revert"  # "not sure" means the default
    with pytest.raises(InputError):
        parse_reply("9a", result)
    with pytest.raises(InputError):
        parse_reply("whatever", result)


def test_elicitation_model_is_flat_enums_with_defaults():
    result = clarify("How do I make a delete button feel instant?")
    model = elicitation_model(result)
    schema = model.model_json_schema()
    for name, field in schema["properties"].items():
        assert field["type"] == "string" and field["enum"] and field["default"] in field["enum"]
    assert answers_from(result, model()) == {"failure_ux": "revert", "collection_kind": "stream"}
    assert answers_from(result, {"failure_ux": "undo", "collection_kind": "default"}) == {
        "failure_ux": "undo", "collection_kind": "stream"}


@pytest.mark.parametrize("bad", ["", "   ", "x" * 25_000, None, 42])
def test_bad_requests(bad):
    with pytest.raises(InputError):
        clarify(bad)


def test_questions_name_the_action_even_when_only_the_model_saw_it():
    from skill_server.clarify.decide import named_action
    assert named_action("Let admins ban a user from the member list.") == ("ban", "user")
    assert named_action("Members can mute a thread.") == ("mute", "thread")
    assert named_action("Users can see the list.") is None
    question = clarify("Let admins ban a user from the member list.").questions[0].question
    assert question == "When the server rejects the ban of the user, what should the user see?"
