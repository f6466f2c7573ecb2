// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu: Gen9 command decode tables for the command scanner.
 *
 * Every MI, 2D (blitter), 3D and render-media/GPGPU command of Gen9 with its
 * name, the engines that accept it on Gen9, its length encoding, and for the
 * commands the reference engine executes (gvt/exec.c) the executor's exact
 * identification, length and engine rule.  Knowing the length of commands
 * the engine does not execute lets a decoder walk any real stream; the
 * scanner rejects them by name.
 *
 * The executor rules here must match exec_cmds[] in gvt/exec.c; the unit
 * tests (selftests/unit/test_scan.c) run both on the same streams.
 * Video-engine (MFX/HCP/VEBOX) commands are not listed: mvgpu has no video
 * engine.
 *
 * Encodings are Intel Gen9's (Skylake command reference, Mesa genxml),
 * written from that documentation.  This file is pure data and builds in
 * userspace (selftests/unit/, tools/mvgpu-decode/).
 */
#include "mvgpu_scan.h"

#define G9_RCS		MVGPU_CMD_RCS
#define G9_BCS		MVGPU_CMD_BCS
#define G9_VCS		MVGPU_CMD_VCS
#define G9_VECS		MVGPU_CMD_VECS
#define G9_ALL		MVGPU_CMD_ALL

#define CMD_EX_RCS		BIT(MVGPU_ENGINE_RCS)
#define CMD_EX_BCS		BIT(MVGPU_ENGINE_BCS)
#define CMD_EX_ANY		(CMD_EX_RCS | CMD_EX_BCS)

/* The header bits that identify a command (as gvt/exec.c). */
#define CMD_MI_MASK		0xff800000u
#define CMD_BLT_MASK	0xffc00000u
#define CMD_GFX_MASK	0xffff0000u

/* The executor's rule of command @id lives in mvgpu_cmd_fast[] below. */
#define CMD_X(id)		(&mvgpu_cmd_fast[id].x)

/* Printable fields of the executed commands. */
#define CMD_F(_name, _dw, _lo, _hi)	{ .name = (_name), .dw = (_dw), .lo = (_lo), .hi = (_hi) }

static const struct mvgpu_cmd_field f_sem[] = {
	CMD_F("ggtt", 0, 22, 22), CMD_F("poll", 0, 15, 15), CMD_F("op", 0, 12, 14),
	CMD_F("sdd", 1, 0, 31), { .name = NULL }
};

static const struct mvgpu_cmd_field f_sdi[] = {
	CMD_F("ggtt", 0, 22, 22), CMD_F("qword", 0, 21, 21), CMD_F("data", 3, 0, 31),
	{ .name = NULL }
};

static const struct mvgpu_cmd_field f_srm[] = {
	CMD_F("ggtt", 0, 22, 22), CMD_F("reg", 1, 0, 31), { .name = NULL }
};

static const struct mvgpu_cmd_field f_flush[] = {
	CMD_F("tlb_inv", 0, 18, 18), CMD_F("post_sync", 0, 14, 15),
	CMD_F("notify", 0, 8, 8), CMD_F("ggtt", 1, 2, 2), CMD_F("data", 3, 0, 31),
	{ .name = NULL }
};

static const struct mvgpu_cmd_field f_bbs[] = {
	CMD_F("second_level", 0, 22, 22), CMD_F("ppgtt", 0, 8, 8), { .name = NULL }
};

static const struct mvgpu_cmd_field f_pc[] = {
	CMD_F("ggtt", 1, 24, 24), CMD_F("cs_stall", 1, 20, 20),
	CMD_F("tlb_inv", 1, 18, 18), CMD_F("post_sync", 1, 14, 15),
	CMD_F("notify", 1, 8, 8), CMD_F("data_lo", 4, 0, 31), CMD_F("data_hi", 5, 0, 31),
	{ .name = NULL }
};

static const struct mvgpu_cmd_field f_color[] = {
	CMD_F("alpha", 0, 21, 21), CMD_F("rgb", 0, 20, 20), CMD_F("dst_tiled", 0, 11, 11),
	CMD_F("depth", 1, 24, 25), CMD_F("rop", 1, 16, 23), CMD_F("pitch", 1, 0, 15),
	CMD_F("x1", 2, 0, 15), CMD_F("y1", 2, 16, 31), CMD_F("x2", 3, 0, 15),
	CMD_F("y2", 3, 16, 31), CMD_F("colour", 6, 0, 31), { .name = NULL }
};

static const struct mvgpu_cmd_field f_copy[] = {
	CMD_F("alpha", 0, 21, 21), CMD_F("rgb", 0, 20, 20), CMD_F("src_tiled", 0, 15, 15),
	CMD_F("dst_tiled", 0, 11, 11), CMD_F("depth", 1, 24, 25), CMD_F("rop", 1, 16, 23),
	CMD_F("pitch", 1, 0, 15), CMD_F("x1", 2, 0, 15), CMD_F("y1", 2, 16, 31),
	CMD_F("x2", 3, 0, 15), CMD_F("y2", 3, 16, 31), CMD_F("sx", 6, 0, 15),
	CMD_F("sy", 6, 16, 31), CMD_F("src_pitch", 7, 0, 15), { .name = NULL }
};

