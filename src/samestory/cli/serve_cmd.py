"""samestory serve: the HTTP API and web page over the store."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys

from ..errors import ConfigError
from ._common import add_db_option, settings_from

HELP = "serve the HTTP API (/docs) and the web page over the store"
TOKEN_ENV = "SAMESTORY_TOKEN"
KEEP_ALIVE = 65  # seconds
SWITCH_INTERVAL = 0.001  # seconds (see run)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help=HELP, description=HELP)
    add_db_option(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--token", help=f"bearer token that writes need (default: ${TOKEN_ENV}); required off loopback")
    p.set_defaults(run=run)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    token = args.token or os.environ.get(TOKEN_ENV) or None
    if not is_loopback(args.host) and not token:
        raise ConfigError(f"refusing to serve on {args.host} without a token: pass --token or set {TOKEN_ENV}", code="SS210")
    if not 0 < args.port < 65536:
        raise ConfigError(f"--port must be 1..65535, got {args.port}", code="SS211")
    import uvicorn

    from ..web import create_app
    from ..web.app import LOOPBACK_HOSTS

    app = create_app(settings.store.path, settings=settings, token=token,
                     allowed_hosts=LOOPBACK_HOSTS if is_loopback(args.host) else None)
    if not args.quiet:
        print(f"samestory: serving {settings.store.path} on http://{args.host}:{args.port}/ (API docs at /docs)"
              + ("; writes need the token" if token else "; writes open (loopback, no token)"), file=sys.stderr)
    # a worker thread (a post, a read not remembered) that gives up the interpreter lock for a store call waits up
    # to the switch interval to get it back from the busy event loop: Python's 5 ms made a post's dozen store calls
    # cost ~60 ms under load. At 1 ms, bench_server's posts were acknowledged p99 216 and 228 ms (4 runs at 5 ms:
    # 274-443 ms; 0.5 ms: 355 ms), reads unchanged
    sys.setswitchinterval(SWITCH_INTERVAL)
    # an idle kept-alive connection is closed after KEEP_ALIVE s, not uvicorn's 5: a client reusing one as the server
    # closes it sees a dropped request, which a client pool under load meets often with 5 s
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning" if args.quiet else "info",
                timeout_keep_alive=KEEP_ALIVE)
    return 0
