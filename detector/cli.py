"""The ``detector`` command line: simulate | detect | network | evaluate | report | demo.

Exit codes: 0 success; 2 a problem with the input, the command line or the
machine (a missing file, an unwritable ``--out``, a full disk), said in one line on
stderr, with the output folder left as it was; 130 interrupted (Ctrl-C), the output
folder left as it was; 1 an internal error (a bug): one line on stderr asking to
report it, the traceback in a log file whose path that line gives.

Heavy libraries (pandas, scikit-learn) are imported inside the commands so that
``detector --help`` answers at once.
"""
from __future__ import annotations

import functools
import gc
import sys
from pathlib import Path

import click

from ._version import __version__
from .options import OPTIONS, parse_option, show_value


def _user_errors(func):
    """Turn a user's or the machine's error into one line on stderr and exit code 2, an
    interruption into exit code 130, and a bug into one line pointing to a log file with the
    traceback, exit code 1 (see the module's docstring)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from .errors import InputError, clip
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            click.echo(f"error: {exc}", err=True)
            code = 2
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("error: interrupted; the output folder was left as it was", err=True)
            code = 130
        except MemoryError:
            click.echo("error: out of memory; try a machine with more memory or a smaller input", err=True)
            code = 2
        except OSError as exc:   # the machine: a full disk, a permission, a vanished file
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {clip(where + (exc.strerror or str(exc)), 700)}", err=True)
            code = 2
        except Exception as exc:  # a bug
            log = _crash_log(exc)
            click.echo(f"error: internal error ({type(exc).__name__}: {clip(str(exc), 200)}); this is a bug in "
                       f"detector {__version__}, please report it with the log {log}", err=True)
            code = 1
        # exit outside the handler: raised inside it, SystemExit would carry the error, its
        # traceback and every object of the failed frames (Arrow tables) into interpreter
        # shutdown, where Arrow's thread pools are already gone (apache/arrow#34314: an abort,
        # exit -6, instead of exit 2, now and then)
        gc.collect()
        sys.exit(code)
    return wrapper


def _crash_log(exc: BaseException) -> str:
    """Write the traceback of ``exc`` to a log file in the temporary folder; return its path."""
    import datetime
    import os
    import platform
    import tempfile
    import traceback

    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    fd, path = tempfile.mkstemp(prefix=f"detector-crash-{stamp}-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(f"detector {__version__}, Python {platform.python_version()}, {platform.platform()}\n")
        fh.write(f"command: {' '.join(sys.argv)}\n\n")
        fh.write("".join(traceback.format_exception(exc)))
    return path


def _parse_pairs(pairs, option: str) -> dict:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint=option)
        out[key.strip()] = value.strip()
    return out


def _overrides(pairs) -> dict:
    """``--set camouflage=0.6`` values as numbers where they look like numbers."""
    out = {}
    for key, value in _parse_pairs(pairs, "--set").items():
        for cast in (int, float):
            try:
                out[key] = cast(value)
                break
            except ValueError:
                continue
        else:
            out[key] = {"true": True, "false": False}.get(value.lower(), value)
    return out


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="detector")
def cli():
    """Find coordinated, bursty sign-up campaigns in registration exports, and score them."""


@cli.command()
@click.option("--scenario", default="tulsa", show_default=True,
              help="Named scenario (see --list), or 'random': every knob drawn from wide priors by --seed.")
@click.option("--n", "n", type=click.IntRange(min=1), default=20_000, show_default=True,
              help="Number of registrations.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--out", "out", type=click.Path(), help="Folder for the CSV files.")
@click.option("--set", "sets", multiple=True, metavar="NAME=VALUE", help="Override a scenario parameter.")
@click.option("--list", "list_only", is_flag=True, help="List the scenarios and exit.")
@_user_errors
def simulate(scenario, n, seed, out, sets, list_only):
    """Simulate registrations, posts and follows with ground truth (truth.csv)."""
    from .simulation import RANDOM, SCENARIOS, simulate as run

    if list_only:
        for name, sc in SCENARIOS.items():
            click.echo(f"{name:<10} {getattr(sc, 'description', '')}")
        click.echo(f"{RANDOM:<10} Every knob drawn from wide priors as a function of --seed (knobs.json).")
        return
    if out is None:
        raise click.UsageError("--out DIR is required")
    if scenario not in SCENARIOS and scenario != RANDOM:
        raise click.BadParameter(f"unknown scenario {scenario!r}; choose from {', '.join(SCENARIOS)}",
                                 param_hint="--scenario")
    try:
        data = run(scenario, n=n, seed=seed, **_overrides(sets))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--set") from None
    data.write(out)
    truth = data.truth
    click.echo(f"simulated {len(truth):,} registrations ({int((truth['campaign'] > 0).sum()):,} in "
               f"{truth['campaign'].max()} campaign(s)), {len(data.posts):,} posts, {len(data.follows):,} "
               f"follows -> {out}")


def _option_flags(table: str = "detect") -> list:
    """The click options of the detect (or network) options that have one (see
    :data:`detector.options.OPTIONS` and :data:`detector.options.NETWORK_OPTIONS`).

    Their default is None (the file's value or the API's default applies), their value the text as
    typed: :func:`_typed_options` reads and checks it, so that a bad value is one line, exit code 2.
    """
    flags = []
    for name, option in _options_of(table).items():
        if option.cli is None:
            continue
        default = show_value(option.default, "cli")
        if "/" in option.cli:  # an on/off switch; "auto" is its default
            flags.append(click.option(option.cli, name, default=None, help=f"{option.help} [default: {default}]"))
        else:
            flags.append(click.option(option.cli, name, default=None, metavar=option.metavar,
                                      help=f"{option.help} [default: {default}; {option.expected('cli')}]"))
    return flags


def _options_of(table: str):
    from .options import NETWORK_OPTIONS

    return OPTIONS if table == "detect" else NETWORK_OPTIONS


def _typed_options(kwargs: dict, table: str = "detect") -> dict:
    """``kwargs`` with the options typed on the command line read and checked."""
    for name, option in _options_of(table).items():
        if option.cli is not None and "/" not in option.cli and isinstance(kwargs.get(name), str):
            kwargs[name] = parse_option(name, kwargs[name], source=option.cli, table=table)
    return kwargs


def _decorated(func, options: list):
    """``func`` with the click ``options``, in the order listed (the first shows first in --help)."""
    for option in reversed(options):
        func = option(func)
    return func


def _detect_options(func):
    options = [
        click.option("--config", type=click.Path(), metavar="FILE.toml",
                     help="Paths, column mapping, time zone and options of a batch job; options given "
                          "here override the file (README: Batch jobs)."),
        click.option("--registrations", "-r", type=click.Path(),
                     help="Registrations file (CSV or Parquet) [required, here or in --config]."),
        click.option("--posts", type=click.Path(), help="Posts file (optional)."),
        click.option("--follows", type=click.Path(), help="Follows file (optional)."),
        click.option("--out", "out", type=click.Path(),
                     help="Output folder [required, here or in --config]."),
        click.option("--map", "maps", multiple=True, metavar="CONTRACT=YOURS",
                     help="Rename a column on load, e.g. --map created_at=signup_time (or posts.created_at=...)."),
        click.option("--timezone", default="UTC", show_default=True,
                     help="Zone of timestamps that carry no offset."),
        *_option_flags(),
        click.option("--engine", type=click.Choice(["local", "dask"]), default=None,
                     help="Where the per-event detection runs: in this process, or one task per event on a "
                          "Dask cluster (pip install 'detector[dask]'); never changes the results "
                          "[default: local]."),
        click.option("--scheduler", metavar="ADDRESS", default=None,
                     help="With --engine dask: a running Dask scheduler, e.g. tcp://host:8786 [default: a "
                          "LocalCluster, one worker process per core]."),
        click.option("--graph", "graph_format", type=click.Choice(["gexf", "graphml"]), default=None,
                     help="Also write the accounts' co-action network for Gephi (with --posts)."),
        click.option("--excel-safe/--no-excel-safe", "excel_safe", default=None,
                     help="Prefix CSV cells that a spreadsheet would run as formulas (=, +, -, @) with ' "
                          "[default: off: ids stay verbatim for joins]."),
        click.option("--pseudonymize/--no-pseudonymize", "pseudonymize", default=None,
                     help="Replace e-mails, phones, names and IPs with keyed pseudonyms before the analysis "
                          "(key from $DETECTOR_PSEUDONYM_KEY, else a new random key) [default: off]."),
        click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors."),
    ]
    return _decorated(func, options)


def _window(value, option="--coaction-window"):
    """A window option: seconds (within the range detect accepts), or "auto"."""
    if value is None:
        return value
    return parse_option("coaction_window", value, source=option)


def _mapping(mapping, maps) -> dict | None:
    """A config file's per-table ``mapping`` updated, column by column, with the ``--map`` pairs."""
    from .schema import split_mapping

    tables = {table: dict(pairs) for table, pairs in (mapping or {}).items()}
    for table, pairs in split_mapping(_parse_pairs(maps, "--map")).items():
        tables.setdefault(table, {}).update(pairs)
    return tables or None


