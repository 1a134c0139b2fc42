"""Two gunicorn servers of the app behind nginx, on PostgreSQL and Redis, as in production.

What the README's "Running it for real" shows, started for a test: a PostgreSQL schema of its
own (migrated, with the demo loaded by `flask --app app demo`), a Redis database of its own
for the rate limits, two gunicorn servers with the same SECRET_KEY and TRUSTED_PROXIES=1, and
nginx (Debian's package, run as the current user with everything in a temp dir) balancing
them round robin. Every process runs in its own process group, so `Stack.close()` ends it
with all its workers, whatever state the test left it in.

nginx adds an `X-Upstream` header (the server that answered), so a test can tell which of
the two app servers served each request; each server also keeps its own access log.
"""

from __future__ import annotations

import getpass
import grp
import html.parser
import http.client
import http.cookies
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_SERVER = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
REDIS_DB = 13  # this test's own Redis database, flushed at the start
SECRET_KEY = "two-servers-shared-secret"  # the same on both servers, as it must be
UPSTREAM_HEADER = "X-Upstream"
SIGN_IN_LIMIT = "20 per minute"  # LIMIT_SIGN_IN's default

NGINX_CONF = """\
{user}worker_processes 1;  # one worker: one round-robin order for every request
error_log {prefix}/error.log warn;
pid {prefix}/nginx.pid;
events {{ worker_connections 256; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;

    upstream buurtpeiling {{
        server 127.0.0.1:{port_a};
        server 127.0.0.1:{port_b};
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://buurtpeiling;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            add_header {header} $upstream_addr always;
        }}
    }}
}}
"""


def nginx_binary() -> str | None:
    """Debian's nginx (`make test` installs it), or None where it is not installed."""
    found = shutil.which("nginx")  # a user's PATH may lack /usr/sbin
    return found or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(command: list[str], log: Path, **kwargs) -> subprocess.Popen:
    """A process in its own process group, its output in `log`."""
    with log.open("ab") as out:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            **kwargs,
        )


def _end(process: subprocess.Popen) -> None:
    """SIGTERM the process group, SIGKILL it when it lingers."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def _wait_for(port: int, path: str, process: subprocess.Popen, log: Path, timeout=60) -> None:
    """Until GET `path` on `port` answers 200; fail with the process's log when it does not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited:\n{log.read_text()[-3000:]}")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except (OSError, http.client.HTTPException):
            time.sleep(0.1)
        finally:
            conn.close()
    raise RuntimeError(f"{process.args[0]} did not answer {path}:\n{log.read_text()[-3000:]}")


class Stack:
    """PostgreSQL schema, Redis db, two gunicorn servers and nginx; close() ends them all."""

    def __init__(self, directory: Path, nginx: str):
        self.directory, self.nginx = directory, nginx
        self.schema = f"bp_two_{uuid.uuid4().hex[:10]}"
        sep = "&" if "?" in PG_URL else "?"
        self.database_url = f"{PG_URL}{sep}options=-csearch_path%3D{self.schema}"
        self.redis_url = f"{REDIS_SERVER}/{REDIS_DB}"
        self.key_prefix = f"bp-two-{uuid.uuid4().hex[:8]}"
        self.ports = [free_port(), free_port()]
        self.port = free_port()
        self.servers: list[str] = [f"127.0.0.1:{p}" for p in self.ports]
        self._exit = ExitStack()

    def env(self) -> dict:
        """Both servers' environment: the same database, Redis, SECRET_KEY and proxy setting."""
        return {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "RATELIMIT_KEY_PREFIX": self.key_prefix,
            "SECRET_KEY": SECRET_KEY,
            "TRUSTED_PROXIES": "1",
            # Pinned against a developer's own settings: the demo officer exists outside
            # production, and the flood test counts to the default sign-in limit.
            "BUURTPEILING_ENV": "development",
            "RATELIMIT_ENABLED": "1",
            "LIMIT_SIGN_IN": SIGN_IN_LIMIT,
        }

    def open(self) -> Stack:
        try:
            self._database()
            self._redis()
            for wait in [self._gunicorn(port) for port in self.ports]:  # both start at once
                wait()
            self._nginx()
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        self._exit.close()

    def _database(self) -> None:
        from sqlalchemy import create_engine, text

        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{self.schema}"'))
        engine.dispose()
        self._exit.callback(self._drop_schema)
        for command in (["db", "upgrade"], ["demo"]):
            subprocess.run(
                [str(BIN / "flask"), "--app", "app", *command],
                cwd=ROOT, env=self.env(), check=True, capture_output=True, timeout=120,
            )  # fmt: skip

    def _drop_schema(self) -> None:
        from sqlalchemy import create_engine, text

        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
        engine.dispose()

    def _redis(self) -> None:
        import redis

        client = redis.Redis.from_url(self.redis_url)
        client.flushdb()
        self._exit.callback(client.close)
        self.redis = client

    def access_log(self, port: int) -> Path:
        return self.directory / f"access-{port}.log"

    def _gunicorn(self, port: int):
        """Start a server; return what waits until it answers."""
        log = self.directory / f"gunicorn-{port}.log"
        command = [
            str(BIN / "gunicorn"),
            "--workers", "2",
            "--bind", f"127.0.0.1:{port}",
            "--access-logfile", str(self.access_log(port)),
            "--access-logformat", "%(m)s %(U)s %(s)s",
            "app:app",
        ]  # fmt: skip
        process = _start(command, log, env=self.env())
        self._exit.callback(_end, process)
        return lambda: _wait_for(port, "/health", process, log)

    def _nginx(self) -> None:
        prefix = self.directory / "nginx"
        prefix.mkdir()
        user = ""
        if os.geteuid() == 0:  # as root nginx's workers would become nobody: stay the user
            user = f"user {getpass.getuser()} {grp.getgrgid(os.getegid()).gr_name};\n"
        conf = prefix / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                user=user,
                prefix=prefix,
                port=self.port,
                port_a=self.ports[0],
                port_b=self.ports[1],
                header=UPSTREAM_HEADER,
            )
        )
        log = prefix / "stdout.log"
        command = [self.nginx, "-c", str(conf), "-p", str(prefix), "-e", str(prefix / "error.log")]
        process = _start([*command, "-g", "daemon off;"], log)
        self._exit.callback(_end, process)
        _wait_for(self.port, "/health", process, log)

    def sql(self, query: str, **params) -> list:
        """Rows of a query on the stack's own schema."""
        from sqlalchemy import create_engine, text

        engine = create_engine(self.database_url)
        try:
            with engine.connect() as conn:
                return conn.execute(text(query), params).all()
        finally:
            engine.dispose()


