# SPDX-License-Identifier: GPL-2.0
# Shell helpers of the mvgpu selftests: TAP output, loading the module,
# creating and removing vGPUs, errno-exact sysfs writes and kernel log
# windows.  Sourced by the selftests/*.sh tests, which run as root inside the
# testbed VM (tools/testbed/vm-run), normally through selftests/run-vm.
#
# TAP: tests print "TAP version 13", one "ok N - desc" / "not ok N - desc"
# line per check and the plan "1..N" last (tap_done), so the plan always
# matches what ran; a test that dies early has no plan, which run-vm counts
# as a failure.

SELFTESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJ_DIR=$(cd "$SELFTESTS_DIR/.." && pwd)
MVGPU_KO=${MVGPU_KO:-$PROJ_DIR/build/$(uname -r)/mvgpu.ko}
MVGPU_PARENT=/sys/class/mdev_bus/mvgpu
MVGPU_TYPES=$MVGPU_PARENT/mdev_supported_types
MDEV_DEVICES=/sys/bus/mdev/devices
VFIO_BIN=${VFIO_BIN:-$SELFTESTS_DIR/vfio/out}
MVGPU_ALL_TYPES="mvgpu-1 mvgpu-2 mvgpu-4 mvgpu-8"
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH

# Kernel log lines that fail a test (host or nested guest).
BAD_LOG='WARNING:|BUG:|BUG [^ ]+ \(|Oops|general protection|KASAN|UBSAN|possible circular locking|INFO: possible|inconsistent lock state|refcount_t:|kmemleak|hung_task|blocked for more than|Call Trace:'

# ---------------------------------------------------------------- TAP

_tap_n=0
_tap_failed=0

tap_begin()
{
	echo "TAP version 13"
}

# diag MSG...: a TAP comment; multi-line messages become several comments.
diag()
{
	local line
	while IFS= read -r line; do
		echo "# $line"
	done <<< "$*"
}

pass()
{
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1"
}

