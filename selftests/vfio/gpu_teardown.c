// SPDX-License-Identifier: GPL-2.0
/*
 * gpu_teardown <uuid>: take a vGPU away from under a running workload.
 *
 *  - close the device while the blitter works through a long queue of
 *    fills: the engine stops writing memory once the close returns, and a
 *    new open finds idle engines that work;
 *  - close with one engine halted and the other waiting on a semaphore;
 *  - the process is killed while the engine is busy;
 *  - the DMA mapping of the fill target is removed while the engine
 *    writes it: no write reaches the memory after the unmap returned, the
 *    engine faults with MVGPU_FAULT_DMA (or had finished), and a new
 *    mapping at the same IOVA gets the writes;
 *  - VFIO_DEVICE_RESET under load stops the engine;
 *  - the vGPU is removed (sysfs) while open and busy: REQ is signalled,
 *    the engine keeps working until the close, then the remove completes.
 *    This is the last test: on success the vGPU no longer exists.
 *
 * Output is kselftest TAP; exit status 0 iff all passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "gpu.h"
#include "mvgpu_hw.h"
#include "tap.h"
#include "vfio_util.h"

#define BCS		MVGPU_ENGINE_BCS
#define RCS		MVGPU_ENGINE_RCS
#define RING_BYTES	(64u << 10)
/* The fill target: 1 MiB, 1024 x 256 pixels of 4 bytes. */
#define FILL_W		1024
#define FILL_H		256
#define FILL_BYTES	(FILL_W * 4 * FILL_H)
/* Fills queued: far more than the engine does before the test acts. */
#define NFILLS		1000
/* How long memory must stay unchanged after a teardown step. */
#define QUIET_MS	300
/* The REQ eventfd and the remove: allow for a slow (TCG) machine. */
#define REQ_WAIT_MS	5000
#define REMOVE_WAIT_MS	10000

struct ctx {
	const char *uuid;
	struct gpu g;
	struct gpu_bo *dst;
};

