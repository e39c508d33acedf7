#!/usr/bin/env bash
# The nightly dump: pg_dump's custom format (compressed, restorable table by table) into
# BACKUP_DIR, keeping BACKUP_KEEP_DAYS days. DATABASE_URL as the application's (its env file).
# Usage: DATABASE_URL=postgres://… BACKUP_DIR=/var/backups/bulletin-desk deploy/backup.sh
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL}"
BACKUP_DIR=${BACKUP_DIR:-/var/backups/bulletin-desk}
KEEP=${BACKUP_KEEP_DAYS:-14}
mkdir -p "$BACKUP_DIR"
stamp=$(date +%Y%m%d-%H%M%S)
target="$BACKUP_DIR/bulletin-desk-$stamp.dump"
# Written under a temporary name: a half-written dump is never taken for a good one.
pg_dump --format=custom --no-owner --dbname="$DATABASE_URL" --file="$target.partial"
mv "$target.partial" "$target"
find "$BACKUP_DIR" -name 'bulletin-desk-*.dump' -mtime +"$KEEP" -delete
echo "$target"
