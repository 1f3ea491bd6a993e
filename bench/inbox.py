"""Inbox benchmark: email ingest against django-helpdesk, and inbox list/search latency at scale.

1. Generates a deterministic mbox of Dutch webshop email (threads, duplicates, attachments,
   HTML with quoted history, auto-replies, bounces, broken mail, non-UTF-8 charsets) under
   var/bench/ and prints its composition (`inboxbench/mail.py`, `render.py`).
2. Ingest: on each database a fresh, migrated Balie with one shop imports the mbox
   (`IMPORT_MBOX`), timed from process start to exit; then the database is checked against
   the generator's ground truth (messages, duplicates, conversations, threading, attachments).
3. The same mbox through django-helpdesk 2.6.1's own email-to-ticket code, installed by this
   script in bench/.venv-helpdesk (`helpdesk_project/`), on fresh databases, side by side.
4. Scale: a PostgreSQL database topped up to each size (`inboxbench/scale_load.py`), then the
   inbox views and searches timed in-process (`inboxbench/scale_measure.py`); EXPLAIN
   (ANALYZE, BUFFERS) of the slowest of each kind goes to var/bench/.

    .venv/bin/python bench/inbox.py [--messages 5000] [--sizes 100000,1000000]
        [--databases sqlite,postgres] [--skip-helpdesk] [--skip-scale]

The default run takes about 30 minutes on 2 cores (ingest ~7, the 1M load with its search
documents ~18, the measurements ~4), more when other work shares the machine; figures in
docs/benchmarks.md.
PostgreSQL at 127.0.0.1:5432, user postgres; the databases balie_bench_inbox,
balie_bench_helpdesk and balie_bench_inbox_scale are dropped and created by the script.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from inboxbench import mail  # noqa: E402  (after the path above)

WORK = ROOT / "var" / "bench"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
BALIE = str(ROOT / ".venv" / "bin" / "balie")
# Balie's own import command, as an operator runs it (parsing in worker processes).
IMPORT_MBOX = [BALIE, "import_mbox"]
HELPDESK_VENV = HERE / ".venv-helpdesk"
HELPDESK_REQUIREMENTS = HERE / "helpdesk_project" / "requirements.txt"
POSTGRES = "postgres://postgres@127.0.0.1:5432/"
SHOP = "bench"
SEED = 20261201
LIST_TARGET_MS, SEARCH_TARGET_MS, INGEST_RATIO_TARGET = 50, 150, 10


def cpu_seconds() -> float:
    """User + system CPU of the finished child processes so far (this script's steps)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command: list[str], env: dict[str, str], *, log: Path | None = None) -> str:
    """Runs a step; its stdout's last line is its JSON answer, stderr goes to `log`."""
    with (log or Path(os.devnull)).open("a") as errors:
        done = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=errors, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}); see {log}")
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def fresh_postgres(name: str) -> None:
    for tool in ("dropdb", "createdb"):
        flags = ["--if-exists", "--force"] if tool == "dropdb" else []
        subprocess.run([tool, "-h", "127.0.0.1", "-U", "postgres", *flags, name], check=True,
                       capture_output=True)  # fmt: skip


def load() -> str:
    """The machine's 1-minute load average: other work on the 2 cores skews every figure."""
    return f"load {os.getloadavg()[0]:.1f}"


def base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DEBUG="false", BALIE_LOG_LEVEL="ERROR", BALIE_EMBEDDED_WORKER="false",
               PYTHONPATH=str(HERE))  # fmt: skip
    return env


