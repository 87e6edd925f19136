"""Serve a directory on 127.0.0.1 for benchmarks: nginx when installed, Python otherwise.

nginx (Debian's package) serves about 20k requests/s here, so the crawler stays
the bottleneck; Python's server is the fallback and is slower.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

NGINX_CONF = """
{user}
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp};
    proxy_temp_path {tmp};
    fastcgi_temp_path {tmp};
    uwsgi_temp_path {tmp};
    scgi_temp_path {tmp};
    sendfile on;
    keepalive_requests 100000;
    default_type text/html;
    charset utf-8;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location / {{ try_files $uri $uri/index.html =404; }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server on 127.0.0.1:{port} did not start")


class _Handler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as nginx does

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve(root: Path) -> Iterator[tuple[str, str]]:
    """``(base URL, server name)`` of a server on 127.0.0.1 for ``root``, stopped on exit."""
    port = free_port()
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx:
        with tempfile.TemporaryDirectory() as tmp:
            conf = Path(tmp) / "nginx.conf"
            # As root, nginx's workers would drop to "nobody", who cannot read a private temp folder.
            user = "user root;" if os.geteuid() == 0 else ""
            conf.write_text(NGINX_CONF.format(user=user, tmp=tmp, port=port, root=root.resolve()), encoding="utf-8")
            proc = subprocess.Popen([nginx, "-c", str(conf), "-e", f"{tmp}/error.log"], stderr=subprocess.DEVNULL)
            try:
                wait_for(port)
                yield f"http://127.0.0.1:{port}", "nginx"
            finally:
                proc.terminate()
                proc.wait(timeout=10)
        return
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(_Handler, directory=str(root)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}", "python http.server"
    finally:
        server.shutdown()
        server.server_close()
