#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Resource leaks over many vGPU lifetimes: create -> open/close through VFIO
# -> remove, rotating over the four types, LEAK_CYCLES (default 200) cycles
# through the legacy container/group path, then as many through the iommufd
# cdev path.  Afterwards the module refcount, the vGPU list and the available
# instances must be back where they started, and slab usage must not have
# grown with the number of cycles in either path.  On the debug kernel run-vm
# adds the precise kmemleak check.
#
# Slab measure: the summed in-use objects of the kmalloc caches (every
# allocation of mvgpu, mdev, VFIO and iommufd comes from them) plus filp and
# kernfs nodes (a leaked file or sysfs entry), read the way SLABMON_PY
# explains.  Not the kmalloc-rcl-* caches: they hold only allocations made
# reclaimable through a shrinker (file system metadata), never a driver's,
# and drift by whole slabs with the 9p root's dentries.  Measured after 20
# warm-up cycles have created whatever is created once.  Its noise, measured
# between two idle snapshots, is a few objects (at most about one slab of a
# mid-sized cache: kmalloc-96 holds 42).  A leak in
# the path under test loses at least one object per cycle of that path, 200
# objects per phase; the tolerance of MAX_GROWTH (0.5) objects/cycle (100 per
# phase) lies between, and the test fails if the idle noise exceeds half of
# it, since the measure would then mean nothing.
. "$(dirname "$0")/lib.sh"

CYCLES=${LEAK_CYCLES:-200}
WARMUP=20
MAX_GROWTH=0.5
OPEN_CLOSE=$VFIO_BIN/vfio_open_close
TYPES=(mvgpu-8 mvgpu-4 mvgpu-2 mvgpu-1)
MODES=(container cdev)
U=$(new_uuid)

cleanup()
{
	mvgpu_unload 2>/dev/null
}
trap cleanup EXIT

# settle: let RCU callbacks run and drop reclaimable caches, twice: the
# first pass frees dentries, whose inodes (and the kernfs nodes they pin) the
# second pass evicts.
settle()
{
	sync
	echo 3 > /proc/sys/vm/drop_caches
	sleep 1
	echo 3 > /proc/sys/vm/drop_caches
	sleep 1
}

# The slab monitor: a coprocess that, for every line it reads, prints per
# measured cache "name objects-in-use" and then "end".  It opens each cache's
# sysfs shrink and objects files once, so a snapshot does no path lookup and
# starts no process, and shrinks each cache (flushing its per-CPU slabs and
# KASAN quarantine) right before reading its count: /proc/slabinfo and
# .../objects count the free objects of per-CPU slabs as in use, so any
# allocation in between (a process start, a new sysfs dentry) would refill
# them.  Frees on the other CPU can still park objects in per-CPU partial
# slabs; such readings are only ever too high, so the snapshot is the
# minimum of 5 readings 0.3 s apart.
SLABMON_PY='
import os, re, sys, time
want = re.compile(r"(dma-)?kmalloc-(cg-)?[0-9]+k?$|filp$|kernfs_node_cache$|kernfs_iattrs_cache$")
caches = [l.split()[0] for l in open("/proc/slabinfo").readlines()[2:]]
caches = [c for c in caches if want.match(c)]
fds = [(c, os.open("/sys/kernel/slab/%s/shrink" % c, os.O_WRONLY),
        os.open("/sys/kernel/slab/%s/objects" % c, os.O_RDONLY)) for c in caches]
for _ in sys.stdin:
    low = {}
    for i in range(5):
        for c, s, o in fds:
            os.pwrite(s, b"1", 0)
            n = int(os.pread(o, 256, 0).split()[0])
            low[c] = min(low.get(c, n), n)
        time.sleep(0.3)
    sys.stdout.write("".join("%s %d\n" % (c, low[c]) for c in caches) + "end\n")
    sys.stdout.flush()
'

# snapshot FILE: the slab monitor's counts.
snapshot()
{
	local line

	echo snap >&"${SLABMON[1]}"
	while read -r -u "${SLABMON[0]}" line && [ "$line" != end ]; do
		echo "$line"
	done > "$1"
}

# measure FILE: per cache the lower of two settled snapshots a few seconds
# apart, which drops the occasional transient (one CPU's slab of a small
# cache, up to 512 objects, counted in use while an RCU batch is pending).
measure()
{
	settle
	snapshot "$1.a"
	settle
	snapshot "$1.b"
	awk 'NR == FNR { a[$1] = $2; next } { print $1, ($2 < a[$1] ? $2 : a[$1]) }' \
		"$1.a" "$1.b" > "$1"
	rm -f "$1.a" "$1.b"
}

total()
{
	awk '{ s += $2 } END { print s + 0 }' "$1"
}

# top_growth A B: the caches that changed most from snapshot A to B.
top_growth()
{
	awk 'NR == FNR { a[$1] = $2; next }
	     $2 != a[$1] { d = $2 - a[$1]; printf "%d %s %+d\n", d < 0 ? -d : d, $1, d }' "$1" "$2" |
		sort -n -r | head -n 8 | awk '{ printf "%s %s  ", $2, $3 }'
}

