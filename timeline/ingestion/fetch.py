"""Fetching an article's page: the only network I/O in the app.

An editor (or a feed) hands the app a URL; everything about it is hostile until proven otherwise.
`fetch_url` therefore:

- accepts only http and https;
- resolves the host itself, refuses it if any address is private, loopback, link-local or
  otherwise not on the public internet, and connects to the address it checked, so a DNS answer
  that changes between the check and the connection (DNS rebinding) gains nothing;
- follows redirects by hand, checking every hop the same way;
- streams the body and stops at `max_bytes`, both on the wire and after decompression, so a gzip
  bomb costs at most `max_bytes` of memory;
- keeps to one deadline (`timeout` seconds) for the whole fetch, redirects included, however
  slowly the server sends its headers or body;
- accepts HTML and plain text only, and decodes it strictly.

Every refusal is a `FetchError` whose message says what went wrong and what to do about it.
"""

from __future__ import annotations

import codecs
import contextlib
import ipaddress
import re
import socket
import threading
import time
import zlib
from dataclasses import dataclass
from email.message import Message
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings

if TYPE_CHECKING:
    from urllib3._base_connection import BaseHTTPConnection

MAX_REDIRECTS = 5
MAX_URL_LENGTH = 2000
CHUNK_SIZE = 64 * 1024
ACCEPTED_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
# What a feed or a sitemap is served as (many a feed comes as text/xml or even text/html).
FEED_CONTENT_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "text/html",
        "text/plain",
    }
)
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
USER_AGENT = "CrisisTimeline/0.1 (article ingestion)"

# A <meta charset="…"> or http-equiv content-type near the top of an HTML page.
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchError(ValueError):
    """The page could not be fetched; the message is a sentence an editor can act on."""


@dataclass(frozen=True)
class FetchedPage:
    url: str  # what was asked for
    final_url: str  # where the page was found, after redirects
    status: int
    content_type: str  # the media type alone, lower-cased: "text/html"
    text: str
    encoding: str  # the Python codec name the bytes were decoded with
    content: bytes = b""  # the body as sent (decompressed), for parsers that decode it themselves
    etag: str = ""  # the validators a conditional GET sends back next time
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        """The server answered 304 to a conditional GET: nothing new since the validators."""
        return self.status == 304


@dataclass(frozen=True)
class Validators:
    """What a previous answer said of itself, for a conditional GET (RFC 9110 §13)."""

    etag: str = ""
    last_modified: str = ""


def fetch_url(
    url: str,
    *,
    max_bytes: int,
    timeout: float,
    allow_private: bool | None = None,
    accept: frozenset[str] = ACCEPTED_CONTENT_TYPES,
    validators: Validators | None = None,
    decode: bool = True,
) -> FetchedPage:
    """Fetch an HTML or plain-text page from the public web, within `max_bytes` and `timeout`.

    `accept` are the media types taken (feeds pass FEED_CONTENT_TYPES). With `validators`, the
    request is conditional and a 304 answer comes back as a page with `not_modified` and no
    body. `decode=False` leaves the text empty and the bytes in `content`, for a parser that
    reads the encoding from the document itself (an XML declaration).

    `timeout` is the deadline in seconds for the whole fetch, redirects included; no single
    connection or read waits longer than what is left of it. `allow_private` lets the fetch reach
    private and loopback addresses; it defaults to the INGEST_ALLOW_PRIVATE_URLS setting, which is
    off except in tests that serve pages on loopback. Raises FetchError on any refusal.
    """
    if allow_private is None:
        allow_private = bool(getattr(settings, "INGEST_ALLOW_PRIVATE_URLS", False))
    deadline = time.monotonic() + timeout
    request = _Request(accept=accept, validators=validators or Validators(), decode=decode)
    with _Watchdog(deadline) as watchdog:
        return _fetch(
            url,
            allow_private=allow_private,
            max_bytes=max_bytes,
            watchdog=watchdog,
            request=request,
        )


@dataclass(frozen=True)
class _Request:
    accept: frozenset[str]
    validators: Validators
    decode: bool

    def headers(self) -> dict[str, str]:
        if self.accept == ACCEPTED_CONTENT_TYPES:
            accept = "text/html,application/xhtml+xml,text/plain;q=0.9"
        else:
            accept = ",".join(sorted(self.accept)) + ";q=0.9"
        headers = {"Accept": accept}
        if self.validators.etag:
            headers["If-None-Match"] = self.validators.etag
        if self.validators.last_modified:
            headers["If-Modified-Since"] = self.validators.last_modified
        return headers


