"""generate_snippet with the user's project: names come from mix.exs and lib/, explicit parameters win, and
notes say which names came from the project and which were assumed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from skill_server import engine
from skill_server.errors import InputError


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    _write(tmp_path / "mix.exs", 'defmodule Shop.MixProject do\n  def project, do: [app: :shop, version: "0.1.0"]\nend\n')
    _write(tmp_path / "lib/shop/catalog.ex", "defmodule Shop.Catalog do\n  def list_products, do: []\nend\n")
    _write(tmp_path / "lib/shop/catalog/product.ex", "defmodule Shop.Catalog.Product do\n  use Ecto.Schema\nend\n")
    _write(tmp_path / "lib/shop/accounts.ex", "defmodule Shop.Accounts do\nend\n")
    _write(tmp_path / "lib/shop/repo.ex", "defmodule Shop.Repo do\n  use Ecto.Repo, otp_app: :shop\nend\n")
    _write(tmp_path / "lib/shop_web/live/product_live/search.ex", "defmodule ShopWeb.ProductLive.Search do\nend\n")
    return tmp_path


def _text(result) -> str:
    return "\n".join(f.content for f in result.files)


def test_names_come_from_the_project(shop):
    result = engine.generate_snippet("search_async", {"resource": "product"}, "1.2", project=shop / "lib")
    code = _text(result)
    assert "defmodule ShopWeb.ProductLive.Search" in code and "use ShopWeb, :live_view" in code
    assert "alias Shop.Catalog" in code and "Catalog.search_products(" in code and "MyApp" not in code
    assert result.files[0].path == "lib/shop_web/live/product_live/search.ex"
    notes = " ".join(result.notes)
    assert "Shop (shop) from the project's mix.exs" in notes and "web module ShopWeb from lib/shop_web" in notes
    assert "Context Shop.Catalog from the project" in notes and "lib/shop/catalog/product.ex" in notes
    assert "already exists in the project" in notes


def test_a_resource_no_context_holds_is_assumed_and_said_so(shop):
    result = engine.generate_snippet("scoped_pubsub_stream", {"resource": "order"}, "1.2", project=shop)
    code = _text(result)
    assert "alias Shop.Orders" in code and "Phoenix.PubSub.subscribe(Shop.PubSub" in code
    notes = " ".join(result.notes)
    assert "Assumed context Shop.Orders" in notes and "Shop.Accounts, Shop.Catalog" in notes
    assert "Shop.Repo" not in notes  # plumbing is not a context


def test_explicit_parameters_win_over_the_project(shop):
    result = engine.generate_snippet("delete_with_transition", {"resource": "product", "context": "Shop.Admin",
                                                                "web_module": "AdminWeb"}, "1.2", project=shop)
    code = _text(result)
    assert "defmodule AdminWeb.ProductLive.Index" in code and "alias Shop.Admin" in code
    assert result.files[0].path.startswith("lib/admin_web/")


def test_a_context_function_names_a_project_context(shop):
    code = _text(engine.generate_snippet("delete_with_transition",
                                         {"resource": "product", "context_function": "Accounts.remove/1"},
                                         "1.2", project=shop))
    assert "alias Shop.Accounts" in code and "Accounts.remove(product)" in code


def test_without_a_project_the_assumed_names_are_said(tmp_path):
    result = engine.generate_snippet("delete_with_transition", {}, "1.2")
    assert any("Assumed names: context MyApp.Blog, web module MyAppWeb" in n for n in result.notes)
    elsewhere = engine.generate_snippet("delete_with_transition", {}, "1.2", project=tmp_path)  # no mix.exs
    assert _text(elsewhere) == _text(result)


def test_a_project_path_that_is_no_folder_is_refused(shop):
    with pytest.raises(InputError, match="not a folder"):
        engine.generate_snippet("delete_with_transition", {}, "1.2", project=shop / "mix.exs")


def test_files_outside_the_project_are_not_read(tmp_path):
    outside = tmp_path / "outside"
    _write(outside / "mix.exs", "[app: :stolen]\n")
    project = tmp_path / "app"
    project.mkdir()
    os.symlink(outside / "mix.exs", project / "mix.exs")
    result = engine.generate_snippet("delete_with_transition", {}, "1.2", project=project)
    assert "Stolen" not in _text(result) and "MyAppWeb" in _text(result)
