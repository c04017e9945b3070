"""What a standalone gateway (no upstream PostHog) answers to posthog-js's start-up calls: a project with no
feature flags and no remote configuration.

posthog-js asks for its remote config (`/array/<token>/config.js`, else `/array/<token>/config`) and, unless it
says `hasFeatureFlags: false`, for flags (`/flags/?v=2`; older versions `/decide/`). A failed config call logs a
console error and turns compression off for every later batch; a failed flags call is retried. So each is
answered in the shape posthog-js reads: compression supported (gzip, as the capture routes accept it), every
remote feature (session recording, heatmaps, surveys, ...) off, no flags and no errors computing them.
"""

from typing import Any
from uuid import uuid4

import orjson

SUPPORTED_COMPRESSION = ["gzip", "gzip-js"]


def remote_config(token: str) -> dict[str, Any]:
    return {
        "token": token,
        "supportedCompression": SUPPORTED_COMPRESSION,
        "hasFeatureFlags": False,
        "captureDeadClicks": False,
        "capturePerformance": False,
        "autocapture_opt_out": False,
        "autocaptureExceptions": False,
        "elementsChainAsString": True,
        "sessionRecording": False,
        "heatmaps": False,
        # No `surveys` key: posthog-js loads its surveys script (from /static/ on the api_host, which a gateway
        # does not serve) whenever the key is there, even false; without it, it loads nothing.
        "defaultIdentifiedOnly": True,
        "siteApps": [],
    }


def remote_config_js(token: str) -> bytes:
    """The script form: posthog-js loads it and reads `window._POSTHOG_REMOTE_CONFIG[token].config`."""
    config = orjson.dumps({"config": remote_config(token), "siteApps": []})
    key = orjson.dumps(token)
    return (
        b"(function(){window._POSTHOG_REMOTE_CONFIG=window._POSTHOG_REMOTE_CONFIG||{};"
        b"window._POSTHOG_REMOTE_CONFIG[" + key + b"]=" + config + b";})();\n"
    )


def flags() -> dict[str, Any]:
    """/flags/ (v2): no flags. No `featureFlags` key, which posthog-js takes for an outdated server."""
    return {"flags": {}, "errorsWhileComputingFlags": False, "quotaLimited": [], "requestId": str(uuid4())}


def decide(token: str) -> dict[str, Any]:
    """/decide/, as older posthog-js versions call it: flags in its older shape, with the remote config."""
    return {
        **remote_config(token),
        "config": {"enable_collect_everything": True},
        "featureFlags": {},
        "featureFlagPayloads": {},
        "errorsWhileComputingFlags": False,
        "toolbarParams": {},
        "isAuthenticated": False,
    }
