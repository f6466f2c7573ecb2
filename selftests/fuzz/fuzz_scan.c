// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness of the command scanner (gvt/scan.c).
 *
 * An input is a scan_world blob (selftests/unit/scan_world.h): configuration
 * byte, ring head and tail, ring bytes, batch bytes.  Each input is scanned
 * and executed (gvt/exec.c) on the same memory and the two must agree:
 * same fault report, or an accepted workload whose writes were all
 * predicted (world_check()).  Byte 1 of the configuration selects tight
 * limits (bit 0) and an allocation failure after byte 6 allocations
 * (bit 1), so the rejection paths run too; every path must free all it
 * allocated.  Each input is also scanned into one workload whose memory
 * is reused from input to input (mvgpu_scan_workload_reuse()), which must
 * give the fresh scan's result, and scanned without the scanner's
 * shortcuts (MVGPU_SCAN_NO_SHORTCUTS: caches, runs of one-dword commands,
 * page runs), which must give the same result too.  A disagreement, a
 * leak, a crash, a sanitizer report or a hang is a finding.
 */
#include <stdio.h>
#include <stdlib.h>

#include "scan_world.h"

static void *plain_alloc(void *priv, size_t size)
{
	(void)priv;
	return malloc(size);
}

static void plain_free(void *priv, void *p)
{
	(void)priv;
	free(p);
}

static const struct mvgpu_scan_ops plain_ops = {
	.alloc = plain_alloc,
	.free = plain_free,
};

/* The input scanned into reused memory and afresh: the same result. */
static void check_reuse(struct world *w)
{
	static struct mvgpu_scan_workload reused;
	struct mvgpu_scan rs = w->sc;
	int x, y;

	rs.ops = &plain_ops;
	rs.priv = NULL;
	x = mvgpu_scan_workload_reuse(&rs, w->f->st.engine, &w->f->ring,
				      w->f->st.head, &reused);
	y = world_scan(w);
	if (x != y || !world_same(&reused, &w->wl)) {
		fprintf(stderr, "fuzz_scan: reused scan %d (%s), fresh %d (%s)\n",
			x, reused.verdict.reason, y, w->wl.verdict.reason);
		abort();
	}
	mvgpu_scan_workload_free(&w->sc, &w->wl);
}

/* The input scanned with and without the shortcuts: the same result. */
static void check_shortcuts(struct world *w)
{
	struct mvgpu_scan_workload slow;
	struct mvgpu_scan ss = w->sc;
	int x, y;

	memset(&slow, 0, sizeof(slow));
	ss.ops = &plain_ops;
	ss.priv = NULL;
	ss.flags |= MVGPU_SCAN_NO_SHORTCUTS;
	x = mvgpu_scan_workload(&ss, w->f->st.engine, &w->f->ring,
				w->f->st.head, &slow);
	y = world_scan(w);
	if (x != y || !world_same(&slow, &w->wl) || slow.cmds != w->wl.cmds) {
		fprintf(stderr, "fuzz_scan: without shortcuts %d (%s), with %d (%s)\n",
			x, slow.verdict.reason, y, w->wl.verdict.reason);
		abort();
	}
	mvgpu_scan_workload_free(&ss, &slow);
	mvgpu_scan_workload_free(&w->sc, &w->wl);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct world *w;
	u8 mode = size > 1 ? data[1] : 0;

	if (!w)
		w = world_new();
	world_load(w, data, size);
	mvgpu_scan_default_limits(&w->sc.limits);
	if (mode & 1) {
		w->sc.limits.max_shadow_bytes = 24 << 10;
		w->sc.limits.max_batches = 3;
		w->sc.limits.max_ranges = 4;
		w->sc.limits.max_depth = 1;
	}
	w->fail_alloc_after = -1;
	check_reuse(w);
	check_shortcuts(w);
	w->fail_alloc_after = mode & 2 && size > 6 ? data[6] % 8 : -1;
	if (world_check(w) == WORLD_MISMATCH) {
		fprintf(stderr, "fuzz_scan: %s\n", w->msg);
		abort();
	}
	w->fail_alloc_after = -1;
	return 0;
}
