// SPDX-License-Identifier: GPL-2.0
/*
 * libmvgpu-drm (see mvgpu_drm_lib.h): what needs no device -- errors, the
 * clock, the command builder and checksums.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

#define LO(a)	((uint32_t)(a))
/* Bits 47:32 of a GPU address; the upper bits of that dword are ignored. */
#define HI(a)	((uint32_t)((a) >> 32) & 0xffff)

void mdrm_cmds_init(struct mdrm_cmds *c)
{
	memset(c, 0, sizeof(*c));
}

void mdrm_cmds_fini(struct mdrm_cmds *c)
{
	free(c->dw);
	mdrm_cmds_init(c);
}

void mdrm_cmds_reset(struct mdrm_cmds *c)
{
	c->len = 0;
	c->oom = false;
}

uint32_t *mdrm_cmds_add(struct mdrm_cmds *c, size_t n)
{
	uint32_t *p;

	if (c->oom)
		return NULL;
	if (c->len + n > c->cap) {
		size_t cap = c->cap ? c->cap : 256;

		while (cap < c->len + n)
			cap *= 2;
		p = realloc(c->dw, cap * sizeof(*p));
		if (!p) {
			c->oom = true;
			return NULL;
		}
		c->dw = p;
		c->cap = cap;
	}
	p = c->dw + c->len;
	c->len += n;
	return p;
}

void mdrm_emit(struct mdrm_cmds *c, uint32_t dw)
{
	uint32_t *p = mdrm_cmds_add(c, 1);

	if (p)
		*p = dw;
}

void mdrm_emit_pad(struct mdrm_cmds *c, size_t align)
{
	while (c->len % align && !c->oom)
		mdrm_emit(c, MVGPU_MI_NOOP);
}

static void emit4(struct mdrm_cmds *c, uint32_t a, uint32_t b, uint32_t x,
		  uint32_t y)
{
	uint32_t *p = mdrm_cmds_add(c, 4);

	if (p) {
		p[0] = a;
		p[1] = b;
		p[2] = x;
		p[3] = y;
	}
}

void mdrm_emit_sdi(struct mdrm_cmds *c, uint64_t va, uint32_t val)
{
	emit4(c, MVGPU_MI_STORE_DATA_IMM, LO(va), HI(va), val);
}

void mdrm_emit_sdi_qw(struct mdrm_cmds *c, uint64_t va, uint64_t val)
{
	emit4(c, MVGPU_MI_STORE_DATA_IMM_QW, LO(va), HI(va), LO(val));
	mdrm_emit(c, (uint32_t)(val >> 32));
}

void mdrm_emit_lri(struct mdrm_cmds *c, uint32_t reg, uint32_t val)
{
	mdrm_emit(c, MVGPU_MI_LOAD_REGISTER_IMM(1));
	mdrm_emit(c, reg);
	mdrm_emit(c, val);
}

void mdrm_emit_srm(struct mdrm_cmds *c, uint32_t reg, uint64_t va)
{
	emit4(c, MVGPU_MI_STORE_REGISTER_MEM, reg, LO(va), HI(va));
}

void mdrm_emit_flush_store(struct mdrm_cmds *c, uint64_t va, uint32_t val)
{
	/* Bits 2:0 are not address: bit 2 would select the GGTT. */
	emit4(c, MVGPU_MI_FLUSH_DW | MVGPU_MI_FLUSH_DW_OP_STORE, LO(va) & ~7u,
	      HI(va), val);
}

void mdrm_emit_pc_store(struct mdrm_cmds *c, uint64_t va, uint64_t val)
{
	emit4(c, MVGPU_PIPE_CONTROL, MVGPU_PC_OP_STORE | MVGPU_PC_CS_STALL,
	      LO(va), HI(va));
	mdrm_emit(c, LO(val));
	mdrm_emit(c, (uint32_t)(val >> 32));
}

