// SPDX-License-Identifier: GPL-2.0
/*
 * drm_smoke: raw-ioctl test of the mvgpu_drm guest driver (no libdrm), run
 * inside a nested guest by selftests/guest_drm.sh.
 *
 *   drm_smoke basic    BOs, mmap, stores and a blit on both engines,
 *                      syncobj out/in fences, WAIT, fault isolation between
 *                      processes, read-only BOs, a hang and the innocent
 *                      job behind it, argument checks, completions found
 *                      by the interrupt (not the fallback poll) after
 *                      both engines raised interrupts at once
 *   drm_smoke quick    one store on each engine
 *   drm_smoke reset    a vGPU reset (sysfs "reset" of the PCI function)
 *                      while jobs are queued, then new work
 *   drm_smoke unbind   unbind the driver while jobs are queued, check the
 *                      open file, rebind, then new work
 *
 * Prints "MVGPU-DRM: ok - DESC" or "MVGPU-DRM: not ok - DESC" per check
 * and "MVGPU-DRM: # ..." diagnostics; exits 1 if a check failed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/sync_file.h>

#include "drm.h"
#include "mvgpu_drm.h"
#include "mvgpu_hw.h"

#define PFX		"MVGPU-DRM: "
#define SEC		1000000000ll
/* Nested KVM on a TCG VM is slow: generous limits. */
#define WAIT_NS		(60 * SEC)

static int failures;
static int checks;

