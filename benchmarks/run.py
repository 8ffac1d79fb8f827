"""Run every benchmark and print its table: ``python benchmarks/run.py [--quick] [NAME ...]``.

Each ``benchmarks/bench_NAME.py`` has ``main(argv)``, prints a table of
(measurement, median, target, pass) and writes ``benchmarks/results/NAME.json``.
``--quick`` runs fewer repeats and smaller sizes, as a smoke test.
The scripts share ``benchmarks/_common.py``, imported as ``_common``: this folder goes on
``sys.path`` first, whatever the current directory.
"""

import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    flags = [a for a in argv if a.startswith("-")]
    names = [a for a in argv if not a.startswith("-")]
    paths = sorted(HERE.glob("bench_*.py"))
    if names:
        paths = [p for p in paths if p.stem.removeprefix("bench_") in names]
    status = 0
    for path in paths:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"\n== {path.stem.removeprefix('bench_')} ==", flush=True)
        start = time.perf_counter()
        status |= module.main(flags) or 0
        print(f"({time.perf_counter() - start:.1f} s)")
    return status


if __name__ == "__main__":
    sys.exit(main())
