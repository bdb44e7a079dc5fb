"""The command line: arguments, progress and messages. No logic of its own.

Exit status: 0 built, 2 bad input (the message says what to fix), 1 internal fault.
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from generator import __version__
from generator.errors import GeneratorError


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Build a PowerPoint deck of survey results from a YAML deck file.")
    parser.add_argument("deck", type=Path, help="the deck file, e.g. slides.yaml")
    parser.add_argument("--check", action="store_true",
                        help="validate the deck against the schema, codebook and data; "
                             "render nothing")
    parser.add_argument("--strict", action="store_true",
                        help="text not in the deck's language (deck text or generated "
                             "labels) is an error, not a warning: for checking translated decks")
    parser.add_argument("--write-catalogue", type=Path, metavar="FILE",
                        help="write the catalogue skeleton for the deck's language (or "
                             "--language) to FILE: every generated label and codebook wording "
                             "still missing, with the English and the base deck's text beside "
                             "each; fill it in and set deck: {catalogue: FILE}. Builds nothing")
    parser.add_argument("--country", help="override deck.country (ISO code, e.g. DE)")
    parser.add_argument("--language", help="override deck.language (e.g. en, de, nb)")
    parser.add_argument("--all-countries", action="store_true",
                        help="one deck per country in the data (one browser for all)")
    parser.add_argument("--output", type=Path, help="write the deck here instead")
    parser.add_argument("--update", type=Path, metavar="DECK",
                        help="refresh this deck, made earlier from the same deck file, in "
                             "place: new numbers and texts, your edits kept, the previous "
                             "file kept beside it as a backup")
    parser.add_argument("--charts", choices=["image", "native"],
                        help="charts as Plotly images (needs Chromium) or as native, editable "
                             "PowerPoint charts; overrides deck.charts")
    parser.add_argument("--figures", action="store_true",
                        help="also write <deck>.figures.csv: every number shown, with its base, "
                             "interval and p-value")
    parser.add_argument("--report", action="store_true",
                        help="also write an HTML quality report beside the deck(s)")
    parser.add_argument("--cache-dir", type=Path, help="chart image cache folder")
    parser.add_argument("--no-cache", action="store_true", help="render every chart anew")
    parser.add_argument("--max-data-mb", type=float, metavar="MB",
                        help="refuse a data file larger than this (default 500, or the "
                             "deck's max_data_mb)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    from generator.build import BuildOptions, build, write_catalogue

    args = parse_args(argv)
    console = Console(stderr=True, highlight=False, emoji=False)
    options = BuildOptions(country=args.country, language=args.language,
                           all_countries=args.all_countries, output=args.output,
                           charts=args.charts,
                           cache_dir=args.cache_dir, use_cache=not args.no_cache,
                           check_only=args.check, strict=args.strict,
                           figures=args.figures, report=args.report,
                           update_path=args.update, max_data_mb=args.max_data_mb)
    progress = Progress(TextColumn("Rendering charts"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.description}"), console=console, transient=True)
    task = None

    def on_progress(label: str, done: int, total: int) -> None:
        nonlocal task
        if task is None:
            progress.start()
            task = progress.add_task("", total=total)
        progress.update(task, completed=done, description=label if done else "")

    try:
        if args.write_catalogue is not None:
            counts = write_catalogue(args.deck, options, args.write_catalogue)
            console.print(f"wrote {args.write_catalogue}: {counts.messages} generated label(s)"
                          f" and {counts.codebook} codebook wording(s), "
                          f"{counts.to_translate} to translate")
            return 0
        result = build(args.deck, options, on_progress=on_progress)
    except GeneratorError as exc:
        progress.stop()
        if args.debug:
            raise
        console.print(f"[bold red]Cannot build {args.deck}[/]: "
                      f"{len(exc.problems)} problem(s)" if len(exc.problems) > 1
                      else f"[bold red]Cannot build {args.deck}[/]")
        for problem in exc.problems:
            console.print(f"  {problem}", markup=False)
        for note in getattr(exc, "notes", ()):
            console.print(f"  ({note})", markup=False)
        return exc.exit_status
    except KeyboardInterrupt:
        progress.stop()
        console.print("Interrupted; the previous deck is unchanged.")
        return 130
    except Exception as exc:  # an internal fault: say so plainly, traceback on request
        progress.stop()
        if args.debug:
            raise
        console.print(f"[bold red]Internal error[/] ({type(exc).__name__}: {exc}). "
                      "Run again with --debug for the traceback, and report it.", markup=True)
        return 1
    progress.stop()
    for warning in result.warnings:
        console.print(f"[yellow]warning[/]: {escape(warning)}", markup=True)
    if args.check:
        console.print(f"{args.deck}: OK ({result.slides} slides, {result.charts} charts)")
        return 0
    if result.update is not None:
        _print_update(console, result)
    stats = result.render
    decks = f"{len(result.outputs)} decks, " if len(result.outputs) > 1 else ""
    console.print(f"{decks}{result.slides} slides, {result.charts} charts "
                  f"({stats.rendered} rendered, {stats.cache_hits} from cache)")
    for output in [*result.outputs, *result.extras]:
        print(output)
    gc.freeze()  # the process ends now: spare the ~0.3 s of collecting every object at exit
    return 0


def _print_update(console: Console, result) -> None:
    report = result.update
    console.print(f"Updated {result.output}; the previous file is kept as {report.backup}",
                  markup=False, soft_wrap=True)
    for line in report.changed:
        console.print(f"  changed: {line}", markup=False, soft_wrap=True)
    for line in report.kept:
        console.print(f"  kept: {line}", markup=False, soft_wrap=True)
    if not report.changed:
        console.print("  nothing generated had changed", markup=False)


if __name__ == "__main__":
    sys.exit(main())
