defmodule Shelf.Repo do
  use Ecto.Repo, otp_app: :shelf, adapter: Ecto.Adapters.Postgres
end
