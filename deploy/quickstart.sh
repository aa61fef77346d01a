#!/usr/bin/env bash
# Installs what gongkai needs, builds it, and starts gongkaid in the
# background on an embedded SQLite database in ./data (next to the checkout).
# Usage: ./deploy/quickstart.sh [ADDRESS]   (default 127.0.0.1:7435)
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
address="${1:-127.0.0.1:7435}"

./deploy/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGONGKAI_BUILD_TESTS=OFF
cmake --build build -j2 --target gongkaid gongkai

mkdir -p data
if [ -f data/gongkaid.pid ] && kill -0 "$(cat data/gongkaid.pid)" 2>/dev/null; then
  echo "gongkaid is already running (pid $(cat data/gongkaid.pid)); stop it with: kill $(cat data/gongkaid.pid)"
  exit 0
fi
nohup build/server/gongkaid --db data/gongkai.db --listen "$address" \
  >>data/gongkaid.log 2>&1 </dev/null &
echo $! > data/gongkaid.pid

for _ in $(seq 1 100); do
  if grep -q "serving on" data/gongkaid.log 2>/dev/null && kill -0 "$(cat data/gongkaid.pid)" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$(cat data/gongkaid.pid)" 2>/dev/null; then
    echo "gongkaid failed to start; its log:" >&2
    tail -n 20 data/gongkaid.log >&2
    exit 1
  fi
  sleep 0.1
done

cat <<EOT
gongkaid is running (pid $(cat data/gongkaid.pid)) on $address
  database: $top/data/gongkai.db
  log:      $top/data/gongkaid.log
  stop:     kill $(cat data/gongkaid.pid)

Log a first request:
  export GONGKAI_SERVER=$address PATH="$top/build/cli:\$PATH"
  gongkai case new --received $(date +%F) --channel in_person \\
      --applicant-type natural_person --applicant 张三 --request "2023年度部门预算"
  gongkai case list
EOT
