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
 * allocated.  A disagreement, a leak, a crash, a sanitizer report or a
 * hang is a finding.
 */
#include <stdio.h>
#include <stdlib.h>

#include "scan_world.h"

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
	w->fail_alloc_after = mode & 2 && size > 6 ? data[6] % 8 : -1;
	if (world_check(w) == WORLD_MISMATCH) {
		fprintf(stderr, "fuzz_scan: %s\n", w->msg);
		abort();
	}
	w->fail_alloc_after = -1;
	return 0;
}