static const struct mvgpu_cmd_field f_fast[] = {
	CMD_F("src_tiling", 0, 20, 21), CMD_F("dst_tiling", 0, 13, 14),
	CMD_F("depth", 1, 24, 26), CMD_F("pitch", 1, 0, 15), CMD_F("x1", 2, 0, 15),
	CMD_F("y1", 2, 16, 31), CMD_F("x2", 3, 0, 15), CMD_F("y2", 3, 16, 31),
	CMD_F("sx", 6, 0, 15), CMD_F("sy", 6, 16, 31), CMD_F("src_pitch", 7, 0, 15),
	{ .name = NULL }
};

static const struct mvgpu_cmd_desc mi_cmds[64];
static const struct mvgpu_cmd_desc blt_cmds[128];
static const struct mvgpu_cmd_desc gfx_pipe_control;

/*
 * The commands the reference engine executes, by MVGPU_CMD_* id: the
 * executor's identification, length and engine rule (as exec_cmds[] in
 * gvt/exec.c) and the Gen9 description.  Entry 0 matches no header.
 */
#define CMD_RULE(_id, _desc, _mask, _value, _len_mask, _min, _max, _eng,	\
		 _odd)							\
	[_id] = { .x = { .mask = (_mask), .value = (_value) & (_mask),	\
			 .len_mask = (_len_mask), .len_min = (_min),	\
			 .len_max = (_max), .engines = (_eng),		\
			 .odd = (_odd) },				\
		  .desc = (_desc), .id = (_id) }

const struct mvgpu_cmd_fast mvgpu_cmd_fast[MVGPU_CMD_NR] = {
	[MVGPU_CMD_NONE] = { .x = { .mask = 0, .value = 1 } },
	CMD_RULE(MVGPU_CMD_NOOP, &mi_cmds[0x00], CMD_MI_MASK, MVGPU_MI_NOOP,
		 0, 0, 0, CMD_EX_ANY, false),
	CMD_RULE(MVGPU_CMD_USER_INTERRUPT, &mi_cmds[0x02], CMD_MI_MASK,
		 MVGPU_MI_USER_INTERRUPT, 0, 0, 0, CMD_EX_ANY, false),
	CMD_RULE(MVGPU_CMD_ARB_CHECK, &mi_cmds[0x05], CMD_MI_MASK,
		 MVGPU_MI_ARB_CHECK, 0, 0, 0, CMD_EX_ANY, false),
	CMD_RULE(MVGPU_CMD_BB_END, &mi_cmds[0x0a], CMD_MI_MASK,
		 MVGPU_MI_BATCH_BUFFER_END, 0, 0, 0, CMD_EX_ANY, false),
	CMD_RULE(MVGPU_CMD_SEMAPHORE_WAIT, &mi_cmds[0x1c], CMD_MI_MASK,
		 MVGPU_MI_SEMAPHORE_WAIT, 0xff, 2, 2, CMD_EX_ANY, false),
	CMD_RULE(MVGPU_CMD_STORE_DATA_IMM, &mi_cmds[0x20], CMD_MI_MASK,
		 MVGPU_MI_STORE_DATA_IMM, 0xff, 2, 3, CMD_EX_ANY, false),
	CMD_RULE(MVGPU_CMD_LRI, &mi_cmds[0x22], CMD_MI_MASK,
		 MVGPU_MI_LOAD_REGISTER_IMM(1), 0xff, 1, 255, CMD_EX_ANY, true),
	CMD_RULE(MVGPU_CMD_SRM, &mi_cmds[0x24], CMD_MI_MASK,
		 MVGPU_MI_STORE_REGISTER_MEM, 0xff, 2, 2, CMD_EX_ANY, false),
	CMD_RULE(MVGPU_CMD_FLUSH_DW, &mi_cmds[0x26], CMD_MI_MASK,
		 MVGPU_MI_FLUSH_DW, 0xff, 2, 3, CMD_EX_BCS, false),
	CMD_RULE(MVGPU_CMD_BB_START, &mi_cmds[0x31], CMD_MI_MASK,
		 MVGPU_MI_BATCH_BUFFER_START, 0xff, 1, 1, CMD_EX_ANY, false),
	CMD_RULE(MVGPU_CMD_PIPE_CONTROL, &gfx_pipe_control, CMD_GFX_MASK,
		 MVGPU_PIPE_CONTROL, 0xffff, 4, 4, CMD_EX_RCS, false),
	CMD_RULE(MVGPU_CMD_COLOR_BLT, &blt_cmds[0x50], CMD_BLT_MASK,
		 MVGPU_XY_COLOR_BLT, 0xff, 5, 5, CMD_EX_BCS, false),
	CMD_RULE(MVGPU_CMD_SRC_COPY_BLT, &blt_cmds[0x53], CMD_BLT_MASK,
		 MVGPU_XY_SRC_COPY_BLT, 0xff, 8, 8, CMD_EX_BCS, false),
	CMD_RULE(MVGPU_CMD_FAST_COPY_BLT, &blt_cmds[0x42], CMD_BLT_MASK,
		 MVGPU_XY_FAST_COPY_BLT, 0xff, 8, 8, CMD_EX_BCS, false),
};

