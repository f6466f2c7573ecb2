#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The mdev sysfs interface of mvgpu as an administrator sees it: the types and
# their attributes, creation and removal, buddy-style accounting across types,
# the per-vGPU attributes, exact errnos of bad requests, the module reference
# each vGPU holds, and the module parameters.  Runs as root in the testbed VM.
. "$(dirname "$0")/lib.sh"

cleanup()
{
	mvgpu_unload 2>/dev/null
}
trap cleanup EXIT

# mib_of STRING: the memory=... value of a type description in MiB.
mib_of()
{
	local v

	v=$(sed -n -E 's/.*(^|, ?)memory=([0-9]+) ?(MiB|GiB)(,.*|$)/\2 \3/p' <<< "$1")
	case $v in
	*MiB) echo "${v% *}" ;;
	*GiB) echo $((${v% *} * 1024)) ;;
	*) echo "?" ;;
	esac
}

# max_of STRING: the max_instances=... value of a type description.
max_of()
{
	sed -n -E 's/.*(^|, ?)max_instances=([0-9]+)(,.*|$)/\2/p' <<< "$1"
}

# check_types MEM MAX: name/description/device_api/available_instances of the
# four types for gpu_mem_mb=MEM, max_vgpus=MAX, nothing created yet.
check_types()
{
	local mem=$1 max=$2 n t d inst p

	p="gpu_mem_mb=$mem max_vgpus=$max"
	check_eq "$p: the types are mvgpu-1/2/4/8" \
		"$(ls "$MVGPU_TYPES" | sort -V | xargs)" "$MVGPU_ALL_TYPES"
	for n in 1 2 4 8; do
		t=mvgpu-$n
		inst=$((n < max ? n : max))
		check_eq "$p: $t: name" "$(cat "$MVGPU_TYPES/$t/name" 2>&1)" "$t"
		check_eq "$p: $t: device_api" "$(cat "$MVGPU_TYPES/$t/device_api" 2>&1)" vfio-pci
		d=$(cat "$MVGPU_TYPES/$t/description" 2>&1)
		check_match "$p: $t: description is comma-separated key=value" "$d" \
			'^[a-z_]+=[^,=]+(, ?[a-z_]+=[^,=]+)*$'
		check_eq "$p: $t: description memory (gpu_mem_mb=$mem)" "$(mib_of "$d")" $((mem / n))
		check_eq "$p: $t: description max_instances (max_vgpus=$max)" "$(max_of "$d")" $inst
		check_eq "$p: $t: available_instances initially" "$(avail $t 2>&1)" $inst
	done
}

# enospc TYPE: creating TYPE fails with ENOSPC, with one kernel log line.
enospc()
{
	local t=$1 m res lines u

	u=$(new_uuid)
	m=$(kmsg_mark)
	res=$(write_errno "$MVGPU_TYPES/$t/create" "$u")
	# The driver core adds its own "probe ... failed" line; the driver's
	# reason is the other one.
	lines=$(kmsg_since "$m" | grep -v -E 'probe (with driver .* )?failed with error|probe of .* failed')
	check_eq "create $t with none left: ENOSPC" "$res" ENOSPC
	if [ "$(grep -c . <<< "$lines")" -eq 1 ] && grep -q -E 'mvgpu' <<< "$lines"; then
		pass "create $t with none left: one kernel log line says why"
		diag "log: $lines"
	else
		fail "create $t with none left: one kernel log line says why" \
			"new kernel log lines:"$'\n'"${lines:-<none>}"
	fi
	check "create $t with none left: no mdev device left behind" \
		test ! -e "$MDEV_DEVICES/$u"
}

# ggtt_disjoint UUID...: the vGPUs' graphics address ranges are naturally
# aligned and do not overlap.
ggtt_disjoint()
{
	local u b s ranges='' bad=''

	for u in "$@"; do
		b=$(($(vgpu_attr "$u" ggtt_base)))
		s=$(($(vgpu_attr "$u" ggtt_size)))
		[ $s -gt 0 ] && [ $((b % s)) -eq 0 ] || bad+="$u: base $b size $s not aligned; "
		ranges+="$b $((b + s))"$'\n'
	done
	bad+=$(sort -n <<< "${ranges%$'\n'}" |
	       awk 'NR > 1 && $1 < end { printf "overlap at %d; ", $1 } { end = $2 }')
	if [ -z "$bad" ]; then
		pass "ggtt ranges of $# vGPUs are aligned and disjoint"
	else
		fail "ggtt ranges of $# vGPUs are aligned and disjoint" "$bad"
	fi
}

tap_begin

# ------------------------------------------------------------ defaults
if ! check "insmod mvgpu (defaults)" mvgpu_load; then
	tap_done
fi
check "parent device /sys/class/mdev_bus/mvgpu" test -d "$MVGPU_PARENT"
check_types 512 8
check_eq "module refcnt with no vGPU" "$(mvgpu_refcnt)" 0

