"""The pages a browser sees while installing Salesbot: the install page, success, and each failure
with what to do about it. Plain HTML, every value escaped, in the browser's language."""

from __future__ import annotations

from html import escape
from typing import NamedTuple
from urllib.parse import urlencode

from bot.i18n import N_, Translator

SLACK_APP_REDIRECT = "https://slack.com/app_redirect"


class Page(NamedTuple):
    status: int
    html: str


class Failure(NamedTuple):
    status: int
    title: str
    advice: str


_RETRY = N_("Start the installation again from the install page.")
# Bolt's failure reasons (and Slack's `error` parameter), each with an honest status and what to do.
FAILURES = {
    "access_denied": Failure(
        403,
        N_("Salesbot was not installed"),
        N_("The installation was cancelled on Slack. To install Salesbot, start again and choose Allow."),
    ),
    "invalid_browser": Failure(400, N_("This installation link has expired"), _RETRY),
    "invalid_state": Failure(400, N_("This installation link has expired"), _RETRY),
    "missing_code": Failure(400, N_("Slack did not confirm the installation"), _RETRY),
    "invalid_code": Failure(400, N_("Slack did not confirm the installation"), _RETRY),
    "slack_unreachable": Failure(
        502,
        N_("Slack could not be reached"),
        N_("Salesbot could not reach Slack to finish the installation. Wait a minute, then start again."),
    ),
    "storage_error": Failure(
        500,
        N_("The installation could not be saved"),
        N_(
            "Nothing was changed. Start again in a few minutes; if it keeps failing, "
            "tell whoever runs Salesbot."
        ),
    ),
}
# Any other `error` Slack redirects with.
UNKNOWN = Failure(400, N_("Salesbot was not installed"), _RETRY)


def _page(_: Translator, title: str, *paragraphs: str) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(_.language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n</head>\n<body>\n<main>\n<h1>{escape(title)}</h1>\n"
        f"{body}\n</main>\n</body>\n</html>\n"
    )


def _link(href: str, text: str) -> str:
    return f'<a href="{escape(href)}">{escape(text)}</a>'


def install_page(_: Translator, authorize_url: str) -> Page:
    return Page(
        200,
        _page(
            _,
            _("Install Salesbot"),
            escape(_("Salesbot keeps your team's deals, pipeline and forecast in Slack.")),
            escape(_("Slack will ask you to allow Salesbot into your workspace; then you come back here.")),
            _link(authorize_url, _("Add Salesbot to Slack")),
        ),
    )


def app_link(app_id: str | None, team_id: str | None) -> str:
    return SLACK_APP_REDIRECT + "?" + urlencode({"app": app_id or "", "team": team_id or ""})


def success_page(_: Translator, app_id: str | None, team_id: str | None, team_name: str | None) -> Page:
    return Page(
        200,
        _page(
            _,
            _("Salesbot is installed"),
            escape(_("Salesbot is now part of {workspace}.", workspace=team_name or team_id or "Slack")),
            escape(
                _(
                    "Three steps to get started: invite Salesbot to your team channel (/invite @Salesbot),"
                    " choose your settings with /pipeline settings, and add your first deal with /deal add."
                )
            ),
            _link(app_link(app_id, team_id), _("Open Salesbot in Slack")),
        ),
    )


def failure_page(_: Translator, reason: str) -> Page:
    failure = FAILURES.get(reason, UNKNOWN)
    return Page(failure.status, _page(_, _(failure.title), escape(_(failure.advice))))