def _run_detect(registrations, posts, follows, out, maps, timezone, quiet, graph_format=None, mapping=None,
                excel_safe=None, pseudonymize=None, engine=None, scheduler=None, **options):
    from .detection import detect as run
    from .engines import check_engine, open_engine, require_dask
    from .loading import load
    from .outputs import check_out_folder, write_outputs

    engine, scheduler = check_engine(engine or "local", scheduler, source="--scheduler", style="cli")
    if engine == "dask":
        require_dask("--engine dask")                               # before reading a large input
    check_out_folder(out, inputs=(registrations, posts, follows))   # before the work, not after it
    with open_engine(engine, scheduler) as runner:   # a wrong scheduler address is said before the input is read
        data = load(registrations=registrations, posts=posts, follows=follows,
                    mapping=_mapping(mapping, maps), timezone=timezone)
        if pseudonymize:
            data = _pseudonymized(data)
        for note in data.notes:
            click.echo(f"note: {note}", err=True)
        result = run(data, engine=engine, scheduler=getattr(runner, "client", None),
                     **{k: v for k, v in options.items() if v is not None})
    for note in result.summary.get("notes", [])[len(data.notes):]:   # what detection found to say
        click.echo(f"note: {note}", err=True)
    del data                            # the input tables are not read again: their memory goes back
    write_outputs(result, out, graph_format=graph_format, excel_safe=bool(excel_safe))
    if not quiet:
        click.echo(repr(result))
        click.echo(f"wrote {out}")
    return result


