"""Fetching a URL is the app's only network I/O, and it trusts nothing it is given.

Every page here is served from a loopback http.server in a thread; nothing leaves the machine.
Loopback is itself a private address, so tests that need the first hop to succeed either turn on
INGEST_ALLOW_PRIVATE_URLS or treat 127.0.0.1 alone as "public" (`loopback_counts_as_public`).
"""

from __future__ import annotations

import contextlib
import gzip
import ipaddress
import re
import socket
import threading
import time
from collections.abc import Iterator
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from timeline.ingestion import fetch
from timeline.ingestion.fetch import FetchError, fetch_url

ARTICLE = "<html><head><title>Troops</title></head><body><p>Russia massed troops.</p></body></html>"
MAX = 1024 * 1024


@cache
def gzip_bomb() -> bytes:
    """64 MiB of zeros, gzipped to about 64 KiB."""
    return gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)


class Handler(BaseHTTPRequestHandler):
    """One route per way a page can go wrong."""

    protocol_version = "HTTP/1.1"
    seen_hosts: list[str] = []

    def log_message(self, format: str, *args: Any) -> None:  # keep the test output quiet
        pass

    def send(
        self,
        body: bytes,
        *,
        status: int = 200,
        content_type: str | None = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
        length: bool = True,
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if length:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)  # the client may rightly have given up

    def do_GET(self) -> None:
        Handler.seen_hosts.append(self.headers.get("Host", ""))
        path = self.path
        address = self.server.server_address
        assert isinstance(address, tuple)  # an IP socket, not a Unix one
        port = address[1]
        if path == "/article":
            self.send(ARTICLE.encode())
        elif path == "/plain":
            self.send(b"Plain words.", content_type="text/plain")
        elif path == "/redirect-relative":
            self.send(b"", status=302, headers={"Location": "/article"})
        elif path == "/redirect-to-metadata":
            target = "http://169.254.169.254/latest/meta-data/"
            self.send(b"", status=302, headers={"Location": target})
        elif path == "/redirect-to-other-loopback":
            self.send(b"", status=301, headers={"Location": f"http://127.0.0.2:{port}/article"})
        elif path == "/redirect-to-file":
            self.send(b"", status=302, headers={"Location": "file:///etc/passwd"})
        elif path == "/redirect-loop":
            self.send(b"", status=302, headers={"Location": "/redirect-loop"})
        elif path == "/big":
            self.send(b"a" * (2 * MAX))
        elif path == "/big-unannounced":
            self.send(b"a" * (2 * MAX), length=False)
            self.close_connection = True
        elif path == "/gzip-bomb":
            self.send(gzip_bomb(), headers={"Content-Encoding": "gzip"}, content_type="text/html")
        elif path == "/gzipped":
            self.send(gzip.compress(ARTICLE.encode()), headers={"Content-Encoding": "gzip"})
        elif path == "/brotli":
            self.send(b"\x1b\x00", headers={"Content-Encoding": "br"})
        elif path == "/image":
            self.send(b"\x89PNG\r\n\x1a\n", content_type="image/png")
        elif path == "/json":
            self.send(b"{}", content_type="application/json")
        elif path == "/untyped":
            self.send(ARTICLE.encode(), content_type=None)
        elif path == "/latin1-declared":
            self.send(
                "Kyiv – café".encode("latin-1", "replace"),
                content_type=("text/plain; charset=ISO-8859-1"),
            )
        elif path == "/latin1-undeclared":
            self.send("<p>café</p>".encode("latin-1"), content_type="text/html")
        elif path == "/meta-charset":
            body = '<html><head><meta charset="windows-1251"></head><p>Киев</p></html>'
            self.send(body.encode("cp1251"), content_type="text/html")
        elif path == "/unknown-charset":
            self.send(b"hello", content_type="text/html; charset=klingon-8")
        elif path == "/binary":
            self.send(b"<p>a\0b</p>", content_type="text/html")
        elif path == "/missing":
            self.send(b"Not here", status=404)
        elif path == "/slow-headers":
            time.sleep(3)
            self.send(ARTICLE.encode())
        elif path == "/drip-headers":
            # The status line and headers a byte at a time: every read is quick, the whole not.
            head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"a" * 200
            try:
                for byte in head:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.05)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(50):
                    self.wfile.write(b"a")
                    self.wfile.flush()
                    time.sleep(0.1)
            except (BrokenPipeError, ConnectionResetError):
                pass
        else:
            self.send(b"No such route", status=404)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # slow handlers must not hold up the end of the test run

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that hang up early are what several tests are about