static void __attribute__((format(printf, 2, 3)))
check(bool ok, const char *fmt, ...)
{
	va_list ap;

	checks++;
	if (!ok)
		failures++;
	printf(PFX "%s - ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void __attribute__((format(printf, 1, 2))) diag(const char *fmt, ...)
{
	va_list ap;

	printf(PFX "# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * SEC + ts.tv_nsec;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000l };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ioctl that restarts on EINTR; returns 0 or the errno. */
static int xioctl(int fd, unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret && (errno == EINTR || errno == EAGAIN));
	return ret ? errno : 0;
}

/* ---- device ------------------------------------------------------------- */

static char render_path[64];

/* Open the render node of mvgpu_drm; -1 if there is none. */
static int open_render(void)
{
	char name[32];
	struct drm_version v;
	int i, fd;

	for (i = 128; i < 192; i++) {
		snprintf(render_path, sizeof(render_path), "/dev/dri/renderD%d", i);
		fd = open(render_path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		memset(&v, 0, sizeof(v));
		memset(name, 0, sizeof(name));
		v.name = name;
		v.name_len = sizeof(name) - 1;
		if (!xioctl(fd, DRM_IOCTL_VERSION, &v) &&
		    !strcmp(name, "mvgpu_drm"))
			return fd;
		close(fd);
	}
	render_path[0] = 0;
	return -1;
}

/* The PCI address of the device behind render_path, e.g. 0000:01:01.0. */
static int render_bdf(char *bdf, size_t len)
{
	char link[128], target[256];
	const char *base;
	ssize_t n;

	snprintf(link, sizeof(link), "/sys/class/drm/%s/device",
		 strrchr(render_path, '/') + 1);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -1;
	target[n] = 0;
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= len)
		return -1;
	memcpy(bdf, base, strlen(base) + 1);
	return 0;
}

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? errno : 0;
}

static uint64_t param(int fd, uint32_t p)
{
	struct drm_mvgpu_get_param gp = { .param = p };

	if (xioctl(fd, DRM_IOCTL_MVGPU_GET_PARAM, &gp))
		return 0;
	return gp.value;
}

/* ---- buffer objects ------------------------------------------------------ */

struct bo {
	uint32_t handle;
	uint64_t size;
	uint64_t va;
	uint32_t *map;
};

static int bo_new(int fd, struct bo *bo, uint64_t size, uint32_t flags)
{
	struct drm_mvgpu_gem_create c = { .size = size, .flags = flags };
	struct drm_mvgpu_gem_mmap_offset m = { 0 };
	int ret;

	memset(bo, 0, sizeof(*bo));
	ret = xioctl(fd, DRM_IOCTL_MVGPU_GEM_CREATE, &c);
	if (ret)
		return ret;
	bo->handle = c.handle;
	bo->size = c.size;
	bo->va = c.gpu_va;
	m.handle = c.handle;
	ret = xioctl(fd, DRM_IOCTL_MVGPU_GEM_MMAP_OFFSET, &m);
	if (ret)
		return ret;
	bo->map = mmap(NULL, bo->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       fd, m.offset);
	if (bo->map == MAP_FAILED) {
		bo->map = NULL;
		return errno;
	}
	return 0;
}

static void bo_free(int fd, struct bo *bo)
{
	struct drm_gem_close cl = { .handle = bo->handle };

	if (bo->map)
		munmap(bo->map, bo->size);
	if (bo->handle)
		xioctl(fd, DRM_IOCTL_GEM_CLOSE, &cl);
	memset(bo, 0, sizeof(*bo));
}

/* ---- commands ------------------------------------------------------------ */

struct cmds {
	uint32_t dw[256];
	unsigned int n;
};

static void emit(struct cmds *c, uint32_t dw)
{
	if (c->n < sizeof(c->dw) / sizeof(c->dw[0]))
		c->dw[c->n++] = dw;
}

/* MI_STORE_DATA_IMM through the PPGTT. */
static void emit_sdi(struct cmds *c, uint64_t va, uint32_t val)
{
	emit(c, MVGPU_MI_STORE_DATA_IMM);
	emit(c, (uint32_t)va);
	emit(c, (uint32_t)(va >> 32) & 0xffff);
	emit(c, val);
}

/* Wait until the dword at @va equals @val. */
static void emit_sem_eq(struct cmds *c, uint64_t va, uint32_t val)
{
	emit(c, MVGPU_MI_SEMAPHORE_WAIT | MVGPU_MI_SEMAPHORE_POLL |
	     MVGPU_MI_SEMAPHORE_OP(MVGPU_SEM_EQ));
	emit(c, val);
	emit(c, (uint32_t)va);
	emit(c, (uint32_t)(va >> 32) & 0xffff);
}

/* Fill @w x @h 32 bpp pixels at @va (pitch @w * 4) with @color. */
static void emit_fill(struct cmds *c, uint64_t va, unsigned int w,
		      unsigned int h, uint32_t color)
{
	emit(c, MVGPU_XY_COLOR_BLT | MVGPU_BLT_WRITE_ALPHA |
	     MVGPU_BLT_WRITE_RGB);
	emit(c, MVGPU_BR13_DEPTH_32 | MVGPU_BR13_ROP(MVGPU_ROP_PATCOPY) |
	     (w * 4));
	emit(c, MVGPU_BLT_XY(0, 0));
	emit(c, MVGPU_BLT_XY(w, h));
	emit(c, (uint32_t)va);
	emit(c, (uint32_t)(va >> 32) & 0xffff);
	emit(c, color);
}

/* A batch BO holding @c plus MI_BATCH_BUFFER_END. */
static int batch_new(int fd, struct bo *bo, struct cmds *c)
{
	int ret = bo_new(fd, bo, 4096, 0);

	if (ret)
		return ret;
	emit(c, MVGPU_MI_BATCH_BUFFER_END);
	memcpy(bo->map, c->dw, c->n * 4);
	return 0;
}

struct exec {
	unsigned int engine;
	uint32_t handles[8];
	unsigned int nr;
	uint32_t in_sync;
	uint32_t out_sync;
};

/* Submit @batch; returns 0 or the errno, *seqno the submission. */
static int submit(int fd, struct bo *batch, struct cmds *c,
		  const struct exec *x, uint64_t *seqno)
{
	struct drm_mvgpu_execbuffer eb = {
		.engine = x->engine,
		.batch_handle = batch->handle,
		.batch_len = (c->n) * 4,
		.bo_count = x->nr,
		.bo_handles = (uintptr_t)x->handles,
		.in_syncobj = x->in_sync,
		.out_syncobj = x->out_sync,
	};
	int ret = xioctl(fd, DRM_IOCTL_MVGPU_EXECBUFFER, &eb);

	*seqno = eb.seqno;
	return ret;
}

/* WAIT: returns 0, ETIME, ...; *error the submission's status. */
static int wait_seqno(int fd, uint64_t seqno, int64_t timeout, int *error)
{
	struct drm_mvgpu_wait w = { .seqno = seqno, .timeout_ns = timeout };
	int ret = xioctl(fd, DRM_IOCTL_MVGPU_WAIT, &w);

	*error = w.error;
	return ret;
}

/* Build, submit and wait for one batch; returns the completion status. */
static int run(int fd, struct cmds *c, const struct exec *x)
{
	struct bo batch;
	uint64_t seqno;
	int ret, err = 0;

	ret = batch_new(fd, &batch, c);
	if (!ret)
		ret = submit(fd, &batch, c, x, &seqno);
	if (!ret)
		ret = wait_seqno(fd, seqno, WAIT_NS, &err);
	bo_free(fd, &batch);
	if (ret) {
		diag("run: %s", strerror(ret));
		return -1000 - ret;
	}
	return err;
}

static struct drm_mvgpu_reset_stats stats(int fd)
{
	struct drm_mvgpu_reset_stats s;

	memset(&s, 0, sizeof(s));
	xioctl(fd, DRM_IOCTL_MVGPU_GET_RESET_STATS, &s);
	return s;
}

static uint32_t syncobj_new(int fd)
{
	struct drm_syncobj_create sc = { 0 };

	return xioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &sc) ? 0 : sc.handle;
}

static int syncobj_wait(int fd, uint32_t h, int64_t timeout)
{
	struct drm_syncobj_wait w = {
		.handles = (uintptr_t)&h,
		.count_handles = 1,
		.timeout_nsec = now_ns() + timeout,
	};

	return xioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &w);
}

/* The syncobj's fence as a sync_file fd, -1 on failure. */
static int sync_file_export(int fd, uint32_t h)
{
	struct drm_syncobj_handle a = {
		.handle = h,
		.flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE,
		.fd = -1,
	};

	return xioctl(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &a) ? -1 : a.fd;
}

