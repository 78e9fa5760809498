"""A throwaway Redis for broker-outage tests: started on its own port, stopped at will.

The machine's Redis is never touched; the Celery app in this process is pointed at the throwaway
one (or at its closed port) for the duration of a test.
"""

import base64
import contextlib
import json
import socket
import subprocess
import time
from collections.abc import Iterator

import redis


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayRedis:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        for _ in range(100):
            with contextlib.suppress(redis.ConnectionError):
                if client.ping():
                    return
            time.sleep(0.05)
        raise RuntimeError("throwaway redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None

    def queued_tasks(self, queue: str = "celery") -> list[tuple[str, list]]:
        """(task name, args) of the messages waiting in a queue."""
        out = []
        for raw in redis.Redis(port=self.port).lrange(queue, 0, -1):
            message = json.loads(raw)
            body = json.loads(base64.b64decode(message["body"]))
            out.append((message["headers"]["task"], body[0]))
        return out


@contextlib.contextmanager
def celery_pointed_at(app: object, url: str) -> Iterator[None]:
    """Publish from this process to ``url`` (tasks are not run eagerly meanwhile)."""
    # The write URL: ``broker_url`` is shadowed by a CELERY_BROKER_URL in the environment.
    old_url, old_eager = app.conf.broker_write_url, app.conf.task_always_eager

    def reset_pools() -> None:
        app._pool = None
        with contextlib.suppress(AttributeError, KeyError):
            app.__dict__["amqp"]._producer_pool = None

    app.conf.broker_write_url, app.conf.task_always_eager = url, False
    reset_pools()
    try:
        yield
    finally:
        app.conf.broker_write_url, app.conf.task_always_eager = old_url, old_eager
        reset_pools()
