"""manifest.yml is a valid Slack manifest and declares exactly what the code registers."""

import json
from importlib import resources
from pathlib import Path

import jsonschema
import yaml
from slack_bolt.listener_matcher.async_builtins import AsyncBuiltinListenerMatcher
from slack_bolt.listener_matcher.async_listener_matcher import AsyncCustomListenerMatcher

from bot.app import build_app
from bot.config import Settings
from bot.db import Database
from bot.deps import Deps

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text())


def _closure(fn) -> dict:
    return dict(zip(fn.__code__.co_freevars, [c.cell_contents for c in (fn.__closure__ or [])], strict=False))


def _inner(fn):
    """Bolt wraps each matcher function once; the inner one holds the command or event type."""
    while "func" in _closure(fn) and callable(_closure(fn)["func"]):
        fn = _closure(fn)["func"]
    return fn


def registered(tmp_path):
    """The slash commands and event types the app's listeners match, read off Bolt's matchers."""
    app = build_app(
        Settings(slack_bot_token="xoxb-test", slack_signing_secret="s"),
        Deps(db=Database(f"sqlite:///{tmp_path / 'm.db'}")),
    )
    commands, events = set(), set()
    for listener in app._async_listeners:
        for matcher in listener.matchers:
            assert isinstance(matcher, AsyncBuiltinListenerMatcher | AsyncCustomListenerMatcher)
            fn = _inner(matcher.func)
            cells = _closure(fn)
            if fn.__qualname__.startswith("command."):
                commands.add(cells["command"])
            elif fn.__qualname__.startswith("event."):
                events.add(cells["event_type"])
    return commands, events


def test_manifest_is_valid_against_slacks_schema():
    schema = json.loads(
        resources.files("localslack").joinpath("specs/manifest.schema.1.0.0.json").read_text()
    )
    jsonschema.Draft7Validator(schema).validate(MANIFEST)


# Bolt listens for an event type; Slack's manifest subscribes by event name, and the `message` type
# comes per kind of conversation. The bot reads messages in its DMs only.
EVENT_NAMES = {"message": "message.im"}


def test_manifest_declares_every_command_and_event_the_code_registers(tmp_path):
    commands, events = registered(tmp_path)
    events = {EVENT_NAMES.get(e, e) for e in events}
    assert commands == {c["command"] for c in MANIFEST["features"]["slash_commands"]}
    assert events == set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])


def test_every_request_url_points_at_the_one_endpoint():
    urls = [c["url"] for c in MANIFEST["features"]["slash_commands"]]
    urls += [
        MANIFEST["settings"]["event_subscriptions"]["request_url"],
        MANIFEST["settings"]["interactivity"]["request_url"],
        MANIFEST["settings"]["interactivity"]["message_menu_options_url"],  # the deal picker's options
    ]
    assert {u.rsplit("/", 2)[-2] + "/" + u.rsplit("/", 1)[-1] for u in urls} == {"slack/events"}


def test_the_oauth_flow_asks_for_the_manifests_scopes():
    from bot.config import SCOPES

    assert sorted(SCOPES) == sorted(MANIFEST["oauth_config"]["scopes"]["bot"])
