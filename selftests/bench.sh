#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The engine benchmark: blit throughput and command rate through a vGPU
# against the same batches run directly on the reference engine (debugfs
# "direct" entry), printed as a table by selftests/vfio/out/gpu_bench;
# then the guest path in the same VM boot: "mvgpu-drm bench" (libdrm
# client, mvgpu_drm driver) in a nested KVM guest with a vGPU of the same
# type, and a table of the three side by side.
# Runs as root in the testbed VM (make bench, or selftests/run-vm with its
# path); prints kselftest TAP.  The checks only say the benchmark ran and
# computed the right results: the figures are for reading, not judged.
#
#   bench.sh [--repeat N] [--rounds R]
#	N: runs of each batch per round (default 8); R: rounds (default 9,
#	at most 15): the medians need several on a shared machine.
#	--seconds S: each guest measurement (default 4).
. "$(dirname "$0")/lib.sh"

cleanup()
{
	mvgpu_unload 2>/dev/null
}
trap cleanup EXIT

repeat=8 rounds=9 seconds=4
while [ $# -ge 2 ]; do
	case $1 in
	--repeat) repeat=$2 ;;
	--rounds) rounds=$2 ;;
	--seconds) seconds=$2 ;;
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
# gpu_bench's table row for WORK: "vGPU (wall)" and "direct" medians.
vfio_row()
{
	awk -v w="$2" '$1 == "#" && $2 == w && $3 == "MB/s" { print $4, $6 }' "$1"
}

# bench_guest UUID: mvgpu-drm bench in a nested guest on UUID; its output
# (the run.sh part of the console) in $GUEST_OUT.
GUEST_LOGS=/tmp/mvgpu-bench-guest
bench_guest()
{
	local share=$GUEST_LOGS/share con=$GUEST_LOGS/console.log log rc

	mkdir -p "$GUEST_LOGS"
	if ! guest_stage "$share" > "$GUEST_LOGS/stage.out" 2>&1; then
		fail "guest files staged" "$(cat "$GUEST_LOGS/stage.out")"
		return 1
	fi
	cat > "$share/run.sh" <<EOS
#!/bin/sh
sh /mnt/host/load.sh || exit 1
/mnt/host/mvgpu-drm --seed 1 --seconds $seconds bench
EOS
	chmod +x "$share/run.sh"
	"$SELFTESTS_DIR/guest/run-nested" -c "$con" -s "$share" -t 900 \
		-m 512 -i "$GUEST_INITRD" "$1"
	rc=$?
	log=$(tr -d '\r' < "$con")
	GUEST_OUT=$(sed -n '/^MVGPU-GUEST-RUN-BEGIN/,/^MVGPU-GUEST-RUN-END/p' <<< "$log")
	if [ $rc -eq 0 ] && grep -q '^MVGPU-GUEST-RUN-END status=0' <<< "$GUEST_OUT"; then
		pass "guest: mvgpu-drm bench ran in a nested guest and passed its checks"
	else
		fail "guest: mvgpu-drm bench ran in a nested guest and passed its checks" \
			"QEMU status $rc; console tail:"$'\n'"$(tail -n 40 <<< "$log")"
		return 1
	fi
	check_match "guest: bench results = CPU reference" "$GUEST_OUT" \
		'^WORKLOAD bench ok checksum=([0-9a-f]+) ref=\1 '
}

# guest_fig NAME: the figure of a "BENCH NAME <x> ..." line.
guest_fig()
{
	awk -v n="$1" '$1 == "BENCH" && $2 == n { print $3 }' <<< "$GUEST_OUT"
}

summary()
{
	local w v d g

	diag ""
	diag "the three paths, same VM boot (MB is 10^6 bytes):"
	diag "$(printf '%-24s %10s %14s %14s %10s' work direct "VFIO driver" "guest DRM" guest/direct)"
	for w in copy fill; do
		read -r v d <<< "$(vfio_row "$1" "$w")"
		g=$(guest_fig "$w")
		diag "$(printf '%-24s %10s %14s %14s %10s' "$w MB/s" "${d:--}" "${v:--}" "${g:--}" \
			"$(awk -v g="$g" -v d="$d" 'BEGIN { if (g > 0 && d > 0) printf "%.2f", g / d; else print "-" }')")"
	done
	diag "$(printf '%-24s %10s %14s %14s' "submissions/s, 1 by 1" - - "$(guest_fig submit-sync)")"
	diag "$(printf '%-24s %10s %14s %14s' "submissions/s, 32 deep" - - "$(guest_fig submit-pipelined)")"
	diag "direct and VFIO driver: gpu_bench medians, 16 MiB per submission (4 blits"
	diag "of 1024x1024x32); guest DRM: mvgpu-drm bench, one 4 MiB blit per"
	diag "submission, 4 in flight, $seconds s each, through the guest's PPGTT"
}

u=$(new_uuid)
if check "create mvgpu-1 for gpu_bench" vgpu_create mvgpu-1 "$u"; then
	tap_run_program "gpu_bench" "$VFIO_BIN/gpu_bench" "$u" --repeat "$repeat" \
		--rounds "$rounds" > /tmp/mvgpu-bench.out
	cat /tmp/mvgpu-bench.out
	check "remove mvgpu-1" vgpu_remove "$u"
fi
modprobe kvm_amd 2>/dev/null
u=$(new_uuid)
if check "create mvgpu-1 for the guest" vgpu_create mvgpu-1 "$u"; then
	if bench_guest "$u"; then
		grep -E '^BENCH ' <<< "$GUEST_OUT" | sed 's/^/guest: /' |
			while IFS= read -r l; do diag "$l"; done
		summary /tmp/mvgpu-bench.out
	fi
	check "remove the guest's mvgpu-1" vgpu_remove "$u"
fi
check "rmmod mvgpu" rmmod mvgpu

tap_done