# --- 1. the mbox --------------------------------------------------------------------------------
def mbox_make(count: int) -> tuple[Path, Path, mail.Truth]:
    started = time.perf_counter()
    data, truth = mail.generate(count, SEED)
    path = WORK / f"inbox-{count}.mbox"
    path.write_bytes(data)
    truth_path = WORK / f"inbox-{count}.truth.json"
    truth_path.write_text(json.dumps({"thread_of": truth.thread_of}), encoding="utf-8")
    print(f"Generated {path.relative_to(ROOT)} in {time.perf_counter() - started:.1f} s: "
          f"{truth.deliveries:,} messages, {truth.mbox_bytes / 1e6:.0f} MB (seed {SEED})")  # fmt: skip
    c = truth.composition
    print(f"  {truth.unique:,} unique + {truth.duplicates} delivered twice (same Message-ID); "
          f"{truth.conversations:,} threads; {truth.without_id} without Message-ID")  # fmt: skip
    for title, prefix in (("kind", "kind "), ("language", "language "), ("client", "client "),
                          ("structure", "structure "), ("body charset", "charset "),
                          ("body encoding", "encoding "), ("attachments", "attachment "),
                          ("malformed", "malformed ")):  # fmt: skip
        parts = [
            f"{k.removeprefix(prefix)} {v}" for k, v in sorted(c.items()) if k.startswith(prefix)
        ]
        print(f"  {title}: " + ", ".join(parts))
    print(f"  {c['message with attachments']} messages with attachments ({c['file attachment']} "
          f"files, {c['inline image (cid)']} inline logos), {c['quoted history']} with quoted "
          f"history ({c['html with quoted history']} in HTML), {c['html tracking pixel']} "
          f"tracking pixels, {c['html with script']} scripts; {truth.automated} auto-replies and "
          "bounces")  # fmt: skip
    return path, truth_path, truth


# --- 2. Balie ---------------------------------------------------------------------------------
def balie_ingest(database: str, mbox: Path, truth_path: Path) -> dict[str, Any]:
    var = WORK / f"balie-{database}"
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    env = {**base_env(), "BALIE_VAR_DIR": str(var)}
    if database == "postgres":
        fresh_postgres("balie_bench_inbox")
        env["DATABASE_URL"] = POSTGRES + "balie_bench_inbox"
    log = var / "stderr.log"
    run([BALIE, "migrate", "--no-input", "--verbosity", "0"], env, log=log)
    run(
        [PYTHON, str(HERE / "inboxbench" / "balie_ingest.py"), "setup", "--shop", SHOP],
        env,
        log=log,
    )
    started, cpu_before = time.perf_counter(), cpu_seconds()
    answer = run([*IMPORT_MBOX, str(mbox), "--shop", SHOP], env, log=log)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_before
    check = json.loads(run([PYTHON, str(HERE / "inboxbench" / "balie_ingest.py"), "check",
                            "--shop", SHOP, "--truth", str(truth_path)], env, log=log))  # fmt: skip
    try:
        reported = json.loads(answer)
    except ValueError:  # `balie import_mbox` prints its own summary
        reported = {"summary": answer}
    return {"seconds": seconds, "cpu_seconds": cpu, "reported": reported, "check": check}


def balie_verdict(result: dict[str, Any], truth: mail.Truth) -> list[str]:
    c, r = result["check"], result["reported"]
    expected = [
        ("messages stored", c["messages"], truth.unique),
        ("duplicates ignored", truth.deliveries - c["messages"], truth.duplicates),
        ("conversations", c["conversations"], truth.conversations),
        ("Message-IDs missing", c["missing_ids"], 0),
        ("ids made up for mail without one", c["unknown_ids"], truth.without_id),
        ("threads split over conversations", c["threads_split"], 0),
        ("conversations mixing threads", c["conversations_mixed"], 0),
        ("marked automated", c["automated"], truth.automated),
        ("PDF/JPEG/PNG attachments", c["file_attachments"], truth.file_attachments),
        ("failed", r.get("failed", 0), 0),
    ]
    lines = [f"{'ok  ' if got == want else 'FAIL'} {label}: {got:,} (expected {want:,})"
             for label, got, want in expected]  # fmt: skip
    lines.append(f"     {c['customers']:,} customers, {c['attachments']:,} attachments in all "
                 f"({c['attachments_rejected']} refused), {c['with_parse_warnings']} messages "
                 f"with parse warnings, largest conversation {c['largest_conversation']} messages")  # fmt: skip
    if "parse_seconds" in r:
        lines.append(f"     of the time: parsing {r['parse_seconds']:.1f} s, storing "
                     f"{r['seconds'] - r['parse_seconds']:.1f} s, process start "
                     f"{result['seconds'] - r['seconds']:.1f} s")  # fmt: skip
    return lines + [f"     error: {e}" for e in r.get("errors", [])]


