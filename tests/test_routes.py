"""Listeners registered by an exact action id or callback id are found by a dict look-up behind one
Bolt listener per kind (handlers.routes.Routes), in Bolt's own order."""

import re

import pytest

from handlers.common import Answered
from localslack.bench import settle


class FakeBolt:
    """What Answered sees of Bolt: `app.action(...)` returns a decorator; registrations in order."""

    def __init__(self):
        self.registered: list[tuple[str, tuple, dict, object]] = []

    def __getattr__(self, kind):
        def register(*args, **kwargs):
            def add(listener):
                self.registered.append((kind, args, kwargs, listener))
                return listener

            return add

        return register


def block_action(action_id: str) -> dict:
    return {"type": "block_actions", "actions": [{"action_id": action_id}]}


async def dispatch(listeners: Answered, kind: str, body: dict, **given) -> None:
    routes = listeners.routes[kind]
    args = {n: None for n in ("ack", "action", "view", "client", "respond", "say", "logger")}
    await routes.dispatch(body=body, context=given.pop("context", {}), **{**args, **given})
    await settle()  # the listener runs in a task of its own (handlers.common.answered)


async def test_exact_ids_share_one_bolt_listener_and_each_gets_the_arguments_it_names():
    bolt, seen = FakeBolt(), list[tuple]()
    listeners = Answered(bolt)

    async def on_move(body, deps):
        seen.append(("move", body["actions"][0]["action_id"], deps))

    async def on_won(action, body):
        seen.append(("won", action))

    listeners.action("deal_move")(on_move)
    listeners.action("deal_won")(on_won)
    assert [(kind, args) for kind, args, _, _ in bolt.registered] == [("action", (re.compile(""),))]
    routes = listeners.routes["action"]
    assert await routes.matches(block_action("deal_won"))
    assert not await routes.matches(block_action("deal_unknown"))  # Bolt goes on to its next listener
    await dispatch(listeners, "action", block_action("deal_move"), context={"deps": "D"})
    await dispatch(listeners, "action", block_action("deal_won"), action={"action_id": "deal_won"})
    assert seen == [("move", "deal_move", "D"), ("won", {"action_id": "deal_won"})]


async def test_a_view_is_found_by_its_callback_id():
    bolt, seen = FakeBolt(), []
    listeners = Answered(bolt)

    async def on_note(view):
        seen.append(view["callback_id"])

    listeners.view("deal_note")(on_note)
    body = {"type": "view_submission", "view": {"callback_id": "deal_note"}}
    assert await listeners.routes["view"].matches(body)
    await dispatch(listeners, "view", body, view=body["view"])
    assert seen == ["deal_note"]


async def test_bolts_order_holds_a_pattern_registered_first_still_wins_its_ids():
    bolt = FakeBolt()
    listeners = Answered(bolt)

    async def first(body):
        pass

    async def answers(body):
        pass

    async def later(body):
        pass

    listeners.action("deal_move")(first)
    listeners.action(re.compile("^bant_"))(answers)
    listeners.action("bant_yes")(later)  # Bolt would try the pattern first: not routed
    listeners.action("deal_won")(later)
    routes = listeners.routes["action"]
    assert set(routes.listeners) == {"deal_move", "deal_won"}
    assert [args[0] for _, args, _, _ in bolt.registered][1:] == [re.compile("^bant_"), "bant_yes"]


async def test_after_a_listener_with_its_own_matchers_no_later_id_is_routed():
    bolt = FakeBolt()
    listeners = Answered(bolt)

    async def listener(body):
        pass

    listeners.action("deal_move")(listener)
    listeners.action("deal_won", matchers=[lambda body: True])(listener)
    listeners.action("deal_lost")(listener)
    assert set(listeners.routes["action"].listeners) == {"deal_move"}
    assert [args[0] for _, args, _, _ in bolt.registered][1:] == ["deal_won", "deal_lost"]


async def test_the_first_listener_of_an_id_is_the_one_that_runs_as_in_bolt():
    bolt, seen = FakeBolt(), []
    listeners = Answered(bolt)

    async def one(body):
        seen.append(1)

    async def two(body):
        seen.append(2)

    listeners.action("deal_move")(one)
    listeners.action("deal_move")(two)
    await dispatch(listeners, "action", block_action("deal_move"))
    assert seen == [1]


def test_a_listener_asking_for_an_argument_routes_do_not_give_fails_at_registration():
    # Bolt would hand it `payload`; Routes.dispatch would have given None, so it is refused at start-up.
    listeners = Answered(FakeBolt())

    async def on_it(ack, payload):
        pass

    with pytest.raises(TypeError, match="payload"):
        listeners.action("deal_move")(on_it)