class Visitor:
    """A browser without JavaScript: one keep-alive connection to nginx from `address`,
    cookies kept, redirects followed; `upstreams` lists the server of every request."""

    def __init__(self, port: int, address: str = "127.0.0.1"):
        self.port, self.address = port, address
        self.cookies: dict[str, str] = {}
        self.upstreams: list[str] = []
        self.conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.conn:
            self.conn.close()

    def request(self, method: str, path: str, form=None, headers=None):
        """One request (no redirect followed): (status, headers, body)."""
        if self.conn is None:
            self.conn = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=15, source_address=(self.address, 0)
            )
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=sent)
        response = self.conn.getresponse()
        text = response.read().decode()
        self.upstreams.append(response.headers.get(UPSTREAM_HEADER, ""))
        for header in response.headers.get_all("Set-Cookie") or []:
            self._keep(header)
        return response.status, response.headers, text

    def _keep(self, header: str) -> None:
        for name, morsel in http.cookies.SimpleCookie(header).items():
            gone = morsel["max-age"] == "0" or "1970" in morsel["expires"]
            if gone or morsel.value == "":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def go(self, method: str, path: str, form=None):
        """A request and the redirects after it, as a browser follows them: (status, path,
        body) of the last."""
        status, headers, text = self.request(method, path, form)
        for _ in range(10):
            if status not in (301, 302, 303, 307):
                break
            path = urllib.parse.urlsplit(headers["Location"]).path or "/"
            query = urllib.parse.urlsplit(headers["Location"]).query
            path = f"{path}?{query}" if query else path
            status, headers, text = self.request("GET", path)
        return status, path, text


class Forms(html.parser.HTMLParser):
    """The post forms of a page: [{"action", "fields": [...], "buttons": [...]}]."""

    def __init__(self, page: str):
        super().__init__()
        self.forms: list[dict] = []
        self._select: dict | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.forms.append({"action": a.get("action", ""), "fields": [], "buttons": []})
        elif not self.forms:
            return
        form = self.forms[-1]
        if tag == "input":
            form["fields"].append({"tag": "input", **a})
        elif tag == "textarea":
            form["fields"].append({"tag": "textarea", **a})
        elif tag == "select":
            self._select = {"tag": "select", "options": [], **a}
            form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
        elif tag == "button" and a.get("name"):
            form["buttons"].append((a["name"], a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def fill(form: dict) -> list[tuple[str, str]]:
    """What a resident sends for this form: hidden fields as they are, the first choice of
    every question, 'Ja' to the deeper questions, 'Eens' to a statement."""
    data: list[tuple[str, str]] = []
    chosen: set[str] = set()
    for field in form["fields"]:
        name, kind = field.get("name"), field.get("type", "text")
        if not name:
            continue
        if field["tag"] == "select":
            options = [o for o in field["options"] if o]
            rank = int(name[4:]) - 1 if name.startswith("rank") else 0
            data.append((name, options[rank]))
        elif field["tag"] == "textarea":
            data.append((name, "Meer bankjes in het park"))
        elif kind in ("radio", "checkbox"):
            if name not in chosen:
                chosen.add(name)
                data.append((name, field["value"]))
        elif kind == "number":
            low, high = int(field.get("min", 0)), int(field.get("max", 100))
            data.append((name, str(max(low, min(12, high)))))
        else:  # hidden fields, the honeypot and the postcode stay as served
            data.append((name, field.get("value", "")))
    buttons = dict(form["buttons"])
    if buttons.get("choice") is not None:
        data.append(("choice", "yes"))
    elif "value" in buttons:
        data.append(("value", "agree"))
    return data
