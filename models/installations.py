"""slack_sdk's installation and OAuth state tables, declared on our metadata so that Alembic
creates and upgrades them with everything else (the stores themselves come from slack_sdk)."""

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Text
from sqlmodel import SQLModel

INSTALLATIONS, BOTS, STATES = "slack_installations", "slack_bots", "slack_oauth_states"

installations = SQLAlchemyInstallationStore.build_installations_table(SQLModel.metadata, INSTALLATIONS)
bots = SQLAlchemyInstallationStore.build_bots_table(SQLModel.metadata, BOTS)
oauth_states = SQLAlchemyOAuthStateStore.build_oauth_states_table(SQLModel.metadata, STATES)

# Every token the installation store keeps; they are stored encrypted (bot/token_cipher.py), which
# outgrows slack_sdk's VARCHAR(200): migration 0014.
TOKEN_COLUMNS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
for _table in (installations, bots):
    for _name in TOKEN_COLUMNS:
        if _name in _table.c:
            _table.c[_name].type = Text()
