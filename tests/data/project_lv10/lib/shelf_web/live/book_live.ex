defmodule ShelfWeb.BookLive do
  use ShelfWeb, :live_view

  def mount(_params, _session, socket), do: {:ok, socket}
end
