"""Benchmark the threshold-contagion engine: ``python benchmarks/bench_contagion.py [--quick]``.

Linear-threshold diffusion on an Erdos-Renyi graph with mean degree 10, thresholds drawn
uniformly in [0.1, 0.3] and 1% random starters (a run that spreads to nearly everyone in about
twenty rounds).  Measured (median of repeats, ``time.perf_counter``):

* ``prepare``: converting the networkx graph once;
* a prepared run against the bare sparse products it needs (the same number of ``W @ x``);
* a run straight from networkx, conversion included (target <= 1.5 s at 100k nodes);
* NDlib's ``ThresholdModel`` on the same graph, thresholds and starters: per-round adopter counts
  must be equal, and the prepared run must be >= 50x faster (skipped if ndlib is missing:
  ``pip install -e .[bench]``);
* a 50-run batch at 10k nodes (target <= 0.5 s);
* peak memory (tracemalloc) of a prepared run, a batch and the conversion.

Prints a table and writes ``benchmarks/results/contagion.json``.  ``--quick`` uses 10k nodes
and fewer repeats, as a smoke test.  ``main`` returns 0 when every target is met, else 1.
"""

import argparse
import sys
import time
import tracemalloc

import networkx as nx
import numpy as np
from _common import exit_status, median_seconds, print_table, row, write_results

from senge_course.models.contagion import RandomStarters, prepare, simulate, simulate_many

MEAN_DEGREE = 10


def main(argv=None):
    """Run the benchmark; return 0 if every target passes, 1 otherwise."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, few repeats")
    args = parser.parse_args(argv)
    n = 10_000 if args.quick else 100_000
    repeats = 3 if args.quick else 7
    batch_n, batch_runs = 10_000, 50
    rows = []

    def add(name, value, unit, target, passed):
        rows.append(row(name, value, target, passed, unit=unit))

    print(f"building an Erdos-Renyi graph, n={n:,}, mean degree {MEAN_DEGREE} ...", flush=True)
    G = nx.fast_gnp_random_graph(n, MEAN_DEGREE / (n - 1), seed=1)
    rng = np.random.default_rng(2)
    thresholds = rng.uniform(0.1, 0.3, n)
    starters = rng.choice(n, size=n // 100, replace=False).tolist()
    size = f"n={n // 1000}k"

    t_prepare = median_seconds(lambda: prepare(G), repeats)
    add(f"prepare (networkx -> CSR), {size}", t_prepare, "s", "<= 1.0 s", t_prepare <= 1.0)

    net = prepare(G)
    result = simulate(net, thresholds, starters)
    rounds = result.rounds
    t_run = median_seconds(lambda: simulate(net, thresholds, starters), repeats)
    x = result.committed.astype(float)
    W = net.matrix

    def bare():
        for _ in range(rounds + 1):  # the run's rounds plus the one that finds nothing new
            W @ x

    t_bare = median_seconds(bare, repeats)
    add(f"prepared run, {size}, {rounds} rounds", t_run, "s", "", None)
    add(f"bare W @ x x {rounds + 1}, {size}", t_bare, "s", "", None)
    ratio = t_run / t_bare
    add("prepared run / bare products", ratio, "x", "<= 2.0", ratio <= 2.0)

    t_e2e = median_seconds(lambda: simulate(G, thresholds, starters), max(3, repeats // 2))
    add(f"end to end from networkx, {size}", t_e2e, "s", "<= 1.5 s", t_e2e <= 1.5)

    _ndlib_rows(G, thresholds, starters, result, t_run, size, add)

    BG = nx.fast_gnp_random_graph(batch_n, MEAN_DEGREE / (batch_n - 1), seed=3)
    bnet = prepare(BG)

    def draw(g):
        return g.uniform(0.1, 0.3, batch_n)

    def batch():
        return simulate_many(bnet, draw, RandomStarters(fraction=0.01), runs=batch_runs, seed=4)

    t_batch = median_seconds(batch, repeats)
    label = f"simulate_many {batch_runs} runs, n={batch_n // 1000}k"
    add(label, t_batch, "s", "<= 0.5 s", t_batch <= 0.5)
    t_singles = median_seconds(
        lambda: [simulate(bnet, draw, RandomStarters(fraction=0.01), seed=s) for s in range(50)],
        max(1, repeats // 3),
    )
    add(f"{batch_runs} separate simulate calls, n={batch_n // 1000}k", t_singles, "s", "", None)

    mb_run = _peak_mb(lambda: simulate(net, thresholds, starters))
    limit = n * 200 / 1e6  # 200 bytes per person
    add(f"peak memory, prepared run, {size}", mb_run, "MB", f"<= {limit:.3g} MB", mb_run <= limit)
    mb_batch = _peak_mb(batch)
    limit = batch_n * batch_runs * 64 / 1e6  # 64 bytes per person and run
    add(f"peak memory, {label}", mb_batch, "MB", f"<= {limit:.3g} MB", mb_batch <= limit)
    mb_prep = _peak_mb(lambda: prepare(G))
    limit = G.number_of_edges() * 2 * 64 / 1e6  # 64 bytes per directed tie
    add(f"peak memory, prepare, {size}", mb_prep, "MB", f"<= {limit:.3g} MB", mb_prep <= limit)

    print_table(rows)
    write_results("contagion", rows, quick=args.quick, n=n, mean_degree=MEAN_DEGREE)
    return exit_status(rows)


def _ndlib_rows(G, thresholds, starters, result, t_run, size, add):
    try:
        import ndlib.models.epidemics as ep
        import ndlib.models.ModelConfig as mc
    except ImportError:
        print("ndlib is not installed (pip install -e .[bench]): skipping the NDlib comparison")
        return
    nodes = list(G)

    def build():
        # NDlib's ThresholdModel: synchronous, fraction of infected neighbours >= threshold,
        # nodes without neighbours never adopt: the engine's fractional convention
        model = ep.ThresholdModel(G, seed=0)
        config = mc.Configuration()
        config.add_model_initial_configuration("Infected", list(starters))
        for node, t in zip(nodes, thresholds, strict=True):
            config.add_node_configuration("threshold", node, float(t))
        model.set_initial_status(config)
        return model

    model = build()
    start = time.perf_counter()
    # iteration 0 is the starters; one more than our rounds shows that nothing changes any more
    its = model.iteration_bunch(result.rounds + 2, node_status=False)
    t_ndlib = time.perf_counter() - start
    ndlib_counts = [it["node_count"][1] for it in its]
    ours = np.rint(result.committed_by_round * len(nodes)).astype(int).tolist()
    equal = ndlib_counts == [*ours, ours[-1]]
    add(f"NDlib ThresholdModel run, {size}", t_ndlib, "s", "", None)
    add("NDlib per-round adopter counts equal", float(equal), "bool", "equal", equal)
    speedup = t_ndlib / t_run
    add("speed-up over NDlib (prepared run)", speedup, "x", ">= 50", speedup >= 50)
    if not equal:
        print(f"NDlib counts {ndlib_counts}\nour counts   {ours}")


def _peak_mb(fn):
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


if __name__ == "__main__":
    sys.exit(main())
