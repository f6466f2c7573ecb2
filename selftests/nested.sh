#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A vGPU in a nested KVM guest: QEMU inside the testbed VM boots the testbed
# kernel with a busybox initramfs (guest/mkinitramfs) and the vGPU assigned
# through vfio-pci.  The guest's lspci and the probe (guest/vgpu_probe.c)
# must see the documented device: 6d76:0001, display controller, 16M BAR0,
# a BAR2 as large as the type's memory, MSI at 0x50, and working registers
# and VRAM.  An mvgpu-8 goes through the legacy container/group path, an
# mvgpu-2 through QEMU's iommufd backend (the cdev path).
. "$(dirname "$0")/lib.sh"

GUEST_DIR=${GUEST_DIR:-/tmp/mvgpu-guest}
NESTED_TIMEOUT=${NESTED_TIMEOUT:-300}
case $(uname -r) in
*-debug) KERNEL=/opt/mvgpu/kbuild-debug/arch/x86/boot/bzImage ;;
*) KERNEL=/opt/mvgpu/kbuild-plain/arch/x86/boot/bzImage ;;
esac
KERNEL=${NESTED_KERNEL:-$KERNEL}

cleanup()
{
	mvgpu_unload 2>/dev/null
}
trap cleanup EXIT

# field LINE KEY: the value of KEY=value in the verdict line.
field()
{
	sed -n -E "s/.*[[:space:]]$2=([^[:space:]]+).*/\1/p" <<< "$1"
}