#define GCHECK(call)							\
	({								\
		int __r = (call);					\
		CHECK(__r == 0, "%s: %s", #call, gpu_err());		\
	})
#define GREQ(call)	REQUIRE((call) == 0, "%s: %s", #call, gpu_err())

static int setup(void *arg)
{
	struct ctx *c = arg;
	int ret;

	ret = gpu_open(&c->g, c->uuid, MV_OPEN_CONTAINER);
	if (!ret)
		ret = gpu_ring_init(&c->g, BCS, RING_BYTES);
	if (!ret)
		ret = gpu_ring_init(&c->g, RCS, RING_BYTES);
	if (!ret) {
		c->dst = gpu_bo_new(&c->g, FILL_BYTES, 0);
		if (!c->dst)
			ret = -errno;
	}
	if (ret) {
		tap_diag("setup: %s", gpu_err());
		gpu_close(&c->g);
	}
	return ret;
}

static void teardown(void *arg)
{
	struct ctx *c = arg;

	gpu_close(&c->g);
	c->dst = NULL;
}

static uint32_t fill_color(unsigned int i)
{
	return 0x01010101u * (i & 0xff) ^ 0x5a000000u ^ (i << 8);
}

/*
 * Queue @n whole-buffer fills of @dst (colour fill_color(i) for the i-th)
 * and wait until the engine has completed two of them and is still busy.
 */
static bool start_fills(struct gpu *g, struct gpu_bo *dst, unsigned int n)
{
	struct gpu_cmds cmds;
	struct gpu_blit b;
	uint32_t seq = 0, first = 0, st = 0;
	unsigned int i;
	bool ok = true;

	memset(&b, 0, sizeof(b));
	b.r.op = REF_COLOR_BLT;
	b.r.cpp = 4;
	b.r.write_alpha = b.r.write_rgb = true;
	b.r.x2 = FILL_W;
	b.r.y2 = FILL_H;
	b.r.dst_pitch = FILL_W * 4;
	b.dst = dst->gaddr;
	/* One doorbell for all: the queue is long when the engine starts. */
	gpu_cmds_init(&cmds);
	for (i = 0; i < n && ok; i++) {
		cmds.len = 0;
		b.r.color = fill_color(i);
		gpu_emit_blt(&cmds, &b);
		ok = GCHECK(gpu_queue(g, BCS, cmds.dw, cmds.len, &seq));
		if (!i)
			first = seq;
	}
	gpu_cmds_fini(&cmds);
	if (!ok || !GCHECK(gpu_ring_kick(g, BCS)))
		return false;
	/* Two fills done, so the engine is at work on this queue. */
	if (!GCHECK(gpu_wait_seqno(g, BCS, first + 1, GPU_WAIT_MS)))
		return false;
	GCHECK(gpu_erd(g, BCS, MVGPU_ENGINE_STATUS, &st));
	return CHECK(st & MVGPU_ENGINE_STATUS_BUSY,
		     "engine not busy with %u fills queued (status 0x%x, seqno %u of %u)",
		     n, st, gpu_seqno_read(g, BCS), seq);
}

/* @len bytes at @p must not change for QUIET_MS. */
static bool check_quiet(const void *p, size_t len, const char *what)
{
	void *snap = malloc(len);
	long diff;

	if (!CHECK(snap, "out of memory"))
		return false;
	memcpy(snap, p, len);
	gpu_sleep_ms(QUIET_MS);
	diff = ref_first_diff(p, snap, len);
	free(snap);
	return CHECK(diff < 0, "%s: memory written at offset 0x%lx", what,
		     diff);
}

/* A fresh open: idle engines, and both run a request. */
static void check_reopen(struct ctx *c)
{
	struct gpu g2;
	struct gpu_bo *out;
	struct gpu_cmds cmds;
	uint32_t st = 0, ctl = 0;
	unsigned int e;

	if (!CHECK(gpu_open(&g2, c->uuid, MV_OPEN_CONTAINER) == 0,
		   "reopen: %s", gpu_err()))
		return;
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		GCHECK(gpu_erd(&g2, e, MVGPU_ENGINE_STATUS, &st));
		GCHECK(gpu_erd(&g2, e, MVGPU_RING_CTL, &ctl));
		CHECK_EQ(st, 0, "engine %u ENGINE_STATUS after reopening", e);
		CHECK_EQ(ctl, 0, "engine %u RING_CTL after reopening", e);
	}
	out = gpu_bo_new(&g2, 4096, 0);
	gpu_cmds_init(&cmds);
	if (CHECK(out, "%s", gpu_err())) {
		for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
			cmds.len = 0;
			gpu_emit_sdi(&cmds, out->gaddr + 4 * e, 0xa0 + e, true);
			if (GCHECK(gpu_ring_init(&g2, e, 4096)))
				GCHECK(gpu_run(&g2, e, cmds.dw, cmds.len));
			CHECK_EQ(((uint32_t *)out->cpu)[e], 0xa0 + e,
				 "engine %u request after reopening", e);
		}
	}
	gpu_cmds_fini(&cmds);
	gpu_close(&g2);
}

static void test_close_busy(void *arg)
{
	struct ctx *c = arg;
	struct gpu *g = &c->g;
	uint64_t t0;
	uint32_t seq;

	REQUIRE(start_fills(g, c->dst, NFILLS), "no workload");
	t0 = gpu_now_ms();
	/* The device only: the buffers stay for the checks. */
	mv_dev_close(&g->dev);
	tap_diag("close took %llu ms with the engine busy",
		 (unsigned long long)(gpu_now_ms() - t0));
	seq = gpu_seqno_read(g, BCS);
	check_quiet(c->dst->cpu, FILL_BYTES, "fill target after the close");
	CHECK_EQ(gpu_seqno_read(g, BCS), seq, "breadcrumb after the close");
	CHECK(seq < NFILLS, "all %u fills done before the close", NFILLS);
	check_reopen(c);
}

