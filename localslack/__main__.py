"""Run the local Slack on its own: `python -m localslack --port 3999`, then point a bot's
SLACK_API_URL at http://127.0.0.1:3999/api/."""

import argparse
import asyncio

from localslack.server import LocalSlack


async def main(port: int, token: str, users: list[str]) -> None:
    slack = LocalSlack(token=token)
    slack.lenient = True
    for user in users:
        slack.add_user(user, user.lower())
    slack.add_channel("C0SALES", "sales")
    await slack.start(port=port)
    print(f"local Slack on {slack.api_url} (token {token})", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=3999)
    parser.add_argument("--token", default="xoxb-local-token")
    parser.add_argument("--user", action="append", default=["UALICE", "UBOB"])
    args = parser.parse_args()
    asyncio.run(main(args.port, args.token, args.user))
