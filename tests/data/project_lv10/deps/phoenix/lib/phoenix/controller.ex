defmodule Phoenix.Controller do
  @moduledoc """
  Fixture controller module.
  """

  @doc """
  Fixture doc for redirect/2: sends the browser along a rhubarb path.
  """
  def redirect(conn, opts), do: {conn, opts}
end