def _pseudonymized(data):
    """``data`` with its registrations' personal values replaced by keyed pseudonyms."""
    import dataclasses
    import os

    from .privacy import key_from, pseudonymize

    key = os.environ.get("DETECTOR_PSEUDONYM_KEY") or None
    note = ("personal values (e-mails, phones, names, IPs) replaced by keyed pseudonyms "
            + ("with the key in $DETECTOR_PSEUDONYM_KEY" if key else "with a new random key (unlinkable to other runs)"))
    return dataclasses.replace(data, registrations=pseudonymize(data.registrations, key_from(key)),
                               notes=[*data.notes, note])


@cli.command()
@_detect_options
@_user_errors
def detect(config, **kwargs):
    """Detect coordinated clusters and write the contract's output files into --out.

    With --config FILE.toml, the file gives what the command line does not: an option given
    on the command line wins over the file, and the file over the built-in default.
    """
    _run_detect(**_with_config(_typed_options(kwargs), config, "detect", ("registrations", "out")))


def _with_config(kwargs: dict, config, command: str, required: tuple) -> dict:
    """``kwargs`` completed from the ``--config`` file: an option given on the command line wins
    over the file, the file over the default; then the options ``required`` must have a value."""
    if config is not None:
        from click.core import ParameterSource

        from .config import read_config

        ctx = click.get_current_context()
        for key, value in read_config(config, command=command).items():
            if key == "mapping" and command == "network":   # network reads its posts' pairs as --map
                kwargs["maps"] = tuple(f"{k}={v}" for k, v in value.get("posts", {}).items()) + kwargs["maps"]
            elif ctx.get_parameter_source(key) in (None, ParameterSource.DEFAULT):
                kwargs[key] = value
    where = {"registrations": "[inputs] registrations", "posts": "[inputs] posts", "out": "[output] out"}
    for key in required:
        if kwargs.get(key) is None:
            raise click.UsageError(f"--{key} is required: give it on the command line or as {where[key]} "
                                   "in the --config file")
    return kwargs


