defmodule Shelf.Catalog do
  @moduledoc "The catalog context of the fixture app."

  def list_books, do: []
end
