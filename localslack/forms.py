"""What a person presses and fills in on what the bot showed: the element an action names on a
message's or view's blocks, and a modal's input blocks filled as Slack reports them in
`view.state.values` (each element type has its own key)."""

from __future__ import annotations

from localslack.state import Message


def filled_state(view: dict, values: dict[str, object]) -> dict:
    """The state of a modal's input blocks: `values` by block id, the element's initial value elsewhere."""
    state = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element, block_id = block["element"], block["block_id"]
        raw = values.get(block_id, initial_value(element))
        state[block_id] = {element["action_id"]: state_value(element, raw)}
    return state


def find_element(
    blocks: list[dict], action_id: str, value: str | None, option: str | None
) -> tuple[dict, dict]:
    for block in blocks:
        candidates = (
            block.get("elements", []) if block.get("type") == "actions" else [block.get("accessory") or {}]
        )
        for element in candidates:
            if element.get("action_id") != action_id:
                continue
            if value is not None and element.get("value") != value:
                continue
            if option is not None and option not in [o["value"] for o in element.get("options", [])]:
                continue
            return block, element
    raise LookupError(f"no {action_id!r} element (value={value!r}, option={option!r}) in these blocks")


def initial_value(element: dict):
    for key in (
        "initial_value",
        "initial_date",
        "initial_user",
        "initial_time",
        "initial_conversation",
        "initial_users",
    ):
        if key in element:
            return element[key]
    if "initial_options" in element:
        return [o["value"] for o in element["initial_options"]]
    if "initial_option" in element:
        return element["initial_option"]["value"]
    return None


def state_value(element: dict, raw) -> dict:
    kind = element["type"]
    if kind in ("plain_text_input", "number_input", "email_text_input", "url_text_input"):
        return {"type": kind, "value": raw}
    if kind == "datepicker":
        return {"type": kind, "selected_date": raw}
    if kind == "users_select":
        return {"type": kind, "selected_user": raw}
    if kind == "static_select":
        chosen = next((o for o in element.get("options", []) if o["value"] == raw), None)
        if raw is not None and chosen is None:
            chosen = {"text": {"type": "plain_text", "text": str(raw)}, "value": str(raw)}  # a crafted value
        return {"type": kind, "selected_option": chosen}
    if kind == "multi_users_select":
        return {"type": kind, "selected_users": raw or []}
    if kind == "timepicker":
        return {"type": kind, "selected_time": raw}
    if kind in ("conversations_select", "channels_select"):
        key = "selected_conversation" if kind == "conversations_select" else "selected_channel"
        return {"type": kind, key: raw}
    if kind == "radio_buttons":
        chosen = next((o for o in element.get("options", []) if o["value"] == raw), None)
        return {"type": kind, "selected_option": chosen}
    if kind == "checkboxes":
        return {
            "type": kind,
            "selected_options": [o for o in element.get("options", []) if o["value"] in (raw or [])],
        }
    raise ValueError(f"the local Slack cannot fill a {kind}")


def surface(source: Message | dict) -> dict:
    """Where a block interaction happened, as its payload tells the app: a message (its container,
    channel and the message itself) or a view."""
    if isinstance(source, Message):
        return {
            "container": {
                "type": "message",
                "message_ts": source.ts,
                "channel_id": source.channel,
                "is_ephemeral": source.kind != "message",
            },
            "channel": {"id": source.channel, "name": "sales"},
            "message": source.as_slack(),
        }
    return {"container": {"type": "view", "view_id": source["id"]}, "view": source}
