"""Benchmark: what a visitor's page served from the page cache costs next to a bare view, in
process: microseconds a request takes through the WSGI handler with the production middleware
(bench.page_settings, DEBUG off) on the 1k database, no sockets and no load generator.

    BENCH_DB_PREFIX=x REDIS_URL=redis://127.0.0.1:6379/7 .venv/bin/python bench/page_hits.py

Steadier than bench/pages.py's gunicorn ratios on a shared machine (both carry the same
gunicorn and socket costs, which this leaves out, so its ratios are lower). Prints
`hits.bare_us`, `hits.<page>.us` and `hits.<page>.ratio` (bare / page): the best of --rounds
rounds of --requests requests each, the bare view and the pages taking turns. The cache is
filled by a first request to each page.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["home", "events_list", "event_page", "group_page", "groups", "events_q"]


def environ(path: str) -> dict:
    path_info, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "HTTP_HOST": "localhost",
        "SERVER_PROTOCOL": "HTTP/1.0",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=400, help="per round and page")
    parser.add_argument("--pages", nargs="+", default=PAGES, choices=PAGES)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.pages import DATABASES, database_url, pages

    os.environ.update(
        {
            "DATABASE_URL": database_url(DATABASES[1000]),
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
            "ALLOWED_HOSTS": "localhost",
            "SITE_URL": "http://localhost",
            "DJANGO_SETTINGS_MODULE": "bench.page_settings",
        }
    )
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic needed
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    paths = {"bare": "/bench/bare/"} | {name: pages()[name] for name in args.pages}

    def request(path: str) -> list:
        answer = []
        b"".join(application(environ(path), lambda status, headers: answer.append(headers)))
        return answer[0]

    for name, path in paths.items():
        request(path)
        headers = dict(request(path))
        if name != "bare" and headers.get("X-Page-Cache") != "hit":
            sys.exit(f"{name}: not served from the cache (PAGE_CACHE_SECONDS, REDIS_URL?)")
    best = dict.fromkeys(paths, float("inf"))
    for _round in range(args.rounds):
        for name, path in paths.items():
            started = time.perf_counter()
            for _ in range(args.requests):
                request(path)
            took = (time.perf_counter() - started) / args.requests * 1e6
            best[name] = min(best[name], took)
    print(f"hits.bare_us: {best['bare']:.0f}")
    for name in args.pages:
        print(f"hits.{name}.us: {best[name]:.0f}")
        print(f"hits.{name}.ratio: {best['bare'] / best[name]:.3f}")


if __name__ == "__main__":
    main()