/*
 * Executed command ids by header bits 31:22, for the scanner's hot path
 * (mvgpu_cmd_exec_lookup()).  Those bits hold the client and the whole MI
 * opcode (28:23; bit 22 is a flag of some MI commands: two slots per
 * opcode) or the whole 2D opcode (28:22); of a 3D header they hold the
 * subtype, the opcode and two bits of the sub-opcode, so the rule's mask
 * decides.  Every other slot is 0: not executed (mvgpu_cmd_lookup() names
 * such a header).
 */
#define FAST_SLOT(hdr)		((hdr) >> MVGPU_CMD_FAST_SHIFT)
#define FAST_MI(id, hdr)	[FAST_SLOT(hdr) ... FAST_SLOT(hdr) | 1] = (id)
#define FAST_ONE(id, hdr)	[FAST_SLOT(hdr)] = (id)

const u8 mvgpu_cmd_fast_id[MVGPU_CMD_FAST_SIZE] = {
	FAST_MI(MVGPU_CMD_NOOP, MVGPU_MI_NOOP),
	FAST_MI(MVGPU_CMD_USER_INTERRUPT, MVGPU_MI_USER_INTERRUPT),
	FAST_MI(MVGPU_CMD_ARB_CHECK, MVGPU_MI_ARB_CHECK),
	FAST_MI(MVGPU_CMD_BB_END, MVGPU_MI_BATCH_BUFFER_END),
	FAST_MI(MVGPU_CMD_SEMAPHORE_WAIT, MVGPU_MI_SEMAPHORE_WAIT),
	FAST_MI(MVGPU_CMD_STORE_DATA_IMM, MVGPU_MI_STORE_DATA_IMM),
	FAST_MI(MVGPU_CMD_LRI, MVGPU_MI_LOAD_REGISTER_IMM(1)),
	FAST_MI(MVGPU_CMD_SRM, MVGPU_MI_STORE_REGISTER_MEM),
	FAST_MI(MVGPU_CMD_FLUSH_DW, MVGPU_MI_FLUSH_DW),
	FAST_MI(MVGPU_CMD_BB_START, MVGPU_MI_BATCH_BUFFER_START),
	FAST_ONE(MVGPU_CMD_PIPE_CONTROL, MVGPU_PIPE_CONTROL),
	FAST_ONE(MVGPU_CMD_COLOR_BLT, MVGPU_XY_COLOR_BLT),
	FAST_ONE(MVGPU_CMD_SRC_COPY_BLT, MVGPU_XY_SRC_COPY_BLT),
	FAST_ONE(MVGPU_CMD_FAST_COPY_BLT, MVGPU_XY_FAST_COPY_BLT),
};

/* One-dword MI command (opcodes 0x00..0x0f). */
#define CMD_MI1(_name, _eng, ...)						\
	{ .name = (_name), .len = MVGPU_CMD_LEN_FIXED, .len_bias = 1,	\
	  .gen9 = (_eng), __VA_ARGS__ }
/* MI command with a length field of @_bits bits. */
#define CMD_MIL(_name, _bits, _eng, ...)					\
	{ .name = (_name), .len = MVGPU_CMD_LEN_FIELD, .len_bias = 2,	\
	  .len_mask = (1u << (_bits)) - 1, .gen9 = (_eng), __VA_ARGS__ }

