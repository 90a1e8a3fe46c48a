"""Extract each Web API method's parameters and errors from Slack's OpenAPI spec.

    python scripts/extract_slack_methods.py ../shared/slack-specs/slack_web_openapi_v2.json

writes localslack/specs/web_api_methods.json, which the local Slack uses to check that every call
the bot makes names a real method and passes its required arguments. The token is left out: clients
send it as a header. Methods newer than the 2021 spec are added by hand below.
"""

import json
import sys
from pathlib import Path

# Newer than the spec (files upload v2), from Slack's method documentation.
ADDED = {
    "files.getUploadURLExternal": {
        "required": ["filename", "length"],
        "params": ["filename", "length", "alt_txt", "snippet_type"],
        "errors": ["invalid_arguments", "invalid_auth"],
    },
    "files.completeUploadExternal": {
        "required": ["files"],
        "params": ["files", "channel_id", "channels", "initial_comment", "thread_ts"],
        "errors": ["invalid_arguments", "channel_not_found", "not_in_channel"],
    },
}


def extract(spec_path: str) -> dict:
    spec = json.loads(Path(spec_path).read_text())
    methods = {}
    for path, ops in spec["paths"].items():
        for op in ops.values():
            params = [p for p in op.get("parameters", []) if p["name"] != "token"]
            errors = []
            for response in op.get("responses", {}).values():
                error = response.get("schema", {}).get("properties", {}).get("error", {})
                errors.extend(error.get("enum", []))
            methods[path.lstrip("/")] = {
                "required": sorted(p["name"] for p in params if p.get("required")),
                "params": sorted(p["name"] for p in params),
                "errors": sorted(set(errors)),
            }
    methods.update(ADDED)
    return dict(sorted(methods.items()))


if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "localslack" / "specs" / "web_api_methods.json"
    out.write_text(json.dumps(extract(sys.argv[1]), indent=1) + "\n")
    print(f"wrote {out}")
