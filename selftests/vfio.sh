#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the C VFIO tests (selftests/vfio/out/) against vGPUs of different
# types, passing their TAP results through as checks of this test.  A
# missing binary is a failure, not a skip.
. "$(dirname "$0")/lib.sh"

cleanup()
{
	mvgpu_unload 2>/dev/null
}
trap cleanup EXIT

# dev_test TYPE: vfio_dev_test on a fresh vGPU of TYPE, which must survive it.
dev_test()
{
	local t=$1 u

	u=$(new_uuid)
	if ! check "create $t for vfio_dev_test" vgpu_create "$t" "$u"; then
		return
	fi
	tap_run_program "vfio_dev_test $t" "$VFIO_BIN/vfio_dev_test" "$u"
	check "$t still present after vfio_dev_test" vgpu_exists "$u"
	check_eq "$t: module refcnt 1 after the device was closed" "$(mvgpu_refcnt)" 1
	check "remove $t" vgpu_remove "$u"
}

tap_begin
if ! check "insmod mvgpu (defaults)" mvgpu_load; then
	tap_done
fi

dev_test mvgpu-8
dev_test mvgpu-2

# vfio_remove_test removes the vGPU through sysfs while holding it open.
u=$(new_uuid)
if check "create mvgpu-4 for vfio_remove_test" vgpu_create mvgpu-4 "$u"; then
	tap_run_program "vfio_remove_test mvgpu-4" "$VFIO_BIN/vfio_remove_test" "$u"
	check "vGPU gone after vfio_remove_test" test ! -e "$MDEV_DEVICES/$u"
	# Do not leave it to the next checks if the program did not remove it.
	vgpu_exists "$u" && vgpu_remove "$u"
fi

expect_avail "counts restored after the VFIO tests" 1 2 4 8
check_eq "no vGPU left" "$(mvgpu_vgpus | wc -l)" 0
check_eq "module refcnt back to 0" "$(mvgpu_refcnt)" 0
check "rmmod mvgpu" rmmod mvgpu

tap_done
