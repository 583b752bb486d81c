"""The ``petlens`` command line: ``petlens demo``, ``petlens report``, ``petlens ls``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import PetLensError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="petlens", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser(
        "demo", help="train chapter 5's recipe on built-in synthetic pets and record a run")
    demo.add_argument("--out", default="petlens-runs", help="folder for runs (petlens-runs)")
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
    report.add_argument("--max-mb", type=float, default=5.0,
                        help="size budget; above it thumbnails are left out (default 5)")

    ls = commands.add_parser("ls", help="list the runs in a folder")
    ls.add_argument("folder", nargs="?", default="petlens-runs")
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
    from .run import load_run

    folder = Path(args.folder)
    if not folder.is_dir():
        raise PetLensError(f"{folder}: no such folder")
    print(f"{'run':<32} {'state':<9} {'fits':>4} {'iters':>6} {'error':>7}")
    for path in sorted(p for p in folder.iterdir() if (p / "manifest.json").is_file()):
        try:
            run = load_run(path)
        except PetLensError as e:
            print(f"{path.name:<32} unreadable: {e}")
            continue
        error = "-" if run.error_rate is None else f"{run.error_rate:.1%}"
        state = "complete" if run.complete else "partial"
        print(f"{path.name:<32} {state:<9} {len(run.phases):>4} {len(run.timeline):>6} "
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
