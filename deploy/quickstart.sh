#!/usr/bin/env bash
# Installs what gongkai needs, builds it, and starts gongkaid in the
# background on an embedded SQLite database in ./data, listening on a Unix
# socket there. Creates an administrator and an office-head account the first
# time and keeps their tokens in ./data (mode 600).
# Usage: ./deploy/quickstart.sh
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
socket="unix:$top/data/gongkaid.sock"

./deploy/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGONGKAI_BUILD_TESTS=OFF
cmake --build build -j2 --target gongkaid gongkai

mkdir -p data
chmod 700 data
if [ -f data/gongkaid.pid ] && kill -0 "$(cat data/gongkaid.pid)" 2>/dev/null; then
  echo "gongkaid is already running (pid $(cat data/gongkaid.pid)); stop it with: kill $(cat data/gongkaid.pid)"
  exit 0
fi
if [ ! -s data/admin.token ]; then
  (umask 077; build/server/gongkaid --db data/gongkai.db --create-admin admin > data/admin.token)
fi

nohup build/server/gongkaid --db data/gongkai.db --listen "$socket" \
  >>data/gongkaid.log 2>&1 </dev/null &
echo $! > data/gongkaid.pid

for _ in $(seq 1 100); do
  if grep -q "serving on $socket" data/gongkaid.log 2>/dev/null; then break; fi
  if ! kill -0 "$(cat data/gongkaid.pid)" 2>/dev/null; then
    echo "gongkaid failed to start; its log:" >&2
    tail -n 20 data/gongkaid.log >&2
    exit 1
  fi
  sleep 0.1
done

if [ ! -s data/head.token ]; then
  (umask 077; build/cli/gongkai --server "$socket" --token "$(cat data/admin.token)" \
     admin user add office --role head > data/head.token)
fi

cat <<EOT
gongkaid is running (pid $(cat data/gongkaid.pid)) on $socket
  database: $top/data/gongkai.db
  log:      $top/data/gongkaid.log
  tokens:   $top/data/admin.token (administrator), $top/data/head.token (office head)
  stop:     kill $(cat data/gongkaid.pid)

Log a first request:
  export GONGKAI_SERVER=$socket GONGKAI_TOKEN=\$(cat $top/data/head.token) PATH="$top/build/cli:\$PATH"
  gongkai case new --received $(date +%F) --channel in_person \\
      --applicant-type natural_person --applicant 张三 --request "2023年度部门预算"
  gongkai case list
EOT