meminfo()
{
	awk '/^(MemAvailable|Slab|SUnreclaim):/ { printf "%s %d kB ", $1, $2 }' /proc/meminfo
}

# cycle I: one create -> open/close -> remove; prints what failed.
cycle()
{
	local i=$1 t mode out

	t=${TYPES[i % 4]}
	mode=${MODES[(i / 4) % 2]}
	[ -n "${PHASE_MODE:-}" ] && mode=$PHASE_MODE
	if ! vgpu_create "$t" "$U" 2>/dev/null; then
		echo "cycle $i: create $t failed"
		return 1
	fi
	if ! out=$("$OPEN_CLOSE" --mode "$mode" "$U" 1 2>&1); then
		echo "cycle $i: vfio_open_close --mode $mode on $t failed:"
		echo "$out"
		vgpu_remove "$U" 2>/dev/null
		return 1
	fi
	if ! vgpu_remove "$U" 2>/dev/null || vgpu_exists "$U"; then
		echo "cycle $i: remove $t failed"
		return 1
	fi
}

# cycles FROM TO: run cycles FROM..TO-1; prints the failures (first 3 in full).
cycles()
{
	local i nfail=0 out

	for ((i = $1; i < $2; i++)); do
		if ! out=$(cycle "$i"); then
			nfail=$((nfail + 1))
			[ $nfail -le 3 ] && echo "$out"
			# Do not pile up failures in an unknown state.
			[ $nfail -ge 10 ] && { echo "stopping after $nfail failures"; return 1; }
		fi
	done
	[ $nfail -eq 0 ] || { echo "$nfail of $(($2 - $1)) cycles failed"; return 1; }
}

tap_begin
if ! check "insmod mvgpu (defaults)" mvgpu_load; then
	tap_done
fi
if [ ! -x "$OPEN_CLOSE" ]; then
	fail "vfio_open_close present" "$OPEN_CLOSE is missing or not executable"
	tap_done
fi
ref0=$(mvgpu_refcnt)
avail0=$(avail_all)
diag "start: refcnt $ref0, available $avail0"

if out=$(cycles 0 $WARMUP); then
	pass "$WARMUP warm-up cycles (all types, container and cdev)"
else
	fail "$WARMUP warm-up cycles (all types, container and cdev)" "$out"
fi

snap=$(mktemp -d)
coproc SLABMON { exec python3 -c "$SLABMON_PY"; }
measure "$snap/idle1"
measure "$snap/idle2"
noise=$(($(total "$snap/idle2") - $(total "$snap/idle1")))
noise=${noise#-}
limit=$(awk -v m=$MAX_GROWTH -v n="$CYCLES" 'BEGIN { printf "%d", m * n / 2 }')
desc="slab measure stable: idle noise < $limit objects (half the tolerance)"
if [ "$noise" -lt "$limit" ]; then
	pass "$desc ($noise of $(total "$snap/idle2"))"
else
	fail "$desc" "$noise objects: $(top_growth "$snap/idle1" "$snap/idle2")"
fi
diag "before: $(meminfo)"

prev=$snap/idle2
for mode in "${MODES[@]}"; do
	start_s=$SECONDS
	if out=$(PHASE_MODE=$mode cycles 0 "$CYCLES"); then
		pass "$CYCLES cycles create -> open/close ($mode) -> remove"
	else
		fail "$CYCLES cycles create -> open/close ($mode) -> remove" "$out"
	fi
	measure "$snap/$mode"
	growth=$(($(total "$snap/$mode") - $(total "$prev")))
	per=$(awk -v g=$growth -v n="$CYCLES" 'BEGIN { printf "%.3f", g / n }')
	desc="slab growth over the $mode cycles < $MAX_GROWTH objects/cycle"
	if awk -v p="$per" -v m=$MAX_GROWTH 'BEGIN { exit !(p < m) }'; then
		pass "$desc ($growth objects, $per/cycle)"
	else
		fail "$desc" "$growth objects in $CYCLES cycles ($per/cycle)"
	fi
	diag "$mode: $((SECONDS - start_s)) s; changed most: $(top_growth "$prev" "$snap/$mode")"
	diag "$mode: after: $(meminfo)"
	prev=$snap/$mode
done
rm -rf "$snap"
# End the monitor: close its input, wait for it.
eval "exec ${SLABMON[1]}>&-"
# shellcheck disable=SC2153 # set by coproc
wait "$SLABMON_PID"

check_eq "module refcnt back to its start" "$(mvgpu_refcnt)" "$ref0"
check_eq "no vGPU left" "$(mvgpu_vgpus | wc -l)" 0
check_eq "available instances back to the start" "$(avail_all)" "$avail0"
check "rmmod mvgpu after the cycles" rmmod mvgpu

tap_done