# run_guest TYPE BACKEND: boot the guest with a fresh vGPU of TYPE, assigned
# through BACKEND (container or iommufd), and check what the guest saw.
run_guest()
{
	local t=$1 backend=$2 n=${1#mvgpu-} u con qlog rc lspci verdict
	local inst mem r0 r1 p args=()

	p="$t ($backend)"
	u=$(new_uuid)
	if ! check "$p: create the vGPU" vgpu_create "$t" "$u"; then
		return
	fi
	mem=$(vgpu_attr "$u" memory_mb)
	inst=$(vgpu_attr "$u" instance)
	r0=$(vgpu_attr "$u" vram_resident_kb)
	con=$GUEST_DIR/console-$t.log
	qlog=$GUEST_DIR/qemu-$t.log
	rm -f "$con" "$qlog"
	if [ "$backend" = iommufd ]; then
		args=(-object "iommufd,id=iofd0"
		      -device "vfio-pci,sysfsdev=$MDEV_DEVICES/$u,iommufd=iofd0")
	else
		args=(-device "vfio-pci,sysfsdev=$MDEV_DEVICES/$u")
	fi
	timeout -k 5 "$NESTED_TIMEOUT" qemu-system-x86_64 -accel kvm -cpu host \
		-smp 1 -m 256 -nodefaults -no-reboot -display none -monitor none \
		-serial "file:$con" -kernel "$KERNEL" -initrd "$GUEST_DIR/initramfs.cpio.gz" \
		-append "console=ttyS0 panic=-1 loglevel=4" "${args[@]}" \
		< /dev/null > "$qlog" 2>&1
	rc=$?
	[ -s "$qlog" ] && diag "QEMU said:"$'\n'"$(cat "$qlog")"
	if [ $rc -eq 0 ] && grep -q -a 'MVGPU-GUEST: powering off' "$con"; then
		pass "$p: the guest ran and powered off"
	else
		fail "$p: the guest ran and powered off" \
			"QEMU exit status $rc (124: timeout after $NESTED_TIMEOUT s); console:"$'\n'"$(tail -n 60 "$con" 2>/dev/null)"
	fi
	lspci=$(tr -d '\r' < "$con" | sed -n '/^MVGPU-GUEST-LSPCI-BEGIN/,/^MVGPU-GUEST-LSPCI-END/p')
	diag "guest lspci:"$'\n'"$lspci"
	check_match "$p: lspci: display controller [0380] 6d76:0001 rev 01" "$lspci" \
		'^[0-9a-f]{2}:[0-9a-f]{2}\.[0-7] Display controller \[0380\]: .*\[6d76:0001\] \(rev 01\)'
	check_match "$p: lspci: subsystem 6d76:000$n" "$lspci" \
		"^[[:space:]]+Subsystem: .*\[6d76:000$n\]"
	check_match "$p: lspci: region 0 64-bit non-prefetchable 16M" "$lspci" \
		'^[[:space:]]+Region 0: Memory at [0-9a-f]+ \(64-bit, non-prefetchable\)( \[disabled\])? \[size=16M\]'
	check_match "$p: lspci: region 2 64-bit prefetchable ${mem}M" "$lspci" \
		"^[[:space:]]+Region 2: Memory at [0-9a-f]+ \(64-bit, prefetchable\)( \[disabled\])? \[size=${mem}M\]"
	check_nomatch "$p: lspci: no other region, no expansion ROM" "$lspci" \
		'Region [1345]:|Expansion ROM'
	check_match "$p: lspci: interrupt pin A" "$lspci" 'Interrupt: pin A'
	check_match "$p: lspci: MSI capability at 0x50, 1 vector, 64-bit" "$lspci" \
		'Capabilities: \[50\] MSI: Enable[+-] Count=1/1 .*64bit\+'
	check_match "$p: lspci exited 0" "$lspci" '^MVGPU-GUEST-LSPCI-END status=0'

	diag "guest probe:"$'\n'"$(tr -d '\r' < "$con" | grep -a -E '^PROBE: ')"
	verdict=$(tr -d '\r' < "$con" | grep -a -E '^MVGPU-GUEST-RESULT: ' | tail -n1)
	check_match "$p: probe verdict ok" "$verdict" '^MVGPU-GUEST-RESULT: ok '
	check_eq "$p: probe: vendor/device" "$(field "$verdict" vendor):$(field "$verdict" device)" 6d76:0001
	check_eq "$p: probe: class" "$(field "$verdict" class)" 038000
	check_eq "$p: probe: subsystem" "$(field "$verdict" subsys)" "6d76:000$n"
	check_eq "$p: probe: BAR0 size" "$(field "$verdict" bar0)" 16M
	check_eq "$p: probe: BAR2 size" "$(field "$verdict" bar2)" "${mem}M"
	check_eq "$p: probe: ID register" "$(field "$verdict" id)" 0x5047564d
	check_eq "$p: probe: VERSION register" "$(field "$verdict" version)" 0x00010000
	check_eq "$p: probe: VGPU_TYPE register" "$(field "$verdict" type)" "$n"
	check_eq "$p: probe: VRAM_SIZE register" "$(($(field "$verdict" vram_size)))" $((mem << 20))
	check_eq "$p: probe: INSTANCE register = sysfs instance" "$(field "$verdict" instance)" "$inst"
	check_eq "$p: probe: GGTT_BASE register = sysfs ggtt_base" \
		"$(($(field "$verdict" ggtt_base)))" "$(($(vgpu_attr "$u" ggtt_base)))"
	check_eq "$p: probe: GGTT_SIZE register = sysfs ggtt_size" \
		"$(($(field "$verdict" ggtt_size)))" "$(($(vgpu_attr "$u" ggtt_size)))"

	# The probe wrote 21 distinct pages of VRAM (84 KiB): at least those
	# are backed now, none were before, and far from all of BAR2 (lazy).
	r1=$(vgpu_attr "$u" vram_resident_kb)
	if [ "$r0" = 0 ] && [ "${r1:-0}" -ge 84 ] 2>/dev/null &&
	   [ "$r1" -lt $((mem * 1024 / 4)) ]; then
		pass "$p: vram_resident_kb 0 before the guest, $r1 after (lazy backing)"
	else
		fail "$p: vram_resident_kb 0 before the guest, >= 84 and < 1/4 of VRAM after" \
			"before '$r0', after '$r1'"
	fi
	check "$p: remove the vGPU after QEMU exited" vgpu_remove "$u"
	check "$p: vGPU gone" test ! -e "$MDEV_DEVICES/$u"
}

tap_begin
out=$(modprobe kvm_amd 2>&1)
check "kvm_amd loaded and /dev/kvm present" test -c /dev/kvm || diag "$out"
check "guest kernel $KERNEL present" test -f "$KERNEL"
if out=$("$SELFTESTS_DIR/guest/mkinitramfs" "$GUEST_DIR" 2>&1); then
	pass "guest initramfs built ($out)"
else
	fail "guest initramfs built" "$out"
fi
if ! check "insmod mvgpu (defaults)" mvgpu_load; then
	tap_done
fi

run_guest mvgpu-8 container
run_guest mvgpu-2 iommufd

check_eq "no vGPU left" "$(mvgpu_vgpus | wc -l)" 0
expect_avail "counts restored" 1 2 4 8
check_eq "module refcnt back to 0" "$(mvgpu_refcnt)" 0
check "rmmod mvgpu" rmmod mvgpu

tap_done
