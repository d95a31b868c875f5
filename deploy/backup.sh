#!/usr/bin/env bash
# Online, consistent backup of photo-guard's SQLite database, safe while the
# bot is running (the database is in WAL mode: copying the .db file alone can
# miss recent writes or catch a half-written page; this uses SQLite's own
# backup API instead, through python3's sqlite3 module, so no sqlite3 CLI is
# needed).
#
# Usage:
#   deploy/backup.sh DATABASE BACKUP_FILE
#   deploy/backup.sh /var/lib/photo-guard/photo-guard.db /backups/photo-guard-$(date +%F).db
#
# Run it as root or as the bot's user. It never overwrites an existing backup,
# writes the copy with mode 0600 as one self-contained file (no -wal/-shm),
# then runs PRAGMA integrity_check on the copy and prints the result. Exit
# status: 0 the backup is good; 1 usage or I/O error; 2 the copy failed its
# integrity check (it is kept as BACKUP_FILE.failed; look at the live database).
#
# THE KEY: quarantined photos in the database are sealed with QUARANTINE_KEY.
# A backup is only readable with the same key, so back the key up too, but
# separately (a password manager, a sealed envelope in the safe): never next
# to the database copies, or whoever gets one gets the photos.
#
# THE AUDIT ANCHOR: the audit log's head is also kept outside the database in
# DATABASE.audit-anchor (or AUDIT_ANCHOR_PATH). It is copied first, to
# BACKUP_FILE.audit-anchor, so the copy never names an entry the database copy
# lacks; restore it with the database, or `audit verify` reports the entries
# written after the backup as missing (which they are).
#
# Restore:
#   1. Stop the bot:        systemctl stop photo-guard   (or: docker compose -f deploy/compose.yml stop)
#   2. Put the copy in place, owned by the bot's user, and remove the stale
#      -wal and -shm files of the old database (they belong to it, not to the
#      copy, and would corrupt it):
#        rm -f /var/lib/photo-guard/photo-guard.db-wal /var/lib/photo-guard/photo-guard.db-shm
#        install -o photo-guard -g photo-guard -m 0600 BACKUP_FILE /var/lib/photo-guard/photo-guard.db
#        install -o photo-guard -g photo-guard -m 0600 BACKUP_FILE.audit-anchor /var/lib/photo-guard/photo-guard.db.audit-anchor
#   3. Start the bot with the same QUARANTINE_KEY as when the backup was made:
#        systemctl start photo-guard
#      Migrations newer than the backup are applied at start-up.
set -euo pipefail

usage() {
    echo "usage: $0 DATABASE BACKUP_FILE" >&2
    echo "  e.g. $0 /var/lib/photo-guard/photo-guard.db /backups/photo-guard-\$(date +%F).db" >&2
    echo "  (the restore steps are at the top of this script)" >&2
    exit 1
}

[ "$#" -eq 2 ] || usage
case "$1" in -h | --help) usage ;; esac

if ! command -v python3 >/dev/null 2>&1; then
    echo "backup: python3 is needed (its sqlite3 module does the online backup)" >&2
    exit 1
fi

umask 077
exec python3 - "$1" "$2" "${AUDIT_ANCHOR_PATH:-$1.audit-anchor}" <<'PY'
import os
import shutil
import sqlite3
import sys
import urllib.request

src, dest, anchor = sys.argv[1], sys.argv[2], sys.argv[3]


def die(message, code=1):
    print(f"backup: {message}", file=sys.stderr)
    sys.exit(code)


if not os.path.isfile(src):
    die(f"{src}: no such database file")
if os.path.exists(dest):
    die(f"{dest} already exists: choose another name or move it away first")
dest_dir = os.path.dirname(os.path.abspath(dest))
if not os.path.isdir(dest_dir):
    die(f"{dest_dir}: no such directory")

part = dest + ".part"
if os.path.exists(part):
    os.remove(part)

# The anchor first: it then names an entry the database copy holds.
anchor_copy = None
if os.path.isfile(anchor):
    anchor_copy = dest + ".audit-anchor"
    shutil.copyfile(anchor, anchor_copy)
    with open(anchor_copy, "rb") as f:
        os.fsync(f.fileno())

try:
    # mode=rw: fail on a mistyped path instead of backing up a new empty file.
    # (Run as root, SQLite gives any -wal/-shm file it creates the database
    # file's owner, so the bot can still open its database afterwards.)
    uri = "file:" + urllib.request.pathname2url(os.path.abspath(src)) + "?mode=rw"
    source = sqlite3.connect(uri, uri=True, timeout=60)
    copy = sqlite3.connect(part)
    # One step (pages=-1): a consistent snapshot of the last committed state,
    # while the bot keeps reading and writing.
    source.backup(copy)
    source.close()
    # The copy inherits WAL mode; make it one self-contained file.
    copy.execute("PRAGMA journal_mode=DELETE")
    check = [row[0] for row in copy.execute("PRAGMA integrity_check")]
    migrations = None
    has_table = copy.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'"
    ).fetchone()
    if has_table:
        migrations = copy.execute(
            "SELECT COUNT(*), MAX(version) FROM _sqlx_migrations WHERE success"
        ).fetchone()
    copy.close()
except sqlite3.Error as e:
    if os.path.exists(part):
        os.remove(part)
    die(f"sqlite: {e}")

# Make the copy durable before reporting success.
with open(part, "rb") as f:
    os.fsync(f.fileno())
size = os.path.getsize(part)

if check != ["ok"]:
    os.replace(part, dest + ".failed")
    print(f"integrity_check: FAILED ({len(check)} problem(s)); first ones:", file=sys.stderr)
    for line in check[:10]:
        print(f"  {line}", file=sys.stderr)
    die(f"copy kept as {dest}.failed; the live database {src} may be damaged", code=2)

os.replace(part, dest)
dir_fd = os.open(dest_dir, os.O_RDONLY)
try:
    os.fsync(dir_fd)
finally:
    os.close(dir_fd)

print(f"backup: {src} -> {dest} ({size} bytes)")
if anchor_copy:
    print(f"audit anchor: {anchor} -> {anchor_copy}")
else:
    print(f"audit anchor: {anchor} not found; `photo-guard audit verify` on this copy cannot check its tail")
if migrations is not None:
    print(f"schema: {migrations[0]} migration(s) applied, latest {migrations[1]}")
print("integrity_check: ok")
print("reminder: this copy is readable only with the same QUARANTINE_KEY; keep the key backed up elsewhere")
PY
