// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_open_close [--mode cdev|container] <uuid> <n>: open and close an
 * mvgpu vGPU @n times through the iommufd cdev path or (default) the legacy
 * container/group path, reading the BAR0 ID register on every open.  Used
 * by leak-cycle tests; prints one TAP point.  --cdev and --container are
 * short forms of the --mode options.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvgpu_hw.h"
#include "tap.h"
#include "vfio_util.h"

static int usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [--mode cdev|container | --cdev | --container] <vgpu-uuid> <n>\n",
		prog);
	return KSFT_FAIL;
}

int main(int argc, char **argv)
{
	enum mv_open_mode mode = MV_OPEN_CONTAINER;
	const char *uuid = NULL, *count = NULL;
	unsigned long n, i;
	struct mv_dev d;
	char *end;
	int a;

	for (a = 1; a < argc; a++) {
		const char *opt = argv[a];

		if (!strcmp(opt, "--mode")) {
			if (++a >= argc)
				return usage(argv[0]);
			opt = argv[a];
		} else if (!strncmp(opt, "--", 2)) {
			opt += 2;
		} else if (!uuid) {
			uuid = opt;
			continue;
		} else if (!count) {
			count = opt;
			continue;
		} else {
			return usage(argv[0]);
		}
		if (!strcmp(opt, "cdev"))
			mode = MV_OPEN_CDEV;
		else if (!strcmp(opt, "container"))
			mode = MV_OPEN_CONTAINER;
		else
			return usage(argv[0]);
	}
	if (!uuid || !count)
		return usage(argv[0]);
	errno = 0;
	n = strtoul(count, &end, 10);
	if (errno || *end || end == count)
		return usage(argv[0]);

	tap_plan(1);
	for (i = 0; i < n; i++) {
		uint32_t id = 0;
		int ret;

		if (mv_dev_open(&d, uuid, mode)) {
			tap_diag("cycle %lu: open via %s: %s", i,
				 mv_open_mode_name(mode), mv_err());
			break;
		}
		ret = mv_bar0_read(&d, MVGPU_REG_ID, &id);
		mv_dev_close(&d);
		if (ret || id != MVGPU_ID_MAGIC) {
			tap_diag("cycle %lu: BAR0 ID read 0x%x, want 0x%x (%s)",
				 i, id, MVGPU_ID_MAGIC,
				 ret ? mv_err() : "wrong value");
			break;
		}
	}
	tap_result(i == n, "%lu open/close cycles via %s", n,
		   mv_open_mode_name(mode));
	return tap_finish();
}