def _fetch(
    url: str, *, allow_private: bool, max_bytes: int, watchdog: _Watchdog, request: _Request
) -> FetchedPage:
    deadline = watchdog.deadline
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        response = _request(
            current, allow_private=allow_private, watchdog=watchdog, headers=request.headers()
        )
        try:
            watchdog.check(current)
            if response.status == 304 and (
                request.validators.etag or request.validators.last_modified
            ):
                return FetchedPage(
                    url=url,
                    final_url=current,
                    status=304,
                    content_type="",
                    text="",
                    encoding="",
                    etag=response.headers.get("ETag", "") or request.validators.etag,
                    last_modified=response.headers.get("Last-Modified", "")
                    or request.validators.last_modified,
                )
            if response.status in REDIRECT_STATUSES:
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(
                        f"The server answered {response.status} for {current} but gave no "
                        "address to go to; check the URL in a browser."
                    )
                current = urljoin(current, location.strip())
                continue
            if not 200 <= response.status < 300:
                raise FetchError(
                    f"The server answered {response.status} {response.reason or ''}".rstrip()
                    + f" for {current}; check the URL in a browser, or paste the article's text "
                    "instead."
                )
            content_type, charset = _content_type(response, current, request.accept)
            try:
                body = _read_body(response, current, max_bytes=max_bytes, deadline=deadline)
            finally:
                # A socket the deadline shut reads as the end, or as a broken connection.
                watchdog.check(current)
        finally:
            response.close()  # closes the socket too: nothing is kept for reuse
            response.release_conn()
        text, encoding = (
            _decode(body, charset, content_type, current) if request.decode else ("", "")
        )
        return FetchedPage(
            url=url,
            final_url=current,
            status=response.status,
            content_type=content_type,
            text=text,
            encoding=encoding,
            content=body,
            etag=response.headers.get("ETag", ""),
            last_modified=response.headers.get("Last-Modified", ""),
        )
    raise FetchError(
        f"{url} redirected more than {MAX_REDIRECTS} times; open it in a browser and give the "
        "address where the article finally appears."
    )


def post_json(
    url: str,
    body: bytes,
    *,
    headers: dict[str, str],
    timeout: float,
    allow_private: bool | None = None,
) -> int:
    """POST a JSON body to a public address (a webhook) and give the answer's status code.

    The same checks as `fetch_url`: http(s) only, every address of the host public, the
    connection made to the address checked, one deadline. Redirects are not followed (a
    webhook endpoint answers where it is) and the answer's body is not read. FetchError on any
    refusal or failure to connect.
    """
    if allow_private is None:
        allow_private = bool(getattr(settings, "INGEST_ALLOW_PRIVATE_URLS", False))
    deadline = time.monotonic() + timeout
    sent = {"Content-Type": "application/json", **headers}
    with _Watchdog(deadline) as watchdog:
        response = _request(
            url,
            allow_private=allow_private,
            watchdog=watchdog,
            headers=sent,
            method="POST",
            body=body,
        )
        try:
            watchdog.check(url)
            return response.status
        finally:
            response.close()
            response.release_conn()


def check_url(url: str) -> tuple[str, str, int]:
    """Split a URL into (scheme, host, port), refusing anything but plain http(s) addresses."""
    if len(url) > MAX_URL_LENGTH:
        raise FetchError(
            f"The address is {len(url)} characters long; addresses over {MAX_URL_LENGTH} "
            "characters are refused. Check that you pasted the article's URL and nothing more."
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchError(f"{url!r} is not a valid web address; check it and try again.") from None
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise FetchError(
            f"Only http:// and https:// addresses can be fetched, not {scheme or 'this'}: "
            f"{url!r}. Give the article's web address."
        )
    if not parts.hostname:
        raise FetchError(f"{url!r} has no host name; give the article's full web address.")
    if parts.username or parts.password:
        raise FetchError(
            f"{url!r} carries a user name or password; remove them from the address and try again."
        )
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80)