/*
 * Wait up to @ms for a sync_file; its status: 1 signalled, < 0 signalled
 * with that error, 0 still pending, -1000 - errno if unreadable.
 */
static int sync_file_status(int sfd, int ms)
{
	struct pollfd p = { .fd = sfd, .events = POLLIN };
	struct sync_file_info info;

	if (poll(&p, 1, ms) < 0)
		return -1000 - errno;
	memset(&info, 0, sizeof(info));
	if (ioctl(sfd, SYNC_IOC_FILE_INFO, &info))
		return -1000 - errno;
	return info.status;
}

static const char *const engine_names[] = { "rcs", "bcs" };

/* ---- tests --------------------------------------------------------------- */

/* One store per engine, checked from the CPU. */
static void test_quick(int fd, const char *when)
{
	struct bo t;
	unsigned int e;

	check(!bo_new(fd, &t, 4096, 0), "%s: create and map a BO", when);
	if (!t.map)
		return;
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		struct exec x = { .engine = e, .handles = { t.handle }, .nr = 1 };
		struct cmds c = { .n = 0 };
		int err;

		t.map[e] = 0;
		emit_sdi(&c, t.va + 4 * e, 0x5a5a0000 + e);
		err = run(fd, &c, &x);
		check(!err && t.map[e] == 0x5a5a0000 + e,
		      "%s: %s store completes (status %d, value 0x%x)", when,
		      engine_names[e], err, t.map[e]);
	}
	bo_free(fd, &t);
}

static void test_params(int fd)
{
	uint64_t vs = param(fd, MVGPU_PARAM_VA_START);
	uint64_t ve = param(fd, MVGPU_PARAM_VA_END);
	struct drm_mvgpu_get_param bad = { .param = 9999 };

	check(param(fd, MVGPU_PARAM_NUM_ENGINES) == MVGPU_NUM_ENGINES &&
	      param(fd, MVGPU_PARAM_ENGINE_MASK) == 3,
	      "GET_PARAM: two engines");
	check(param(fd, MVGPU_PARAM_GGTT_SIZE) >= (64u << 20) &&
	      param(fd, MVGPU_PARAM_GGTT_BASE) % 4096 == 0,
	      "GET_PARAM: GGTT slice 0x%llx + 0x%llx",
	      (unsigned long long)param(fd, MVGPU_PARAM_GGTT_BASE),
	      (unsigned long long)param(fd, MVGPU_PARAM_GGTT_SIZE));
	check(vs && vs < ve && ve <= (1ull << 48), "GET_PARAM: VA range");
	check(param(fd, MVGPU_PARAM_WATCHDOG_MS) >= 10,
	      "GET_PARAM: watchdog %llu ms",
	      (unsigned long long)param(fd, MVGPU_PARAM_WATCHDOG_MS));
	check(xioctl(fd, DRM_IOCTL_MVGPU_GET_PARAM, &bad) == EINVAL,
	      "GET_PARAM: unknown parameter fails with EINVAL");
}

static void test_bos(int fd)
{
	struct drm_mvgpu_gem_info info = { 0 };
	struct bo a, b;

	check(!bo_new(fd, &a, 5000, 0) && !bo_new(fd, &b, 4096, 0),
	      "GEM_CREATE and mmap two BOs");
	check(a.size == 8192 && a.va && b.va && a.va % 4096 == 0 &&
	      b.va % 4096 == 0 && (a.va + a.size <= b.va || b.va + b.size <= a.va),
	      "BO sizes rounded, addresses aligned and disjoint (0x%llx, 0x%llx)",
	      (unsigned long long)a.va, (unsigned long long)b.va);
	info.handle = a.handle;
	check(!xioctl(fd, DRM_IOCTL_MVGPU_GEM_INFO, &info) &&
	      info.gpu_va == a.va && info.size == a.size,
	      "GEM_INFO reports the address and size");
	if (a.map) {
		a.map[0] = 0x12345678;
		a.map[2047] = 0x9abcdef0;
		check(a.map[0] == 0x12345678 && a.map[2047] == 0x9abcdef0,
		      "CPU mapping reads back");
	}
	bo_free(fd, &a);
	bo_free(fd, &b);
}

static void test_engines(int fd)
{
	struct bo t;
	unsigned int e, i, bad = 0;

	if (bo_new(fd, &t, 3 * 4096, 0)) {
		check(false, "target BO");
		return;
	}
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		struct exec x = { .engine = e, .handles = { t.handle }, .nr = 1 };
		struct cmds c = { .n = 0 };
		int err;

		t.map[e] = 0xdeadbeef;
		t.map[100 + e] = 0xdeadbeef;
		emit_sdi(&c, t.va + 4 * e, 0xc0de0000 + e);
		emit_sdi(&c, t.va + 400 + 4 * e, 0xbeef0000 + e);
		err = run(fd, &c, &x);
		check(!err, "%s: store batch completes with status 0 (%d)",
		      engine_names[e], err);
		check(t.map[e] == 0xc0de0000 + e &&
		      t.map[100 + e] == 0xbeef0000 + e,
		      "%s: stores landed (0x%x 0x%x)", engine_names[e],
		      t.map[e], t.map[100 + e]);
	}

	/* A blit crossing pages: 64 x 32 pixels, 8 KiB at +4 KiB. */
	{
		struct exec x = { .engine = MVGPU_ENGINE_BCS,
				  .handles = { t.handle }, .nr = 1 };
		struct cmds c = { .n = 0 };
		int err;

		memset(t.map + 1024, 0, 8192);
		emit_fill(&c, t.va + 4096, 64, 32, 0xff336699);
		err = run(fd, &c, &x);
		for (i = 0; i < 2048; i++)
			bad += t.map[1024 + i] != 0xff336699;
		check(!err && !bad, "bcs: XY_COLOR_BLT fills 8 KiB (status %d, %u wrong dwords)",
		      err, bad);
	}
	bo_free(fd, &t);
}

