#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mvgpu vGPUs through mdevctl: types listing, start/stop of transient vGPUs,
# define/start/stop/undefine of persistent ones.  mdevctl keeps definitions
# in /etc/mdevctl.d, which in the testbed is the shared tree: everything this
# test defines is removed again, and that is checked.
. "$(dirname "$0")/lib.sh"

CONF=/etc/mdevctl.d
CONF_EXISTED=0
[ -d $CONF ] && CONF_EXISTED=1
U1=$(new_uuid)
U2=$(new_uuid)
U3=$(new_uuid)

cleanup()
{
	local u

	for u in $U1 $U2 $U3; do
		mdevctl stop -u "$u" >/dev/null 2>&1
		mdevctl undefine -u "$u" >/dev/null 2>&1
		rm -f "$CONF/mvgpu/$u"
	done
	rmdir "$CONF/mvgpu" 2>/dev/null
	[ "$CONF_EXISTED" = 1 ] || rmdir "$CONF" 2>/dev/null
	mvgpu_unload 2>/dev/null
}
trap cleanup EXIT

# listed OUTPUT UUID TYPE [EXTRA-ERE]: OUTPUT of mdevctl list has the line
# "UUID mvgpu TYPE ..." (EXTRA-ERE matched against the rest).
list_re()
{
	echo "^$1 mvgpu $2( |\$)${3:-}"
}

tap_begin
if ! check "insmod mvgpu (defaults)" mvgpu_load; then
	tap_done
fi

types=$(mdevctl types -p mvgpu 2>&1)
for n in 1 2 4 8; do
	# The type's block: from its name line to the next type.
	blk=$(awk -v t="mvgpu-$n" '$1 == t { f = 1; next } /^  [^ ]/ { f = 0 } f' <<< "$types")
	check_match "mdevctl types: mvgpu-$n available instances $n" "$blk" \
		"Available instances: $n\$"
	check_match "mdevctl types: mvgpu-$n device API vfio-pci" "$blk" 'Device API: vfio-pci$'
done

# ------------------------------------------------------------ transient
check "mdevctl start -u U1 -p mvgpu -t mvgpu-4" mdevctl start -u "$U1" -p mvgpu -t mvgpu-4
check "U1 exists in sysfs" vgpu_exists "$U1"
check_eq "U1 is an mvgpu-4" "$(vgpu_type "$U1" 2>&1)" mvgpu-4
check_match "mdevctl list shows U1" "$(mdevctl list 2>&1)" "$(list_re "$U1" mvgpu-4)"
check_nomatch "mdevctl list --defined does not show the transient U1" \
	"$(mdevctl list --defined 2>&1)" "^$U1"
check_eq "mvgpu-8 available after U1 (mvgpu-4)" "$(avail mvgpu-8)" 6
check_match "mdevctl types reflects U1" "$(mdevctl types -p mvgpu 2>&1 |
	awk '$1 == "mvgpu-8" { f = 1; next } /^  [^ ]/ { f = 0 } f')" 'Available instances: 6$'
check_nomatch "mdevctl start of an mvgpu-1 next to the mvgpu-4 is refused" \
	"$(mdevctl start -u "$U3" -p mvgpu -t mvgpu-1 >/dev/null 2>&1; echo "status $?")" \
	'^status 0$'
check "the refused mvgpu-1 does not exist" test ! -e "$MDEV_DEVICES/$U3"
check "mdevctl stop -u U1" mdevctl stop -u "$U1"
check "U1 removed from sysfs" test ! -e "$MDEV_DEVICES/$U1"
check_nomatch "mdevctl list no longer shows U1" "$(mdevctl list 2>&1)" "^$U1"
expect_avail "counts restored after mdevctl stop" 1 2 4 8

# ------------------------------------------------------------ persistent
check "mdevctl define -u U2 -p mvgpu -t mvgpu-8" mdevctl define -u "$U2" -p mvgpu -t mvgpu-8
check "define alone creates no device" test ! -e "$MDEV_DEVICES/$U2"
check "definition stored in $CONF/mvgpu/U2" test -f "$CONF/mvgpu/$U2"
check_match "mdevctl list --defined shows U2 (manual, inactive)" \
	"$(mdevctl list --defined 2>&1)" "$(list_re "$U2" mvgpu-8 'manual$')"
check "mdevctl start -u U2 (defined)" mdevctl start -u "$U2"
check "U2 exists in sysfs" vgpu_exists "$U2"
check_eq "U2 is an mvgpu-8" "$(vgpu_type "$U2" 2>&1)" mvgpu-8
check_match "mdevctl list shows U2" "$(mdevctl list 2>&1)" "$(list_re "$U2" mvgpu-8)"
check_match "mdevctl list --defined shows U2 active" \
	"$(mdevctl list --defined 2>&1)" "$(list_re "$U2" mvgpu-8 '.*\(active\)')"
check "mdevctl define --auto -u U3 -p mvgpu -t mvgpu-2" \
	mdevctl define --auto -u "$U3" -p mvgpu -t mvgpu-2
check_match "mdevctl list --defined shows U3 auto" \
	"$(mdevctl list --defined 2>&1)" "$(list_re "$U3" mvgpu-2 'auto')"
check "mdevctl stop -u U2" mdevctl stop -u "$U2"
check "U2 removed from sysfs" test ! -e "$MDEV_DEVICES/$U2"
check_match "U2 still defined after stop" "$(mdevctl list --defined 2>&1)" "^$U2 "
check "mdevctl undefine -u U2" mdevctl undefine -u "$U2"
check "mdevctl undefine -u U3" mdevctl undefine -u "$U3"
defined=$(mdevctl list --defined 2>&1)
check_nomatch "mdevctl list --defined shows neither U2 nor U3" "$defined" "^($U2|$U3) "
check "definitions removed from $CONF" \
	bash -c "! ls $CONF/mvgpu/$U2 $CONF/mvgpu/$U3 2>/dev/null | grep -q ."
expect_avail "counts restored at the end" 1 2 4 8
check_eq "no vGPU left" "$(mvgpu_vgpus | wc -l)" 0
check "rmmod mvgpu" rmmod mvgpu

# Leave the shared tree as found.
rmdir "$CONF/mvgpu" 2>/dev/null
[ $CONF_EXISTED = 1 ] || rmdir "$CONF" 2>/dev/null
left=$(grep -r -l -E "$U1|$U2|$U3" $CONF 2>/dev/null)
[ $CONF_EXISTED = 1 ] || [ ! -e $CONF ] || left+=" $CONF (did not exist before): $(ls -A $CONF)"
check_eq "nothing of this test left in $CONF" "$left" ""

tap_done
