#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh FUZZER SECONDS CORPUS OUT: replay the seed corpus, then fuzz for
# SECONDS from it (new inputs go to OUT/corpus, findings to OUT/findings).
# Prints TAP-ish lines and "N passed, N failed"; exit status 1 on a failure.
set -u
fuzzer=$1 seconds=$2 seeds=$3 out=$4
pass=0 fail=0 n=0

report() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		pass=$((pass + 1)); echo "ok $n - $2"
	else
		fail=$((fail + 1)); echo "not ok $n - $2"
	fi
}

rm -rf "$out/findings" "$out/replay"
mkdir -p "$out/corpus" "$out/findings" "$out/replay"
echo "TAP version 13"
echo "1..2"
# (libFuzzer adds inputs to its first directory: never the seeds)
"$fuzzer" -runs=0 "$out/replay" "$seeds" >"$out/replay.log" 2>&1
rc=$?
report $rc "fuzz_scan: replay of $(ls "$seeds" | wc -l) seed inputs"
[ $rc = 0 ] || tail -20 "$out/replay.log" | sed 's/^/# /'

"$fuzzer" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
	-max_len=50000 -print_final_stats=1 \
	-artifact_prefix="$out/findings/" "$out/corpus" "$seeds" \
	>"$out/fuzz.log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz.log")
findings=$(ls "$out/findings" | wc -l)
[ "$findings" = 0 ] || rc=1
report $rc "fuzz_scan: ${runs:-?} runs in ${seconds} s, $findings findings"
if [ $rc != 0 ]; then
	grep -E "ERROR|fuzz_scan:|SUMMARY" "$out/fuzz.log" | head -20 | sed 's/^/# /'
	ls "$out/findings" | sed 's/^/# finding: /'
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