void mdrm_emit_sem_wait(struct mdrm_cmds *c, unsigned int op,
			uint32_t value, uint64_t va)
{
	emit4(c, MVGPU_MI_SEMAPHORE_WAIT | MVGPU_MI_SEMAPHORE_POLL |
	      MVGPU_MI_SEMAPHORE_OP(op), value, LO(va), HI(va));
}

void mdrm_emit_bb_start(struct mdrm_cmds *c, uint64_t va, bool second)
{
	mdrm_emit(c, MVGPU_MI_BATCH_BUFFER_START | MVGPU_MI_BB_PPGTT |
		  (second ? MVGPU_MI_BB_SECOND_LEVEL : 0));
	mdrm_emit(c, LO(va));
	mdrm_emit(c, HI(va));
}

void mdrm_emit_bb_end(struct mdrm_cmds *c)
{
	mdrm_emit(c, MVGPU_MI_BATCH_BUFFER_END);
}

/* BR13 colour depth of an XY_* blit (16 bpp: 565). */
static uint32_t xy_depth(unsigned int cpp)
{
	switch (cpp) {
	case 1:
		return MVGPU_BR13_DEPTH_8;
	case 2:
		return MVGPU_BR13_DEPTH_565;
	default:
		return MVGPU_BR13_DEPTH_32;
	}
}

static uint32_t fast_depth(unsigned int cpp)
{
	switch (cpp) {
	case 1:
		return MVGPU_FAST_DEPTH(MVGPU_FAST_DEPTH_8);
	case 2:
		return MVGPU_FAST_DEPTH(MVGPU_FAST_DEPTH_16);
	case 8:
		return MVGPU_FAST_DEPTH(MVGPU_FAST_DEPTH_64);
	case 16:
		return MVGPU_FAST_DEPTH(MVGPU_FAST_DEPTH_128);
	default:
		return MVGPU_FAST_DEPTH(MVGPU_FAST_DEPTH_32);
	}
}

void mdrm_emit_blt(struct mdrm_cmds *c, const struct ref_blt *b,
		   uint64_t dst, uint64_t src)
{
	uint32_t mask = (b->write_alpha ? MVGPU_BLT_WRITE_ALPHA : 0) |
			(b->write_rgb ? MVGPU_BLT_WRITE_RGB : 0);
	uint32_t *p;

	p = mdrm_cmds_add(c, b->op == REF_COLOR_BLT ? 7 : 10);
	if (!p)
		return;
	switch (b->op) {
	case REF_COLOR_BLT:
		p[0] = MVGPU_XY_COLOR_BLT | mask;
		p[1] = xy_depth(b->cpp) | MVGPU_BR13_ROP(MVGPU_ROP_PATCOPY) |
		       (b->dst_pitch & 0xffff);
		p[6] = b->color;
		break;
	case REF_SRC_COPY_BLT:
		p[0] = MVGPU_XY_SRC_COPY_BLT | mask;
		p[1] = xy_depth(b->cpp) | MVGPU_BR13_ROP(MVGPU_ROP_SRCCOPY) |
		       (b->dst_pitch & 0xffff);
		break;
	case REF_FAST_COPY_BLT:
		p[0] = MVGPU_XY_FAST_COPY_BLT;
		p[1] = fast_depth(b->cpp) | (b->dst_pitch & 0xffff);
		break;
	}
	p[2] = MVGPU_BLT_XY(b->x1, b->y1);
	p[3] = MVGPU_BLT_XY(b->x2, b->y2);
	p[4] = LO(dst);
	p[5] = HI(dst);
	if (b->op != REF_COLOR_BLT) {
		p[6] = MVGPU_BLT_XY(b->sx, b->sy);
		p[7] = b->src_pitch & 0xffff;
		p[8] = LO(src);
		p[9] = HI(src);
	}
}

int mdrm_cmds_store(const struct mdrm_cmds *c, struct mdrm_bo *bo,
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
