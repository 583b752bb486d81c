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
               "HTML report, 'petlens ls' lists runs, 'petlens issues RUN' lists possible label "
               "issues, 'petlens fixes RUN' the decisions and 'petlens fixes apply RUN --data "
               "PATH' applies them, 'petlens compare A B' compares two runs item by item.")


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

    compare = commands.add_parser(
        "compare", help="compare two runs item by item: fixed, broken, per-class changes")
    compare.add_argument("run_a", metavar="A", help="a run folder, or a run name / id in "
                         f"./{RUNS_FOLDER}")
    compare.add_argument("run_b", metavar="B", help="the run to compare against A")
    compare.add_argument("-o", "--output", help="write one offline HTML page (else the "
                         "counts, header and largest changes are printed)")
    compare.add_argument("-k", type=int, default=10,
                         help="how many per-class changes to print (default 10)")
    compare.add_argument("--max-mb", type=float, default=DEFAULT_MAX_MB,
                         help=f"size budget of the page (default {DEFAULT_MAX_MB:g})")

    ls = commands.add_parser("ls", help="list the runs in a folder")
    ls.add_argument("folder", nargs="?", default=RUNS_FOLDER,
                    help=f"a folder of runs (default {RUNS_FOLDER})")
    issues = commands.add_parser("issues", help="list a run's possible label issues (cleanlab)")
    issues.add_argument("run", help="a run folder")
    issues.add_argument("-k", type=int, default=20, help="how many to list (default 20)")

    fixes = commands.add_parser("fixes", help="list, import or apply a run's decisions "
                                "(fixes.json); 'petlens fixes RUN' lists them")
    actions = fixes.add_subparsers(dest="fixes_command", required=True)
    listing = actions.add_parser("list", help="list the decisions (the default)")
    listing.add_argument("run", help="a run folder")
    listing.add_argument("--import", dest="import_file", metavar="FILE",
                         help="first merge a file exported by the report (JSON or CSV)")
    listing.add_argument("--json", metavar="OUT", help="also export them as JSON")
    listing.add_argument("--csv", metavar="OUT", help="also export them as CSV")
    apply = actions.add_parser("apply", help="apply the decisions to the data: print the "
                               "plan, then rename / move files (undo log first)")
    apply.add_argument("run", help="a run folder")
    apply.add_argument("--data", required=True,
                       help="the folder the run's items are relative to (e.g. pets/images)")
    apply.add_argument("--dry-run", action="store_true", help="print the plan only")
    apply.add_argument("--undo", action="store_true", help="undo the last apply exactly")
    apply.add_argument("--decisions", metavar="FILE",
                       help="apply a file exported by the report instead of fixes.json")
    apply.add_argument("--csv", metavar="OUT", help="where the CSV goes when labels are not "
                       "in file or folder names (default: beside the data)")
    return parser


def _printable(text: str) -> str:
    """A string from a run or a decisions file, safe to print (control characters escaped)."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def _issues(args) -> None:
    from .run import load_run

    run = load_run(args.run)
    issues = run.label_issues
    flagged = int(issues.flags.sum())
    print(f"{flagged} possible label issues among {len(issues.flags)} validation items "
          f"(cleanlab {issues.meta['cleanlab']}"
          f"{', approximate: top-k probabilities' if issues.approximate else ''}; {issues.note})")
    for row in issues.table(run.vocab, args.k):
        print(f"  {row['quality']:.3f}  {_printable(row['item'])}: labelled "
              f"{_printable(row['given'])}, predicted {_printable(row['suggested'])}")
    pairs = issues.overlapping(run.vocab, 5)
    if pairs:
        print("overlapping classes (consider merging or checking these two classes):")
        for a, b, joint, count in pairs:
            print(f"  {_printable(a)} / {_printable(b)}: {count} examples (joint {joint:.4f})")


def _fixes(args) -> None:
    from .run import load_run

    fixes = load_run(args.run).fixes
    if args.fixes_command == "apply":
        if args.undo:
            fixes.undo(args.data)
        else:
            fixes.apply(args.data, dry_run=args.dry_run, decisions_file=args.decisions,
                        csv_path=args.csv)
        return
    if args.import_file:
        print(f"imported {fixes.import_file(args.import_file)} decisions from "
              f"{args.import_file}")
    rows = fixes.rows()
    print(f"{len(rows)} decisions in {fixes.path}")
    for row in rows:
        change = f" -> {_printable(row['new_label'])}" if row["new_label"] else ""
        print(f"  {row['action']:<8} {_printable(row['item'])} ({_printable(row['old_label'])}"
              f"{change})  {row['decided']}")
    for kind, out in (("json", args.json), ("csv", args.csv)):
        if out:
            print(f"wrote {getattr(fixes, 'export_' + kind)(out)}")


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


def _compare(args) -> None:
    from .compare import compare

    cmp = compare(args.run_a, args.run_b)
    if args.output is None:
        print(_printable_lines(cmp.describe(args.k)))
        return
    from .compare_report import write_compare_html

    path = write_compare_html(cmp, args.output, max_mb=args.max_mb)
    counts = cmp.counts
    print(f"comparison: {path} ({path.stat().st_size / 1e6:.2f} MB): {counts['fixed']:,} "
          f"fixed, {counts['broken']:,} broken of {counts['common']:,} items in both runs")


def _printable_lines(text: str) -> str:
    return "\n".join(_printable(line) for line in text.split("\n"))


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
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["fixes"] and len(argv) > 1 and argv[1] not in ("list", "apply", "-h",
                                                                       "--help"):
        argv.insert(1, "list")  # 'petlens fixes RUN' lists
    args = _parser().parse_args(argv)
    try:
        {"demo": _demo, "report": _report, "ls": _ls, "issues": _issues,
         "fixes": _fixes, "compare": _compare}[args.command](args)
    except PetLensError as e:
        print(f"petlens: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
