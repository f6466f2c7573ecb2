// SPDX-License-Identifier: GPL-2.0
/*
 * gpu_bench <uuid> [--repeat N] [--rounds R]: blit throughput and command
 * rate of the
 * reference engine through a vGPU (VFIO, GGTT, pinned DMA memory, the
 * scheduler) against the same batches run directly on the engine through
 * the test-only debugfs entry (uapi/mvgpu_debug.h).
 *
 * Workloads, each one batch run N times (default 8) per round; the rounds
 * (default 5) alternate vGPU and direct runs, so both sides see the same
 * machine (a shared, noisy one), and the table gives medians over rounds:
 * of each side's rate and of the per-round ratio.
 *   copy    4 x XY_FAST_COPY_BLT of a 1024x1024x32 surface (16 MiB)
 *   fill    4 x XY_COLOR_BLT of the same surface (16 MiB)
 *   stores  4096 x MI_STORE_DATA_IMM
 * The vGPU runs are timed by the wall clock (submission to breadcrumb) and
 * by the engine's own timestamps (SRM of RING_TIMESTAMP around the
 * batches), after one untimed run that pins the guest pages; the direct
 * runs report engine time.  The command checker's share of the vGPU runs
 * comes from sysfs scan_stats: time spent scanning the submissions over the
 * engine time of the slices (scan included).  The vGPU results are
 * checked (the copy equals its source, every store landed), the direct
 * runs must end without a fault and report the bytes expected.
 *
 * Prints a table of figures as TAP comments.  Output is kselftest TAP;
 * exit status 0 unless a run failed.  Figures are not judged.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gpu.h"
#include "mvgpu_debug.h"
#include "mvgpu_hw.h"
#include "tap.h"
#include "vfio_util.h"

#define DIRECT_PATH	"/sys/kernel/debug/mvgpu/direct"
#define SURF_W		1024
#define SURF_H		1024
#define SURF_BYTES	(SURF_W * 4ull * SURF_H)
#define NBLITS		4
#define NSTORES		4096
/* Graphics addresses of the direct runs' memory. */
#define DIRECT_BASE	0x10000000ull

enum work { W_COPY, W_FILL, W_STORES, NWORK };

static const char *const work_name[NWORK] = { "copy", "fill", "stores" };

struct figures {
	bool ran;
	uint64_t wall_ns;	/* vGPU only */
	uint64_t engine_ns;
	uint64_t bytes;
	uint64_t cmds;
	uint64_t scan_ns;	/* vGPU only: checking the submission */
	uint64_t busy_ns;	/* vGPU only: the engine's slices */
};

#define MAX_ROUNDS	15

struct ctx {
	const char *uuid;
	unsigned int repeat;
	unsigned int rounds;
	unsigned int round;	/* the one running */
	struct figures vgpu[NWORK][MAX_ROUNDS], direct[NWORK][MAX_ROUNDS];
};

/*
 * Memory layout of both sides: source, destination, the store area, the
 * batch (up to BATCH_MAX bytes), then (vGPU only) the timestamps.
 */
#define BATCH_MAX	(128u << 10)
static uint64_t src_off(void) { return 0; }
static uint64_t dst_off(void) { return SURF_BYTES; }
static uint64_t out_off(void) { return 2 * SURF_BYTES; }
static uint64_t batch_off(void) { return 2 * SURF_BYTES + NSTORES * 4; }
static uint64_t ts_off(void) { return batch_off() + BATCH_MAX; }

/* Engine @e's scan and busy time so far (sysfs scan_stats). */
static bool scan_stats(const char *uuid, unsigned int e, uint64_t *scan_ns,
		       uint64_t *busy_ns)
{
	char buf[256], *line, *save = NULL;

	if (mv_sysfs_read(uuid, "mvgpu/scan_stats", buf, sizeof(buf)) < 0)
		return false;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long long n, sn, bn;
		unsigned int eng;

		if (sscanf(line, "%u %llu %llu %llu", &eng, &n, &sn, &bn) == 4 &&
		    eng == e) {
			*scan_ns = sn;
			*busy_ns = bn;
			return true;
		}
	}
	return false;
}