def _network_options(func):
    options = [
        click.option("--config", type=click.Path(), metavar="FILE.toml",
                     help="Posts path, column mapping, time zone, output and the [network] knobs of a batch job; "
                          "options given here override the file."),
        click.option("--posts", type=click.Path(), help="Posts file (CSV or Parquet) [required, here or in --config]."),
        click.option("--out", "out", type=click.Path(), help="Output folder [required, here or in --config]."),
        click.option("--preset", type=click.Choice(["coortweet", "cnt"]), default=None,
                     help="Read another tool's posts layout as it is: CooRTweet's (object_id, account_id, "
                          "content_id, timestamp_share; object_id is the shared object) or "
                          "coordination-network-toolkit's CSV."),
        click.option("--kind", "kinds", multiple=True, metavar="KIND",
                     help="Co-action kind, repeatable: link, share, text, similar_text, hashtag, column:NAME "
                          "(any column as the shared object), hashtag:NAME (hashtags from a column) "
                          "[default: link, share, text, similar_text, hashtag; the preset's with --preset]."),
        click.option("--object", "objects", multiple=True, metavar="COLUMN",
                     help="A column of the posts as a shared object (an image hash, a domain, a video id); "
                          "repeatable, same as --kind column:COLUMN (alone, only these columns are kinds; add "
                          "--kind for built-in ones beside them)."),
        click.option("--platform", "platforms", multiple=True, metavar="NAME",
                     help="Only posts of this platform (the platform column); repeatable [default: all]."),
        *_option_flags("network"),
        click.option("--directed/--undirected", default=False, show_default=True,
                     help="edges_KIND.csv: directed weights w(u1->u2) = u1's posts matched by u2, or the min of "
                          "both directions."),
        click.option("--format", "formats", multiple=True, type=click.Choice(["gexf", "graphml"]),
                     help="Also write each network for Gephi (repeat for both)."),
        click.option("--evidence/--no-evidence", default=True, show_default=True,
                     help="Write the post pairs behind every edge."),
        click.option("--map", "maps", multiple=True, metavar="CONTRACT=YOURS",
                     help="Rename a column on load, e.g. --map created_at=timestamp (or posts.created_at=...)."),
        click.option("--timezone", default=None, help="Zone of timestamps that carry no offset [default: UTC]."),
        click.option("--excel-safe/--no-excel-safe", "excel_safe", default=None,
                     help="Prefix CSV cells that a spreadsheet would run as formulas with '."),
    ]
    return _decorated(func, options)


@cli.command()
@_network_options
@_user_errors
def network(config, **kwargs):
    """Co-action networks of the accounts in a posts file, with evidence and account clusters.

    Writes edges_KIND.csv (and evidence_KIND.csv, network_KIND.gexf/.graphml) per kind, and,
    with the null model, account_clusters.csv, account_members.csv and coaction_edges.csv.
    With --compat, edges_KIND.csv are the other tool's edges, exactly, and nothing else is
    computed. With --config FILE.toml, the file gives what the command line does not.
    """
    kwargs = _with_config(_typed_options(kwargs, "network"), config, "network", ("posts", "out"))
    _run_network(**kwargs)


