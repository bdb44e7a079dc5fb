"""The command line: arguments, progress and messages. No logic of its own.

Exit status: 0 built, 2 bad input (the message says what to fix), 1 internal fault,
130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import os
import signal
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from generator import __version__
from generator.core.errors import GeneratorError
from generator.output.writers import OUTPUTS
from generator.run.collector import collect_less, settle_loaded_modules
from generator.run.earlystart import start_browser_early
from generator.run.options import BuildOptions

EPILOG = """\
exit status:
  0    built (or, with --check, the deck is valid)
  1    internal fault: a bug; --debug shows the traceback
  2    bad input: each problem is printed with file, line and what to do
  130  interrupted (Ctrl-C); the previous deck is unchanged (--watch ends with 0)

output names (-o and the deck's output:) fill in {country}, {language} and,
with --for-each, {group} (a file-name form of the value's label; added before
.pptx when the pattern has no {group}).

chart cache: --cache-dir, else the deck's cache_dir:, else the per-user cache
$XDG_CACHE_HOME/survey-deck/charts (~/.cache/survey-deck/charts).

examples:
  survey-deck slides.yaml                         build output/cocops_NO_nb.pptx
  survey-deck slides.yaml --watch                 rebuild on every save
  survey-deck slides.yaml --country DE --language de -o out/{country}_{language}.pptx
  survey-deck slides.yaml --all-countries         one deck per country, on all cores
  survey-deck slides.yaml --for-each policy_field one deck per policy field
  survey-deck slides.yaml --all-countries --shard 2/4   the 2nd of 4 parts (CI, clusters)
  survey-deck slides.yaml --check                 validate only, render nothing
  survey-deck slides.yaml --pdf --html            also output/cocops_NO_nb.pdf and .html
"""


def default_jobs() -> int:
    """The cores this process may use: the default of --jobs."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _shard(text: str) -> tuple[int, int]:
    part, _, parts = text.partition("/")
    try:
        i, n = int(part), int(parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not I/N, e.g. 2/4") from None
    if not 1 <= i <= n:
        raise argparse.ArgumentTypeError(f"'{text}': I must be 1 to N, e.g. 2/4")
    return i, n


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of processes") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError("--jobs must be at least 1")
    return jobs


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="survey-deck",
        description="Build a PowerPoint deck of survey results from a YAML deck file. "
                    "(python -m generator does the same.)",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("deck", type=Path, help="the deck file, e.g. slides.yaml")
    parser.add_argument("--check", action="store_true",
                        help="validate the deck against the schema, codebook and data, and "
                             "run the accessibility checks; render nothing")
    parser.add_argument("--check-layout", action="store_true",
                        help="--check, and draw each image chart in the browser to check its "
                             "layout: no text over another, no dot, bar end or interval line "
                             "through a text, nothing under the legend; writes nothing")
    parser.add_argument("--strict", action="store_true",
                        help="text not in the deck's language (deck text or generated "
                             "labels) and accessibility findings are errors, not warnings: "
                             "for checking decks in CI")
    parser.add_argument("--write-catalogue", type=Path, metavar="FILE",
                        help="write the catalogue skeleton for the deck's language (or "
                             "--language) to FILE: every generated label and codebook wording "
                             "still missing, with the English and the base deck's text beside "
                             "each; fill it in and set deck: {catalogue: FILE}. Builds nothing")
    parser.add_argument("--country", help="override deck.country (ISO code, e.g. DE)")
    parser.add_argument("--language", help="override deck.language (e.g. en, de, nb)")
    parser.add_argument("--all-countries", action="store_true",
                        help="one deck per country in the data")
    parser.add_argument("--for-each", metavar="KEY",
                        help="one deck per value of the codebook's background variable KEY "
                             "(e.g. policy_field): each shows that group against the "
                             "deck's country as a whole")
    parser.add_argument("-o", "--output", type=Path, metavar="PATTERN",
                        help="write the deck(s) here instead; {country}, {language} and "
                             "{group} are filled in")
    parser.add_argument("--update", type=Path, metavar="DECK",
                        help="refresh this deck, made earlier from the same deck file, in "
                             "place: new numbers and texts, your edits kept, the previous "
                             "file kept beside it as a backup")
    parser.add_argument("--charts", choices=["image", "native"],
                        help="charts as Plotly images (needs Chromium) or as native, editable "
                             "PowerPoint charts; overrides deck.charts")
    parser.add_argument("--watch", action="store_true",
                        help="build, then build again on every save of the deck file, its "
                             "base, codebook, data or images (Ctrl-C stops)")
    parser.add_argument("-j", "--jobs", type=_jobs, default=default_jobs(), metavar="N",
                        help="processes for many decks (default: the cores, here %(default)s)")
    parser.add_argument("--shard", type=_shard, metavar="I/N",
                        help="build only the I-th of N equal parts of a many-deck run")
    outputs = parser.add_argument_group("outputs beside each deck (same name)")
    for name, output in OUTPUTS.items():
        outputs.add_argument(f"--{name}", action="store_true", help=output.help)
    parser.add_argument("--report", action="store_true",
                        help="also write an HTML quality report beside the deck(s)")
    parser.add_argument("--allow-path", type=Path, action="append", default=[],
                        metavar="DIR",
                        help="let the deck file read and write inside DIR too (it may reach "
                             "only its own folder and the current folder); repeatable")
    parser.add_argument("--force", action="store_true",
                        help="replace an existing .pptx this generator did not make")
    parser.add_argument("--cache-dir", type=Path, help="chart image cache folder")
    parser.add_argument("--no-cache", action="store_true", help="render every chart anew")
    talk = parser.add_mutually_exclusive_group()
    talk.add_argument("-q", "--quiet", action="store_true",
                      help="print only problems (and no deck paths)")
    talk.add_argument("-v", "--verbose", action="store_true",
                      help="also print each deck as it is written and where the time went")
    parser.add_argument("--max-data-mb", type=float, metavar="MB",
                        help="refuse a data file larger than this (default 500, or the "
                             "deck's max_data_mb)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    collect_less()
    args = parse_args(argv)
    console = Console(stderr=True, highlight=False, emoji=False)
    options = BuildOptions(country=args.country, language=args.language,
                           all_countries=args.all_countries, output=args.output,
                           charts=args.charts,
                           cache_dir=args.cache_dir, use_cache=not args.no_cache,
                           check_only=args.check or args.check_layout,
                           check_layout=args.check_layout, strict=args.strict,
                           for_each=args.for_each, shard=args.shard,
                           jobs=args.jobs, report=args.report,
                           outputs=tuple(name for name in OUTPUTS if getattr(args, name)),
                           update_path=args.update, max_data_mb=args.max_data_mb,
                           allowed_paths=tuple(args.allow_path), force=args.force)
    # before the build's libraries load (a second or more): the browser starts meanwhile
    early = None
    if not (args.watch or args.write_catalogue):
        try:
            early = start_browser_early(args.deck, options)
        except Exception:  # only a head start: the build meets any real problem itself
            early = None
    from generator.run.session import BuildSession

    settle_loaded_modules()
    progress = Progress(TextColumn("Rendering charts"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.description}"), console=console, transient=True,
                        disable=args.quiet)
    task = None

    def on_progress(label: str, done: int, total: int) -> None:
        nonlocal task
        if task is None:
            progress.start()
            task = progress.add_task("", total=total)
        progress.update(task, completed=done, description=label if done else "")
        if done == total:  # the next batch of a many-deck run starts a new bar
            progress.stop()
            progress.remove_task(task)
            task = None

    def on_deck(path: Path) -> None:
        if args.verbose:
            console.print(f"wrote {path}", markup=False)

    if args.watch:
        return _watch(args, dataclasses.replace(options, jobs=1), console, on_progress)
    session = BuildSession(renderer=early, one_build=True)
    try:
        return _build(args, options, session, console, progress, on_progress, on_deck)
    finally:  # after the messages: a browser still starting is not waited for first
        session.close()


def _build(args: argparse.Namespace, options: BuildOptions, session, console: Console,
           progress: Progress, on_progress, on_deck) -> int:
    """The build (or the catalogue skeleton) and its messages; the exit status."""
    from generator.run.build import build, write_catalogue

    try:
        if args.write_catalogue is not None:
            counts = write_catalogue(args.deck, options, args.write_catalogue)
            console.print(f"wrote {args.write_catalogue}: {counts.messages} generated label(s)"
                          f" and {counts.codebook} codebook wording(s), "
                          f"{counts.to_translate} to translate")
            return 0
        result = build(args.deck, options, on_progress=on_progress, on_deck=on_deck,
                       session=session)
    except GeneratorError as exc:
        progress.stop()
        if args.debug:
            raise
        _print_problems(console, args.deck, exc)
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
    if not args.quiet:
        _print_result(console, args, result)
        for output in [*result.outputs, *result.extras]:
            print(output)
    gc.freeze()  # the process ends now: spare the ~0.3 s of collecting every object at exit
    return 0


def _print_problems(console: Console, deck: Path, exc: GeneratorError) -> None:
    console.print(f"[bold red]Cannot build {deck}[/]: "
                  f"{len(exc.problems)} problem(s)" if len(exc.problems) > 1
                  else f"[bold red]Cannot build {deck}[/]")
    for problem in exc.problems:
        console.print(f"  {problem}", markup=False)
    for note in getattr(exc, "notes", ()):
        console.print(f"  ({note})", markup=False)


def _print_result(console: Console, args: argparse.Namespace, result) -> None:
    for warning in result.warnings:
        console.print(f"[yellow]warning[/]: {escape(warning)}", markup=True)
    if args.check or args.check_layout or args.verbose:
        for note in result.notes:
            console.print(note, markup=False, soft_wrap=True)
    if args.check or args.check_layout:
        console.print(f"{args.deck}: OK ({result.slides} slides, {result.charts} charts)")
        return
    if result.update is not None:
        _print_update(console, result)
    stats = result.render
    decks = f"{len(result.outputs)} decks, " if len(result.outputs) > 1 else ""
    console.print(f"{decks}{result.slides} slides, {result.charts} charts "
                  f"({stats.rendered} rendered, {stats.cache_hits} from cache)")
    if args.verbose:
        stages = ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in
                           result.seconds.items())
        console.print(f"time: {stages}; browser starts {stats.browser_starts}", markup=False)


def _watch(args: argparse.Namespace, options, console: Console, on_progress) -> int:
    """``--watch``: build, then rebuild on every save until Ctrl-C (exit status 0)."""
    from generator.run.watch import Rebuild, Watcher

    def on_rebuild(outcome: Rebuild) -> None:
        when = time.strftime("%H:%M:%S")
        changed = ", ".join(p.name for p in outcome.changed)
        because = f" after a change to {changed}" if changed else ""
        if outcome.result is not None:
            if not args.quiet:
                result = outcome.result
                console.print(f"{when} built in {outcome.seconds:.2f} s{because}: "
                              + ", ".join(str(p) for p in result.outputs)
                              + f" ({result.render.rendered} chart(s) rendered)", markup=False)
                for warning in result.warnings:
                    console.print(f"[yellow]warning[/]: {warning}", markup=True)
        elif outcome.fault is not None:
            console.print(f"{when} [bold red]Internal error[/] ({outcome.fault}); "
                          "the previous deck is unchanged. Still watching.", markup=True)
        else:
            console.print(f"{when} [bold red]Cannot build {args.deck}[/]{because}; "
                          "the previous deck is unchanged. Still watching.", markup=True)
            for problem in outcome.problems:
                console.print(f"  {problem}", markup=False)
            for note in outcome.notes:
                console.print(f"  ({note})", markup=False)

    watcher = Watcher(args.deck, options, on_rebuild,
                      on_progress=None if args.quiet else on_progress)
    if not args.quiet:
        console.print(f"Watching {args.deck} and its inputs; Ctrl-C stops.", markup=False)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # `kill` and process managers end a watch with SIGTERM: close the browser as Ctrl-C does
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how a watch ends
            watcher.run()
    finally:
        signal.signal(signal.SIGTERM, previous)
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