/* The batch of workload @w with its memory at graphics address @base. */
static void build(struct gpu_cmds *c, enum work w, uint64_t base)
{
	struct gpu_blit b;
	unsigned int i;

	memset(&b, 0, sizeof(b));
	b.r.cpp = 4;
	b.r.write_alpha = b.r.write_rgb = true;
	b.r.x2 = SURF_W;
	b.r.y2 = SURF_H;
	b.r.dst_pitch = b.r.src_pitch = SURF_W * 4;
	b.dst = base + dst_off();
	b.src = base + src_off();
	for (i = 0; w != W_STORES && i < NBLITS; i++) {
		b.r.op = w == W_COPY ? REF_FAST_COPY_BLT : REF_COLOR_BLT;
		b.r.color = 0x01020304u * (i + 1);
		gpu_emit_blt(c, &b);
	}
	for (i = 0; w == W_STORES && i < NSTORES; i++)
		gpu_emit_sdi(c, base + out_off() + 4 * i, i ^ 0x5a5a0000u, true);
	gpu_emit_bb_end(c);
	gpu_emit_pad(c, 2);
}

static uint64_t work_bytes(enum work w)
{
	return w == W_STORES ? NSTORES * 4ull : NBLITS * SURF_BYTES;
}

static uint64_t work_cmds(enum work w)
{
	return w == W_STORES ? NSTORES : NBLITS;
}

/* ---- through the vGPU -------------------------------------------------- */

static void run_vgpu(struct ctx *c, enum work w)
{
	struct figures *f = &c->vgpu[w][c->round];
	uint64_t mem_size = ts_off() + 4096, t0, ts0, ts1;
	uint64_t scan0 = 0, busy0 = 0, scan1 = 0, busy1 = 0;
	struct gpu_cmds batch, ring;
	struct gpu_bo *mem;
	unsigned int e = w == W_STORES ? MVGPU_ENGINE_RCS : MVGPU_ENGINE_BCS;
	uint32_t base = MVGPU_ENGINE_BASE(e), seq;
	uint32_t *out;
	struct gpu g;
	unsigned int i;
	int ret;

	gpu_cmds_init(&batch);
	gpu_cmds_init(&ring);
	ret = gpu_open(&g, c->uuid, MV_OPEN_CONTAINER);
	if (!CHECK(ret == 0, "open: %s", gpu_err()))
		goto out;
	mem = gpu_bo_new(&g, mem_size, 0);
	if (!CHECK(mem, "%s", gpu_err()) ||
	    !CHECK(gpu_ring_init(&g, e, 16384) == 0, "%s", gpu_err()))
		goto out;
	ref_fill(&(struct ref_rng){ 0x1234 }, mem->cpu, SURF_BYTES);
	build(&batch, w, mem->gaddr);
	if (!CHECK(batch.len * 4 <= BATCH_MAX &&
		   gpu_cmds_store(&batch, mem, batch_off()) == 0, "%s",
		   gpu_err()))
		goto out;
	/*
	 * One untimed run first: the vGPU pins guest pages on first use,
	 * a one-off cost a benchmark of the steady state leaves out.
	 */
	ret = gpu_run_batch(&g, e, mem->gaddr + batch_off(), 0);
	if (!CHECK(ret == 0, "%s warm-up run: %s", work_name[w], gpu_err()))
		goto out;
	/* Timestamps around all the runs, written by the engine itself. */
	gpu_emit_srm(&ring, base + MVGPU_RING_TIMESTAMP_LO,
		     mem->gaddr + ts_off(), true);
	gpu_emit_srm(&ring, base + MVGPU_RING_TIMESTAMP_HI,
		     mem->gaddr + ts_off() + 4, true);
	for (i = 0; i < c->repeat; i++)
		gpu_emit_bb_start(&ring, mem->gaddr + batch_off(), 0);
	gpu_emit_srm(&ring, base + MVGPU_RING_TIMESTAMP_LO,
		     mem->gaddr + ts_off() + 8, true);
	gpu_emit_srm(&ring, base + MVGPU_RING_TIMESTAMP_HI,
		     mem->gaddr + ts_off() + 12, true);
	CHECK(gpu_wait_idle(&g, e, GPU_WAIT_MS) == 0 &&
	      scan_stats(c->uuid, e, &scan0, &busy0), "scan_stats: %s",
	      gpu_err());
	t0 = gpu_now_ns();
	ret = gpu_submit(&g, e, ring.dw, ring.len, &seq);
	if (!ret)
		ret = gpu_wait_seqno(&g, e, seq, GPU_WAIT_MS * 6);
	f->wall_ns = gpu_now_ns() - t0;
	if (!CHECK(ret == 0, "%s run: %s", work_name[w], gpu_err()))
		goto out;
	/* the slice's times are added up when it ends */
	if (CHECK(gpu_wait_idle(&g, e, GPU_WAIT_MS) == 0 &&
		  scan_stats(c->uuid, e, &scan1, &busy1), "scan_stats: %s",
		  gpu_err())) {
		f->scan_ns = scan1 - scan0;
		f->busy_ns = busy1 - busy0;
	}
	memcpy(&ts0, (uint8_t *)mem->cpu + ts_off(), 8);
	memcpy(&ts1, (uint8_t *)mem->cpu + ts_off() + 8, 8);
	f->engine_ns = ts1 - ts0;
	f->bytes = work_bytes(w) * c->repeat;
	f->cmds = work_cmds(w) * c->repeat;
	CHECK(ts1 > ts0, "engine timestamps 0x%llx, 0x%llx",
	      (unsigned long long)ts0, (unsigned long long)ts1);
	/* The results are right: a benchmark of wrong work is worthless. */
	out = (uint32_t *)((uint8_t *)mem->cpu + out_off());
	if (w == W_COPY) {
		CHECK(!memcmp((uint8_t *)mem->cpu + dst_off(),
			      (uint8_t *)mem->cpu + src_off(), SURF_BYTES),
		      "copy destination differs from its source");
	} else if (w == W_FILL) {
		uint32_t *d = (uint32_t *)((uint8_t *)mem->cpu + dst_off());

		CHECK(d[0] == 0x01020304u * NBLITS &&
		      d[SURF_BYTES / 4 - 1] == 0x01020304u * NBLITS,
		      "fill result 0x%x ... 0x%x", d[0], d[SURF_BYTES / 4 - 1]);
	} else {
		for (i = 0; i < NSTORES; i++)
			if (!CHECK_EQ(out[i], i ^ 0x5a5a0000u, "store %u", i))
				break;
	}
	f->ran = !tap_cur_failed;
out:
	gpu_cmds_fini(&batch);
	gpu_cmds_fini(&ring);
	gpu_close(&g);
}