/* MI commands by opcode (bits 28:23); unnamed opcodes do not exist. */
static const struct mvgpu_cmd_desc mi_cmds[64] = {
	[0x00] = CMD_MI1("MI_NOOP", G9_ALL, .id = MVGPU_CMD_NOOP,
		     .exec = CMD_X(MVGPU_CMD_NOOP)),
	[0x01] = CMD_MI1("MI_SET_PREDICATE", G9_ALL),
	[0x02] = CMD_MI1("MI_USER_INTERRUPT", G9_ALL, .id = MVGPU_CMD_USER_INTERRUPT,
		     .exec = CMD_X(MVGPU_CMD_USER_INTERRUPT)),
	[0x03] = CMD_MI1("MI_WAIT_FOR_EVENT", G9_ALL),
	[0x05] = CMD_MI1("MI_ARB_CHECK", G9_ALL, .id = MVGPU_CMD_ARB_CHECK,
		     .exec = CMD_X(MVGPU_CMD_ARB_CHECK)),
	[0x06] = CMD_MI1("MI_RS_CONTROL", G9_RCS),
	[0x07] = CMD_MI1("MI_REPORT_HEAD", G9_ALL),
	[0x08] = CMD_MI1("MI_ARB_ON_OFF", G9_ALL),
	[0x09] = CMD_MI1("MI_URB_ATOMIC_ALLOC", G9_RCS),
	[0x0a] = CMD_MI1("MI_BATCH_BUFFER_END", G9_ALL, .id = MVGPU_CMD_BB_END,
		     .exec = CMD_X(MVGPU_CMD_BB_END)),
	[0x0b] = CMD_MI1("MI_SUSPEND_FLUSH", G9_ALL),
	[0x0c] = CMD_MI1("MI_PREDICATE", G9_RCS),
	[0x0d] = CMD_MI1("MI_TOPOLOGY_FILTER", G9_RCS),
	[0x0e] = CMD_MI1("MI_SET_APPID", G9_RCS | G9_VCS | G9_VECS),
	[0x0f] = CMD_MI1("MI_RS_CONTEXT", G9_RCS),
	[0x12] = CMD_MIL("MI_LOAD_SCAN_LINES_INCL", 6, G9_RCS | G9_BCS),
	[0x13] = CMD_MIL("MI_LOAD_SCAN_LINES_EXCL", 6, G9_RCS | G9_BCS),
	[0x14] = CMD_MIL("MI_DISPLAY_FLIP", 8, G9_RCS | G9_BCS),
	[0x18] = CMD_MIL("MI_SET_CONTEXT", 8, G9_RCS),
	[0x19] = CMD_MIL("MI_URB_CLEAR", 8, G9_RCS),
	[0x1a] = CMD_MIL("MI_MATH", 8, G9_ALL),
	[0x1b] = CMD_MIL("MI_SEMAPHORE_SIGNAL", 8, G9_ALL),
	[0x1c] = CMD_MIL("MI_SEMAPHORE_WAIT", 8, G9_ALL, .id = MVGPU_CMD_SEMAPHORE_WAIT,
		     .exec = CMD_X(MVGPU_CMD_SEMAPHORE_WAIT), .fields = f_sem),
	[0x1d] = CMD_MIL("MI_FORCE_WAKEUP", 8, G9_ALL),
	[0x20] = CMD_MIL("MI_STORE_DATA_IMM", 10, G9_ALL,
		     .id = MVGPU_CMD_STORE_DATA_IMM,
		     .exec = CMD_X(MVGPU_CMD_STORE_DATA_IMM), .fields = f_sdi),
	[0x21] = CMD_MIL("MI_STORE_DATA_INDEX", 8, G9_ALL),
	[0x22] = CMD_MIL("MI_LOAD_REGISTER_IMM", 8, G9_ALL, .id = MVGPU_CMD_LRI,
		     .exec = CMD_X(MVGPU_CMD_LRI)),
	[0x23] = CMD_MIL("MI_UPDATE_GTT", 10, G9_ALL),
	[0x24] = CMD_MIL("MI_STORE_REGISTER_MEM", 8, G9_ALL, .id = MVGPU_CMD_SRM,
		     .exec = CMD_X(MVGPU_CMD_SRM), .fields = f_srm),
	[0x26] = CMD_MIL("MI_FLUSH_DW", 6, G9_BCS | G9_VCS | G9_VECS,
		     .id = MVGPU_CMD_FLUSH_DW,
		     .exec = CMD_X(MVGPU_CMD_FLUSH_DW), .fields = f_flush),
	[0x27] = CMD_MIL("MI_CLFLUSH", 10, G9_RCS),
	[0x28] = CMD_MIL("MI_REPORT_PERF_COUNT", 6, G9_RCS),
	[0x29] = CMD_MIL("MI_LOAD_REGISTER_MEM", 8, G9_ALL),
	[0x2a] = CMD_MIL("MI_LOAD_REGISTER_REG", 8, G9_ALL),
	[0x2b] = CMD_MIL("MI_RS_STORE_DATA_IMM", 8, G9_RCS),
	[0x2c] = CMD_MIL("MI_LOAD_URB_MEM", 8, G9_RCS),
	[0x2d] = CMD_MIL("MI_STORE_URB_MEM", 8, G9_RCS),
	[0x2e] = CMD_MIL("MI_COPY_MEM_MEM", 8, G9_ALL),
	[0x2f] = CMD_MIL("MI_ATOMIC", 8, G9_ALL),
	[0x31] = CMD_MIL("MI_BATCH_BUFFER_START", 8, G9_ALL, .id = MVGPU_CMD_BB_START,
		     .exec = CMD_X(MVGPU_CMD_BB_START), .fields = f_bbs),
	[0x36] = CMD_MIL("MI_CONDITIONAL_BATCH_BUFFER_END", 8, G9_ALL),
};

/* 2D commands by opcode (bits 28:22): all have an 8-bit length field. */
#define CMD_BLT(_name, ...)							\
	{ .name = (_name), .len = MVGPU_CMD_LEN_FIELD, .len_bias = 2,	\
	  .len_mask = 0xff, .gen9 = G9_BCS, __VA_ARGS__ }

