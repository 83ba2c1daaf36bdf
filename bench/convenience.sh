# The 便民服务站's bench pieces, shared by bench/run and bench/run-convenience (sourced after
# bench/lib.sh, not run): the bench service, the booking script, and the comparison at 10 000
# and at 1 000 000 existing bookings.

# A service shaped like 社保认证 — 20-minute slots, 5 places (or $3), 08:30-11:30 and 13:30-17:00
# every day, so 1 330 places in the 14 days the booking script picks from — defined on the server
# at $1 by the staff session $2 → its id.
define_service_at() {
  local every_day='["08:30-11:30", "13:30-17:00"]'
  curl -s -X POST "$1/api/v1/stations/convenience/services" -H "Authorization: Bearer $2" -H 'Content-Type: application/json' -d "{
    \"name\": \"压测服务\", \"slot_minutes\": 20, \"capacity\": ${3:-5},
    \"hours\": {\"weekly\": {\"mon\": $every_day, \"tue\": $every_day, \"wed\": $every_day, \"thu\": $every_day,
                            \"fri\": $every_day, \"sat\": $every_day, \"sun\": $every_day}},
    \"rules\": {\"min_notice_minutes\": 0, \"max_days_ahead\": 30}}" | sed -E 's/.*"id":([0-9]+).*/\1/'
}

# A Lua table `tokens` of new dev sessions of bench-resident-1 … $2 on the server at $1.
resident_tokens_lua() {
  local i
  echo "tokens = {"; for i in $(seq 1 "$2"); do echo "\"$(login_at "$1" "bench-resident-$i")\","; done; echo "}"
}

# A wrk script: a random resident of the Lua tokens file $2 books a random slot of service $1 in
# the 14 days from tomorrow (UTC+8), each request with its own Idempotency-Key: 201 until the
# slots fill, then 409 slot_full / 422 one place per slot. With $3 = count5xx it also prints how
# many answers were 5xx ("server_errors N").
booking_lua() {
  cat "$2"
  echo "day0 = $(TZ=Asia/Shanghai date -d "tomorrow 00:00" +%s)"
  cat <<LUA
path = "/api/v1/stations/convenience/services/$1/bookings"
counter = 0
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  counter = counter + 1
  local minute = math.random(0, 18) * 20  -- 9 morning slots, 10 afternoon ones
  minute = minute < 180 and 510 + minute or 810 + (minute - 180)
  local t = day0 + 86400 * math.random(0, 13) + 60 * minute
  local key = string.format("bench-%d-%d-%d", math.random(1e9), counter, math.random(1e9))
  return wrk.format("POST", path, {["Authorization"] = "Bearer " .. tokens[math.random(#tokens)],
                                   ["Content-Type"] = "application/json", ["Idempotency-Key"] = key},
                    '{"start":"' .. os.date("!%Y-%m-%dT%H:%M:00Z", t) .. '"}')
end
LUA
  [ "${3:-}" = count5xx ] && cat <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) server_errors = 0 end
function response(status, headers, body) if status >= 500 then server_errors = server_errors + 1 end end
function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do n = n + t:get("server_errors") end
  io.write(string.format("server_errors %d\n", n))
end
LUA
  return 0
}

# Past bookings of bench-resident-1 … $4 (logged in already) on service $3, added straight into
# the database at $1 (its server idle) until the table holds $2 rows.
seed_bookings() {
  sqlite3 "$1" "PRAGMA busy_timeout = 60000;
    WITH RECURSIVE n(i) AS (SELECT (SELECT count(*) FROM convenience_bookings) + 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
    INSERT INTO convenience_bookings(service_id, user_id, slot_start, slot_end, state, code, form, idem_key, hold_id, created_at, updated_at)
    SELECT $3, (SELECT id FROM core_users WHERE openid = 'dev-bench-resident-' || (1 + i % $4)),
           CAST(strftime('%s','now') AS INTEGER) * 1000 - i * 1200000, CAST(strftime('%s','now') AS INTEGER) * 1000 - i * 1200000 + 1200000,
           'completed', 'SEED' || i, '{}', 'seed-' || i, 0, 0, 0 FROM n;" >/dev/null
}

# The booking run at 10 000 and at 1 000 000 existing bookings: two more servers (config $1,
# data under $2, $3 residents), one on a database of each size, driven in turn for $4 rounds —
# each run on a fresh service, so every run starts on empty slots and its p99 is mostly its
# first second, when 1 330 places fill through the one writer. Taking the sizes in turn (instead
# of all 10k runs, then all 1M ones) lets the shared machine's drift fall on both alike.
# Fills the arrays K10 and M1 with wrk_run lines; the servers are stopped at the end.
scale_compare() {
  local config=$1 dir=$2 residents=$3 rounds=$4
  local -a urls dbs staffs tokens pids
  local sizes=(10000 1000000) i r url fresh
  K10=(); M1=()
  for i in 0 1; do
    urls[i]=http://127.0.0.1:$((18083 + i))
    dbs[i]=$dir/scale$i/yizhan.sqlite
    build/yizhan serve --config "$config" --port $((18083 + i)) --data-dir "$dir/scale$i" --dev --seed-demo >/dev/null 2>&1 &
    pids[i]=$!
    wait_ready "${urls[i]}/readyz"
    staffs[i]=$(login_at "${urls[i]}" staff-convenience)
    tokens[i]=$dir/scale$i-tokens.lua
    resident_tokens_lua "${urls[i]}" "$residents" > "${tokens[i]}"
    seed_bookings "${dbs[i]}" "${sizes[i]}" "$(define_service_at "${urls[i]}" "${staffs[i]}")" "$residents"
  done
  for r in $(seq 1 "$rounds"); do
    for i in $(( r % 2 )) $(( 1 - r % 2 )); do   # 10k first in even rounds, 1M first in odd ones
      url=${urls[i]}
      outbox_drained "${dbs[0]}"; outbox_drained "${dbs[1]}"
      fresh=$(define_service_at "$url" "${staffs[i]}")
      booking_lua "$fresh" "${tokens[i]}" > "$dir/book-scale.lua"
      if [ "$i" = 0 ]; then K10+=("$(wrk_run "$url" "$dir/book-scale.lua")"); else M1+=("$(wrk_run "$url" "$dir/book-scale.lua")"); fi
    done
  done
  kill "${pids[@]}"; wait "${pids[@]}" 2>/dev/null || true
}

# How many (service, slot) pairs of the database at $1 hold more live bookings than their service has places.
slots_over_capacity() {
  sqlite3 "$1" "PRAGMA busy_timeout = 5000; SELECT count(*) FROM (SELECT 1 FROM convenience_bookings b JOIN convenience_services s ON s.id = b.service_id
                WHERE b.state IN ('confirmed','pending') GROUP BY b.service_id, b.slot_start HAVING count(*) > max(s.capacity))" | tail -1
}

# Bookings made per second in a wrk_run line ($1): its requests less those not answered 2xx,
# over SECONDS_PER. For the run where every request may take a new place.
made_per_s() { awk -v s="$SECONDS_PER" '{printf "%.0f", $1 - $4 / s}' <<<"$1"; }