/* A BO shared with another file through PRIME gets an address there. */
static void test_share(int fd)
{
	struct drm_mvgpu_gem_info info = { 0 };
	struct drm_prime_handle ex = { .flags = DRM_CLOEXEC, .fd = -1 };
	struct drm_prime_handle im = { 0 };
	struct drm_gem_close cl = { 0 };
	int fd2 = open(render_path, O_RDWR), err;
	struct bo t;

	if (fd2 < 0 || bo_new(fd, &t, 4096, 0)) {
		check(false, "second file and a BO to share");
		return;
	}
	ex.handle = t.handle;
	if (!xioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ex)) {
		im.fd = ex.fd;
		xioctl(fd2, DRM_IOCTL_PRIME_FD_TO_HANDLE, &im);
		close(ex.fd);
	}
	check(im.handle, "PRIME export the BO and import it in another file");
	info.handle = im.handle;
	err = im.handle ? xioctl(fd2, DRM_IOCTL_MVGPU_GEM_INFO, &info) : ENOENT;
	check(!err && info.gpu_va && info.size == 4096,
	      "GEM_INFO in the other file: address 0x%llx",
	      (unsigned long long)info.gpu_va);
	if (info.gpu_va) {
		struct exec x = { .engine = MVGPU_ENGINE_BCS,
				  .handles = { im.handle }, .nr = 1 };
		struct cmds c = { .n = 0 };

		t.map[5] = 0;
		emit_sdi(&c, info.gpu_va + 20, 0x5ade);
		err = run(fd2, &c, &x);
		check(!err && t.map[5] == 0x5ade,
		      "a store by the other file lands in the shared BO (status %d, value 0x%x)",
		      err, t.map[5]);
	}
	cl.handle = im.handle;
	xioctl(fd2, DRM_IOCTL_GEM_CLOSE, &cl);
	close(fd2);
	bo_free(fd, &t);
}

/* Out-syncobj, syncobj wait, and an in-syncobj across engines. */
static void test_fences(int fd)
{
	struct bo t, ba, bb;
	struct cmds ca = { .n = 0 }, cb = { .n = 0 };
	uint32_t s1 = syncobj_new(fd), s2 = syncobj_new(fd);
	uint64_t qa = 0, qb = 0;
	int ret, err;

	check(s1 && s2, "SYNCOBJ_CREATE");
	if (bo_new(fd, &t, 4096, 0)) {
		check(false, "target BO");
		return;
	}
	/* A waits on a gate the CPU opens; B runs only after A. */
	t.map[0] = 0;
	t.map[1] = 0;
	t.map[2] = 0;
	emit_sem_eq(&ca, t.va, 1);
	emit_sdi(&ca, t.va + 4, 0xa);
	emit_sdi(&cb, t.va + 8, 0xb);
	if (batch_new(fd, &ba, &ca) || batch_new(fd, &bb, &cb)) {
		check(false, "batch BOs");
		return;
	}
	{
		struct exec xa = { .engine = MVGPU_ENGINE_RCS,
				   .handles = { t.handle }, .nr = 1,
				   .out_sync = s1 };
		struct exec xb = { .engine = MVGPU_ENGINE_BCS,
				   .handles = { t.handle }, .nr = 1,
				   .in_sync = s1, .out_sync = s2 };

		ret = submit(fd, &ba, &ca, &xa, &qa);
		check(!ret, "submit A (render, waits for a CPU gate) with an out-syncobj");
		ret = submit(fd, &bb, &cb, &xb, &qb);
		check(!ret && qb == qa + 1,
		      "submit B (blitter) with A's syncobj as in-fence (seqnos %llu %llu)",
		      (unsigned long long)qa, (unsigned long long)qb);
	}
	sleep_ms(300);
	check(wait_seqno(fd, qb, 0, &err) == ETIME && t.map[2] == 0,
	      "B has not run while A waits");
	check(syncobj_wait(fd, s2, 0) == ETIME,
	      "SYNCOBJ_WAIT on B's syncobj times out meanwhile");
	t.map[0] = 1;
	check(syncobj_wait(fd, s2, WAIT_NS) == 0,
	      "SYNCOBJ_WAIT on B's syncobj succeeds once the gate opens");
	check(!wait_seqno(fd, qa, WAIT_NS, &err) && !err,
	      "WAIT A: status 0 (%d)", err);
	check(!wait_seqno(fd, qb, WAIT_NS, &err) && !err,
	      "WAIT B: status 0 (%d)", err);
	check(t.map[1] == 0xa && t.map[2] == 0xb, "A and B stored (0x%x 0x%x)",
	      t.map[1], t.map[2]);
	bo_free(fd, &ba);
	bo_free(fd, &bb);
	bo_free(fd, &t);
}