def resolve(host: str, port: int, *, allow_private: bool) -> list[IPAddress]:
    """Every address the host resolves to, refusing the lot if any is not public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(
            f"The host name {host!r} could not be found ({exc}); check the address for typos."
        ) from None
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        # Drop an IPv6 zone ("fe80::1%eth0"); the address itself decides.
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise FetchError(f"The host name {host!r} has no address; check the address for typos.")
    if not allow_private:
        for address in addresses:
            if not is_public(address):
                raise FetchError(
                    f"{host} resolves to {address}, a private, loopback or reserved address; "
                    "only pages on the public internet can be fetched. Paste the article's text "
                    "instead."
                )
    return addresses


def is_public(address: IPAddress) -> bool:
    """True for addresses on the public internet (not private, loopback, link-local, …)."""
    if isinstance(address, ipaddress.IPv6Address):
        # An IPv4 address dressed as IPv6 (::ffff:127.0.0.1, 64:ff9b::7f00:1) is judged as IPv4.
        if address.ipv4_mapped is not None:
            return is_public(address.ipv4_mapped)
        if address in ipaddress.IPv6Network("64:ff9b::/96"):
            return is_public(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        if address.sixtofour is not None:
            return is_public(address.sixtofour)
    return address.is_global and not address.is_multicast


class _Watchdog:
    """Shuts every socket of one fetch when its deadline passes. A read timeout bounds each read,
    not their sum: a server sending its headers a byte at a time would hold the fetch for as long
    as it likes, since urllib3 reads the headers in one call we cannot interrupt otherwise."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._fire)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def check(self, url: str) -> None:
        """What was read is incomplete if the deadline shut the socket while reading it."""
        if self.fired:
            raise FetchError(_too_slow(url, self.deadline))

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            fired = self.fired
        if fired:
            _shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def connection_class(self, base: type[BaseHTTPConnection]) -> type[BaseHTTPConnection]:
        watchdog = self

        class Watched(base):  # type: ignore[valid-type, misc]  # a class made per fetch
            def connect(self) -> None:
                super().connect()
                watchdog.watch(self.sock)

        return Watched


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


def _request(
    url: str,
    *,
    allow_private: bool,
    watchdog: _Watchdog,
    headers: dict[str, str],
    method: str = "GET",
    body: bytes | None = None,
) -> urllib3.BaseHTTPResponse:
    deadline = watchdog.deadline
    scheme, host, port = check_url(url)
    addresses = resolve(host, port, allow_private=allow_private)
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host_header = host if ":" not in host else f"[{host}]"
    if port != (443 if scheme == "https" else 80):
        host_header += f":{port}"
    headers = {
        "Host": host_header,
        "User-Agent": USER_AGENT,
        "Accept-Encoding": "gzip, deflate",
        **headers,
    }
    last_error: Exception | None = None
    for address in addresses:
        remaining = _remaining(deadline, url)
        # Connect to the address that was checked, never to the name: a second DNS lookup could
        # answer differently. TLS still verifies the certificate against the host name.
        pool: urllib3.HTTPConnectionPool
        if scheme == "https":
            pool = urllib3.HTTPSConnectionPool(
                str(address),
                port,
                server_hostname=host,
                assert_hostname=host,
                cert_reqs="CERT_REQUIRED",
                retries=False,
                timeout=urllib3.Timeout(connect=remaining, read=remaining),
            )
        else:
            pool = urllib3.HTTPConnectionPool(
                str(address),
                port,
                retries=False,
                timeout=urllib3.Timeout(connect=remaining, read=remaining),
            )
        pool.ConnectionCls = watchdog.connection_class(pool.ConnectionCls)
        try:
            return pool.urlopen(
                method,
                target,
                body=body,
                headers=headers,
                redirect=False,
                retries=False,
                preload_content=False,
                decode_content=False,
                assert_same_host=False,
            )
        except (urllib3.exceptions.ConnectTimeoutError, urllib3.exceptions.NewConnectionError) as e:
            last_error = e  # try the host's next address
        except urllib3.exceptions.ReadTimeoutError:
            raise FetchError(_too_slow(url, deadline)) from None
        except urllib3.exceptions.SSLError as exc:
            raise FetchError(
                f"The secure connection to {host} failed ({exc}); the site's certificate may be "
                "invalid. Check the address, or paste the article's text instead."
            ) from None
        except urllib3.exceptions.HTTPError as exc:
            if watchdog.fired:
                raise FetchError(_too_slow(url, deadline)) from None
            raise FetchError(
                f"Fetching {url} failed ({exc}); check the address, or try again later."
            ) from None
    if isinstance(last_error, urllib3.exceptions.ConnectTimeoutError):
        raise FetchError(_too_slow(url, deadline))
    raise FetchError(
        f"Could not connect to {host} on port {port}; check the address, or try again later."
    )


