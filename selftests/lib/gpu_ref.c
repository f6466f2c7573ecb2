// SPDX-License-Identifier: GPL-2.0
/*
 * CPU reference of the mvgpu blitter (see gpu_ref.h).  Pixel by pixel and
 * byte by byte on purpose: slow and obvious beats fast and clever in an
 * oracle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpu_ref.h"

/* Does an XY_* blit at @cpp bytes per pixel write byte @i of a pixel? */
static bool ref_byte_written(const struct ref_blt *b, unsigned int i)
{
	if (b->op == REF_FAST_COPY_BLT || b->cpp != 4)
		return true;
	/* 32 bpp: bytes 0..2 are the colour channels, byte 3 is alpha. */
	return i == 3 ? b->write_alpha : b->write_rgb;
}

void ref_blt(const struct ref_blt *b, uint8_t *dst, const uint8_t *src)
{
	unsigned int w, x, y, i;
	uint8_t *row;

	if (b->x2 <= b->x1 || b->y2 <= b->y1)
		return;
	w = b->x2 - b->x1;
	row = malloc((size_t)w * b->cpp);
	if (!row)
		abort();
	for (y = 0; y < b->y2 - b->y1; y++) {
		uint8_t *d = dst + (uint64_t)(b->y1 + y) * b->dst_pitch +
			     (uint64_t)b->x1 * b->cpp;

		/* The whole source row first: the row copies like memmove. */
		for (x = 0; x < w; x++) {
			for (i = 0; i < b->cpp; i++) {
				uint8_t v;

				if (b->op == REF_COLOR_BLT) {
					v = i < 4 ? b->color >> (8 * i) : 0;
				} else {
					const uint8_t *s = src +
						(uint64_t)(b->sy + y) * b->src_pitch +
						(uint64_t)(b->sx + x) * b->cpp;

					v = s[i];
				}
				row[x * b->cpp + i] = v;
			}
		}
		for (x = 0; x < w; x++)
			for (i = 0; i < b->cpp; i++)
				if (ref_byte_written(b, i))
					d[x * b->cpp + i] = row[x * b->cpp + i];
	}
	free(row);
}

uint64_t ref_blt_span(const struct ref_blt *b, bool src)
{
	unsigned int w, h;

	if (b->x2 <= b->x1 || b->y2 <= b->y1)
		return 0;
	w = b->x2 - b->x1;
	h = b->y2 - b->y1;
	if (src)
		return (uint64_t)(b->sy + h - 1) * b->src_pitch +
		       (uint64_t)(b->sx + w) * b->cpp;
	return (uint64_t)(b->y2 - 1) * b->dst_pitch + (uint64_t)b->x2 * b->cpp;
}

void ref_rng_seed(struct ref_rng *r, uint64_t seed)
{
	r->s = seed ? seed : 0x2545f4914f6cdd1dull;
}

uint64_t ref_rng_next(struct ref_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dull;
}

uint32_t ref_rng_below(struct ref_rng *r, uint32_t n)
{
	return (uint32_t)((ref_rng_next(r) >> 32) % n);
}

void ref_fill(struct ref_rng *r, void *buf, size_t len)
{
	uint8_t *p = buf;
	uint64_t v;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		v = ref_rng_next(r);
		memcpy(p + i, &v, 8);
	}
	if (i < len) {
		v = ref_rng_next(r);
		memcpy(p + i, &v, len - i);
	}
}

long ref_first_diff(const void *a, const void *b, size_t len)
{
	const uint8_t *x = a, *y = b;
	size_t i;

	/* memcmp() first: most comparisons are equal and large. */
	if (!memcmp(a, b, len))
		return -1;
	for (i = 0; i < len; i++)
		if (x[i] != y[i])
			return (long)i;
	return -1;
}

bool ref_describe_diff(const void *got, const void *want, size_t len,
		       unsigned int pitch, unsigned int cpp, char *buf,
		       size_t buflen)
{
	const uint8_t *g = got, *w = want;
	unsigned long long gv = 0, wv = 0;
	size_t i, px, ndiff = 0;
	long first;
	unsigned int k;

	buf[0] = '\0';
	first = ref_first_diff(got, want, len);
	if (first < 0)
		return false;
	for (i = (size_t)first; i < len; i++)
		ndiff += g[i] != w[i];
	if (!pitch)
		pitch = 1;
	if (!cpp || cpp > 8)
		cpp = cpp ? 8 : 1;
	px = (size_t)first % pitch / cpp * cpp;
	for (k = 0; k < cpp && first / pitch * pitch + px + k < len; k++) {
		size_t o = (size_t)first / pitch * pitch + px + k;

		gv |= (unsigned long long)g[o] << (8 * k);
		wv |= (unsigned long long)w[o] << (8 * k);
	}
	snprintf(buf, buflen,
		 "first difference at byte 0x%lx (x %zu, y %zu): pixel 0x%llx, want 0x%llx; %zu bytes differ",
		 first, px / cpp, (size_t)first / pitch, gv, wv, ndiff);
	return true;
}
