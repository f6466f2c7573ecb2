#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The engines of mvgpu vGPUs driven through VFIO by the userspace GPU driver
# (selftests/lib/gpu.c), every result checked against the CPU reference
# (selftests/lib/gpu_ref.c): the C programs of selftests/vfio/out/ run
# against vGPUs of several types, their TAP results passed through as
# checks of this test.  A missing binary is a failure, not a skip.
#
#   gpu_test      commands, blits, interrupts, batches, every fault type
#                 (on a type-8 vGPU through the container, a type-2 one
#                 through iommufd)
#   gpu_multi     four vGPUs at once; isolation; a hang next door
#   gpu_scan_test the command checker: a malicious submission per rule on
#                 one vGPU while another works, TOCTOU, write prediction
#   gpu_teardown  close, kill, DMA unmap, reset and remove under load
#
# The module is loaded with a short watchdog so the hang tests are quick;
# it stays long enough for the slowest legitimate command on the kernel
# at hand (the debug kernel runs about six times slower).
. "$(dirname "$0")/lib.sh"

cleanup()
{
	mvgpu_unload 2>/dev/null
}
trap cleanup EXIT

hang_ms=1000
case $(uname -r) in
*-debug)
	hang_ms=6000
	# Freeing a buffer the engines touched unpins it from inside VFIO's
	# dma_unmap callback.  Linux 6.12's type1 container calls that
	# callback under its device_list_lock, and the unpin takes its
	# iommu->lock, which device registration takes the other way round:
	# lockdep reports that inversion (VFIO's own) on the first such free.
	# On the lockdep kernel every program therefore uses iommufd, where
	# the callback runs without VFIO locks; the plain kernel runs the
	# container paths too.
	export MVGPU_OPEN_MODE=cdev
	;;
esac

# The write prediction check (WPRED, wpred_check in lib.sh) covers every
# vGPU; gpu_test and gpu_scan_test arm it themselves for their own vGPUs.

# gpu_test_on TYPE [ARGS...]: gpu_test on a fresh vGPU of TYPE, which must
# survive it and release the module reference when closed.
gpu_test_on()
{
	local t=$1 u

	shift
	u=$(new_uuid)
	check "create $t for gpu_test" vgpu_create "$t" "$u" || return
	tap_run_program "gpu_test $t${1:+ $*}" "$VFIO_BIN/gpu_test" "$u" \
		--watchdog "$hang_ms" "$@"
	check "$t still present after gpu_test" vgpu_exists "$u"
	check_eq "$t: module refcnt 1 after the device was closed" "$(mvgpu_refcnt)" 1
	check "remove $t" vgpu_remove "$u"
}

tap_begin
if ! check "insmod mvgpu hang_timeout_ms=$hang_ms" mvgpu_load hang_timeout_ms=$hang_ms; then
	tap_done
fi
check_eq "hang_timeout_ms parameter" \
	"$(cat /sys/module/mvgpu/parameters/hang_timeout_ms 2>&1)" "$hang_ms"

gpu_test_on mvgpu-8
gpu_test_on mvgpu-2 --cdev

# Four vGPUs filling the parent: 1/2 + 1/4 + 1/8 + 1/8.
uuids=()
for t in mvgpu-2 mvgpu-4 mvgpu-8 mvgpu-8; do
	u=$(new_uuid)
	check "create $t for gpu_multi" vgpu_create "$t" "$u" && uuids+=("$u")
done
if [ ${#uuids[@]} -eq 4 ]; then
	echo on > "$WPRED"
	tap_run_program "gpu_multi" "$VFIO_BIN/gpu_multi" "${uuids[@]}"
	wpred_check gpu_multi
fi
for u in "${uuids[@]}"; do
	check "$(vgpu_type "$u") present after gpu_multi" vgpu_exists "$u" &&
		check "remove $(vgpu_type "$u")" vgpu_remove "$u"
done
check_eq "module refcnt 0 after gpu_multi" "$(mvgpu_refcnt)" 0

# The command checker: attacks on an mvgpu-8, a workload on an mvgpu-4.
ua=$(new_uuid)
ub=$(new_uuid)
if check "create mvgpu-8 for gpu_scan_test" vgpu_create mvgpu-8 "$ua" &&
   check "create mvgpu-4 for gpu_scan_test" vgpu_create mvgpu-4 "$ub"; then
	tap_run_program "gpu_scan_test" "$VFIO_BIN/gpu_scan_test" "$ua" "$ub"
fi
for u in "$ua" "$ub"; do
	vgpu_exists "$u" && check "remove $(vgpu_type "$u") after gpu_scan_test" vgpu_remove "$u"
done
check_eq "module refcnt 0 after gpu_scan_test" "$(mvgpu_refcnt)" 0

# gpu_teardown removes its vGPU itself, in its last test.
u=$(new_uuid)
if check "create mvgpu-4 for gpu_teardown" vgpu_create mvgpu-4 "$u"; then
	echo on > "$WPRED"
	tap_run_program "gpu_teardown mvgpu-4" "$VFIO_BIN/gpu_teardown" "$u"
	wpred_check gpu_teardown
	check "vGPU gone after gpu_teardown" test ! -e "$MDEV_DEVICES/$u"
	vgpu_exists "$u" && vgpu_remove "$u"
fi

# Nothing pinned or referenced is left: every type is whole again and the
# module unloads (run-vm checks the kernel log for warnings about pins).
expect_avail "counts restored after the GPU tests" 1 2 4 8
check_eq "no vGPU left" "$(mvgpu_vgpus | wc -l)" 0
check_eq "module refcnt back to 0" "$(mvgpu_refcnt)" 0
check "rmmod mvgpu" rmmod mvgpu

tap_done
