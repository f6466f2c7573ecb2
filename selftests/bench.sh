#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The engine benchmark: blit throughput and command rate through a vGPU
# against the same batches run directly on the reference engine (debugfs
# "direct" entry), printed as a table by selftests/vfio/out/gpu_bench.
# Runs as root in the testbed VM (make bench, or selftests/run-vm with its
# path); prints kselftest TAP.  The checks only say the benchmark ran and
# computed the right results: the figures are for reading, not judged.
#
#   bench.sh [--repeat N] [--rounds R]
#	N: runs of each batch per round (default 8); R: rounds (default 9,
#	at most 15): the medians need several on a shared machine.
. "$(dirname "$0")/lib.sh"

cleanup()
{
	mvgpu_unload 2>/dev/null
}
trap cleanup EXIT

repeat=8 rounds=9
while [ $# -ge 2 ]; do
	case $1 in
	--repeat) repeat=$2 ;;
	--rounds) rounds=$2 ;;
	*) break ;;
	esac
	shift 2
done

tap_begin
diag "kernel $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo) MiB"
if ! check "insmod mvgpu (defaults)" mvgpu_load; then
	tap_done
fi
check "debugfs direct entry present" test -e /sys/kernel/debug/mvgpu/direct
u=$(new_uuid)
if check "create mvgpu-1 for gpu_bench" vgpu_create mvgpu-1 "$u"; then
	tap_run_program "gpu_bench" "$VFIO_BIN/gpu_bench" "$u" --repeat "$repeat" \
		--rounds "$rounds"
	check "remove mvgpu-1" vgpu_remove "$u"
fi
check "rmmod mvgpu" rmmod mvgpu

tap_done
