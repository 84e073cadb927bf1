"""Messages of security findings name what the code has (judge round 7: "a client can set any price" on a stock
amount). Each test fails on the old wording."""

from skill_server.engine import review_code

HANDLER = '''defmodule DepotWeb.RefillLive do
  use DepotWeb, :live_view

  def handle_event("refill", %{{"step" => step}}, socket) do
    {{:ok, _}} = Stock.log_movement(socket.assigns.shelf, %{{{key}: step}})
    {{:noreply, socket}}
  end
end
'''


def _payload_messages(key: str) -> list[str]:
    result = review_code(HANDLER.format(key=key), filename="refill_live.ex", liveview_version="1.0.0")
    return [f.message for f in result.findings if f.rule == "trusts_client_payload"]


def test_money_message_names_the_key_word_not_a_price():
    (amount,) = _payload_messages("amount")
    assert "any amount" in amount and "price" not in amount
    (price,) = _payload_messages("unit_price")
    assert "any price" in price
    (total,) = _payload_messages("order_total")
    assert "any total" in total