def _remaining(deadline: float, url: str) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(_too_slow(url, deadline))
    return remaining


def _too_slow(url: str, deadline: float) -> str:
    return (
        f"{url} took too long to answer and was abandoned; try again later, or paste the "
        "article's text instead."
    )


def _content_type(
    response: urllib3.BaseHTTPResponse, url: str, accept: frozenset[str]
) -> tuple[str, str | None]:
    raw = response.headers.get("Content-Type", "")
    message = Message()
    message["Content-Type"] = raw
    media_type = message.get_content_type() if raw else ""
    if media_type not in accept:
        wanted = (
            "an HTML page or plain text; give the address of the article's web page"
            if accept == ACCEPTED_CONTENT_TYPES
            else "a feed or a sitemap; give the address of the outlet's RSS or Atom feed"
        )
        raise FetchError(f"{url} is {media_type or 'of no stated type'}, not {wanted}.")
    charset = message.get_param("charset")
    return media_type, str(charset) if isinstance(charset, str) else None


def _decompressor(encoding: str, url: str) -> zlib._Decompress | None:
    encoding = encoding.strip().lower()
    if encoding in {"", "identity"}:
        return None
    if encoding in {"gzip", "x-gzip"}:
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    raise FetchError(
        f"{url} was sent compressed as {encoding!r}, which the app cannot read; try again later "
        "or paste the article's text instead."
    )


def _read_body(
    response: urllib3.BaseHTTPResponse, url: str, *, max_bytes: int, deadline: float
) -> bytes:
    too_big = FetchError(
        f"{url} is larger than the {max_bytes:,} bytes an article may have; check that it is a "
        "single article, or raise INGEST_MAX_BYTES."
    )
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_big
    decompressor = _decompressor(response.headers.get("Content-Encoding", ""), url)
    received = 0
    body = bytearray()
    try:
        while True:
            remaining = _remaining(deadline, url)
            _set_read_timeout(response, remaining)
            chunk = response.read1(CHUNK_SIZE, decode_content=False)
            if not chunk:
                break
            received += len(chunk)
            if received > max_bytes:
                raise too_big
            if decompressor is None:
                body += chunk
            else:
                # Never inflate more than we may keep: a gzip bomb stops here, not in memory.
                body += decompressor.decompress(chunk, max_bytes - len(body) + 1)
                if decompressor.unconsumed_tail:
                    raise too_big
            if len(body) > max_bytes:
                raise too_big
        if decompressor is not None:
            body += decompressor.flush()
            if len(body) > max_bytes:
                raise too_big
    except zlib.error:
        raise FetchError(
            f"{url} was sent with broken compression; try again later, or paste the article's "
            "text instead."
        ) from None
    except (urllib3.exceptions.ReadTimeoutError, TimeoutError):
        raise FetchError(_too_slow(url, deadline)) from None
    except urllib3.exceptions.HTTPError as exc:
        raise FetchError(
            f"The connection broke while fetching {url} ({exc}); try again later."
        ) from None
    return bytes(body)


def _set_read_timeout(response: urllib3.BaseHTTPResponse, seconds: float) -> None:
    # Each read waits at most what is left of the deadline, so a server that drips one byte at a
    # time cannot hold the fetch open past it.
    connection = getattr(response, "connection", None)
    sock = getattr(connection, "sock", None)
    if sock is not None:
        sock.settimeout(seconds)


def _decode(body: bytes, charset: str | None, content_type: str, url: str) -> tuple[str, str]:
    declared = charset
    if declared is None and body.startswith(codecs.BOM_UTF8):
        declared = "utf-8-sig"
    if declared is None and content_type != "text/plain":
        match = _META_CHARSET.search(body[:4096])
        if match:
            declared = match.group(1).decode("ascii", "replace")
    name = declared or "utf-8"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise FetchError(
            f"{url} says its text is in the {name!r} encoding, which the app does not know; "
            "paste the article's text instead."
        ) from None
    if codec == "utf-8" and body.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as exc:
        how = f"declares {name!r}" if declared else "declares no encoding and is not UTF-8"
        raise FetchError(
            f"{url} {how}, but byte {exc.start} cannot be read that way; paste the article's "
            "text instead."
        ) from None
    if "\x00" in text:
        raise FetchError(
            f"{url} holds binary data (NUL characters), not text; give the address of the "
            "article's web page."
        )
    return text, codec