/* ---- directly on the engine --------------------------------------------- */

static void run_direct(struct ctx *c, enum work w)
{
	struct figures *f = &c->direct[w][c->round];
	struct mvgpu_direct_run *run;
	struct gpu_cmds batch;
	size_t len;
	ssize_t n;
	int fd;

	fd = open(DIRECT_PATH, O_RDWR | O_CLOEXEC);
	REQUIRE(fd >= 0, "open %s: %s", DIRECT_PATH, strerror(errno));
	gpu_cmds_init(&batch);
	build(&batch, w, DIRECT_BASE);
	len = sizeof(*run) + batch.len * 4;
	run = calloc(1, len);
	if (!CHECK(run && !batch.oom, "out of memory"))
		goto out;
	run->magic = MVGPU_DIRECT_MAGIC;
	run->engine = w == W_STORES ? MVGPU_ENGINE_RCS : MVGPU_ENGINE_BCS;
	run->gaddr_base = DIRECT_BASE;
	run->mem_size = batch_off() + ((batch.len * 4 + 4095) & ~4095ull);
	run->batch_offset = batch_off();
	run->batch_dwords = batch.len;
	run->repeat = c->repeat;
	memcpy(run + 1, batch.dw, batch.len * 4);
	n = write(fd, run, len);
	if (!CHECK(n == (ssize_t)len, "write %zu bytes to %s: %zd (%s)", len,
		   DIRECT_PATH, n, n < 0 ? strerror(errno) : "short"))
		goto out;
	/* A fresh file per run: its first read() returns the result. */
	n = read(fd, run, sizeof(*run));
	if (!CHECK(n == sizeof(*run), "read the result: %zd (%s)", n,
		   n < 0 ? strerror(errno) : "short"))
		goto out;
	if (!CHECK_EQ(run->result, 0, "%s: direct run faulted (%s at 0x%llx)",
		      work_name[w], gpu_fault_name(run->result),
		      (unsigned long long)run->fault_addr))
		goto out;
	CHECK_EQ(run->bytes, work_bytes(w) * c->repeat,
		 "%s: bytes written by the direct runs", work_name[w]);
	CHECK(run->cmds >= work_cmds(w) * c->repeat,
	      "%s: %llu commands reported, want at least %llu", work_name[w],
	      (unsigned long long)run->cmds,
	      (unsigned long long)work_cmds(w) * c->repeat);
	CHECK(run->ns > 0, "%s: no engine time reported", work_name[w]);
	f->engine_ns = run->ns;
	f->bytes = run->bytes;
	f->cmds = work_cmds(w) * c->repeat;
	f->ran = !tap_cur_failed;
out:
	free(run);
	gpu_cmds_fini(&batch);
	close(fd);
}

/* ---- the table ------------------------------------------------------------ */

