defmodule Phoenix.LiveView do
  @moduledoc """
  Fixture module for the project tests. It stands in for the real module
  and says nothing true about it.

  ## Lanterns

  A made-up section: the lantern heading holds the word periwinkle so a
  test can find this one section of the module doc.
  """

  @doc """
  Invoked first. The fixture callback text mentions a tangerine handshake.
  """
  @callback mount(params :: map, session :: map, socket :: term) :: {:ok, term}

  @doc """
  Fixture doc for stream/4: keeps a marmalade ledger of items on the client.

      stream(socket, :books, books, at: 0)

  The `:at` option is described here in the fixture's own words.
  """
  @doc since: "0.18.0"
  def stream(socket, name, items, opts \\ []) when is_atom(name) do
    {socket, name, items, opts}
  end

  @doc "Fixture doc for stream_insert/4: one more row in the marmalade ledger."
  def stream_insert(socket, name, item, opts \\ []), do: {socket, name, item, opts}

  @doc false
  def hidden_helper(socket), do: socket

  @doc ~S"""
  Fixture doc written as a ~S sigil: #{not_interpolated} stays as written.
  """
  defmacro sigil_fixture(term, _modifiers), do: term

  defp private_helper(x), do: x

  defmodule Hidden do
    @moduledoc false

    @doc "Never indexed: the module is hidden, so is this zucchini."
    def visible_in_source_only, do: :ok
  end
end