static const struct mvgpu_cmd_desc blt_cmds[128] = {
	[0x01] = CMD_BLT("XY_SETUP_BLT"),
	[0x03] = CMD_BLT("XY_SETUP_CLIP_BLT"),
	[0x11] = CMD_BLT("XY_SETUP_MONO_PATTERN_SL_BLT"),
	[0x24] = CMD_BLT("XY_PIXEL_BLT"),
	[0x25] = CMD_BLT("XY_SCANLINES_BLT"),
	[0x26] = CMD_BLT("XY_TEXT_BLT"),
	[0x31] = CMD_BLT("XY_TEXT_IMMEDIATE_BLT"),
	[0x40] = CMD_BLT("COLOR_BLT"),
	[0x42] = CMD_BLT("XY_FAST_COPY_BLT", .id = MVGPU_CMD_FAST_COPY_BLT,
		     .exec = CMD_X(MVGPU_CMD_FAST_COPY_BLT), .fields = f_fast),
	[0x43] = CMD_BLT("SRC_COPY_BLT"),
	[0x44] = CMD_BLT("XY_FAST_COLOR_BLT"),
	[0x50] = CMD_BLT("XY_COLOR_BLT", .id = MVGPU_CMD_COLOR_BLT,
		     .exec = CMD_X(MVGPU_CMD_COLOR_BLT), .fields = f_color),
	[0x51] = CMD_BLT("XY_PAT_BLT"),
	[0x52] = CMD_BLT("XY_MONO_PAT_BLT"),
	[0x53] = CMD_BLT("XY_SRC_COPY_BLT", .id = MVGPU_CMD_SRC_COPY_BLT,
		     .exec = CMD_X(MVGPU_CMD_SRC_COPY_BLT), .fields = f_copy),
	[0x54] = CMD_BLT("XY_MONO_SRC_COPY_BLT"),
	[0x55] = CMD_BLT("XY_FULL_BLT"),
	[0x56] = CMD_BLT("XY_FULL_MONO_SRC_BLT"),
	[0x57] = CMD_BLT("XY_FULL_MONO_PATTERN_BLT"),
	[0x58] = CMD_BLT("XY_FULL_MONO_PATTERN_MONO_SRC_BLT"),
	[0x59] = CMD_BLT("XY_MONO_PAT_FIXED_BLT"),
	[0x71] = CMD_BLT("XY_MONO_SRC_COPY_IMMEDIATE_BLT"),
	[0x72] = CMD_BLT("XY_PAT_BLT_IMMEDIATE"),
	[0x73] = CMD_BLT("XY_SRC_COPY_CHROMA_BLT"),
	[0x74] = CMD_BLT("XY_FULL_IMMEDIATE_PATTERN_BLT"),
	[0x75] = CMD_BLT("XY_FULL_MONO_SRC_IMMEDIATE_PATTERN_BLT"),
	[0x76] = CMD_BLT("XY_PAT_CHROMA_BLT"),
	[0x77] = CMD_BLT("XY_PAT_CHROMA_BLT_IMMEDIATE"),
};

/*
 * 3D-client commands, keyed by header bits 28:16 (subtype 28:27, opcode
 * 26:24, sub-opcode 23:16) and sorted by key for a binary search.
 * Subtype 1 commands are one dword; media (subtype 2) commands have a
 * 16-bit length field, all others an 8-bit one.
 */
struct gfx_cmd {
	u16 key;
	const struct mvgpu_cmd_desc *desc;
};

#define CMD_GFX_KEY(st, op, sub)	((u16)((st) << 11 | (op) << 8 | (sub)))
#define CMD_GFX_DESC(_st, _name, ...)						\
	{ .name = (_name),						\
	  .len = (_st) == 1 ? MVGPU_CMD_LEN_FIXED : MVGPU_CMD_LEN_FIELD,	\
	  .len_bias = (_st) == 1 ? 1 : 2,				\
	  .len_mask = (_st) == 1 ? 0 : (_st) == 2 ? 0xffff : 0xff,	\
	  .gen9 = G9_RCS, __VA_ARGS__ }
#define CMD_GFX(_st, _op, _sub, _name, ...)					\
	{ .key = CMD_GFX_KEY(_st, _op, _sub),				\
	  .desc = &(const struct mvgpu_cmd_desc)			\
		  CMD_GFX_DESC(_st, _name, __VA_ARGS__) }

/* Named, so that mvgpu_cmd_fast[] can point at it. */
static const struct mvgpu_cmd_desc gfx_pipe_control =
	CMD_GFX_DESC(3, "PIPE_CONTROL", .id = MVGPU_CMD_PIPE_CONTROL,
		     .exec = CMD_X(MVGPU_CMD_PIPE_CONTROL), .fields = f_pc);