/* Rate of @f per second: MB/s for blits, thousand commands/s for stores. */
static double rate(const struct figures *f, enum work w, uint64_t ns)
{
	if (!f->ran || !ns)
		return 0;
	if (w == W_STORES)
		return (double)f->cmds * 1e6 / ns;	/* kcmd/s */
	return (double)f->bytes * 1e3 / ns;		/* MB/s */
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median of the @n values of @v that are > 0; 0 if none. */
static double median(double *v, unsigned int n)
{
	unsigned int i, m = 0;

	for (i = 0; i < n; i++)
		if (v[i] > 0)
			v[m++] = v[i];
	if (!m)
		return 0;
	qsort(v, m, sizeof(*v), cmp_double);
	return m & 1 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2;
}

static void print_table(struct ctx *c)
{
	unsigned int w, r;

	tap_diag("medians over %u rounds of %u runs:", c->rounds, c->repeat);
	tap_diag("%-7s %-9s %14s %14s %14s %8s %8s %10s", "work", "unit",
		 "vGPU (wall)", "vGPU (engine)", "direct", "ratio", "scan %",
		 "scan us");
	for (w = 0; w < NWORK; w++) {
		double vw[MAX_ROUNDS], ve[MAX_ROUNDS], d[MAX_ROUNDS];
		double ratio[MAX_ROUNDS], scan[MAX_ROUNDS], scan_us[MAX_ROUNDS];

		for (r = 0; r < c->rounds; r++) {
			const struct figures *fv = &c->vgpu[w][r];
			const struct figures *fd = &c->direct[w][r];

			vw[r] = rate(fv, w, fv->wall_ns);
			ve[r] = rate(fv, w, fv->engine_ns);
			d[r] = rate(fd, w, fd->engine_ns);
			ratio[r] = d[r] > 0 ? vw[r] / d[r] : 0;
			/* tiny positive floor: median() skips zeros */
			scan[r] = fv->ran && fv->busy_ns ?
				  1e-9 + 100.0 * fv->scan_ns / fv->busy_ns : 0;
			scan_us[r] = fv->ran ? 1e-9 + fv->scan_ns / 1e3 : 0;
		}
		tap_diag("%-7s %-9s %14.1f %14.1f %14.1f %8.2f %8.2f %10.1f",
			 work_name[w], w == W_STORES ? "kcmd/s" : "MB/s",
			 median(vw, c->rounds), median(ve, c->rounds),
			 median(d, c->rounds), median(ratio, c->rounds),
			 median(scan, c->rounds), median(scan_us, c->rounds));
	}
	tap_diag("ratio: vGPU wall-clock rate / direct rate in the same round (1.00 = no overhead)");
	tap_diag("scan %%: time checking the submission / engine time of its slices (scan included); scan us: per submission of %u batch runs",
		 c->repeat);
}

/* All rounds of workload @w, each a vGPU run then a direct run. */
static void run_rounds(struct ctx *c, enum work w)
{
	for (c->round = 0; c->round < c->rounds; c->round++) {
		run_vgpu(c, w);
		run_direct(c, w);
	}
}

static void test_copy(void *arg) { run_rounds(arg, W_COPY); }
static void test_fill(void *arg) { run_rounds(arg, W_FILL); }
static void test_stores(void *arg) { run_rounds(arg, W_STORES); }

int main(int argc, char **argv)
{
	static const struct tap_test tests[] = {
		{ "copy, vGPU (result checked) and direct", test_copy },
		{ "fill, vGPU (result checked) and direct", test_fill },
		{ "stores, vGPU (results checked) and direct", test_stores },
	};
	struct ctx c = { .repeat = 8, .rounds = 5 };
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
			c.repeat = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			c.rounds = strtoul(argv[++i], NULL, 0);
		else if (!c.uuid && argv[i][0] != '-')
			c.uuid = argv[i];
		else
			break;
	}
	if (!c.uuid || i < argc || !c.repeat ||
	    c.repeat > MVGPU_DIRECT_MAX_REPEAT || !c.rounds ||
	    c.rounds > MAX_ROUNDS) {
		fprintf(stderr,
			"usage: %s <vgpu-uuid> [--repeat N] [--rounds 1..%u]\n",
			argv[0], MAX_ROUNDS);
		return KSFT_FAIL;
	}
	if (!mv_sysfs_exists(c.uuid, NULL)) {
		printf("TAP version 13\nBail out! no vGPU %s in %s\n", c.uuid,
		       MV_MDEV_SYSFS);
		return KSFT_FAIL;
	}
	tap_diag("%u rounds of %u runs of each batch", c.rounds, c.repeat);
	ret = tap_run(tests, TAP_ARRAY_SIZE(tests), &c, NULL, NULL);
	print_table(&c);
	return ret;
}
