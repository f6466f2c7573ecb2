/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU reference of the mvgpu blitter, the oracle of the GPU selftests.
 *
 * Written from the device contract (uapi/mvgpu_hw.h and the engine
 * semantics in Documentation/hw-interface.rst), deliberately not from the
 * kernel's executor: a test compares what the vGPU wrote with what these
 * functions compute on a CPU copy of the same memory.
 *
 * Surfaces are linear.  A rectangle is [x1, x2) x [y1, y2); the pixel
 * (x, y) of a surface at @base with pitch @pitch is at
 * base + y * pitch + x * cpp.  An empty rectangle (x2 <= x1 or y2 <= y1)
 * draws nothing.  Rows are processed top to bottom and each row is copied
 * as if through a temporary buffer (memmove), so a copy whose source and
 * destination overlap gives the result the engine gives.
 */
#ifndef MVGPU_SELFTEST_GPU_REF_H
#define MVGPU_SELFTEST_GPU_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ref_blt_op {
	REF_COLOR_BLT,		/* XY_COLOR_BLT: solid fill */
	REF_SRC_COPY_BLT,	/* XY_SRC_COPY_BLT: ROP SRCCOPY */
	REF_FAST_COPY_BLT,	/* XY_FAST_COPY_BLT */
};

/**
 * struct ref_blt - one blit, as the CPU reference sees it
 * @op: which command
 * @cpp: bytes per pixel: 1, 2 or 4 (XY_*), 1, 2, 4, 8 or 16 (fast copy)
 * @write_alpha: XY_* at 4 bytes per pixel: byte 3 of a pixel is written
 * @write_rgb: XY_* at 4 bytes per pixel: bytes 0..2 are written
 * @x1: destination rectangle, left (inclusive)
 * @y1: top (inclusive)
 * @x2: right (exclusive)
 * @y2: bottom (exclusive)
 * @dst_pitch: destination bytes per row
 * @sx: source origin (copies): column of the pixel copied to (x1, y1)
 * @sy: its row
 * @src_pitch: source bytes per row (copies)
 * @color: fill colour (XY_COLOR_BLT), its low @cpp bytes, little endian
 */
struct ref_blt {
	enum ref_blt_op op;
	unsigned int cpp;
	bool write_alpha;
	bool write_rgb;
	unsigned int x1, y1, x2, y2;
	unsigned int dst_pitch;
	unsigned int sx, sy;
	unsigned int src_pitch;
	uint32_t color;
};

/*
 * Apply @b to the CPU copies of the surfaces: @dst is the destination
 * surface's first byte, @src the source's (ignored by a fill; may equal
 * @dst or point into the same memory).
 */
void ref_blt(const struct ref_blt *b, uint8_t *dst, const uint8_t *src);

/*
 * Bytes from the surface base to the end of the last pixel @b touches in
 * the destination (@src false) or the source (@src true); 0 for an empty
 * rectangle.  Tests size their buffers with it.
 */
uint64_t ref_blt_span(const struct ref_blt *b, bool src);

/*
 * A deterministic pseudo-random generator for patterns and workloads
 * (xorshift64*).  A zero seed is replaced by a fixed non-zero one.
 */
struct ref_rng {
	uint64_t s;
};

void ref_rng_seed(struct ref_rng *r, uint64_t seed);
uint64_t ref_rng_next(struct ref_rng *r);
/* Uniform in [0, n), n > 0. */
uint32_t ref_rng_below(struct ref_rng *r, uint32_t n);
/* Fill @len bytes with the generator's output. */
void ref_fill(struct ref_rng *r, void *buf, size_t len);

/*
 * First offset at which @a and @b differ within @len bytes, or -1.
 */
long ref_first_diff(const void *a, const void *b, size_t len);

/*
 * Describe the first difference between a surface @got and the reference
 * @want (both @len bytes, rows of @pitch bytes, @cpp bytes per pixel) in
 * @buf: offset, pixel coordinates, the two pixel values and how many bytes
 * differ in all.  Returns false (and an empty @buf) when they are equal.
 */
bool ref_describe_diff(const void *got, const void *want, size_t len,
		       unsigned int pitch, unsigned int cpp, char *buf,
		       size_t buflen);

#endif /* MVGPU_SELFTEST_GPU_REF_H */
