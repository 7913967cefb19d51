"""A black-hole server: it accepts TCP connections and never answers, as a hung Redis, broker or
SMTP server does (the kernel completes the handshake; the process behind it is stuck)."""

import contextlib
import socket
import threading


class BlackHole:
    """Listens on a free loopback port in a thread of its own; every connection is accepted and kept
    open without a byte sent back until the server stops."""

    def __init__(self):
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)
        self.port = self._server.getsockname()[1]
        self.accepted = 0
        self._connections: list[socket.socket] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="black-hole", daemon=True)

    def url(self, scheme: str = "redis", path: str = "/0") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def _serve(self):
        while not self._stopping.is_set():
            try:
                connection, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            self._connections.append(connection)  # held open, never read from nor written to

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stopping.set()
        self._thread.join(5)
        for connection in [*self._connections, self._server]:
            with contextlib.suppress(OSError):
                connection.close()