/* ---- interrupts ---------------------------------------------------------- */

/* debugfs mvgpu_irq: the driver's interrupt and completion counters. */
struct irq_stats {
	bool ok;
	unsigned long irqs;
	unsigned long rereads;
	unsigned long rearms;
	unsigned long unsticks;
	unsigned long long by_irq[MVGPU_NUM_ENGINES];
	unsigned long long by_poll[MVGPU_NUM_ENGINES];
};

static char irq_path[128];

/* Read debugfs mvgpu_irq of the device behind render_path; ok if parsed. */
static struct irq_stats irq_stats(void)
{
	unsigned long long a, b, k;
	unsigned int seen = 0;
	struct irq_stats s;
	char line[256], name[8];
	struct stat st;
	FILE *f;

	memset(&s, 0, sizeof(s));
	if (!irq_path[0]) {
		if (stat(render_path, &st))
			return s;
		/* The nested guest's init does not mount debugfs. */
		if (access("/sys/kernel/debug/dri", F_OK))
			mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
		snprintf(irq_path, sizeof(irq_path),
			 "/sys/kernel/debug/dri/%u/mvgpu_irq",
			 minor(st.st_rdev));
	}
	f = fopen(irq_path, "r");
	if (!f)
		return s;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "irqs %lu", &s.irqs) == 1 ||
		    sscanf(line, "irq_rereads %lu", &s.rereads) == 1 ||
		    sscanf(line, "irq_rearms %lu", &s.rearms) == 1 ||
		    sscanf(line, "irq_unsticks %lu", &s.unsticks) == 1) {
			seen++;
			continue;
		}
		if (sscanf(line, "%7[a-z]: retired_by_irq %llu retired_by_poll %llu retired_by_submit %llu",
			   name, &a, &b, &k) != 4)
			continue;
		if (!strcmp(name, "rcs") || !strcmp(name, "bcs")) {
			unsigned int e = name[0] == 'b';

			s.by_irq[e] = a;
			s.by_poll[e] = b;
			seen++;
		}
	}
	fclose(f);
	s.ok = seen == 4 + MVGPU_NUM_ENGINES;
	return s;
}

#define IRQ_ROUNDS	8
#define IRQ_RCS_JOBS	8
#define IRQ_SERIAL	20

/*
 * Completions are found by the interrupt, not by the driver's one-second
 * fallback poll.  First both engines raise interrupts at once for a while:
 * on the blitter, batches of MI_USER_INTERRUPT between small fills (an
 * interrupt at the end of nearly every time slice), on the render engine
 * a stream of stores.  A source raised while the handler acknowledges
 * another must not leave the interrupt stuck: an MSI is sent only when
 * the level rises.  Then submit-then-WAIT on each engine: every wait must
 * end by the interrupt.  The poll must neither have completed a job nor
 * found an interrupt pending that was never delivered (irq_unsticks).
 */
static void test_irq(int fd)
{
	struct cmds cs = { .n = 0 }, cq = { .n = 0 };
	struct irq_stats s0, s1, s2;
	unsigned long long poll = 0, irq = 0;
	unsigned int i, j, e, bad = 0;
	struct bo t, bs, bq;
	uint64_t q, qs = 0, qq = 0;
	int64_t t0;
	int err;

	s0 = irq_stats();
	check(s0.ok, "debugfs %s readable", irq_path);
	if (!s0.ok)
		return;
	if (bo_new(fd, &t, 1 << 20, 0)) {
		check(false, "target BO");
		return;
	}
	for (i = 0; i < 16; i++) {
		emit(&cs, MVGPU_MI_USER_INTERRUPT);
		emit_fill(&cs, t.va, 128, 128, 0x11110000 + i);
	}
	emit_sdi(&cq, t.va + (1 << 19), 0x5a);
	if (batch_new(fd, &bs, &cs) || batch_new(fd, &bq, &cq)) {
		check(false, "batch BOs");
		return;
	}
	{
		struct exec xs = { .engine = MVGPU_ENGINE_BCS,
				   .handles = { t.handle }, .nr = 1 };
		struct exec xq = { .engine = MVGPU_ENGINE_RCS,
				   .handles = { t.handle }, .nr = 1 };

		for (i = 0; i < IRQ_ROUNDS && !bad; i++) {
			bad += !!submit(fd, &bs, &cs, &xs, &qs);
			for (j = 0; j < IRQ_RCS_JOBS && !bad; j++)
				bad += !!submit(fd, &bq, &cq, &xq, &qq);
		}
		check(!bad && !wait_seqno(fd, qs, WAIT_NS, &err) && !err &&
		      !wait_seqno(fd, qq, WAIT_NS, &err) && !err,
		      "%u blitter batches of 16 user interrupts and %u render stores beside them complete",
		      IRQ_ROUNDS, IRQ_ROUNDS * IRQ_RCS_JOBS);
	}
	s1 = irq_stats();
	diag("meanwhile %lu interrupts, IRQ_STATUS non-zero again after the acknowledgment %lu times, IRQ_ENABLE toggled %lu times",
	     s1.irqs - s0.irqs, s1.rereads - s0.rereads,
	     s1.rearms - s0.rearms);

	bad = 0;
	t0 = now_ns();
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		struct exec x = { .engine = e, .handles = { t.handle },
				  .nr = 1 };

		for (i = 0; i < IRQ_SERIAL; i++)
			bad += submit(fd, &bq, &cq, &x, &q) ||
			       wait_seqno(fd, q, WAIT_NS, &err) || err;
	}
	s2 = irq_stats();
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		poll += s2.by_poll[e] - s1.by_poll[e];
		irq += s2.by_irq[e] - s1.by_irq[e];
	}
	check(!bad, "%u submit-then-WAIT on each engine complete with status 0 (%lld ms)",
	      IRQ_SERIAL, (long long)((now_ns() - t0) / 1000000));
	/* A stall of the host may let the poll win once or twice. */
	check(s2.ok && poll + s2.unsticks - s0.unsticks <= 2 &&
	      irq >= 2 * IRQ_SERIAL - 4,
	      "their completions were found by the interrupt (%llu), not by the fallback poll (%llu; undelivered interrupts renewed by it: %lu)",
	      irq, poll, s2.unsticks - s0.unsticks);
	bo_free(fd, &bs);
	bo_free(fd, &bq);
	bo_free(fd, &t);
}