static const struct gfx_cmd gfx_cmds[] = {
	CMD_GFX(0, 0, 0x03, "STATE_PREFETCH"),
	CMD_GFX(0, 1, 0x01, "STATE_BASE_ADDRESS"),
	CMD_GFX(0, 1, 0x02, "STATE_SIP"),
	CMD_GFX(0, 1, 0x03, "SWTESS_BASE_ADDRESS"),
	CMD_GFX(0, 1, 0x04, "GPGPU_CSR_BASE_ADDRESS"),
	CMD_GFX(1, 0, 0x0b, "3DSTATE_VF_STATISTICS"),
	CMD_GFX(1, 1, 0x04, "PIPELINE_SELECT"),
	CMD_GFX(2, 0, 0x00, "MEDIA_VFE_STATE"),
	CMD_GFX(2, 0, 0x01, "MEDIA_CURBE_LOAD"),
	CMD_GFX(2, 0, 0x02, "MEDIA_INTERFACE_DESCRIPTOR_LOAD"),
	CMD_GFX(2, 0, 0x03, "MEDIA_GATEWAY_STATE"),
	CMD_GFX(2, 0, 0x04, "MEDIA_STATE_FLUSH"),
	CMD_GFX(2, 0, 0x05, "MEDIA_POOL_STATE"),
	CMD_GFX(2, 1, 0x00, "MEDIA_OBJECT"),
	CMD_GFX(2, 1, 0x02, "MEDIA_OBJECT_PRT"),
	CMD_GFX(2, 1, 0x03, "MEDIA_OBJECT_WALKER"),
	CMD_GFX(2, 1, 0x04, "MEDIA_OBJECT_GRPID"),
	CMD_GFX(2, 1, 0x05, "GPGPU_WALKER"),
	CMD_GFX(3, 0, 0x04, "3DSTATE_CLEAR_PARAMS"),
	CMD_GFX(3, 0, 0x05, "3DSTATE_DEPTH_BUFFER"),
	CMD_GFX(3, 0, 0x06, "3DSTATE_STENCIL_BUFFER"),
	CMD_GFX(3, 0, 0x07, "3DSTATE_HIER_DEPTH_BUFFER"),
	CMD_GFX(3, 0, 0x08, "3DSTATE_VERTEX_BUFFERS"),
	CMD_GFX(3, 0, 0x09, "3DSTATE_VERTEX_ELEMENTS"),
	CMD_GFX(3, 0, 0x0a, "3DSTATE_INDEX_BUFFER"),
	CMD_GFX(3, 0, 0x0c, "3DSTATE_VF"),
	CMD_GFX(3, 0, 0x0d, "3DSTATE_MULTISAMPLE"),
	CMD_GFX(3, 0, 0x0e, "3DSTATE_CC_STATE_POINTERS"),
	CMD_GFX(3, 0, 0x0f, "3DSTATE_SCISSOR_STATE_POINTERS"),
	CMD_GFX(3, 0, 0x10, "3DSTATE_VS"),
	CMD_GFX(3, 0, 0x11, "3DSTATE_GS"),
	CMD_GFX(3, 0, 0x12, "3DSTATE_CLIP"),
	CMD_GFX(3, 0, 0x13, "3DSTATE_SF"),
	CMD_GFX(3, 0, 0x14, "3DSTATE_WM"),
	CMD_GFX(3, 0, 0x15, "3DSTATE_CONSTANT_VS"),
	CMD_GFX(3, 0, 0x16, "3DSTATE_CONSTANT_GS"),
	CMD_GFX(3, 0, 0x17, "3DSTATE_CONSTANT_PS"),
	CMD_GFX(3, 0, 0x18, "3DSTATE_SAMPLE_MASK"),
	CMD_GFX(3, 0, 0x19, "3DSTATE_CONSTANT_HS"),
	CMD_GFX(3, 0, 0x1a, "3DSTATE_CONSTANT_DS"),
	CMD_GFX(3, 0, 0x1b, "3DSTATE_HS"),
	CMD_GFX(3, 0, 0x1c, "3DSTATE_TE"),
	CMD_GFX(3, 0, 0x1d, "3DSTATE_DS"),
	CMD_GFX(3, 0, 0x1e, "3DSTATE_STREAMOUT"),
	CMD_GFX(3, 0, 0x1f, "3DSTATE_SBE"),
	CMD_GFX(3, 0, 0x20, "3DSTATE_PS"),
	CMD_GFX(3, 0, 0x21, "3DSTATE_VIEWPORT_STATE_POINTERS_SF_CLIP"),
	CMD_GFX(3, 0, 0x23, "3DSTATE_VIEWPORT_STATE_POINTERS_CC"),
	CMD_GFX(3, 0, 0x24, "3DSTATE_BLEND_STATE_POINTERS"),
	CMD_GFX(3, 0, 0x26, "3DSTATE_BINDING_TABLE_POINTERS_VS"),
	CMD_GFX(3, 0, 0x27, "3DSTATE_BINDING_TABLE_POINTERS_HS"),
	CMD_GFX(3, 0, 0x28, "3DSTATE_BINDING_TABLE_POINTERS_DS"),
	CMD_GFX(3, 0, 0x29, "3DSTATE_BINDING_TABLE_POINTERS_GS"),
	CMD_GFX(3, 0, 0x2a, "3DSTATE_BINDING_TABLE_POINTERS_PS"),
	CMD_GFX(3, 0, 0x2b, "3DSTATE_SAMPLER_STATE_POINTERS_VS"),
	CMD_GFX(3, 0, 0x2c, "3DSTATE_SAMPLER_STATE_POINTERS_HS"),
	CMD_GFX(3, 0, 0x2d, "3DSTATE_SAMPLER_STATE_POINTERS_DS"),
	CMD_GFX(3, 0, 0x2e, "3DSTATE_SAMPLER_STATE_POINTERS_GS"),
	CMD_GFX(3, 0, 0x2f, "3DSTATE_SAMPLER_STATE_POINTERS_PS"),
	CMD_GFX(3, 0, 0x30, "3DSTATE_URB_VS"),
	CMD_GFX(3, 0, 0x31, "3DSTATE_URB_HS"),
	CMD_GFX(3, 0, 0x32, "3DSTATE_URB_DS"),
	CMD_GFX(3, 0, 0x33, "3DSTATE_URB_GS"),
	CMD_GFX(3, 0, 0x34, "3DSTATE_GATHER_CONSTANT_VS"),
	CMD_GFX(3, 0, 0x35, "3DSTATE_GATHER_CONSTANT_GS"),
	CMD_GFX(3, 0, 0x36, "3DSTATE_GATHER_CONSTANT_HS"),
	CMD_GFX(3, 0, 0x37, "3DSTATE_GATHER_CONSTANT_DS"),
	CMD_GFX(3, 0, 0x38, "3DSTATE_GATHER_CONSTANT_PS"),
	CMD_GFX(3, 0, 0x39, "3DSTATE_DX9_CONSTANTF_VS"),
	CMD_GFX(3, 0, 0x3a, "3DSTATE_DX9_CONSTANTF_PS"),
	CMD_GFX(3, 0, 0x3b, "3DSTATE_DX9_CONSTANTI_VS"),
	CMD_GFX(3, 0, 0x3c, "3DSTATE_DX9_CONSTANTI_PS"),
	CMD_GFX(3, 0, 0x3d, "3DSTATE_DX9_CONSTANTB_VS"),
	CMD_GFX(3, 0, 0x3e, "3DSTATE_DX9_CONSTANTB_PS"),
	CMD_GFX(3, 0, 0x3f, "3DSTATE_DX9_LOCAL_VALID_VS"),
	CMD_GFX(3, 0, 0x40, "3DSTATE_DX9_LOCAL_VALID_PS"),
	CMD_GFX(3, 0, 0x41, "3DSTATE_DX9_GENERATE_ACTIVE_VS"),
	CMD_GFX(3, 0, 0x42, "3DSTATE_DX9_GENERATE_ACTIVE_PS"),
	CMD_GFX(3, 0, 0x43, "3DSTATE_BINDING_TABLE_EDIT_VS"),
	CMD_GFX(3, 0, 0x44, "3DSTATE_BINDING_TABLE_EDIT_GS"),
	CMD_GFX(3, 0, 0x45, "3DSTATE_BINDING_TABLE_EDIT_HS"),
	CMD_GFX(3, 0, 0x46, "3DSTATE_BINDING_TABLE_EDIT_DS"),
	CMD_GFX(3, 0, 0x47, "3DSTATE_BINDING_TABLE_EDIT_PS"),
	CMD_GFX(3, 0, 0x48, "3DSTATE_VF_INSTANCING"),
	CMD_GFX(3, 0, 0x49, "3DSTATE_VF_SGVS"),
	CMD_GFX(3, 0, 0x4a, "3DSTATE_VF_TOPOLOGY"),
	CMD_GFX(3, 0, 0x4b, "3DSTATE_WM_CHROMAKEY"),
	CMD_GFX(3, 0, 0x4c, "3DSTATE_PS_BLEND"),
	CMD_GFX(3, 0, 0x4d, "3DSTATE_WM_DEPTH_STENCIL"),
	CMD_GFX(3, 0, 0x4e, "3DSTATE_PS_EXTRA"),
	CMD_GFX(3, 0, 0x4f, "3DSTATE_RASTER"),
	CMD_GFX(3, 0, 0x50, "3DSTATE_SBE_SWIZ"),
	CMD_GFX(3, 0, 0x51, "3DSTATE_WM_HZ_OP"),
	CMD_GFX(3, 0, 0x55, "3DSTATE_COMPONENT_PACKING"),
	CMD_GFX(3, 1, 0x00, "3DSTATE_DRAWING_RECTANGLE"),
	CMD_GFX(3, 1, 0x02, "3DSTATE_SAMPLER_PALETTE_LOAD0"),
	CMD_GFX(3, 1, 0x04, "3DSTATE_CHROMA_KEY"),
	CMD_GFX(3, 1, 0x06, "3DSTATE_POLY_STIPPLE_OFFSET"),
	CMD_GFX(3, 1, 0x07, "3DSTATE_POLY_STIPPLE_PATTERN"),
	CMD_GFX(3, 1, 0x08, "3DSTATE_LINE_STIPPLE"),
	CMD_GFX(3, 1, 0x0a, "3DSTATE_AA_LINE_PARAMETERS"),
	CMD_GFX(3, 1, 0x0b, "3DSTATE_GS_SVB_INDEX"),
	CMD_GFX(3, 1, 0x0c, "3DSTATE_SAMPLER_PALETTE_LOAD1"),
	CMD_GFX(3, 1, 0x11, "3DSTATE_MONOFILTER_SIZE"),
	CMD_GFX(3, 1, 0x12, "3DSTATE_PUSH_CONSTANT_ALLOC_VS"),
	CMD_GFX(3, 1, 0x13, "3DSTATE_PUSH_CONSTANT_ALLOC_HS"),
	CMD_GFX(3, 1, 0x14, "3DSTATE_PUSH_CONSTANT_ALLOC_DS"),
	CMD_GFX(3, 1, 0x15, "3DSTATE_PUSH_CONSTANT_ALLOC_GS"),
	CMD_GFX(3, 1, 0x16, "3DSTATE_PUSH_CONSTANT_ALLOC_PS"),
	CMD_GFX(3, 1, 0x17, "3DSTATE_SO_DECL_LIST"),
	CMD_GFX(3, 1, 0x18, "3DSTATE_SO_BUFFER"),
	CMD_GFX(3, 1, 0x19, "3DSTATE_BINDING_TABLE_POOL_ALLOC"),
	CMD_GFX(3, 1, 0x1a, "3DSTATE_GATHER_POOL_ALLOC"),
	CMD_GFX(3, 1, 0x1b, "3DSTATE_DX9_CONSTANT_BUFFER_POOL_ALLOC"),
	CMD_GFX(3, 1, 0x1c, "3DSTATE_SAMPLE_PATTERN"),
	CMD_GFX(3, 1, 0x1d, "3DSTATE_URB_CLEAR"),
	{ .key = CMD_GFX_KEY(3, 2, 0x00), .desc = &gfx_pipe_control },
	CMD_GFX(3, 3, 0x00, "3DPRIMITIVE"),
};