static void test_close_halted_waiting(void *arg)
{
	struct ctx *c = arg;
	struct gpu *g = &c->g;
	struct gpu_cmds cmds;
	struct gpu_fault f;
	uint32_t st = 0;
	uint64_t t0;

	gpu_cmds_init(&cmds);
	/* Render: waits for a semaphore; blitter: halted by a fault. */
	gpu_emit_sem_wait(&cmds, MVGPU_SEM_EQ, 1, c->dst->gaddr, true);
	REQUIRE(gpu_ring_emit(g, RCS, cmds.dw, cmds.len) == 0 &&
		gpu_ring_kick(g, RCS) == 0, "%s", gpu_err());
	cmds.len = 0;
	gpu_emit(&cmds, 0x1f800000);
	gpu_emit(&cmds, MVGPU_MI_NOOP);
	REQUIRE(gpu_ring_emit(g, BCS, cmds.dw, cmds.len) == 0 &&
		gpu_ring_kick(g, BCS) == 0, "%s", gpu_err());
	gpu_cmds_fini(&cmds);
	GCHECK(gpu_wait_halt(g, BCS, GPU_WAIT_MS, &f));
	t0 = gpu_now_ms();
	do {
		GCHECK(gpu_erd(g, RCS, MVGPU_ENGINE_STATUS, &st));
	} while (!(st & MVGPU_ENGINE_STATUS_WAITING) &&
		 gpu_now_ms() - t0 < GPU_WAIT_MS && !tap_cur_failed);
	CHECK(st & MVGPU_ENGINE_STATUS_WAITING, "render status 0x%x", st);
	mv_dev_close(&g->dev);
	check_reopen(c);
}

static void test_killed(void *arg)
{
	struct ctx *c = arg;
	int p[2], status = 0;
	char byte = 0;
	pid_t pid;

	/* The child opens the device itself: release the parent's copy. */
	gpu_close(&c->g);
	c->dst = NULL;
	REQUIRE(!pipe(p), "pipe: %s", strerror(errno));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct gpu g;
		struct gpu_bo *d;

		close(p[0]);
		tap_cur_failed = false;
		d = NULL;
		if (gpu_open(&g, c->uuid, MV_OPEN_CONTAINER) == 0 &&
		    gpu_ring_init(&g, BCS, RING_BYTES) == 0)
			d = gpu_bo_new(&g, FILL_BYTES, 0);
		if (d && start_fills(&g, d, NFILLS))
			byte = 1;
		else
			tap_diag("child: %s", gpu_err());
		if (write(p[1], &byte, 1) != 1)
			_exit(2);
		/* Busy until killed. */
		for (;;)
			pause();
	}
	REQUIRE(pid > 0, "fork: %s", strerror(errno));
	close(p[1]);
	CHECK(read(p[0], &byte, 1) == 1 && byte == 1,
	      "the child did not get its workload going");
	close(p[0]);
	kill(pid, SIGKILL);
	CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status),
	      "child status 0x%x", status);
	check_reopen(c);
}

