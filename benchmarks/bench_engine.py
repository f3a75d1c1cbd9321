"""How fast the numpy dropout engine is, measured beside PyTorch on the CPU.

The engine exists to drive a small interactive page: it trains tiny networks step by step and averages
over every sub-network exactly. Both only feel live if they are fast, so this script measures the two
costs that matter, each next to what a PyTorch user would write for the same job.

1. Training steps per second. One step is a forward pass in training mode (fresh dropout masks), the
   cross-entropy loss, the backward pass and an Adam update (lr = 0.01) on one minibatch, for the page's
   net 2-8-8-3 with batch 32 and for a larger 2-64-64-3 with batch 256 (ReLU, dropout p = 0.5 on the
   hidden units). The engine runs through its public API (``MLP.gradients`` + ``Adam.step``) and through
   ``Trainer.step``, which also shuffles and checks every step for divergence. PyTorch runs the same
   network with the same initial weights, in float64 and float32, with its default thread count and with
   one thread; the fastest of those is the peer in the ratios, so the comparison is fair to PyTorch.
   Both sides cycle through the same 64 minibatches. Every contender is warmed up, then timed over about
   a second of steps, five times (``--quick``: 0.1 s, three times), with the repeats of all contenders
   interleaved so that drift in the machine's speed affects each alike. The figures are the median and
   the best repeat.

2. The exact average over all 2^16 sub-networks of a 2-16-3 net on 256 inputs (``exact_average``), beside
   a 1000-sample Monte Carlo average for context and two PyTorch peers that enumerate every mask in
   chunks: the naive way (mask the hidden units, apply the output layer, softmax, weighted sum) and the
   same with the masks folded into one matrix product per chunk. The PyTorch results must match the
   engine's arithmetic mean to 1e-9.

Targets are printed with PASS or MISS; the script is a report, so it exits with 0 whatever they show.

    python benchmarks/bench_engine.py           # full run, about 90 s
    python benchmarks/bench_engine.py --quick   # smoke run, well under 20 s
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

import dropout_playground as dp

N_BATCHES = 64
DROP_PROBABILITY = 0.5
LEARNING_RATE = 0.01
SMALL_NET_TARGET = 2.0  # engine steps/s ÷ peer PyTorch steps/s, on the small net
EXACT_TARGET_SECONDS = 1.0
AGREEMENT_TOLERANCE = 1e-9
EXACT_SIZES = [2, 16, 3]
EXACT_BATCH = 256
MONTE_CARLO_SAMPLES = 1000
NAIVE_CHUNK = 256  # masks per chunk for the naive PyTorch enumeration (fastest of 64 … 512 here)
FOLDED_CHUNK = 2048  # masks per chunk for the folded one (fastest of 256 … 16384 here)
DEFAULT_TORCH_THREADS = torch.get_num_threads()


@dataclass(frozen=True)
class Settings:
    seconds: float  # the length of one timed measurement, roughly
    repeats: int
    warmup_seconds: float
    exact_repeats: int


FULL = Settings(seconds=1.0, repeats=5, warmup_seconds=0.3, exact_repeats=5)
QUICK = Settings(seconds=0.1, repeats=3, warmup_seconds=0.05, exact_repeats=1)


@dataclass(frozen=True)
class NetCase:
    sizes: tuple[int, ...]
    batch_size: int

    @property
    def label(self) -> str:
        return f"{'-'.join(map(str, self.sizes))}, batch {self.batch_size}"


SMALL_NET = NetCase((2, 8, 8, 3), 32)
LARGE_NET = NetCase((2, 64, 64, 3), 256)

Batches = list[tuple[np.ndarray, np.ndarray]]


@dataclass
class Contender:
    """One way of running a training step, and the wall-clock times of its timed repeats."""

    name: str
    step: Callable[[], object]
    torch_threads: int | None = None  # PyTorch's thread count while this one runs; None: leave it
    n_steps: int = 0
    times: list[float] = field(default_factory=list)

    @property
    def is_torch(self) -> bool:
        return self.torch_threads is not None

    @property
    def median_rate(self) -> float:
        return self.n_steps / statistics.median(self.times)

    @property
    def best_rate(self) -> float:
        return self.n_steps / min(self.times)


# -- the machine ------------------------------------------------------------------------------------------
def blas_name() -> str:
    try:
        config = np.show_config(mode="dicts")
        return str(config["Build Dependencies"]["blas"]["name"])
    except Exception:
        return "unknown"


def engine_revision() -> str:
    """The commit the benchmarked engine's source comes from, and whether its files differ from it."""
    package = Path(dp.__file__).resolve().parent

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=package, capture_output=True, text=True, check=True).stdout.strip()

    try:
        commit = git("rev-parse", "--short", "HEAD")
        changed = git("status", "--porcelain", "--", ".")
    except (OSError, subprocess.CalledProcessError):
        return "not from a git checkout"
    return f"commit {commit}" + (" with uncommitted changes" if changed else "")