# fail DESC [DIAG...]: a failed check, followed by its diagnostics.
fail()
{
	local d=$1

	shift
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $d"
	[ $# -eq 0 ] || diag "$*"
}

# check DESC CMD...: ok when CMD exits 0; CMD's output is shown on failure.
check()
{
	local d=$1 out rc

	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		pass "$d"
	else
		fail "$d" "command: $* (exit status $rc)${out:+$'\n'$out}"
	fi
	return $rc
}

# check_eq DESC GOT WANT
check_eq()
{
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "got '$2', want '$3'"
		return 1
	fi
}

# check_match DESC STRING ERE: STRING (possibly multi-line) has a line
# matching the extended regular expression ERE.
check_match()
{
	if grep -q -E -e "$3" <<< "$2"; then
		pass "$1"
	else
		fail "$1" "no line matches /$3/ in:"$'\n'"$2"
		return 1
	fi
}

# check_nomatch DESC STRING ERE: no line of STRING matches ERE.
check_nomatch()
{
	local hits

	hits=$(grep -E -e "$3" <<< "$2")
	if [ -z "$hits" ]; then
		pass "$1"
	else
		fail "$1" "unexpected lines matching /$3/:"$'\n'"$hits"
		return 1
	fi
}

# tap_done: print the plan and exit with the test's verdict.
tap_done()
{
	echo "1..$_tap_n"
	[ $_tap_failed -eq 0 ] || echo "# $_tap_failed of $_tap_n checks failed"
	exit $((_tap_failed ? 1 : 0))
}

# tap_run_program LABEL CMD...: run a TAP-producing program and re-emit its
# results as checks of this test (renumbered, descriptions prefixed with
# LABEL), its other output as comments.  One more check asserts the program
# produced exactly the results its plan announced and exited 0, or 1 with
# failed results; a missing program is one failed check.  SKIP/TODO directives are passed through and
# run-vm counts them as failures.  Returns the program's exit status.
tap_run_program()
{
	local label=$1 out rc line plan='' results=0 failed=0 st desc

	shift
	if ! [ -x "$1" ] && ! command -v "$1" > /dev/null; then
		fail "$label: program present" "$1 is missing or not executable"
		return 127
	fi
	out=$(mktemp)
	"$@" > "$out" 2>&1
	rc=$?
	while IFS= read -r line; do
		if [[ $line =~ ^(ok|not\ ok)\ ([0-9]+)\ *(-\ *)?(.*)$ ]]; then
			st=${BASH_REMATCH[1]}
			desc=${BASH_REMATCH[4]}
			results=$((results + 1))
			_tap_n=$((_tap_n + 1))
			if [ "$st" = ok ]; then
				echo "ok $_tap_n - $label: $desc"
			else
				failed=$((failed + 1))
				_tap_failed=$((_tap_failed + 1))
				echo "not ok $_tap_n - $label: $desc"
			fi
		elif [[ $line =~ ^1\.\.([0-9]+) ]]; then
			plan=${BASH_REMATCH[1]}
		elif [[ $line =~ ^TAP\ version ]]; then
			:
		elif [[ $line =~ ^# ]]; then
			echo "$line"
		elif [[ $line =~ ^Bail\ out! ]]; then
			echo "# $label: $line"
		else
			echo "# $label: $line"
		fi
	done < "$out"
	rm -f "$out"
	# Exit status 1 (KSFT_FAIL) goes with failed results, which already
	# count; anything else (a crash, a missing plan) is a failure of its own.
	if [ -n "$plan" ] && [ "$plan" -eq $results ] &&
	   { [ $rc -eq 0 ] || { [ $rc -eq 1 ] && [ $failed -gt 0 ]; }; }; then
		pass "$label: completed all $results planned results (exit status $rc)"
	else
		fail "$label: completed all planned results" \
			"exit status $rc, plan '${plan:-none}', $results results ($failed failed)"
	fi
	return $rc
}

# ---------------------------------------------------------------- kernel log

# kmsg_mark: log a unique marker line and print it (for kmsg_since).
kmsg_mark()
{
	local m

	m="mvgpu-selftest-mark-$$-$RANDOM$RANDOM"
	echo "<6>$m" > /dev/kmsg
	echo "$m"
}

# kmsg_since MARK: kernel log lines after MARK (without the timestamps).
kmsg_since()
{
	dmesg | sed -e 's/^\[ *[0-9.]*\] //' | awk -v m="$1" 'f { print } index($0, m) { f = 1 }'
}

# ---------------------------------------------------------------- errno-exact I/O

# write_errno PATH VALUE: write VALUE (one write(2)) to PATH and print "OK"
# or the errno name (EINVAL, EEXIST, ...).
write_errno()
{
	"$VFIO_BIN/errno_io" write "$1" "$2"
}

# finit_errno KO [PARAMS]: load a module with finit_module(2), print "OK" or
# the errno name.
finit_errno()
{
	"$VFIO_BIN/errno_io" finit "$1" "${2:-}"
}

# ---------------------------------------------------------------- module

# mvgpu_prereqs: the modules mvgpu depends on.
mvgpu_prereqs()
{
	local m

	for m in vfio mdev vfio_iommu_type1 iommufd; do
		modprobe "$m" || return 1
	done
}

mvgpu_loaded()
{
	[ -d /sys/module/mvgpu ]
}

# mvgpu_load [PARAM=VALUE...]: insmod the module built for this kernel.
mvgpu_load()
{
	mvgpu_prereqs || return 1
	[ -f "$MVGPU_KO" ] || { echo "no module at $MVGPU_KO" >&2; return 1; }
	insmod "$MVGPU_KO" "$@" || return 1
	[ -d "$MVGPU_TYPES" ] || { echo "no $MVGPU_TYPES after insmod" >&2; return 1; }
}

# mvgpu_vgpus: UUIDs of the existing mdevs whose parent is mvgpu.
mvgpu_vgpus()
{
	local d t

	for d in "$MDEV_DEVICES"/*; do
		[ -e "$d/mdev_type" ] || continue
		t=$(readlink -f "$d/mdev_type")
		case $t in
		*/mvgpu/mdev_supported_types/*) basename "$d" ;;
		esac
	done
}

# mvgpu_unload: remove every mvgpu vGPU, then rmmod mvgpu (if loaded).
mvgpu_unload()
{
	local u

	for u in $(mvgpu_vgpus); do
		echo 1 > "$MDEV_DEVICES/$u/remove" || true
	done
	if mvgpu_loaded; then
		rmmod mvgpu || return 1
	fi
}

mvgpu_refcnt()
{
	cat /sys/module/mvgpu/refcnt
}

# ---------------------------------------------------------------- vGPUs

new_uuid()
{
	cat /proc/sys/kernel/random/uuid
}

# vgpu_create TYPE UUID: create a vGPU through sysfs.
vgpu_create()
{
	echo "$2" > "$MVGPU_TYPES/$1/create"
}

# vgpu_remove UUID
vgpu_remove()
{
	echo 1 > "$MDEV_DEVICES/$1/remove"
}

vgpu_exists()
{
	[ -e "$MDEV_DEVICES/$1" ]
}

# vgpu_attr UUID NAME: a per-vGPU attribute (mvgpu/ attribute group).
vgpu_attr()
{
	cat "$MDEV_DEVICES/$1/mvgpu/$2"
}

# vgpu_type UUID: the mdev type directory name of a vGPU (mvgpu-N).
vgpu_type()
{
	basename "$(readlink -f "$MDEV_DEVICES/$1/mdev_type")"
}

# avail TYPE: available_instances of TYPE.
avail()
{
	cat "$MVGPU_TYPES/$1/available_instances"
}

# avail_all: "mvgpu-1:a mvgpu-2:b mvgpu-4:c mvgpu-8:d".
avail_all()
{
	local t s=''

	for t in $MVGPU_ALL_TYPES; do
		s+="${s:+ }$t:$(avail "$t" 2>/dev/null || echo '?')"
	done
	echo "$s"
}

# expect_avail DESC A1 A2 A4 A8: available_instances of mvgpu-1/2/4/8.
expect_avail()
{
	check_eq "$1" "$(avail_all)" "mvgpu-1:$2 mvgpu-2:$3 mvgpu-4:$4 mvgpu-8:$5"
}

# guest_stage SHARE: put what a nested guest needs in place.  The guest's
# initramfs path goes to GUEST_INITRD and SHARE gets the DRM modules,
# mvgpu_drm.ko, load.sh, drm_smoke and the mvgpu-drm client.  They come
# from tools/mvgpu-drm/out/nested when "nested-run -P" prepared it (make
# check's build phase does, natively: minutes faster than in the TCG VM),
# else they are built here.  Prints what it did; fails with the reason.
guest_stage()
{
	local share=$1 stage=$PROJ_DIR/tools/mvgpu-drm/out/nested
	local client=$PROJ_DIR/tools/mvgpu-drm/out/mvgpu-drm

	if [ -f "$stage/guest/initramfs.cpio.gz" ] &&
	   [ -f "$stage/share/modules.list" ] && [ -x "$client" ]; then
		rm -rf "$share" && cp -a "$stage/share" "$share" &&
			cp "$client" "$share/" || return 1
		GUEST_INITRD=$stage/guest/initramfs.cpio.gz
		echo "prepared by nested-run -P: $(tr '\n' ' ' < "$share/modules.list")"
		return 0
	fi
	GUEST_INITRD=$("$SELFTESTS_DIR/guest/mkinitramfs" /tmp/mvgpu-guest) &&
		"$SELFTESTS_DIR/guest/mkshare" "$share" > /dev/null &&
		make -s -C "$PROJ_DIR/tools/mvgpu-drm" &&
		cp "$client" "$share/" || return 1
	echo "built here: $(tr '\n' ' ' < "$share/modules.list")"
}

# ---------------------------------------------------------------- write prediction

# The test-only write-prediction check (uapi/mvgpu_debug.h): "on" arms it
# for every vGPU; each page the engine writes must have been predicted.
WPRED=/sys/kernel/debug/mvgpu/writes

wpred_value()
{
	awk -v k="$1" '$1 == k { print $2 }' "$WPRED"
}

# wpred_check NAME: since "on", workloads were checked and none wrote a
# page outside its predicted write set.
wpred_check()
{
	local n m

	n=$(wpred_value workloads)
	m=$(wpred_value misses)
	diag "$1: write prediction: $n workloads, $(wpred_value pages_written) pages written, $m misses"
	check "$1: workloads checked for write prediction" test "${n:-0}" -gt 0
	check_eq "$1: pages written but not predicted" "$m" 0
	echo off > "$WPRED"
}
