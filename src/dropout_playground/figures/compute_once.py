"""A cache shared by every session, for values that are expensive to make and never modified: a class
opening the page together computes each of them once."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class ComputeOnceCache(Generic[K, V]):
    """A small least-recently-used cache shared by every session, whose values are never modified.

    A value is computed once however many threads ask for it at the same time: the first computes it,
    the others wait for its result. If computing fails, every waiting thread gets the same error and
    nothing is cached, so the next request tries again.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._done: OrderedDict[K, V] = OrderedDict()
        self._pending: dict[K, Future[V]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._done)

    def get(self, key: K, make: Callable[[], V]) -> V:
        with self._lock:
            if key in self._done:
                self._done.move_to_end(key)
                return self._done[key]
            pending = self._pending.get(key)
            if pending is None:
                future: Future[V] = Future()
                self._pending[key] = future
        if pending is not None:
            return pending.result()  # computed by another thread; raises its error if it failed
        try:
            value = make()  # outside the lock: other keys need not wait for this one
        except BaseException as error:
            with self._lock:
                del self._pending[key]
            future.set_exception(error)
            raise
        with self._lock:
            del self._pending[key]
            self._done[key] = value
            while len(self._done) > self.size:
                self._done.popitem(last=False)
        future.set_result(value)
        return value
