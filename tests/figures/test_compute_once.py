"""The cache the figures share between sessions: each value is computed once, by the first to ask."""

from __future__ import annotations

import threading

from dropout_playground.figures import EnsembleGap, EnsembleGapSettings, ensemble_gap
from dropout_playground.figures.compute_once import ComputeOnceCache
from dropout_playground.figures.ensemble_gap import cached_study


def test_the_cache_forgets_the_least_recently_used_value():
    made = []
    cache: ComputeOnceCache[int, int] = ComputeOnceCache(2)

    def get(key: int) -> int:
        return cache.get(key, lambda: made.append(key) or key * 10)

    assert [get(1), get(2), get(1), get(3)] == [10, 20, 10, 30]  # 3 pushes out 2, used least recently
    assert len(cache) == 2
    get(1)
    get(2)
    assert made == [1, 2, 3, 2]


class CountedLookups(dict):
    """Stands in for a cache's table of values being computed. Every request that finds no finished value
    looks here once, under the cache's lock, and then either computes or waits for whoever does: once all
    ``expected`` requests have looked, every one of them is computing or waiting."""

    def __init__(self, expected: int) -> None:
        super().__init__()
        self.expected = expected
        self.lookups = 0
        self.everyone_asked = threading.Event()

    def get(self, key, default=None):
        self.lookups += 1
        if self.lookups == self.expected:
            self.everyone_asked.set()
        return super().get(key, default)


def ask_at_once(threads: int, ask) -> tuple[list, list]:
    """Run ``ask()`` in that many threads at once; their results and their errors."""
    results, errors = [], []
    start = threading.Barrier(threads)

    def run() -> None:
        start.wait()
        try:
            results.append(ask())
        except Exception as error:
            errors.append(error)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not any(worker.is_alive() for worker in workers)
    return results, errors


def test_a_hundred_sessions_opening_at_once_share_one_computation(monkeypatch):
    # A class opening the page together: one study is computed, and every session waits for it.
    real = cached_study("blobs", 0)
    cache: ComputeOnceCache = ComputeOnceCache(8)
    lookups = CountedLookups(expected=100)
    cache._pending = lookups
    computed = []

    def slow_study(dataset, seed):
        computed.append((dataset, seed))
        assert lookups.everyone_asked.wait(timeout=30), "not every session asked for the study"
        return real

    monkeypatch.setattr(ensemble_gap, "_studies", cache)
    monkeypatch.setattr(ensemble_gap, "study", slow_study)
    figures, errors = ask_at_once(100, lambda: EnsembleGap(EnsembleGapSettings(seed=0)))
    assert errors == [] and len(figures) == 100
    assert computed == [("blobs", 0)]
    assert all(figure.study is real for figure in figures)
    assert cache._pending == {} and len(cache) == 1


def test_a_failed_computation_reaches_every_waiter_and_is_not_cached():
    cache: ComputeOnceCache[str, str] = ComputeOnceCache(8)
    lookups = CountedLookups(expected=20)
    cache._pending = lookups
    attempts = []

    def failing() -> str:
        attempts.append("failing")
        assert lookups.everyone_asked.wait(timeout=30), "not every thread asked"
        raise MemoryError("out of memory while measuring")

    results, errors = ask_at_once(20, lambda: cache.get("blobs", failing))
    assert results == [] and len(errors) == 20
    assert all(isinstance(error, MemoryError) for error in errors)
    assert attempts == ["failing"]
    # Nothing was kept: the next request computes again, and this time it works.
    assert cache.get("blobs", lambda: "measured") == "measured"
    assert cache.get("blobs", failing) == "measured" and attempts == ["failing"]