# ------------------------------------------------------------ create, attributes
U1=$(new_uuid)
check "create mvgpu-2 via sysfs" vgpu_create mvgpu-2 "$U1"
check "mdev device $U1 exists" vgpu_exists "$U1"
check_eq "mdev_type of the new vGPU" "$(vgpu_type "$U1")" mvgpu-2
check_eq "module refcnt with one vGPU" "$(mvgpu_refcnt)" 1
expect_avail "one mvgpu-2: available 0/1/2/4" 0 1 2 4
for a in type memory_mb ggtt_base ggtt_size vram_resident_kb instance; do
	check "per-vGPU attribute mvgpu/$a readable" vgpu_attr "$U1" $a
done
check_eq "mvgpu/type names the type" "$(vgpu_attr "$U1" type)" mvgpu-2
check_eq "mvgpu/memory_mb of mvgpu-2" "$(vgpu_attr "$U1" memory_mb)" 256
check_eq "mvgpu/vram_resident_kb of an unused vGPU" "$(vgpu_attr "$U1" vram_resident_kb)" 0
check_match "mvgpu/instance is a number" "$(vgpu_attr "$U1" instance)" '^[0-9]+$'
check_match "mvgpu/ggtt_size is non-zero" "$(vgpu_attr "$U1" ggtt_size)" '^(0x)?0*[1-9a-f]'
res=$(write_errno "$MDEV_DEVICES/$U1/mvgpu/memory_mb" 1)
if [ "$res" != OK ]; then
	pass "mvgpu/memory_mb is read-only ($res)"
else
	fail "mvgpu/memory_mb is read-only" "the write succeeded"
fi

U2=$(new_uuid)
check "create mvgpu-8 next to the mvgpu-2" vgpu_create mvgpu-8 "$U2"
expect_avail "mvgpu-2 + mvgpu-8: available 0/0/1/3" 0 0 1 3
check_eq "mvgpu/memory_mb of mvgpu-8" "$(vgpu_attr "$U2" memory_mb)" 64
check_eq "ggtt_size of mvgpu-2 is 4x that of mvgpu-8" \
	$(($(vgpu_attr "$U1" ggtt_size))) $((4 * $(vgpu_attr "$U2" ggtt_size)))
U3=$(new_uuid)
check "create a second mvgpu-8 (fills the buddy of the first)" vgpu_create mvgpu-8 "$U3"
expect_avail "mvgpu-2 + 2x mvgpu-8: available 0/0/1/2" 0 0 1 2
ggtt_disjoint "$U1" "$U2" "$U3"
check_eq "instances of 3 vGPUs are distinct" \
	"$(for u in $U1 $U2 $U3; do vgpu_attr "$u" instance; done | sort -u | wc -l)" 3
check_eq "module refcnt with three vGPUs" "$(mvgpu_refcnt)" 3
enospc mvgpu-2
enospc mvgpu-1
expect_avail "failed creates change nothing" 0 0 1 2
check_eq "failed creates take no module reference" "$(mvgpu_refcnt)" 3

# ------------------------------------------------------------ bad inputs
check_eq "malformed UUID (short): EINVAL" \
	"$(write_errno "$MVGPU_TYPES/mvgpu-8/create" not-a-uuid)" EINVAL
check_eq "malformed UUID (bad hex, right length): EINVAL" \
	"$(write_errno "$MVGPU_TYPES/mvgpu-8/create" zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz)" EINVAL
check_eq "duplicate UUID, same type: EEXIST" \
	"$(write_errno "$MVGPU_TYPES/mvgpu-8/create" "$U2")" EEXIST
check_eq "duplicate UUID, other type: EEXIST" \
	"$(write_errno "$MVGPU_TYPES/mvgpu-4/create" "$U1")" EEXIST
check_eq "duplicate UUID: the existing vGPU keeps its type" "$(vgpu_type "$U1")" mvgpu-2
expect_avail "bad inputs change nothing" 0 0 1 2

# ------------------------------------------------------------ rmmod with vGPUs
out=$(rmmod mvgpu 2>&1)
rc=$?
if [ $rc -ne 0 ] && grep -q -i 'in use' <<< "$out"; then
	pass "rmmod with vGPUs present fails: module in use (EBUSY)"
else
	fail "rmmod with vGPUs present fails: module in use (EBUSY)" "exit status $rc: $out"
fi
check "module still loaded after the failed rmmod" mvgpu_loaded
check "vGPUs intact after the failed rmmod" \
	bash -c "[ -e $MDEV_DEVICES/$U1/mvgpu/memory_mb ] && [ -e $MDEV_DEVICES/$U3/mvgpu/memory_mb ]"
expect_avail "accounting intact after the failed rmmod" 0 0 1 2

# ------------------------------------------------------------ remove
check "remove the mvgpu-2" vgpu_remove "$U1"
check "removed vGPU is gone" test ! -e "$MDEV_DEVICES/$U1"
expect_avail "2x mvgpu-8 left: available 0/1/3/6" 0 1 3 6
check "remove the first mvgpu-8" vgpu_remove "$U2"
check "remove the second mvgpu-8" vgpu_remove "$U3"
expect_avail "all removed: counts restored" 1 2 4 8
check_eq "module refcnt back to 0" "$(mvgpu_refcnt)" 0
check "UUID of a removed vGPU can be reused" vgpu_create mvgpu-4 "$U1"
check_eq "reused UUID has the new type" "$(vgpu_type "$U1")" mvgpu-4
check "remove it again" vgpu_remove "$U1"

