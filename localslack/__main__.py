"""Run the local Slack on its own: `python -m localslack --port 3999`, then point a bot's
SLACK_API_URL at http://127.0.0.1:3999/api/."""

import argparse
import asyncio

from localslack.server import LocalSlack


async def main(
    port: int,
    token: str,
    users: list[str],
    numbered_users: int = 0,
    rate_limit_ratio: float = 0.0,
    per_channel_rate: float | None = None,
) -> None:
    slack = LocalSlack(token=token)
    slack.lenient = True
    slack.rate_limit_ratio, slack.per_channel_rate = rate_limit_ratio, per_channel_rate
    for user in users:
        slack.add_user(user, user.lower())
    for n in range(numbered_users):
        slack.add_user(f"U{n:08d}", f"rep{n}")
    slack.add_channel("C0SALES", "sales")
    await slack.start(port=port)
    print(f"local Slack on {slack.api_url} (token {token})", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=3999)
    parser.add_argument("--token", default="xoxb-local-token")
    parser.add_argument("--user", action="append", default=["UALICE", "UBOB"])
    parser.add_argument("--numbered-users", type=int, default=0, help="also users U00000000, U00000001, ...")
    parser.add_argument("--rate-limit-ratio", type=float, default=0.0, help="answer this share of calls 429")
    parser.add_argument(
        "--per-channel-rate",
        type=float,
        default=None,
        help="messages per second each channel takes before answering 429 (Slack: about 1)",
    )
    args = parser.parse_args()
    asyncio.run(
        main(
            args.port,
            args.token,
            args.user,
            args.numbered_users,
            args.rate_limit_ratio,
            args.per_channel_rate,
        )
    )