def print_machine(settings: Settings) -> None:
    print("Dropout engine benchmark")
    print(f"  python {platform.python_version()} ({platform.python_implementation()}) on {platform.machine()}")
    print(f"  numpy {np.__version__} (BLAS: {blas_name()}), torch {torch.__version__}")
    print(f"  dropout_playground {dp.__version__} ({engine_revision()})")
    print(f"  CPUs: {os.cpu_count()}; torch threads by default: {DEFAULT_TORCH_THREADS}")
    print_load("before")
    runs = settings.exact_repeats
    print(
        f"  timing: training, {settings.repeats} interleaved repeats of ~{settings.seconds:g} s per contender; "
        f"averages, {runs} timed run{'s' * (runs > 1)} after a warm-up; median and best reported"
    )


def print_load(when: str) -> None:
    """Other busy processes slow the timed code down, PyTorch's multi-threaded runs most of all."""
    one_minute = os.getloadavg()[0]
    print(f"  load average over the last minute, {when}: {one_minute:.2f} (near 0 on an otherwise idle machine)")


# -- training steps -----------------------------------------------------------------------------------------
def make_data(case: NetCase) -> tuple[dp.Dataset, Batches]:
    """A blobs dataset of exactly N_BATCHES minibatches, and those minibatches in a fixed order."""
    data = dp.blobs(n_samples=N_BATCHES * case.batch_size, test_fraction=0.0, seed=0)
    order = np.random.default_rng(1).permutation(len(data.x_train))
    x, y = data.x_train[order], data.y_train[order].astype(np.int64)
    size = case.batch_size
    batches = [(x[i * size : (i + 1) * size], y[i * size : (i + 1) * size]) for i in range(N_BATCHES)]
    return data, batches


def engine_step(case: NetCase, batches: Batches) -> Callable[[], object]:
    net = dp.MLP(case.sizes, p=DROP_PROBABILITY, seed=0)
    optimizer = dp.Adam(net.parameters(), lr=LEARNING_RATE)
    cycle = itertools.cycle(batches)

    def step() -> None:
        x, y = next(cycle)
        _, grads = net.gradients(x, y)
        optimizer.step(grads.as_list())

    return step


def trainer_step(case: NetCase, data: dp.Dataset) -> Callable[[], object]:
    net = dp.MLP(case.sizes, p=DROP_PROBABILITY, seed=0)
    optimizer = dp.Adam(net.parameters(), lr=LEARNING_RATE)
    trainer = dp.Trainer(net, data, optimizer, batch_size=case.batch_size, seed=0)
    return trainer.step


def torch_step(case: NetCase, batches: Batches, dtype: torch.dtype) -> Callable[[], object]:
    net = dp.MLP(case.sizes, p=DROP_PROBABILITY, seed=0)
    model = dp.to_torch(net, output_activation=False).to(dtype).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    cycle = itertools.cycle([(torch.from_numpy(x).to(dtype), torch.from_numpy(y)) for x, y in batches])

    def step() -> None:
        x, y = next(cycle)
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

    return step


def training_contenders(case: NetCase) -> list[Contender]:
    data, batches = make_data(case)
    contenders = [
        Contender("engine  MLP.gradients + Adam.step", engine_step(case, batches)),
        Contender("engine  Trainer.step", trainer_step(case, data)),
    ]
    for dtype in (torch.float64, torch.float32):
        for threads in sorted({DEFAULT_TORCH_THREADS, 1}, reverse=True):
            name = f"torch   {str(dtype).removeprefix('torch.')}, {threads} thread{'s' * (threads > 1)}"
            contenders.append(Contender(name, torch_step(case, batches, dtype), torch_threads=threads))
    return contenders


@contextmanager
def torch_thread_count(count: int | None) -> Iterator[None]:
    if count is None:
        yield
        return
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(DEFAULT_TORCH_THREADS)