/* A child process submits good work while this one faults. */
static void test_fault_isolation(int fd)
{
	const uint64_t bad_va = 0x7f0000000000ull;
	struct drm_mvgpu_reset_stats s0, s;
	int go[2], status = -1, err;
	struct cmds c = { .n = 0 };
	struct exec x = { .engine = MVGPU_ENGINE_RCS };
	pid_t pid;
	char ch;

	if (pipe(go)) {
		check(false, "pipe");
		return;
	}
	pid = fork();
	if (pid == 0) {
		int cfd = open(render_path, O_RDWR), i, bad = 0, e2;
		struct bo t;

		close(go[0]);
		if (cfd < 0 || bo_new(cfd, &t, 4096, 0))
			_exit(2);
		for (i = 0; i < 16; i++) {
			struct exec cx = { .engine = i & 1, .handles = { t.handle },
					   .nr = 1 };
			struct cmds cc = { .n = 0 };

			if (i == 4 && write(go[1], "g", 1) != 1)
				_exit(3);
			emit_sdi(&cc, t.va + 4 * i, 0x1000 + i);
			e2 = run(cfd, &cc, &cx);
			bad += e2 != 0 || t.map[i] != 0x1000u + i;
		}
		s = stats(cfd);
		_exit(bad ? 4 : s.faults || s.hangs ? 5 : 0);
	}
	close(go[1]);
	s0 = stats(fd);
	if (read(go[0], &ch, 1) != 1)
		diag("child never signalled");
	close(go[0]);
	emit_sdi(&c, bad_va, 1);
	err = run(fd, &c, &x);
	check(err == -EIO, "a store to an unmapped address completes with -EIO (%d)",
	      err);
	s = stats(fd);
	check(s.faults == s0.faults + 1 &&
	      (s.last_fault_status & MVGPU_FAULT_TYPE_MASK) ==
	      MVGPU_FAULT_PPGTT_UNMAPPED &&
	      (s.last_fault_addr & ~0xfffull) == bad_va &&
	      s.last_engine == MVGPU_ENGINE_RCS,
	      "GET_RESET_STATS: one more fault, PPGTT_UNMAPPED at 0x%llx (faults %u, status 0x%x, addr 0x%llx)",
	      (unsigned long long)bad_va, s.faults, s.last_fault_status,
	      (unsigned long long)s.last_fault_addr);
	waitpid(pid, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "another process's 16 submissions all succeeded meanwhile, no fault reported to it (status 0x%x)",
	      status);
	test_quick(fd, "after the fault");
}

static void test_readonly(int fd)
{
	struct drm_mvgpu_reset_stats s0 = stats(fd), s;
	struct bo ro;
	int err;

	if (bo_new(fd, &ro, 4096, MVGPU_BO_READONLY)) {
		check(false, "read-only BO");
		return;
	}
	{
		struct exec x = { .engine = MVGPU_ENGINE_BCS,
				  .handles = { ro.handle }, .nr = 1 };
		struct cmds c = { .n = 0 };

		ro.map[0] = 7;
		emit_sdi(&c, ro.va, 8);
		err = run(fd, &c, &x);
	}
	s = stats(fd);
	check(err == -EIO && ro.map[0] == 7 && s.faults == s0.faults + 1 &&
	      (s.last_fault_status & MVGPU_FAULT_TYPE_MASK) ==
	      MVGPU_FAULT_READ_ONLY,
	      "a GPU write to a read-only BO faults READ_ONLY (status %d, value %u, fault 0x%x)",
	      err, ro.map[0], s.last_fault_status);
	bo_free(fd, &ro);
}

