# SPDX-License-Identifier: GPL-2.0
# Shared settings of the mvgpu testbed scripts (sourced, not run).
#
# Everything large lives outside the git tree, in MVGPU_CACHE, so a fresh clone
# reuses what an earlier run prepared.

MVGPU_CACHE=${MVGPU_CACHE:-/var/cache/mvgpu-testbed}
TB_ROOT=$MVGPU_CACHE/root		# the Debian 13 tree (VM root filesystem)
TB_OPT=/opt/mvgpu			# our files inside the tree
TB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJ_DIR=$(cd "$TB_DIR/../.." && pwd)

tb_log() { printf '[testbed %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
tb_die() { tb_log "error: $*"; exit 1; }

# The Debian mirror this machine's apt already uses (deb822 or one-line form).
tb_mirror() {
	local m
	m=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null |
	    awk '{print $2}' | grep -v -- '-security' | head -n1)
	[ -n "$m" ] || m=$(grep -hs '^deb ' /etc/apt/sources.list \
			   /etc/apt/sources.list.d/*.list 2>/dev/null |
			   awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file):/) { print $i; exit } }' |
			   grep -v -- '-security' | head -n1)
	[ -n "$m" ] || tb_die "no Debian mirror found in the apt configuration"
	echo "$m"
}

# Run a command inside the tree (see chroot-exec).
tb_chroot() {
	"$TB_DIR/chroot-exec" "$@"
}
