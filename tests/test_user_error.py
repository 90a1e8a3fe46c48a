"""A UserError's keywords are all its message's parameters: none is taken as the error's own."""

import pytest

from bot.cli import main
from bot.i18n import N_, translator
from domain.errors import UserError
from domain.importing.columns import map_columns


@pytest.mark.parametrize("name", ["field", "refresh", "message", "params"])
def test_any_parameter_name_reaches_the_message(name):
    err = UserError(N_("{" + name + "} is wrong."), **{name: "created_at"})
    assert err.text(translator("en")) == "created_at is wrong."
    assert (err.field, err.refresh) == (None, False)


def test_the_errors_own_settings_are_methods():
    err = UserError(N_("Say why the deal was lost.")).on_field("reason").stale()
    assert (err.field, err.refresh) == ("reason", True)


def test_mapping_an_unknown_field_names_it():
    with pytest.raises(UserError) as caught:
        map_columns(["Name"], {"colour": "Name"})
    assert "`colour`" in caught.value.text(translator("en"))


def test_salesbot_import_with_an_unknown_field_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'import.db'}")
    data = tmp_path / "deals.csv"
    data.write_text("Name,Created\nAcme,2026-01-05\n")
    code = main(["import", "--team", "T0LOCAL", str(data), "--map", "colour=Created"])
    assert code == 2
    assert "There is no field `colour` to map" in capsys.readouterr().err
