"""The ``petlens`` command line: ``petlens demo``, ``petlens report``, ``petlens ls``."""

from __future__ import annotations

import argparse
import sys

from .errors import PetLensError
from .report import DEFAULT_MAX_MB
from .run_folder import RUNS_FOLDER

DESCRIPTION = ("See what your fastai image classifier learned: record training with PetLens, "
               "then explore and share the run. 'petlens demo' trains chapter 5's recipe on "
               "synthetic pets and records a run, 'petlens report RUN' writes its offline "
               "HTML report, 'petlens ls' lists runs.")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="petlens", description=DESCRIPTION)
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser(
        "demo", help="train chapter 5's recipe on built-in synthetic pets and record a run")
    demo.add_argument("--out", default=RUNS_FOLDER, help=f"folder for runs ({RUNS_FOLDER})")
    demo.add_argument("--data", help="a folder in Oxford-IIIT Pets layout (with images/)")
    demo.add_argument("--download", action="store_true",
                      help="download the real Oxford-IIIT Pets with fastai's untar_data")
    demo.add_argument("--arch", help="fastai / torchvision architecture (default resnet18)")
    demo.add_argument("--epochs", type=int, help="epochs of the unfrozen fine_tune phase")
    demo.add_argument("--size", type=int, help="training image size in pixels")
    demo.add_argument("--classes", type=int, help="synthetic data: number of breeds (2-37)")
    demo.add_argument("--per-class", type=int, help="synthetic data: images per breed")

    report = commands.add_parser("report", help="write a run's self-contained HTML report")
    report.add_argument("run", help="a run folder")
    report.add_argument("-o", "--output", help="the .html file (default RUN/report.html)")
    report.add_argument("--max-mb", type=float, default=DEFAULT_MAX_MB,
                        help="size budget; above it thumbnails are left out "
                             f"(default {DEFAULT_MAX_MB:g})")

    ls = commands.add_parser("ls", help="list the runs in a folder")
    ls.add_argument("folder", nargs="?", default=RUNS_FOLDER,
                    help=f"a folder of runs (default {RUNS_FOLDER})")
    return parser


def _demo(args) -> None:
    from .demo.run_demo import run_demo, summary

    _, lens = run_demo(out=args.out, data=args.data, download=args.download, arch=args.arch,
                       epochs=args.epochs, size=args.size, n_classes=args.classes,
                       per_class=args.per_class)
    run = lens.run
    print(summary(run))
    print(f"report: {run.export_html()}")


def _report(args) -> None:
    from .run import load_run

    path = load_run(args.run).export_html(args.output, max_mb=args.max_mb)
    print(f"report: {path} ({path.stat().st_size / 1e6:.2f} MB)")


def _ls(args) -> None:
    from .runs import list_runs

    print(f"{'run':<32} {'state':<9} {'fits':>4} {'iters':>6} {'error':>7}")
    for entry in list_runs(args.folder):
        row = entry.row()
        if entry.run is None:
            print(f"{row['run']:<32} {row['state']}")
            continue
        error = "-" if row["error_rate"] is None else f"{row['error_rate']:.1%}"
        print(f"{row['run']:<32} {row['state']:<9} {row['fits']:>4} {row['iterations']:>6} "
              f"{error:>7}")


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        {"demo": _demo, "report": _report, "ls": _ls}[args.command](args)
    except PetLensError as e:
        print(f"petlens: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
