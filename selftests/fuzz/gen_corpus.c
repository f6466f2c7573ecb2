// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the fuzzer's seed corpus: generated streams (world_gen(), the
 * same generator the unit tests use) with fixed seeds, so the corpus can
 * be regenerated bit for bit:  gen_corpus DIR [COUNT]
 */
#include <stdio.h>
#include <stdlib.h>

#include "scan_world.h"

int main(int argc, char **argv)
{
	unsigned int i, n = argc > 2 ? atoi(argv[2]) : 24;
	u8 *blob = malloc(WORLD_BLOB_MAX);

	if (argc < 2 || !blob) {
		fprintf(stderr, "usage: gen_corpus DIR [COUNT]\n");
		return 2;
	}
	for (i = 0; i < n; i++) {
		u64 seed = 0x9e3779b97f4a7c15ull * (i + 1);
		size_t size = world_gen(&seed, blob, WORLD_BLOB_MAX);
		char path[4096];
		FILE *f;

		/* every fourth seed exercises the limits and allocation failures */
		if (i % 4 == 3)
			blob[1] = 1;
		if (i % 8 == 7) {
			blob[1] |= 2;
			blob[6] = i;
		}
		snprintf(path, sizeof(path), "%s/seed-%02u", argv[1], i);
		f = fopen(path, "wb");
		if (!f || fwrite(blob, 1, size, f) != size || fclose(f)) {
			perror(path);
			return 1;
		}
	}
	free(blob);
	return 0;
}