/* An unlisted 3D-client command still has the generic length rule. */
static const struct mvgpu_cmd_desc gfx_unknown[4] = {
	{ .name = NULL, .len = MVGPU_CMD_LEN_FIELD, .len_bias = 2,
	  .len_mask = 0xff },
	{ .name = NULL, .len = MVGPU_CMD_LEN_FIXED, .len_bias = 1 },
	{ .name = NULL, .len = MVGPU_CMD_LEN_FIELD, .len_bias = 2,
	  .len_mask = 0xffff },
	{ .name = NULL, .len = MVGPU_CMD_LEN_FIELD, .len_bias = 2,
	  .len_mask = 0xff },
};

static const struct mvgpu_cmd_desc *gfx_lookup(u32 header)
{
	u16 key = (header >> 16) & 0x1fff;
	unsigned int lo = 0, hi = ARRAY_SIZE(gfx_cmds);

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (gfx_cmds[mid].key == key)
			return gfx_cmds[mid].desc;
		if (gfx_cmds[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return &gfx_unknown[key >> 11];
}

/**
 * mvgpu_cmd_lookup() - the Gen9 description of a command header
 * @header: the command's first dword
 *
 * A 3D-client command that is not listed still gets a description with
 * its client's length rule and a NULL name, so a decoder can step over it.
 *
 * Return: the description, or NULL for an unknown MI or 2D opcode or a
 * client Gen9 does not have (bits 31:29 of 1 or 4..7).
 */
const struct mvgpu_cmd_desc *mvgpu_cmd_lookup(u32 header)
{
	const struct mvgpu_cmd_desc *d;

	switch (header >> 29) {
	case 0:
		d = &mi_cmds[(header >> 23) & 0x3f];
		break;
	case 2:
		d = &blt_cmds[(header >> 22) & 0x7f];
		break;
	case 3:
		return gfx_lookup(header);
	default:
		return NULL;
	}
	return d->name ? d : NULL;
}

/**
 * mvgpu_cmd_length() - a command's length by the Gen9 rules
 * @header: the command's first dword
 *
 * Return: the length in dwords, 0 if the header is not a Gen9 command
 * whose length is known.
 */
unsigned int mvgpu_cmd_length(u32 header)
{
	const struct mvgpu_cmd_desc *d = mvgpu_cmd_lookup(header);

	if (!d)
		return 0;
	if (d->len == MVGPU_CMD_LEN_FIXED)
		return d->len_bias;
	return (header & d->len_mask) + d->len_bias;
}

/**
 * mvgpu_cmd_client_name() - the client field of a header, for messages
 * @header: the command's first dword
 *
 * Return: "MI", "2D", "3D" or "reserved".
 */
const char *mvgpu_cmd_client_name(u32 header)
{
	switch (header >> 29) {
	case 0:
		return "MI";
	case 2:
		return "2D";
	case 3:
		return "3D";
	default:
		return "reserved";
	}
}
