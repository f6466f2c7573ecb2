// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_remove_test <uuid>: removing a vGPU through sysfs while a VMM holds
 * it open.  The driver must signal the REQ eventfd (when one is set) and
 * the "remove" write must wait until the device is closed, then complete.
 *
 * The vGPU is recreated once with the same UUID and type to run the cdev
 * case without a REQ eventfd, and a third time to check that removing a
 * closed vGPU is immediate.  On success the vGPU no longer exists.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "mvgpu_hw.h"
#include "tap.h"
#include "vfio_util.h"

/* The REQ eventfd is signalled at once; allow for a slow (TCG) machine. */
#define REQ_WAIT_MS		5000
/* How long a blocked remove is watched before the device is closed. */
#define BLOCK_WATCH_MS		1000
/* The remove must complete this soon after the close. */
#define COMPLETE_WAIT_MS	5000

struct ctx {
	const char *uuid;
	char entry[PATH_MAX];	/* /sys/bus/mdev/devices/<uuid> */
	char devdir[PATH_MAX];	/* its target under /sys/devices */
	char typedir[PATH_MAX];	/* the mdev type directory */
	uint64_t avail_open;	/* available_instances with the vGPU */
	struct mv_dev dev;
	int req_efd;
	pid_t remover;
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static bool path_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static int avail_instances(struct ctx *c, uint64_t *val)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/available_instances", c->typedir);
	return mv_read_u64(path, val);
}


/* 1 when @pid exited within @timeout_ms (status in *@status), 0 if not. */
static int wait_child(pid_t pid, long timeout_ms, int *status)
{
	long end = now_ms() + timeout_ms;

	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return 1;
		if (r < 0)
			return -errno;
		if (now_ms() >= end)
			return 0;
		sleep_ms(20);
	}
}

/* Check that the remover exited successfully within @timeout_ms. */
static void check_remover_done(struct ctx *c, long timeout_ms)
{
	int status = 0, r;

	r = wait_child(c->remover, timeout_ms, &status);
	CHECK(r == 1, "remove write still blocked %ld ms after the close",
	      timeout_ms);
	if (r != 1)
		return;
	c->remover = 0;
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "remove write failed: %s",
	      WIFEXITED(status) ? strerror(WEXITSTATUS(status)) :
				  "killed by a signal");
}

/* Check that the remover is still blocked in its write. */
static bool check_remover_blocked(struct ctx *c, long watch_ms)
{
	int status = 0, r;

	r = wait_child(c->remover, watch_ms, &status);
	if (r == 1)
		c->remover = 0;
	return CHECK(r == 0,
		     "remove write returned (status 0x%x) while the device is open",
		     status);
}

static void check_gone(struct ctx *c)
{
	uint64_t avail;

	CHECK(!path_exists(c->entry), "%s still exists after remove",
	      c->entry);
	CHECK(!path_exists(c->devdir), "%s still exists after remove",
	      c->devdir);
	if (CHECK(avail_instances(c, &avail) == 0, "%s", mv_err()))
		CHECK_EQ(avail, c->avail_open + 1,
			 "available_instances after the remove");
}

static void recreate(struct ctx *c)
{
	char path[PATH_MAX + 32];
	uint64_t avail;

	snprintf(path, sizeof(path), "%s/create", c->typedir);
	REQUIRE(mv_write_file(path, c->uuid) == 0, "%s", mv_err());
	CHECK(path_exists(c->entry), "%s missing after create", c->entry);
	if (CHECK(avail_instances(c, &avail) == 0, "%s", mv_err()))
		CHECK_EQ(avail, c->avail_open,
			 "available_instances after recreating");
}

static void step_open(struct ctx *c)
{
	char link[PATH_MAX];

	REQUIRE(realpath(c->entry, c->devdir), "realpath %s: %s", c->entry,
		strerror(errno));
	mv_sysfs_path(link, sizeof(link), c->uuid, "mdev_type");
	REQUIRE(realpath(link, c->typedir), "realpath %s: %s", link,
		strerror(errno));
	REQUIRE(avail_instances(c, &c->avail_open) == 0, "%s", mv_err());
	REQUIRE(mv_dev_open(&c->dev, c->uuid, MV_OPEN_CONTAINER) == 0, "%s",
		mv_err());
	c->req_efd = mv_eventfd();
	REQUIRE(c->req_efd >= 0, "%s", mv_err());
	REQUIRE(mv_irq_set_eventfd(&c->dev, VFIO_PCI_REQ_IRQ_INDEX,
				   c->req_efd) == 0, "%s", mv_err());
}

