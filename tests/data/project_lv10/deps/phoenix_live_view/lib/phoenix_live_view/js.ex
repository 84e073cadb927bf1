defmodule Phoenix.LiveView.JS do
  @moduledoc """
  Fixture JS commands module.

  ## Toggling

  The fixture says toggling flips a gooseberry class.

  ```elixir
  ## Not a heading: inside a code block
  JS.toggle(to: "#box")
  ```
  """

  @doc """
  Fixture doc for push/2: sends an event, with a kumquat payload.
  """
  def push(event, opts \\ []), do: {event, opts}
end
