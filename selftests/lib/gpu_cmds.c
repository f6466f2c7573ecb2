// SPDX-License-Identifier: GPL-2.0
/*
 * The command builder shared by the VFIO selftests and the libdrm client
 * (see gpu_cmds.h).
 */
#include <stdlib.h>
#include <string.h>

#include "gpu_cmds.h"

#define LO(a)	((uint32_t)(a))
/* Bits 47:32 of a GPU address; the upper bits of that dword are ignored. */
#define HI(a)	((uint32_t)((a) >> 32) & 0xffff)

void gpu_cmds_init(struct gpu_cmds *c)
{
	memset(c, 0, sizeof(*c));
}

void gpu_cmds_fini(struct gpu_cmds *c)
{
	free(c->dw);
	gpu_cmds_init(c);
}

void gpu_cmds_reset(struct gpu_cmds *c)
{
	c->len = 0;
	c->oom = false;
}

uint32_t *gpu_cmds_add(struct gpu_cmds *c, size_t n)
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

void gpu_emit(struct gpu_cmds *c, uint32_t dw)
{
	uint32_t *p = gpu_cmds_add(c, 1);

	if (p)
		*p = dw;
}

void gpu_emit_pad(struct gpu_cmds *c, size_t align)
{
	/* After a failure @len stops growing: do not spin. */
	while (c->len % align && !c->oom)
		gpu_emit(c, MVGPU_MI_NOOP);
}

static void gpu_emit4(struct gpu_cmds *c, uint32_t a, uint32_t b, uint32_t d,
		      uint32_t e)
{
	uint32_t *p = gpu_cmds_add(c, 4);

	if (p) {
		p[0] = a;
		p[1] = b;
		p[2] = d;
		p[3] = e;
	}
}

void gpu_emit_sdi(struct gpu_cmds *c, uint64_t addr, uint32_t val,
		  bool ggtt)
{
	gpu_emit4(c, MVGPU_MI_STORE_DATA_IMM | (ggtt ? MVGPU_MI_USE_GGTT : 0),
		  LO(addr), HI(addr), val);
}

void gpu_emit_sdi_qw(struct gpu_cmds *c, uint64_t addr, uint64_t val,
		     bool ggtt)
{
	gpu_emit4(c, MVGPU_MI_STORE_DATA_IMM_QW |
		  (ggtt ? MVGPU_MI_USE_GGTT : 0), LO(addr), HI(addr), LO(val));
	gpu_emit(c, (uint32_t)(val >> 32));
}

void gpu_emit_lri(struct gpu_cmds *c, uint32_t reg, uint32_t val)
{
	gpu_emit(c, MVGPU_MI_LOAD_REGISTER_IMM(1));
	gpu_emit(c, reg);
	gpu_emit(c, val);
}

void gpu_emit_srm(struct gpu_cmds *c, uint32_t reg, uint64_t addr,
		  bool ggtt)
{
	gpu_emit4(c, MVGPU_MI_STORE_REGISTER_MEM |
		  (ggtt ? MVGPU_MI_USE_GGTT : 0), reg, LO(addr), HI(addr));
}

void gpu_emit_flush_dw(struct gpu_cmds *c, uint32_t flags, uint64_t addr,
		       uint64_t data, bool qw, bool ggtt)
{
	/* Bits 2:0 of the address dword are not address: bit 2 is GGTT. */
	gpu_emit4(c, (qw ? MVGPU_MI_FLUSH_DW_QW : MVGPU_MI_FLUSH_DW) | flags,
		  (LO(addr) & ~7u) | (ggtt ? MVGPU_MI_FLUSH_DW_USE_GGTT : 0),
		  HI(addr), LO(data));
	if (qw)
		gpu_emit(c, (uint32_t)(data >> 32));
}

void gpu_emit_pipe_control(struct gpu_cmds *c, uint32_t flags,
			   uint64_t addr, uint64_t data)
{
	gpu_emit4(c, MVGPU_PIPE_CONTROL, flags, LO(addr), HI(addr));
	gpu_emit(c, LO(data));
	gpu_emit(c, (uint32_t)(data >> 32));
}

void gpu_emit_sem_wait(struct gpu_cmds *c, unsigned int op, uint32_t value,
		       uint64_t addr, bool ggtt)
{
	gpu_emit4(c, MVGPU_MI_SEMAPHORE_WAIT | MVGPU_MI_SEMAPHORE_POLL |
		  MVGPU_MI_SEMAPHORE_OP(op) |
		  (ggtt ? MVGPU_MI_SEMAPHORE_GGTT : 0),
		  value, LO(addr), HI(addr));
}

void gpu_emit_bb_start(struct gpu_cmds *c, uint64_t addr, uint32_t flags)
{
	gpu_emit(c, MVGPU_MI_BATCH_BUFFER_START | flags);
	gpu_emit(c, LO(addr));
	gpu_emit(c, HI(addr));
}

void gpu_emit_bb_end(struct gpu_cmds *c)
{
	gpu_emit(c, MVGPU_MI_BATCH_BUFFER_END);
}

uint32_t gpu_xy_depth(unsigned int cpp, bool rgb1555)
{
	switch (cpp) {
	case 1:
		return MVGPU_BR13_DEPTH_8;
	case 2:
		return rgb1555 ? MVGPU_BR13_DEPTH_1555 : MVGPU_BR13_DEPTH_565;
	case 4:
		return MVGPU_BR13_DEPTH_32;
	}
	return ~0u;
}