# ------------------------------------------------------------ alignment with mvgpu-8 mixes
A=$(new_uuid) B=$(new_uuid) C=$(new_uuid)
vgpu_create mvgpu-8 "$A" && vgpu_create mvgpu-8 "$B" && vgpu_create mvgpu-4 "$C"
check_eq "2x mvgpu-8 + mvgpu-4 created" "$(mvgpu_vgpus | wc -l)" 3
expect_avail "2x mvgpu-8 + mvgpu-4: available 0/1/2/4" 0 1 2 4
vgpu_remove "$A"; vgpu_remove "$B"
# The mvgpu-4 sits in the second quarter: 6 units free, yet no mvgpu-1 and
# only one mvgpu-2 (the other half is not free as an aligned block).
expect_avail "mvgpu-4 alone in a half: available 0/1/3/6" 0 1 3 6
ggtt_disjoint "$C"
vgpu_remove "$C"

# ------------------------------------------------------------ full parent
us=()
for _ in 1 2 3 4 5 6 7 8; do
	us+=("$(new_uuid)")
	vgpu_create mvgpu-8 "${us[-1]}" || break
done
check_eq "8x mvgpu-8 created" "$(mvgpu_vgpus | wc -l)" 8
expect_avail "parent full: available 0/0/0/0" 0 0 0 0
check_eq "8 vGPUs have 8 distinct instances" \
	"$(for u in "${us[@]}"; do vgpu_attr "$u" instance; done | sort -u | wc -l)" 8
ggtt_disjoint "${us[@]}"
enospc mvgpu-8
check_eq "module refcnt with 8 vGPUs" "$(mvgpu_refcnt)" 8
for u in "${us[@]}"; do vgpu_remove "$u"; done
expect_avail "all removed again: counts restored" 1 2 4 8
check "rmmod after removing every vGPU" rmmod mvgpu
check "module gone after rmmod" test ! -e /sys/module/mvgpu

# ------------------------------------------------------------ bad parameters
for p in gpu_mem_mb=100 gpu_mem_mb=8192 gpu_mem_mb=32 max_vgpus=0 max_vgpus=9; do
	m=$(kmsg_mark)
	check_eq "insmod $p: EINVAL" "$(finit_errno "$MVGPU_KO" "$p")" EINVAL
	if mvgpu_loaded; then
		fail "insmod $p: module not loaded" "it is loaded"
		mvgpu_unload
	else
		pass "insmod $p: module not loaded"
	fi
	log=$(kmsg_since "$m")
	check_match "insmod $p: kernel log names the parameter" "$log" "${p%=*}.*${p#*=}|${p#*=}.*${p%=*}"
done

# ------------------------------------------------------------ other parameters
if check "insmod max_vgpus=3" mvgpu_load max_vgpus=3; then
	check_types 512 3
	us=()
	for _ in 1 2 3; do
		us+=("$(new_uuid)")
		vgpu_create mvgpu-8 "${us[-1]}"
	done
	check_eq "max_vgpus=3: three mvgpu-8 created" "$(mvgpu_vgpus | wc -l)" 3
	expect_avail "max_vgpus=3 reached: available 0/0/0/0 despite free memory" 0 0 0 0
	enospc mvgpu-8
	vgpu_remove "${us[2]}"
	check_eq "max_vgpus=3: one removed, one mvgpu-8 available" "$(avail mvgpu-8)" 1
	mvgpu_unload
	check "rmmod after max_vgpus=3" test ! -e /sys/module/mvgpu
fi

if check "insmod max_vgpus=1" mvgpu_load max_vgpus=1; then
	expect_avail "max_vgpus=1: available 1/1/1/1" 1 1 1 1
	u=$(new_uuid)
	check "max_vgpus=1: create mvgpu-8" vgpu_create mvgpu-8 "$u"
	expect_avail "max_vgpus=1 reached: available 0/0/0/0" 0 0 0 0
	mvgpu_unload
fi

for mem in 1024 64 4096; do
	if check "insmod gpu_mem_mb=$mem" mvgpu_load gpu_mem_mb=$mem; then
		check_types $mem 8
		u=$(new_uuid)
		vgpu_create mvgpu-8 "$u"
		check_eq "gpu_mem_mb=$mem: mvgpu/memory_mb of mvgpu-8" \
			"$(vgpu_attr "$u" memory_mb)" $((mem / 8))
		u=$(new_uuid)
		vgpu_create mvgpu-2 "$u"
		check_eq "gpu_mem_mb=$mem: mvgpu/memory_mb of mvgpu-2" \
			"$(vgpu_attr "$u" memory_mb)" $((mem / 2))
		check "gpu_mem_mb=$mem: remove vGPUs and rmmod" mvgpu_unload
	fi
done
check "module unloaded at the end" test ! -e /sys/module/mvgpu

tap_done