def _run_network(posts, out, preset, kinds, objects, platforms, directed, formats, evidence, maps, timezone,
                 excel_safe, **knobs):
    import pandas as pd

    from .coaction import account_clusters, coaction_network, edge_significance
    from .coaction.actions import kind_slug
    from .coaction.window import resolve_window
    from .loading import read_posts
    from .options import check_options
    from .outputs import check_out_folder, make_excel_safe, staged_folder, write_account_tables, write_graph
    from .presets import PRESETS

    check_out_folder(out, inputs=(posts,))
    default_kinds = PRESETS[preset].kinds if preset else None
    chosen = tuple(kinds) or (default_kinds if default_kinds and not objects else ())
    if not chosen and not objects:
        chosen = None   # the options' default kinds
    all_kinds = None if chosen is None else (*chosen, *(f"column:{c}" for c in objects))
    given = {k: v for k, v in knobs.items() if v is not None}
    if all_kinds is not None:
        given["kinds"] = all_kinds
    if platforms:
        given["platforms"] = tuple(platforms)
    if "kinds" in given:   # named as typed: --kind / --object
        from .options import check_option
        check_option("kinds", given["kinds"], source="--kind", style="cli", shown=" ".join(given["kinds"]),
                     table="network")
    opts = check_options(given, source="detector network", table="network")
    mapping = {key.removeprefix("posts."): value for key, value in _parse_pairs(maps, "--map").items()}
    table = read_posts(posts, mapping=mapping or None, timezone=timezone or "UTC", preset=preset)
    for note in table.attrs.get("notes", []):
        click.echo(f"note: {note}", err=True)
    from .coaction.accounts import platform_posts
    table = platform_posts(table, opts.platforms)
    compat = None if opts.compat == "none" else opts.compat
    windows = {}
    with staged_folder(out) as staging:
        for kind in opts.kinds:
            w, why = resolve_window(table, kind, opts.window)
            windows[kind] = w
            slug = kind_slug(kind)
            net = coaction_network(table, kind, window=w, min_weight=opts.min_weight, directed=directed,
                                   compat=compat, split=opts.split) if compat != "coortweet" else None
            if why and (net is None or len(net.actions_)):   # an empty kind has its one line below
                click.echo(f"{kind}: {why}", err=True)
            if compat == "coortweet":
                from .coaction.compat import coortweet_network

                # CooRTweet's own defaults where the knob was not given: min_participation 2, edge_weight 0.5
                edges = coortweet_network(table, kind, window=w,
                                          min_participation=given.get("min_participation", 2),
                                          edge_weight=0.5 if opts.weight_quantile == "none" else opts.weight_quantile,
                                          split=opts.split)
                edges.to_csv(staging / f"edges_{slug}.csv", index=False)
                click.echo(f"{kind:<13} window {w:g} s: {len(edges):,} edges (CooRTweet's)")
                continue
            if len(net.actions_) == 0:
                click.echo(f"{kind:<13} no objects: {_why_empty(table, kind)}; skipped")
                continue
            edges = edge_significance(net, n_null=opts.null_draws, seed=opts.seed).edges \
                if opts.null_draws else net.edges
            edges.to_csv(staging / f"edges_{slug}.csv", index=False)
            if evidence:
                ev = net.evidence()
                for col in ("time_1", "time_2"):
                    ev[col] = pd.to_datetime(ev[col], utc=True).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
                ev.to_csv(staging / f"evidence_{slug}.csv", index=False)
            for fmt in formats:
                write_graph(net.to_networkx(), staging / f"network_{slug}.{fmt}")
            click.echo(f"{kind:<13} window {w:g} s: {len(net.edges):,} edges")
        if compat == "coortweet" and opts.stack == "before" and len(opts.kinds) > 1:
            from .coaction.compat import coortweet_network

            edges = coortweet_network(table, opts.kinds, window=_one(windows), split=opts.split,
                                      min_participation=given.get("min_participation", 2),
                                      edge_weight=0.5 if opts.weight_quantile == "none" else opts.weight_quantile)
            edges.to_csv(staging / "edges_stacked.csv", index=False)
            click.echo(f"{'stacked':<13} {len(edges):,} edges (CooRTweet's, all kinds' pairs stacked)")
        if opts.null_draws and not directed and compat is None:
            ac = account_clusters(table, **opts.as_dict())
            write_account_tables(ac, staging)
            click.echo(f"{int(ac.clusters['flagged'].sum()):,} of {len(ac.clusters):,} account cluster(s) flagged")
        if excel_safe:
            make_excel_safe(staging)
    click.echo(f"wrote {out}")