# --- 3. django-helpdesk -------------------------------------------------------------------------
def helpdesk_venv() -> Path:
    python = HELPDESK_VENV / "bin" / "python"
    marker = HELPDESK_VENV / "requirements.installed"
    wanted = HELPDESK_REQUIREMENTS.read_text(encoding="utf-8")
    if not python.exists() or not marker.exists() or marker.read_text(encoding="utf-8") != wanted:
        print(f"Installing django-helpdesk into {HELPDESK_VENV.relative_to(ROOT)} …")
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(HELPDESK_VENV)], check=True)
        with (WORK / "helpdesk-pip.log").open("w") as log:
            subprocess.run([str(python), "-m", "pip", "install", "-r", str(HELPDESK_REQUIREMENTS)],
                           check=True, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
        marker.write_text(wanted, encoding="utf-8")
    return python


def helpdesk_ingest(python: Path, database: str, mbox: Path) -> dict[str, Any]:
    var = WORK / f"helpdesk-{database}"
    shutil.rmtree(var, ignore_errors=True)
    (var / "media").mkdir(parents=True)
    env = {**base_env(), "DJANGO_SETTINGS_MODULE": "helpdesk_project.settings",
           "HELPDESK_BENCH_MEDIA": str(var / "media"),
           "HELPDESK_BENCH_DATABASE": str(var / "helpdesk.sqlite3")}  # fmt: skip
    if database == "postgres":
        fresh_postgres("balie_bench_helpdesk")
        env["HELPDESK_BENCH_DATABASE"] = POSTGRES + "balie_bench_helpdesk"
    script, log = str(HERE / "helpdesk_project" / "ingest.py"), var / "stderr.log"
    run([str(python), script, "setup"], env, log=log)
    started, cpu_before = time.perf_counter(), cpu_seconds()
    reported = json.loads(run([str(python), script, "import", str(mbox)], env, log=log))
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_before
    return {"seconds": seconds, "cpu_seconds": cpu, "reported": reported,
            "check": json.loads(run([str(python), script, "check"], env, log=log))}  # fmt: skip


def helpdesk_verdict(result: dict[str, Any], truth: mail.Truth) -> list[str]:
    c, r = result["check"], result["reported"]
    lines = [
        f"     {c['tickets']:,} tickets (a correct import: {truth.conversations:,} "
        f"conversations), {c['followups']:,} follow-ups for {truth.unique:,} unique messages "
        f"({c['stored_twice']:,} stored twice), {c['attachments']:,} "
        "attachment files (helpdesk also stores each HTML body as one)",
        f"     {r.get('failed', 0)} messages failed, {r.get('not_stored', 0)} not stored, "
        f"{r.get('ignored', 0)} ignored; process start {result['seconds'] - r['seconds']:.1f} s",
    ]
    return lines + [f"     error ×{n}: {e}" for e, n in r.get("errors", [])]


# --- 4. scale ---------------------------------------------------------------------------------
def scale(sizes: list[int]) -> list[tuple[int, dict[str, Any], list[dict[str, Any]]]]:
    var = WORK / "scale"
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    env = {**base_env(), "BALIE_VAR_DIR": str(var),
           "DATABASE_URL": POSTGRES + "balie_bench_inbox_scale"}  # fmt: skip
    fresh_postgres("balie_bench_inbox_scale")
    log = var / "stderr.log"
    run([BALIE, "migrate", "--no-input", "--verbosity", "0"], env, log=log)
    script = str(HERE / "inboxbench" / "scale.py")
    results = []
    for size in sorted(sizes):
        loaded = json.loads(run([PYTHON, script, "load", "--to", str(size)], env, log=log))
        explain = WORK / f"inbox-explain-{size}.txt"
        timings = json.loads(
            run([PYTHON, script, "measure", "--explain", str(explain)], env, log=log)
        )
        results.append((size, loaded, timings))
        print_scale(size, loaded, timings, explain)
    return results


def print_scale(
    size: int, loaded: dict[str, Any], timings: list[dict[str, Any]], explain: Path
) -> None:
    rebuild = loaded["search_rebuild_seconds"]
    print(f"\nInbox read paths at {size:,} conversations (PostgreSQL; shop 'groot' holds 60 %): "
          f"loaded {loaded['conversations']:,} conversations, {loaded['messages']:,} messages, "
          f"{loaded['customers']:,} customers in {loaded['load_seconds']:.0f} s, VACUUM ANALYZE "
          f"{loaded['vacuum_seconds']:.0f} s"
          + (f", search rebuild {rebuild:.0f} s" if rebuild >= 0 else
             "; no balie.inbox.search yet: search is conversation_list(q=…) as it is now"))  # fmt: skip
    print("target: the workspace's page p95 (what an agent waits for); '+count' adds the total "
          "the API returns with every page (counted up to 10,000)")  # fmt: skip
    print(f"{'query':52} {'found':>9} {'page p50':>9} {'page p95':>9} {'+count p50':>11} "
          f"{'+count p95':>11} {'CPU p50':>8} {'runs':>5}  target")  # fmt: skip
    for t in timings:
        target = SEARCH_TARGET_MS if t["label"].startswith("search") else LIST_TARGET_MS
        verdict = "ok" if t["page_p95"] < target else f"MISSED (<{target} ms)"
        print(f"{t['label'][:52]:52} {t['found']:9,} {t['page_p50']:9.1f} {t['page_p95']:9.1f} "
              f"{t['p50']:11.1f} {t['p95']:11.1f} {t['cpu_p50']:8.1f} {t['runs']:5}  {verdict}")  # fmt: skip
    print(
        f"EXPLAIN (ANALYZE, BUFFERS) of the slowest list and search: {explain.relative_to(ROOT)}"
        f" ({load()})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--skip-helpdesk", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    args = parser.parse_args()
    databases = [d for d in args.databases.split(",") if d]
    if set(databases) - {"sqlite", "postgres"}:
        parser.error("--databases takes sqlite and/or postgres")
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"Inbox benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, {load()}\n")
    mbox, truth_path, truth = mbox_make(args.messages)
    python = None if args.skip_helpdesk else helpdesk_venv()
    rates: dict[tuple[str, str], float] = {}
    cpu: dict[tuple[str, str], float] = {}
    # Each database's two runs back to back, so both meet the same load from other work.
    for database in databases:
        result = balie_ingest(database, mbox, truth_path)
        rates["Balie", database] = truth.deliveries / result["seconds"]
        cpu["Balie", database] = result["cpu_seconds"]
        print(f"\nBalie on {database}: {truth.deliveries:,} messages in {result['seconds']:.1f} s "
              f"= {rates['Balie', database]:.0f} messages/s, importer CPU "
              f"{result['cpu_seconds']:.1f} s ({load()})")  # fmt: skip
        print("\n".join(balie_verdict(result, truth)))
        if python is None:
            continue
        result = helpdesk_ingest(python, database, mbox)
        rates["django-helpdesk", database] = truth.deliveries / result["seconds"]
        cpu["django-helpdesk", database] = result["cpu_seconds"]
        print(f"\ndjango-helpdesk 2.6.1 on {database}: {truth.deliveries:,} messages in "
              f"{result['seconds']:.1f} s = {rates['django-helpdesk', database]:.0f} messages/s, "
              f"importer CPU {result['cpu_seconds']:.1f} s ({load()})")  # fmt: skip
        print("\n".join(helpdesk_verdict(result, truth)))
    if python is not None and databases:
        print(f"\n{'ingest':30}" + "".join(f"{d + ' msg/s':>16}{'CPU s':>8}" for d in databases))
        for system in ("Balie", "django-helpdesk"):
            print(f"{system:30}" + "".join(f"{rates[system, d]:16.0f}{cpu[system, d]:8.1f}"
                                           for d in databases))  # fmt: skip
        ratios = [rates["Balie", d] / rates["django-helpdesk", d] for d in databases]
        print(f"{'Balie ÷ django-helpdesk':30}" + "".join(f"{r:15.1f}×{'':8}" for r in ratios)
              + f"  target ≥ {INGEST_RATIO_TARGET}×: "
              + ("met" if min(ratios) >= INGEST_RATIO_TARGET else "MISSED"))  # fmt: skip
    if not args.skip_scale:
        scale([int(size) for size in args.sizes.split(",") if size])


if __name__ == "__main__":
    sys.exit(main())
