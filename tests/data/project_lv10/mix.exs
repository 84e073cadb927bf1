defmodule Shelf.MixProject do
  use Mix.Project

  def project do
    [
      app: :shelf,
      version: "0.1.0",
      elixir: "~> 1.15",
      deps: deps()
    ]
  end

  defp deps do
    [
      {:phoenix, "~> 1.7.14"},
      {:phoenix_html, "~> 4.1"},
      {:phoenix_live_view, "~> 1.0.0"}
    ]
  end
end
