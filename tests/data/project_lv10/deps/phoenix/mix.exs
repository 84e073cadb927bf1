defmodule Phoenix.MixProject do
  use Mix.Project

  @version "1.7.14"

  def project, do: [app: :phoenix, version: @version]
end