static void test_unmap_busy(void *arg)
{
	struct ctx *c = arg;
	struct gpu *g = &c->g;
	struct gpu_bo *d = c->dst;
	struct gpu_cmds cmds;
	struct gpu_blit b;
	struct gpu_fault f;
	uint32_t st = 0, seq;
	uint8_t *d2;
	uint64_t t0;

	REQUIRE(start_fills(g, d, NFILLS), "no workload");
	t0 = gpu_now_ms();
	GREQ(gpu_bo_dma_unmap(g, d));
	tap_diag("unmap took %llu ms with the engine writing the range",
		 (unsigned long long)(gpu_now_ms() - t0));
	check_quiet(d->cpu, FILL_BYTES, "fill target after the unmap");

	/* The engine faults on the unmapped range (or had finished). */
	t0 = gpu_now_ms();
	do {
		GCHECK(gpu_erd(g, BCS, MVGPU_ENGINE_STATUS, &st));
		if (!(st & MVGPU_ENGINE_STATUS_BUSY) ||
		    (st & MVGPU_ENGINE_STATUS_HALTED))
			break;
		gpu_sleep_ms(5);
	} while (gpu_now_ms() - t0 < 60000 && !tap_cur_failed);
	GCHECK(gpu_fault_read(g, BCS, &f));
	seq = gpu_seqno_read(g, BCS);
	if (st & MVGPU_ENGINE_STATUS_HALTED) {
		CHECK_EQ(f.status & ~MVGPU_FAULT_IN_BATCH,
			 MVGPU_FAULT_VALID | MVGPU_FAULT_WRITE |
			 MVGPU_FAULT_DMA, "FAULT_STATUS after the unmap (%s)",
			 gpu_fault_name(f.status & MVGPU_FAULT_TYPE_MASK));
		CHECK(f.addr >= d->gaddr && f.addr < d->gaddr + FILL_BYTES,
		      "FAULT_ADDR 0x%llx outside the unmapped buffer",
		      (unsigned long long)f.addr);
		tap_diag("faulted after %u of %u fills", seq, NFILLS);
	} else if (CHECK(!(st & MVGPU_ENGINE_STATUS_BUSY),
			 "engine still busy, status 0x%x", st)) {
		/* Finished before the unmap: then every fill reached memory. */
		CHECK_EQ(seq, NFILLS, "idle after the unmap without a fault");
		CHECK_EQ(((uint32_t *)d->cpu)[0], fill_color(NFILLS - 1),
			 "last fill");
	}
	GCHECK(gpu_engine_reset(g, BCS));

	/* A new mapping at the same IOVA receives the engine's writes. */
	d2 = mv_dma_alloc(FILL_BYTES);
	REQUIRE(d2 != MAP_FAILED, "%s", mv_err());
	REQUIRE(mv_dma_map(&g->dev, d2, d->iova, FILL_BYTES) == 0, "%s",
		mv_err());
	memset(&b, 0, sizeof(b));
	b.r.op = REF_COLOR_BLT;
	b.r.cpp = 4;
	b.r.write_alpha = b.r.write_rgb = true;
	b.r.x2 = FILL_W;
	b.r.y2 = 2;
	b.r.dst_pitch = FILL_W * 4;
	b.r.color = 0x0badcafe;
	b.dst = d->gaddr;
	gpu_cmds_init(&cmds);
	gpu_emit_blt(&cmds, &b);
	memset(d->cpu, 0x11, 8192);
	GCHECK(gpu_run(g, BCS, cmds.dw, cmds.len));
	gpu_cmds_fini(&cmds);
	CHECK_EQ(((uint32_t *)d2)[0], 0x0badcafe, "fill of the new mapping");
	CHECK_EQ(((uint32_t *)d2)[2047], 0x0badcafe,
		 "fill of the new mapping, last pixel");
	CHECK_EQ(((uint32_t *)d->cpu)[0], 0x11111111,
		 "the old memory written after its unmap");
	CHECK(mv_dma_unmap(&g->dev, d->iova, FILL_BYTES) == 0, "%s", mv_err());
	munmap(d2, FILL_BYTES);
}

static void test_reset_busy(void *arg)
{
	struct ctx *c = arg;
	struct gpu *g = &c->g;
	struct gpu_bo *out;
	struct gpu_cmds cmds;
	uint32_t st = 0;
	uint64_t pte = ~0ull;
	unsigned int e;

	REQUIRE(start_fills(g, c->dst, NFILLS), "no workload");
	REQUIRE(mv_dev_reset(&g->dev) == 0, "%s", mv_err());
	check_quiet(c->dst->cpu, FILL_BYTES, "fill target after the reset");
	/* The power-on state: rings disabled, the slice's GGTT empty. */
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		GCHECK(gpu_erd(g, e, MVGPU_ENGINE_STATUS, &st));
		CHECK_EQ(st, 0, "engine %u status after VFIO_DEVICE_RESET", e);
		GCHECK(gpu_erd(g, e, MVGPU_RING_CTL, &st));
		CHECK_EQ(st, 0, "engine %u RING_CTL after VFIO_DEVICE_RESET", e);
	}
	GCHECK(gpu_ggtt_read(g, c->dst->gaddr, &pte));
	CHECK_EQ(pte, 0, "GGTT entry after VFIO_DEVICE_RESET");
	/* Program the device again from scratch; it works. */
	out = gpu_bo_new(g, 4096, 0);
	REQUIRE(out, "%s", gpu_err());
	gpu_cmds_init(&cmds);
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		cmds.len = 0;
		gpu_emit_sdi(&cmds, out->gaddr + 4 * e, 0xc0 + e, true);
		if (GCHECK(gpu_ring_init(g, e, 4096)))
			GCHECK(gpu_run(g, e, cmds.dw, cmds.len));
		CHECK_EQ(((uint32_t *)out->cpu)[e], 0xc0 + e,
			 "engine %u request after the reset", e);
	}
	gpu_cmds_fini(&cmds);
}