@contextlib.contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A loopback HTTP server answering with `handler`, on a free port: its base URL."""
    httpd = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving(Handler) as url:
        yield url


@pytest.fixture
def loopback_allowed(settings: Any) -> None:
    settings.INGEST_ALLOW_PRIVATE_URLS = True


@pytest.fixture
def loopback_counts_as_public(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    """127.0.0.1 stands in for a public host; every other non-public address is still refused."""
    settings.INGEST_ALLOW_PRIVATE_URLS = False
    real = fetch.is_public
    monkeypatch.setattr(
        fetch,
        "is_public",
        lambda address: address == ipaddress.ip_address("127.0.0.1") or real(address),
    )


def get(url: str, **kwargs: Any) -> fetch.FetchedPage:
    return fetch_url(url, max_bytes=kwargs.pop("max_bytes", MAX), timeout=5, **kwargs)


# The happy paths


def test_it_fetches_an_html_page(server: str, loopback_allowed: None) -> None:
    page = get(f"{server}/article")
    assert page.status == 200
    assert page.content_type == "text/html"
    assert page.encoding == "utf-8"
    assert "Russia massed troops." in page.text
    assert page.url == page.final_url == f"{server}/article"


def test_it_fetches_plain_text(server: str, loopback_allowed: None) -> None:
    assert get(f"{server}/plain").text == "Plain words."


def test_it_follows_a_relative_redirect_and_reports_where_it_ended(
    server: str, loopback_allowed: None
) -> None:
    page = get(f"{server}/redirect-relative")
    assert page.url == f"{server}/redirect-relative"
    assert page.final_url == f"{server}/article"


def test_it_inflates_a_gzipped_page(server: str, loopback_allowed: None) -> None:
    assert get(f"{server}/gzipped").text == ARTICLE


def test_it_decodes_the_declared_charset(server: str, loopback_allowed: None) -> None:
    page = get(f"{server}/latin1-declared")
    assert page.text == "Kyiv ? café"
    assert page.encoding == "iso8859-1"


def test_it_reads_the_charset_from_a_meta_tag(server: str, loopback_allowed: None) -> None:
    page = get(f"{server}/meta-charset")
    assert "Киев" in page.text
    assert page.encoding == "cp1251"


def test_it_connects_to_the_address_it_checked_not_to_a_second_lookup(
    server: str, loopback_counts_as_public: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DNS rebinding: the first answer passes the check, any later one would point inside.
    answers = iter(["127.0.0.1"])
    real_getaddrinfo = socket.getaddrinfo

    def rebinding(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "news.example":
            address = next(answers, "10.0.0.1")
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    port = server.rsplit(":", 1)[1]
    Handler.seen_hosts.clear()

    page = get(f"http://news.example:{port}/article")

    assert "Russia massed troops." in page.text
    assert Handler.seen_hosts == [f"news.example:{port}"]


# Addresses that are refused


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "ftp://example.org/article.txt",
        "gopher://127.0.0.1:70/",
        "data:text/html,<script>alert(1)</script>",
        "//example.org/no-scheme",
        "http://",
        "http://user:secret@example.org/",
        "http://[::1",
        "http://example.org/" + "a" * 3000,
    ],
)
def test_it_refuses_addresses_that_are_not_plain_web_pages(url: str) -> None:
    with pytest.raises(FetchError) as error:
        get(url)
    assert str(error.value).endswith(".")


def test_it_refuses_loopback_unless_the_setting_allows_it(server: str, settings: Any) -> None:
    settings.INGEST_ALLOW_PRIVATE_URLS = False
    with pytest.raises(FetchError, match="private, loopback or reserved address"):
        get(f"{server}/article")


@pytest.mark.parametrize(
    "address",
    [
        *["10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1", "224.0.0.1"],
        "0.0.0.0",  # noqa: S104 — an address to refuse, not one to bind
        *["::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2002:7f00:1::1"],
    ],
)
def test_it_refuses_a_host_that_resolves_to_a_private_address(
    address: str, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.INGEST_ALLOW_PRIVATE_URLS = False
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda *a, **k: [(family, socket.SOCK_STREAM, 6, "", (address, 80))]
    )
    with pytest.raises(FetchError, match="only pages on the public internet"):
        get("http://innocent.example/article")


def test_it_refuses_a_host_when_any_of_its_addresses_is_private(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.INGEST_ALLOW_PRIVATE_URLS = False
    answers = [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 80)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 80)),
    ]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: answers)
    with pytest.raises(FetchError, match=re.escape("10.1.2.3")):
        get("http://mixed.example/article")


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1::1", "8.8.8.8"])
def test_public_addresses_are_public(address: str) -> None:
    assert fetch.is_public(ipaddress.ip_address(address))


def test_it_refuses_a_redirect_to_the_cloud_metadata_address(
    server: str, loopback_counts_as_public: None
) -> None:
    with pytest.raises(FetchError, match=re.escape("169.254.169.254")):
        get(f"{server}/redirect-to-metadata")


def test_it_refuses_a_redirect_to_another_loopback_address(
    server: str, loopback_counts_as_public: None
) -> None:
    with pytest.raises(FetchError, match=re.escape("127.0.0.2")):
        get(f"{server}/redirect-to-other-loopback")


def test_it_refuses_a_redirect_to_a_file(server: str, loopback_allowed: None) -> None:
    with pytest.raises(FetchError, match="Only http:// and https://"):
        get(f"{server}/redirect-to-file")


def test_it_gives_up_on_a_redirect_loop(server: str, loopback_allowed: None) -> None:
    with pytest.raises(FetchError, match="redirected more than 5 times"):
        get(f"{server}/redirect-loop")


# Bodies that are refused


def test_it_refuses_a_page_larger_than_the_limit(server: str, loopback_allowed: None) -> None:
    with pytest.raises(FetchError, match="larger than the 1,048,576 bytes"):
        get(f"{server}/big")


def test_it_stops_reading_a_page_that_does_not_announce_its_size(
    server: str, loopback_allowed: None
) -> None:
    with pytest.raises(FetchError, match="larger than"):
        get(f"{server}/big-unannounced")


def test_it_refuses_a_gzip_bomb_without_inflating_it(server: str, loopback_allowed: None) -> None:
    gzip_bomb()  # build it before timing
    started = time.monotonic()
    with pytest.raises(FetchError, match="larger than"):
        get(f"{server}/gzip-bomb")
    assert time.monotonic() - started < 2


def test_it_refuses_compression_it_cannot_read(server: str, loopback_allowed: None) -> None:
    with pytest.raises(FetchError, match="compressed as 'br'"):
        get(f"{server}/brotli")


@pytest.mark.parametrize("path", ["/image", "/json", "/untyped"])
def test_it_refuses_what_is_not_html_or_text(
    path: str, server: str, loopback_allowed: None
) -> None:
    with pytest.raises(FetchError, match="not an HTML page or plain text"):
        get(f"{server}{path}")


def test_it_refuses_undeclared_bytes_that_are_not_utf8(server: str, loopback_allowed: None) -> None:
    with pytest.raises(FetchError, match="declares no encoding and is not UTF-8"):
        get(f"{server}/latin1-undeclared")


def test_it_refuses_an_unknown_charset(server: str, loopback_allowed: None) -> None:
    with pytest.raises(FetchError, match="'klingon-8' encoding"):
        get(f"{server}/unknown-charset")


def test_it_refuses_binary_content(server: str, loopback_allowed: None) -> None:
    with pytest.raises(FetchError, match="binary data"):
        get(f"{server}/binary")


def test_it_reports_an_error_status(server: str, loopback_allowed: None) -> None:
    with pytest.raises(FetchError, match="answered 404"):
        get(f"{server}/missing")


# Time


def test_it_gives_up_on_a_server_that_does_not_answer(server: str, loopback_allowed: None) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="took too long"):
        fetch_url(f"{server}/slow-headers", max_bytes=MAX, timeout=0.5)
    assert time.monotonic() - started < 2


def test_it_keeps_to_the_deadline_when_a_server_drips_bytes(
    server: str, loopback_allowed: None
) -> None:
    # Each byte arrives well within a read timeout; only the overall deadline stops this.
    started = time.monotonic()
    with pytest.raises(FetchError, match="took too long"):
        fetch_url(f"{server}/drip", max_bytes=MAX, timeout=1)
    assert time.monotonic() - started < 2


def test_it_keeps_to_the_deadline_when_a_server_drips_its_headers(
    server: str, loopback_allowed: None
) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="took too long"):
        fetch_url(f"{server}/drip-headers", max_bytes=MAX, timeout=1)
    assert time.monotonic() - started < 2


def test_it_gives_up_on_a_connection_that_hangs(
    loopback_allowed: None,
) -> None:
    # A listening socket that never accepts: the connection is queued, the request never answered.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(FetchError, match="took too long"):
            fetch_url(f"http://127.0.0.1:{port}/", max_bytes=MAX, timeout=0.5)
        assert time.monotonic() - started < 2


def test_every_refusal_is_a_value_error_with_a_sentence() -> None:
    error = FetchError("x")
    assert isinstance(error, ValueError)
