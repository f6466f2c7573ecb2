// SPDX-License-Identifier: GPL-2.0
/*
 * libmvgpu-drm (see mvgpu_drm_lib.h): what needs no device -- errors, the
 * clock, storing built commands (selftests/lib/gpu_cmds.c builds them) and
 * checksums.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mvgpu_drm_lib.h"

static char err_buf[256];

const char *mdrm_err(void)
{
	return err_buf;
}

int mdrm_fail(int err, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(err_buf, sizeof(err_buf), fmt, ap);
	va_end(ap);
	n = strlen(err_buf);
	snprintf(err_buf + n, sizeof(err_buf) - n, ": %s", strerror(err));
	return -err;
}

uint64_t mdrm_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* ---- commands ----------------------------------------------------------- */

int mdrm_cmds_store(const struct gpu_cmds *c, struct mdrm_bo *bo,
		    uint64_t off)
{
	if (c->oom)
		return mdrm_fail(ENOMEM, "command buffer");
	if (off > bo->size || c->len * 4 > bo->size - off)
		return mdrm_fail(ENOSPC, "%zu dwords at 0x%llx in a %llu-byte BO",
				 c->len, (unsigned long long)off,
				 (unsigned long long)bo->size);
	memcpy((uint8_t *)bo->map + off, c->dw, c->len * 4);
	return 0;
}

/* ---- checksums ---------------------------------------------------------- */

uint64_t mdrm_sum(uint64_t h, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}