def _one(windows: dict) -> float:
    """The one window of stacked kinds (CooRTweet pairs every kind at the same window)."""
    values = set(windows.values())
    if len(values) > 1:
        raise click.UsageError("--stack before with --compat coortweet pairs every kind at one window; give "
                               "--window SECONDS rather than auto")
    return values.pop()


def _why_empty(table, kind: str) -> str:
    """Why a kind found nothing, in words, with the column to use when one fits."""
    from .coaction.actions import parse_kind

    base, column = parse_kind(kind)
    need = {"link": "url", "share": "shared_post_id", "text": "text", "similar_text": "text", "hashtag": "text"}
    if column is not None:
        return f"column {column!r} holds no values"
    if need[base] not in table.columns:
        hint = ""
        if base == "hashtag":
            cols = [c for c in table.columns if "hashtag" in str(c).lower() or "tag" == str(c).lower()]
            hint = f" (for hashtags in a column: --kind hashtag:{cols[0]})" if cols else ""
        return f"the posts have no {need[base]} column{hint}"
    return {"hashtag": "no #hashtag in any text"}.get(base, f"the {need[base]} column is empty")


@cli.command()
@click.option("--truth", required=True, type=click.Path(), help="truth.csv from simulate.")
@click.argument("out_dir", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@_user_errors
def evaluate(truth, out_dir, as_json):
    """Score a detect output folder against the simulator's truth."""
    import json

    from .evaluation import evaluate_dir

    ev = evaluate_dir(truth, out_dir)
    click.echo(json.dumps(ev.metrics, indent=2) if as_json else repr(ev))


@cli.command()
@click.argument("out_dir", type=click.Path())
@_user_errors
def report(out_dir):
    """Rebuild report.html from a detect output folder."""
    from .outputs import rebuild_report

    click.echo(f"wrote {rebuild_report(out_dir)}")


@cli.command()
@click.option("--scenario", default="tulsa", show_default=True)
@click.option("--n", "n", type=click.IntRange(min=100), default=20_000, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--out", "out", default="detector-demo", show_default=True, type=click.Path())
@_user_errors
def demo(scenario, n, seed, out):
    """Simulate a Tulsa-like scenario, detect, write the outputs and score them against the truth."""
    import time

    from .evaluation import evaluate
    from .simulation import simulate as run_sim

    out = Path(out)
    start = time.perf_counter()
    sim = run_sim(scenario, n=n, seed=seed)
    sim.write(out / "input")
    click.echo(f"simulated {scenario!r}: {n:,} registrations, {len(sim.posts):,} posts -> {out / 'input'}")
    t0 = time.perf_counter()
    result = _run_detect(out / "input" / "registrations.csv", out / "input" / "posts.csv",
                         out / "input" / "follows.csv", out / "output", (), "UTC", True, seed=seed)
    elapsed = time.perf_counter() - t0
    click.echo(repr(result))
    click.echo(f"\ndetect took {elapsed:.1f} s; outputs in {out / 'output'} (open report.html)")
    click.echo("\nscored against the simulator's truth:")
    click.echo(repr(evaluate(sim.truth, result.registrations, result.summary)))
    click.echo(f"\ntotal {time.perf_counter() - start:.1f} s")


def main(argv=None):
    """Console entry point."""
    from . import communities

    communities.LEAN_NETWORKIT = True      # this process runs the command and nothing else
    cli.main(args=argv, prog_name="detector")


if __name__ == "__main__":
    main()