uint32_t gpu_fast_depth(unsigned int cpp)
{
	switch (cpp) {
	case 1:
		return MVGPU_FAST_DEPTH(MVGPU_FAST_DEPTH_8);
	case 2:
		return MVGPU_FAST_DEPTH(MVGPU_FAST_DEPTH_16);
	case 4:
		return MVGPU_FAST_DEPTH(MVGPU_FAST_DEPTH_32);
	case 8:
		return MVGPU_FAST_DEPTH(MVGPU_FAST_DEPTH_64);
	case 16:
		return MVGPU_FAST_DEPTH(MVGPU_FAST_DEPTH_128);
	}
	return ~0u;
}

void gpu_emit_blt(struct gpu_cmds *c, const struct gpu_blit *b)
{
	const struct ref_blt *r = &b->r;
	uint32_t mask = (r->write_alpha ? MVGPU_BLT_WRITE_ALPHA : 0) |
			(r->write_rgb ? MVGPU_BLT_WRITE_RGB : 0);
	uint32_t *p;

	switch (r->op) {
	case REF_COLOR_BLT:
		p = gpu_cmds_add(c, 7);
		if (!p)
			return;
		p[0] = MVGPU_XY_COLOR_BLT | mask;
		p[1] = gpu_xy_depth(r->cpp, b->rgb1555) |
		       MVGPU_BR13_ROP(MVGPU_ROP_PATCOPY) |
		       (r->dst_pitch & 0xffff);
		p[6] = r->color;
		break;
	case REF_SRC_COPY_BLT:
		p = gpu_cmds_add(c, 10);
		if (!p)
			return;
		p[0] = MVGPU_XY_SRC_COPY_BLT | mask;
		p[1] = gpu_xy_depth(r->cpp, b->rgb1555) |
		       MVGPU_BR13_ROP(MVGPU_ROP_SRCCOPY) |
		       (r->dst_pitch & 0xffff);
		break;
	case REF_FAST_COPY_BLT:
	default:
		p = gpu_cmds_add(c, 10);
		if (!p)
			return;
		p[0] = MVGPU_XY_FAST_COPY_BLT;
		p[1] = gpu_fast_depth(r->cpp) | (r->dst_pitch & 0xffff);
		break;
	}
	p[2] = MVGPU_BLT_XY(r->x1, r->y1);
	p[3] = MVGPU_BLT_XY(r->x2, r->y2);
	p[4] = LO(b->dst);
	p[5] = HI(b->dst);
	if (r->op != REF_COLOR_BLT) {
		p[6] = MVGPU_BLT_XY(r->sx, r->sy);
		p[7] = r->src_pitch & 0xffff;
		p[8] = LO(b->src);
		p[9] = HI(b->src);
	}
}

void gpu_emit_breadcrumb(struct gpu_cmds *c, unsigned int e, uint64_t hws,
			 uint32_t seqno)
{
	uint64_t addr = hws + MVGPU_HWS_SEQNO;

	/* The post-sync write of the engine's own flush command. */
	if (e == MVGPU_ENGINE_BCS)
		gpu_emit_flush_dw(c, MVGPU_MI_FLUSH_DW_OP_STORE, addr, seqno,
				  false, true);
	else
		gpu_emit_pipe_control(c, MVGPU_PC_OP_STORE | MVGPU_PC_USE_GGTT |
				      MVGPU_PC_CS_STALL, addr, seqno);
}

const char *gpu_fault_name(uint32_t status)
{
	static const char *const names[] = {
		[MVGPU_FAULT_NONE] = "NONE",
		[MVGPU_FAULT_GGTT_UNMAPPED] = "GGTT_UNMAPPED",
		[MVGPU_FAULT_GGTT_RANGE] = "GGTT_RANGE",
		[MVGPU_FAULT_PPGTT_UNMAPPED] = "PPGTT_UNMAPPED",
		[MVGPU_FAULT_NO_PPGTT] = "NO_PPGTT",
		[MVGPU_FAULT_READ_ONLY] = "READ_ONLY",
		[MVGPU_FAULT_DMA] = "DMA",
		[MVGPU_FAULT_LOCAL_RANGE] = "LOCAL_RANGE",
		[MVGPU_FAULT_BAD_OPCODE] = "BAD_OPCODE",
		[MVGPU_FAULT_BAD_LENGTH] = "BAD_LENGTH",
		[MVGPU_FAULT_BAD_ENGINE] = "BAD_ENGINE",
		[MVGPU_FAULT_BAD_REGISTER] = "BAD_REGISTER",
		[MVGPU_FAULT_BAD_FIELD] = "BAD_FIELD",
		[MVGPU_FAULT_BATCH_DEPTH] = "BATCH_DEPTH",
		[MVGPU_FAULT_RING] = "RING",
		[MVGPU_FAULT_HANG] = "HANG",
		[MVGPU_FAULT_BAD_PTE] = "BAD_PTE",
		[MVGPU_FAULT_BATCH_LOOP] = "BATCH_LOOP",
		[MVGPU_FAULT_SCAN_LIMIT] = "SCAN_LIMIT",
	};
	uint32_t type = status & MVGPU_FAULT_TYPE_MASK;

	if (type < sizeof(names) / sizeof(names[0]) && names[type])
		return names[type];
	return "UNKNOWN";
}