static void test_remove_busy(void *arg)
{
	struct ctx *c = arg;
	struct gpu *g = &c->g;
	uint64_t cnt = 0, t0;
	uint32_t seq0;
	int efd, r, status = 0;
	pid_t pid;

	efd = mv_eventfd();
	REQUIRE(efd >= 0, "%s", mv_err());
	REQUIRE(mv_irq_set_eventfd(&g->dev, VFIO_PCI_REQ_IRQ_INDEX, efd) == 0,
		"%s", mv_err());
	if (!start_fills(g, c->dst, NFILLS)) {
		close(efd);
		return;
	}
	pid = mv_start_remover(c->uuid);
	REQUIRE(pid > 0, "fork: %s", strerror(errno));
	r = mv_eventfd_wait(efd, REQ_WAIT_MS, &cnt);
	CHECK(r == 1, "REQ not signalled within %d ms of the remove (%s)",
	      REQ_WAIT_MS, r < 0 ? mv_err() : "timeout");
	/* Still ours: the engine keeps going, the remove waits. */
	seq0 = gpu_seqno_read(g, BCS);
	t0 = gpu_now_ms();
	while (gpu_seqno_read(g, BCS) == seq0 && gpu_now_ms() - t0 < 5000)
		gpu_sleep_ms(1);
	CHECK(gpu_seqno_read(g, BCS) != seq0,
	      "no progress while the remove waits (seqno %u)", seq0);
	CHECK(waitpid(pid, &status, WNOHANG) == 0,
	      "the remove returned while the device is open");
	/* Close with the engine busy: the remove completes. */
	gpu_close(g);
	c->dst = NULL;
	close(efd);
	t0 = gpu_now_ms();
	while (waitpid(pid, &status, WNOHANG) == 0 &&
	       gpu_now_ms() - t0 < REMOVE_WAIT_MS)
		gpu_sleep_ms(10);
	if (!CHECK(gpu_now_ms() - t0 < REMOVE_WAIT_MS,
		   "remove still blocked %d ms after the close",
		   REMOVE_WAIT_MS)) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return;
	}
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "remove failed: %s", WIFEXITED(status) ?
	      strerror(WEXITSTATUS(status)) : "killed");
	CHECK(!mv_sysfs_exists(c->uuid, NULL), "vGPU still present");
}

int main(int argc, char **argv)
{
	static const struct tap_test tests[] = {
		{ "close while the blitter is busy", test_close_busy },
		{ "close with one engine halted, the other waiting",
		  test_close_halted_waiting },
		{ "process killed while the blitter is busy", test_killed },
		{ "DMA unmap under a running workload", test_unmap_busy },
		{ "VFIO_DEVICE_RESET while the blitter is busy",
		  test_reset_busy },
		{ "remove while open and busy (last: removes the vGPU)",
		  test_remove_busy },
	};
	struct ctx c = { 0 };

	if (argc != 2) {
		fprintf(stderr, "usage: %s <vgpu-uuid>\n", argv[0]);
		return KSFT_FAIL;
	}
	c.uuid = argv[1];
	if (!mv_sysfs_exists(c.uuid, NULL)) {
		printf("TAP version 13\nBail out! no vGPU %s in %s\n", c.uuid,
		       MV_MDEV_SYSFS);
		return KSFT_FAIL;
	}
	gpu_init(&c.g);
	return tap_run(tests, TAP_ARRAY_SIZE(tests), &c, setup, teardown);
}
