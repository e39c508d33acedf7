#!/usr/bin/env bash
# The restore drill: restore a dump into a scratch database, count what came back, drop it.
# Run it monthly on the newest dump; it touches nothing but the scratch database.
# Usage: PGHOST=… PGUSER=… deploy/restore-drill.sh /var/backups/bulletin-desk/bulletin-desk-….dump [scratch_db]
set -euo pipefail
dump=${1:?the dump file}
scratch=${2:-bulletin_desk_restore_drill}
createdb --template=template0 --encoding=UTF8 "$scratch"
trap 'dropdb --if-exists "$scratch"' EXIT
pg_restore --no-owner --exit-on-error --dbname="$scratch" "$dump"
psql --dbname="$scratch" --no-psqlrc --tuples-only --no-align --field-separator=' ' --command "
    SELECT 'migrations', count(*) FROM django_migrations
    UNION ALL SELECT 'units', count(*) FROM accounts_orgunit
    UNION ALL SELECT 'users', count(*) FROM accounts_user
    UNION ALL SELECT 'bulletins', count(*) FROM bulletins_bulletin
    UNION ALL SELECT 'attachments', count(*) FROM bulletins_attachment
    UNION ALL SELECT 'documents', count(*) FROM documents_officialdocument"
echo "restore drill: $dump restored into $scratch and checked; dropping it"