/* A batch that never ends: the watchdog stops it, the next job runs. */
static void test_hang(int fd)
{
	struct drm_mvgpu_reset_stats s0 = stats(fd), s;
	struct cmds ch = { .n = 0 }, cg = { .n = 0 };
	struct bo t, bh, bg;
	uint64_t qh = 0, qg = 0;
	int64_t t0;
	int eh = 1, eg = 1, rh, rg;

	if (bo_new(fd, &t, 4096, 0)) {
		check(false, "target BO");
		return;
	}
	t.map[0] = 0;
	t.map[1] = 0;
	emit_sem_eq(&ch, t.va, 0xffffffff);
	emit_sdi(&cg, t.va + 4, 0x600d);
	if (batch_new(fd, &bh, &ch) || batch_new(fd, &bg, &cg)) {
		check(false, "batch BOs");
		return;
	}
	{
		struct exec x = { .engine = MVGPU_ENGINE_RCS,
				  .handles = { t.handle }, .nr = 1 };

		t0 = now_ns();
		check(!submit(fd, &bh, &ch, &x, &qh) &&
		      !submit(fd, &bg, &cg, &x, &qg),
		      "queue a hanging batch and a good one behind it");
	}
	rh = wait_seqno(fd, qh, WAIT_NS, &eh);
	check(!rh && eh == -ETIMEDOUT,
	      "the hanging batch completes with -ETIMEDOUT after %lld ms (ret %d status %d)",
	      (long long)((now_ns() - t0) / 1000000), rh, eh);
	rg = wait_seqno(fd, qg, WAIT_NS, &eg);
	check(!rg && !eg && t.map[1] == 0x600d,
	      "the job queued behind it runs normally (status %d, value 0x%x)",
	      eg, t.map[1]);
	s = stats(fd);
	check(s.hangs == s0.hangs + 1 &&
	      (s.last_fault_status & MVGPU_FAULT_TYPE_MASK) == MVGPU_FAULT_HANG &&
	      s.last_seqno == qh,
	      "GET_RESET_STATS: one hang, type HANG, seqno %llu (hangs %u status 0x%x seqno %llu)",
	      (unsigned long long)qh, s.hangs, s.last_fault_status,
	      (unsigned long long)s.last_seqno);
	bo_free(fd, &bh);
	bo_free(fd, &bg);
	bo_free(fd, &t);
}

static void test_args(int fd)
{
	struct drm_mvgpu_execbuffer eb;
	struct drm_mvgpu_wait w = { .seqno = 1ull << 40 };
	struct bo b;
	uint32_t bogus = 0xffffff;

	if (bo_new(fd, &b, 4096, 0)) {
		check(false, "batch BO");
		return;
	}
	memset(&eb, 0, sizeof(eb));
	eb.batch_handle = b.handle;
	eb.batch_len = 8;
	eb.engine = 2;
	check(xioctl(fd, DRM_IOCTL_MVGPU_EXECBUFFER, &eb) == EINVAL,
	      "EXECBUFFER: engine 2 fails with EINVAL");
	eb.engine = 0;
	eb.batch_offset = 4092;
	check(xioctl(fd, DRM_IOCTL_MVGPU_EXECBUFFER, &eb) == EINVAL,
	      "EXECBUFFER: batch beyond its BO fails with EINVAL");
	eb.batch_offset = 0;
	eb.bo_count = 1;
	eb.bo_handles = (uintptr_t)&bogus;
	check(xioctl(fd, DRM_IOCTL_MVGPU_EXECBUFFER, &eb) == ENOENT,
	      "EXECBUFFER: unknown BO handle fails with ENOENT");
	eb.bo_count = 0;
	eb.in_syncobj = 0xffffff;
	check(xioctl(fd, DRM_IOCTL_MVGPU_EXECBUFFER, &eb) == ENOENT,
	      "EXECBUFFER: unknown syncobj fails with ENOENT");
	check(xioctl(fd, DRM_IOCTL_MVGPU_WAIT, &w) == EINVAL,
	      "WAIT: a seqno never returned fails with EINVAL");
	bo_free(fd, &b);
}

/*
 * Queue work that cannot finish soon (a semaphore the CPU never opens, a
 * job depending on it, stores behind it on both engines), then run @act
 * and check that every job completed with 0 or -ECANCELED.
 */