def run_steps(step: Callable[[], object], count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        step()
    return time.perf_counter() - start


def warm_up(contender: Contender, settings: Settings) -> None:
    """Run steps for ``warmup_seconds``, and size the timed repeats from the rate seen."""
    steps, elapsed = 0, 0.0
    with torch_thread_count(contender.torch_threads):
        while elapsed < settings.warmup_seconds:
            elapsed += run_steps(contender.step, 10)
            steps += 10
    contender.n_steps = max(10, round(settings.seconds * steps / elapsed))


def measure_interleaved(contenders: list[Contender], settings: Settings) -> None:
    for contender in contenders:
        warm_up(contender, settings)
    for _ in range(settings.repeats):
        for contender in contenders:
            with torch_thread_count(contender.torch_threads):
                contender.times.append(run_steps(contender.step, contender.n_steps))


def fastest_torch(contenders: list[Contender]) -> Contender:
    return max((c for c in contenders if c.is_torch), key=lambda c: c.median_rate)


def print_training_table(case: NetCase, contenders: list[Contender]) -> None:
    peer = fastest_torch(contenders)
    print(f"\n  {case.label}")
    print(f"    {'':36}{'median steps/s':>16}{'best steps/s':>14}{'vs peer':>10}")
    for contender in contenders:
        mark = "  <- peer" if contender is peer else ""
        print(
            f"    {contender.name:36}{contender.median_rate:16,.0f}{contender.best_rate:14,.0f}"
            f"{contender.median_rate / peer.median_rate:9.2f}x{mark}"
        )


def plain(name: str) -> str:
    """A table row's name for use in a sentence: without the padding that lines up the columns."""
    return " ".join(name.split())


def verdict(passed: bool) -> str:
    return "PASS" if passed else "MISS"


def print_training_targets(results: dict[NetCase, list[Contender]]) -> None:
    print("\n  Targets (engine median steps/s ÷ peer PyTorch median steps/s)")
    for case, contenders in results.items():
        peer = fastest_torch(contenders)
        print(f"    {case.label}, peer: {plain(peer.name)}")
        for contender in contenders:
            if contender.is_torch:
                continue
            ratio = contender.median_rate / peer.median_rate
            if case == SMALL_NET:
                goal = f">= {SMALL_NET_TARGET:.1f}x  {verdict(ratio >= SMALL_NET_TARGET)}"
            else:
                goal = "(no target)"
            print(f"      {contender.name:36}{ratio:6.2f}x  {goal}")


def benchmark_training(settings: Settings) -> None:
    print(f"\n1. Training steps per second (ReLU, dropout p = {DROP_PROBABILITY}, softmax + cross-entropy, Adam)")
    results = {}
    for case in (SMALL_NET, LARGE_NET):
        contenders = training_contenders(case)
        measure_interleaved(contenders, settings)
        print_training_table(case, contenders)
        results[case] = contenders
    print_training_targets(results)


# -- exact enumeration --------------------------------------------------------------------------------------
def all_masks(n_units: int) -> torch.Tensor:
    """Every keep-mask of ``n_units`` units, one per row: row m keeps unit j when bit j of m is set."""
    codes = torch.arange(2**n_units)
    return ((codes[:, None] >> torch.arange(n_units)) & 1).to(torch.float64)


def mask_probabilities(masks: torch.Tensor, p: float) -> torch.Tensor:
    return (masks * (1.0 - p) + (1.0 - masks) * p).prod(dim=1)


def torch_hidden_and_masks(model: torch.nn.Sequential, x: np.ndarray) -> tuple[torch.Tensor, ...]:
    """The hidden activations (the same under every mask), the scaled masks and their probabilities."""
    hidden_linear, activation, dropout = model[0], model[1], model[2]
    hidden = activation(hidden_linear(torch.from_numpy(x)))
    masks = all_masks(hidden.shape[1])
    return hidden, masks / (1.0 - dropout.p), mask_probabilities(masks, dropout.p)


def torch_exact_naive(model: torch.nn.Sequential, x: np.ndarray) -> np.ndarray:
    """Σ_m P(m) softmax(output_layer(m ⊙ hidden)), over chunks of masks."""
    output_linear, softmax = model[3], model[4]
    with torch.no_grad():
        hidden, scaled_masks, weights = torch_hidden_and_masks(model, x)
        mean = torch.zeros(hidden.shape[0], output_linear.out_features, dtype=torch.float64)
        for start in range(0, len(scaled_masks), NAIVE_CHUNK):
            chunk = slice(start, start + NAIVE_CHUNK)
            logits = output_linear(scaled_masks[chunk, None, :] * hidden)  # (masks, batch, classes)
            mean += torch.tensordot(weights[chunk], softmax(logits), dims=1)
    return mean.numpy()


def torch_exact_folded(model: torch.nn.Sequential, x: np.ndarray) -> np.ndarray:
    """The same sum, with logits[m, i, k] = b_k + Σ_j mask[m, j] · (hidden[i, j] · W[k, j]) as one product."""
    output_linear, softmax = model[3], model[4]
    with torch.no_grad():
        hidden, scaled_masks, weights = torch_hidden_and_masks(model, x)
        batch, classes = hidden.shape[0], output_linear.out_features
        per_unit = (hidden.T[:, :, None] * output_linear.weight.T[:, None, :]).reshape(hidden.shape[1], -1)
        mean = torch.zeros(batch, classes, dtype=torch.float64)
        for start in range(0, len(scaled_masks), FOLDED_CHUNK):
            chunk = slice(start, start + FOLDED_CHUNK)
            logits = (scaled_masks[chunk] @ per_unit).reshape(-1, batch, classes) + output_linear.bias
            mean += torch.tensordot(weights[chunk], softmax(logits), dims=1)
    return mean.numpy()


@dataclass
class Averager:
    """One way of averaging over sub-networks, its wall-clock times and its last result."""

    name: str
    run: Callable[[], np.ndarray]  # returns the arithmetic mean over sub-networks, (batch, classes)
    checked: bool  # must agree with the engine's exact mean
    times: list[float] = field(default_factory=list)
    result: np.ndarray | None = None


def exact_averagers() -> list[Averager]:
    net = dp.MLP(EXACT_SIZES, p=DROP_PROBABILITY, seed=0)
    x = np.random.default_rng(0).standard_normal((EXACT_BATCH, EXACT_SIZES[0]))
    model = dp.to_torch(net)

    def monte_carlo() -> np.ndarray:
        return dp.monte_carlo_average(net, x, MONTE_CARLO_SAMPLES, rng=np.random.default_rng(0)).arithmetic

    return [
        Averager("engine  exact_average", lambda: dp.exact_average(net, x).arithmetic, checked=False),
        Averager(f"engine  monte_carlo_average, {MONTE_CARLO_SAMPLES} masks", monte_carlo, checked=False),
        Averager(f"torch   naive, chunks of {NAIVE_CHUNK} masks", lambda: torch_exact_naive(model, x), checked=True),
        Averager(f"torch   folded, chunks of {FOLDED_CHUNK} masks", lambda: torch_exact_folded(model, x), checked=True),
    ]


def time_once(averager: Averager) -> None:
    start = time.perf_counter()
    averager.result = averager.run()
    averager.times.append(time.perf_counter() - start)


def max_gap(averager: Averager, reference: np.ndarray) -> float:
    assert averager.result is not None
    return float(np.abs(averager.result - reference).max())


def print_exact_table(averagers: list[Averager], engine: Averager) -> None:
    assert engine.result is not None
    engine_median = statistics.median(engine.times)
    print(f"    {'':40}{'median s':>10}{'best s':>10}{'time ÷ exact':>17}{'max |diff|':>12}")
    for averager in averagers:
        median = statistics.median(averager.times)
        gap = f"{max_gap(averager, engine.result):12.1e}" if averager.checked else ""
        print(f"    {averager.name:40}{median:10.3f}{min(averager.times):10.3f}{median / engine_median:16.2f}x{gap}")


def print_exact_targets(averagers: list[Averager], engine: Averager) -> None:
    assert engine.result is not None
    engine_median = statistics.median(engine.times)
    print("\n  Targets")
    print(
        f"    {plain(engine.name)} under {EXACT_TARGET_SECONDS:g} s: {engine_median:.3f} s  "
        f"{verdict(engine_median < EXACT_TARGET_SECONDS)}"
    )
    for averager in averagers:
        if averager.checked:
            gap = max_gap(averager, engine.result)
            print(
                f"    {plain(averager.name)} agrees to {AGREEMENT_TOLERANCE:g}: {gap:.1e}  "
                f"{verdict(gap <= AGREEMENT_TOLERANCE)}"
            )


def benchmark_exact(settings: Settings) -> None:
    n_masks = 2 ** EXACT_SIZES[1]
    print(
        f"\n2. Averages over sub-networks of {'-'.join(map(str, EXACT_SIZES))}, {EXACT_BATCH} inputs "
        f"(exact: all {n_masks:,} masks)"
    )
    averagers = exact_averagers()
    for averager in averagers:  # one warm-up run each
        averager.run()
    for _ in range(settings.exact_repeats):
        for averager in averagers:
            time_once(averager)
    print_exact_table(averagers, engine=averagers[0])
    print_exact_targets(averagers, engine=averagers[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter repeats: a smoke run")
    settings = QUICK if parser.parse_args(argv).quick else FULL
    print_machine(settings)
    benchmark_training(settings)
    benchmark_exact(settings)
    print()
    print_load("after (includes this run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