static void step_req(struct ctx *c)
{
	uint64_t cnt = 0;
	int r;

	REQUIRE(c->dev.fd >= 0 && c->req_efd >= 0, "no open device");
	c->remover = mv_start_remover(c->uuid);
	REQUIRE(c->remover > 0, "fork: %s", strerror(errno));
	r = mv_eventfd_wait(c->req_efd, REQ_WAIT_MS, &cnt);
	CHECK(r == 1 && cnt >= 1,
	      "REQ eventfd not signalled within %d ms of the remove write (%s)",
	      REQ_WAIT_MS, r < 0 ? mv_err() : "timeout");
	check_remover_blocked(c, BLOCK_WATCH_MS);
}

static void step_still_there(struct ctx *c)
{
	uint32_t v = 0;

	REQUIRE(c->dev.fd >= 0, "no open device");
	CHECK(path_exists(c->devdir), "%s gone while the device is open",
	      c->devdir);
	CHECK(mv_bar0_read(&c->dev, MVGPU_REG_ID, &v) == 0 &&
	      v == MVGPU_ID_MAGIC,
	      "BAR0 ID read 0x%x (%s) while the remove waits", v, mv_err());
	CHECK(mv_bar0_write(&c->dev, MVGPU_REG_SCRATCH0, 0x1234) == 0 &&
	      mv_bar0_read(&c->dev, MVGPU_REG_SCRATCH0, &v) == 0 &&
	      v == 0x1234, "scratch register unusable while the remove waits");
	if (c->remover)
		check_remover_blocked(c, 0);
}

static void step_close(struct ctx *c)
{
	mv_dev_close(&c->dev);
	REQUIRE(c->remover > 0, "no remove in progress");
	check_remover_done(c, COMPLETE_WAIT_MS);
	check_gone(c);
}

static void step_cdev(struct ctx *c)
{
	recreate(c);
	if (tap_cur_failed)
		return;
	REQUIRE(mv_dev_open(&c->dev, c->uuid, MV_OPEN_CDEV) == 0, "%s",
		mv_err());
	c->remover = mv_start_remover(c->uuid);
	REQUIRE(c->remover > 0, "fork: %s", strerror(errno));
	check_remover_blocked(c, BLOCK_WATCH_MS);
	CHECK(path_exists(c->devdir), "%s gone while the device is open",
	      c->devdir);
	mv_dev_close(&c->dev);
	check_remover_done(c, COMPLETE_WAIT_MS);
	check_gone(c);
}

static void step_closed_remove(struct ctx *c)
{
	char path[PATH_MAX];
	long t0;

	recreate(c);
	if (tap_cur_failed)
		return;
	mv_sysfs_path(path, sizeof(path), c->uuid, "remove");
	t0 = now_ms();
	REQUIRE(mv_write_file(path, "1") == 0, "%s", mv_err());
	CHECK(now_ms() - t0 < COMPLETE_WAIT_MS,
	      "removing a closed vGPU took %ld ms", now_ms() - t0);
	check_gone(c);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*fn)(struct ctx *c);
	} steps[] = {
		{ "open via container/group, set the REQ eventfd", step_open },
		{ "remove while open signals REQ and waits", step_req },
		{ "device present and usable while the remove waits",
		  step_still_there },
		{ "close completes the remove, sysfs entry and instance freed",
		  step_close },
		{ "recreate; cdev open without REQ eventfd: remove waits for close",
		  step_cdev },
		{ "recreate; removing a closed vGPU is immediate",
		  step_closed_remove },
	};
	struct ctx c = { .req_efd = -1 };
	unsigned int i;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: %s <vgpu-uuid>\n", argv[0]);
		return KSFT_FAIL;
	}
	c.uuid = argv[1];
	mv_dev_init(&c.dev);
	mv_sysfs_path(c.entry, sizeof(c.entry), c.uuid, NULL);
	if (!mv_sysfs_exists(c.uuid, NULL)) {
		printf("TAP version 13\nBail out! no vGPU %s in %s\n",
		       c.uuid, MV_MDEV_SYSFS);
		return KSFT_FAIL;
	}

	tap_plan(TAP_ARRAY_SIZE(steps));
	for (i = 0; i < TAP_ARRAY_SIZE(steps); i++) {
		tap_cur_failed = false;
		steps[i].fn(&c);
		tap_result(!tap_cur_failed, "%s", steps[i].name);
	}
	mv_dev_close(&c.dev);
	if (c.req_efd >= 0)
		close(c.req_efd);
	ret = tap_finish();
	if (c.remover > 0) {
		/* A remove that never finished: say so, do not wait for it. */
		tap_diag("remove writer %d still blocked at exit", c.remover);
		ret = KSFT_FAIL;
	}
	return ret;
}