static void test_disrupt(int fd, const char *what, int (*act)(const char *),
			 const char *bdf, bool gone)
{
	struct drm_mvgpu_reset_stats s0 = stats(fd), s;
	uint64_t q[8];
	struct cmds c[8];
	struct bo t, b[8];
	uint32_t sync = syncobj_new(fd), sync_last = syncobj_new(fd);
	unsigned int i, n = 0, cancelled = 0, wrong = 0, failed = 0;
	int err, ret, sf_first, sf_last, st_first, st_last;

	if (bo_new(fd, &t, 4096, 0)) {
		check(false, "target BO");
		return;
	}
	memset(t.map, 0, 4096);
	for (i = 0; i < 8; i++) {
		struct exec x = { .engine = i < 5 ? MVGPU_ENGINE_RCS :
						    MVGPU_ENGINE_BCS,
				  .handles = { t.handle }, .nr = 1 };

		c[i].n = 0;
		if (i == 0) {
			emit_sem_eq(&c[i], t.va + 1024, 1);
			x.out_sync = sync;
		}
		if (i == 4)
			x.out_sync = sync_last;
		if (i == 5)
			x.in_sync = sync;
		emit_sdi(&c[i], t.va + 4 * i, 0x100 + i);
		if (batch_new(fd, &b[i], &c[i]) || submit(fd, &b[i], &c[i], &x, &q[i]))
			break;
		n++;
	}
	check(n == 8, "%s: queued 8 jobs, the first waiting on a semaphore", what);
	/* sync_files outlive the DRM file and the device. */
	sf_first = sync_file_export(fd, sync);
	sf_last = sync_file_export(fd, sync_last);
	check(sf_first >= 0 && sf_last >= 0,
	      "%s: export the first and fifth job's fences as sync_files", what);
	ret = act(bdf);
	check(!ret, "%s: done (%s)", what, strerror(ret));
	st_first = sync_file_status(sf_first, 60000);
	st_last = sync_file_status(sf_last, 60000);
	check(st_first == -ECANCELED && st_last == -ECANCELED,
	      "%s: the semaphore job and the render job behind it signal -ECANCELED (%d, %d)",
	      what, st_first, st_last);
	if (gone) {
		struct drm_mvgpu_get_param gp = { .param = MVGPU_PARAM_NUM_ENGINES };

		/* The jobs' fate shows in the kernel log (run.sh checks it). */
		check(xioctl(fd, DRM_IOCTL_MVGPU_GET_PARAM, &gp) == ENODEV,
		      "%s: ioctls on the open file fail with ENODEV", what);
		t.map[3] = 0x77;
		check(t.map[3] == 0x77, "%s: the BO's CPU mapping still works",
		      what);
	} else {
		for (i = 0; i < n; i++) {
			ret = wait_seqno(fd, q[i], WAIT_NS, &err);
			if (ret) {
				failed++;
				diag("job %u: wait %s", i, strerror(ret));
			} else if (err == -ECANCELED) {
				cancelled++;
			} else if (err || t.map[i] != 0x100 + i) {
				wrong++;
				diag("job %u: status %d value 0x%x", i, err,
				     t.map[i]);
			}
		}
		check(!failed && !wrong && cancelled >= 1,
		      "%s: every queued job completed, with 0 or -ECANCELED (%u cancelled)",
		      what, cancelled);
		s = stats(fd);
		check(s.cancelled >= s0.cancelled + 1,
		      "%s: GET_RESET_STATS counts cancelled jobs (%u -> %u)",
		      what, s0.cancelled, s.cancelled);
		check(s.device_resets == s0.device_resets + 1,
		      "%s: device_resets %u -> %u", what, s0.device_resets,
		      s.device_resets);
	}
	for (i = 0; i < n; i++)
		bo_free(fd, &b[i]);
	bo_free(fd, &t);
	if (gone) {
		/* After the driver let go of the device. */
		check(sync_file_status(sf_first, 0) == -ECANCELED,
		      "%s: a sync_file still reads -ECANCELED after unbind", what);
	}
	close(sf_first);
	close(sf_last);
}

static int act_reset(const char *bdf)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/reset", bdf);
	return write_file(path, "1");
}

static int act_unbind(const char *bdf)
{
	return write_file("/sys/bus/pci/drivers/mvgpu_drm/unbind", bdf);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "basic";
	char bdf[64] = "";
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open_render();
	check(fd >= 0, "%s: open the mvgpu_drm render node (%s)", mode,
	      fd >= 0 ? render_path : "none");
	if (fd < 0)
		return 1;
	if (render_bdf(bdf, sizeof(bdf)))
		diag("no PCI address for %s", render_path);

	if (!strcmp(mode, "basic")) {
		test_params(fd);
		test_bos(fd);
		test_engines(fd);
		test_share(fd);
		test_fences(fd);
		test_fault_isolation(fd);
		test_readonly(fd);
		test_hang(fd);
		test_args(fd);
		test_irq(fd);
	} else if (!strcmp(mode, "quick")) {
		test_quick(fd, "quick");
	} else if (!strcmp(mode, "reset")) {
		test_disrupt(fd, "vGPU reset", act_reset, bdf, false);
		test_quick(fd, "after the reset");
	} else if (!strcmp(mode, "unbind")) {
		test_disrupt(fd, "unbind", act_unbind, bdf, true);
		close(fd);
		check(!write_file("/sys/bus/pci/drivers/mvgpu_drm/bind", bdf),
		      "rebind %s", bdf);
		fd = open_render();
		check(fd >= 0, "open the render node after rebinding");
		if (fd >= 0)
			test_quick(fd, "after rebinding");
	} else {
		check(false, "unknown mode %s", mode);
	}
	if (fd >= 0)
		close(fd);
	printf(PFX "# %s: %d checks, %d failed\n", mode, checks, failures);
	return failures ? 1 : 0;
}
