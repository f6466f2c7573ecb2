// SPDX-License-Identifier: GPL-2.0
/*
 * libmvgpu-drm (see mvgpu_drm_lib.h): the mvgpu_drm uAPI through libdrm.
 * The command builder and helpers without a device are in
 * mvgpu_drm_cmds.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/sync_file.h>
#include <xf86drm.h>

#include "mvgpu_drm_lib.h"

/* drmIoctl() (which restarts on EINTR and EAGAIN): 0 or a negative errno. */
static int xioctl(int fd, unsigned long req, void *arg)
{
	return drmIoctl(fd, req, arg) ? -errno : 0;
}

/* ---- device ------------------------------------------------------------- */

int mdrm_get_param(struct mdrm_dev *d, uint32_t param, uint64_t *value)
{
	struct drm_mvgpu_get_param gp = { .param = param };
	int ret = xioctl(d->fd, DRM_IOCTL_MVGPU_GET_PARAM, &gp);

	if (ret)
		return mdrm_fail(-ret, "GET_PARAM %u", param);
	*value = gp.value;
	return 0;
}

/* Render node of the first mvgpu PCI function drmGetDevices2() lists. */
static int find_render_node(char *path, size_t len)
{
	drmDevicePtr devs[64];
	int i, n, ret = -ENODEV;

	n = drmGetDevices2(0, devs, 64);
	if (n < 0)
		return n;
	for (i = 0; i < n && ret; i++) {
		drmDevicePtr dv = devs[i];

		if (dv->bustype != DRM_BUS_PCI ||
		    dv->deviceinfo.pci->vendor_id != MVGPU_PCI_VENDOR_ID ||
		    dv->deviceinfo.pci->device_id != MVGPU_PCI_DEVICE_ID ||
		    !(dv->available_nodes & (1 << DRM_NODE_RENDER)))
			continue;
		snprintf(path, len, "%s", dv->nodes[DRM_NODE_RENDER]);
		ret = 0;
	}
	drmFreeDevices(devs, n);
	return ret;
}

int mdrm_open(struct mdrm_dev *d, const char *path)
{
	static const struct {
		uint32_t param;
		size_t off;
	} params[] = {
#define P(p, f)	{ MVGPU_PARAM_##p, offsetof(struct mdrm_dev, f) }
		P(HW_VERSION, hw_version), P(VGPU_TYPE, vgpu_type),
		P(NUM_ENGINES, num_engines), P(ENGINE_MASK, engine_mask),
		P(GGTT_BASE, ggtt_base), P(GGTT_SIZE, ggtt_size),
		P(VRAM_SIZE, vram_size), P(VA_START, va_start),
		P(VA_END, va_end), P(WATCHDOG_MS, watchdog_ms),
		P(MAX_BOS, max_bos), P(RING_SIZE, ring_size),
#undef P
	};
	drmVersionPtr v;
	size_t i;
	int ret;

	memset(d, 0, sizeof(*d));
	d->fd = -1;
	if (path) {
		snprintf(d->node, sizeof(d->node), "%s", path);
		d->fd = open(path, O_RDWR | O_CLOEXEC);
		if (d->fd < 0)
			return mdrm_fail(errno, "open %s", path);
	} else if (!find_render_node(d->node, sizeof(d->node))) {
		d->fd = open(d->node, O_RDWR | O_CLOEXEC);
		if (d->fd < 0)
			return mdrm_fail(errno, "open %s", d->node);
	} else {
		/* No PCI match (or no sysfs): ask libdrm by driver name. */
		d->fd = drmOpenWithType(MDRM_DRIVER_NAME, NULL,
					DRM_NODE_RENDER);
		if (d->fd < 0)
			return mdrm_fail(ENODEV, "no %s device (PCI %04x:%04x) found",
					 MDRM_DRIVER_NAME, MVGPU_PCI_VENDOR_ID,
					 MVGPU_PCI_DEVICE_ID);
		snprintf(d->node, sizeof(d->node), "(%s render node)",
			 MDRM_DRIVER_NAME);
	}

	v = drmGetVersion(d->fd);
	if (!v) {
		ret = mdrm_fail(errno ? errno : EINVAL, "drmGetVersion on %s",
				d->node);
		goto err;
	}
	if (strcmp(v->name, MDRM_DRIVER_NAME) ||
	    v->version_major != MDRM_DRIVER_MAJOR) {
		ret = mdrm_fail(ENODEV, "%s is driver %s %d.%d, not %s %d.x",
				d->node, v->name, v->version_major,
				v->version_minor, MDRM_DRIVER_NAME,
				MDRM_DRIVER_MAJOR);
		drmFreeVersion(v);
		goto err;
	}
	d->drv_major = v->version_major;
	d->drv_minor = v->version_minor;
	d->drv_patch = v->version_patchlevel;
	drmFreeVersion(v);

	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		ret = mdrm_get_param(d, params[i].param,
				     (uint64_t *)((char *)d + params[i].off));
		if (ret)
			goto err;
	}
	return 0;
err:
	close(d->fd);
	d->fd = -1;
	return ret;
}

void mdrm_close(struct mdrm_dev *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

/* ---- buffer objects ----------------------------------------------------- */

int mdrm_bo_new(struct mdrm_dev *d, struct mdrm_bo *bo, uint64_t size,
		uint32_t flags)
{
	struct drm_mvgpu_gem_create c = { .size = size, .flags = flags };
	struct drm_mvgpu_gem_mmap_offset m = { 0 };
	void *map;
	int ret;

	memset(bo, 0, sizeof(*bo));
	ret = xioctl(d->fd, DRM_IOCTL_MVGPU_GEM_CREATE, &c);
	if (ret)
		return mdrm_fail(-ret, "GEM_CREATE of %llu bytes",
				 (unsigned long long)size);
	bo->handle = c.handle;
	bo->flags = flags;
	bo->size = c.size;
	bo->va = c.gpu_va;
	if (c.size < size || c.size % 4096 || c.gpu_va % 4096) {
		ret = mdrm_fail(EPROTO, "GEM_CREATE of %llu bytes gave %llu bytes at 0x%llx",
				(unsigned long long)size,
				(unsigned long long)c.size,
				(unsigned long long)c.gpu_va);
		goto err;
	}
	m.handle = c.handle;
	ret = xioctl(d->fd, DRM_IOCTL_MVGPU_GEM_MMAP_OFFSET, &m);
	if (ret) {
		ret = mdrm_fail(-ret, "GEM_MMAP_OFFSET of handle %u", c.handle);
		goto err;
	}
	map = mmap(NULL, bo->size, PROT_READ | PROT_WRITE, MAP_SHARED, d->fd,
		   m.offset);
	if (map == MAP_FAILED) {
		ret = mdrm_fail(errno, "mmap of handle %u (%llu bytes)", c.handle,
				(unsigned long long)bo->size);
		goto err;
	}
	bo->map = map;
	return 0;
err:
	mdrm_bo_free(d, bo);
	return ret;
}

void mdrm_bo_free(struct mdrm_dev *d, struct mdrm_bo *bo)
{
	if (bo->map)
		munmap(bo->map, bo->size);
	if (bo->handle)
		drmCloseBufferHandle(d->fd, bo->handle);
	memset(bo, 0, sizeof(*bo));
}

int mdrm_bo_info(struct mdrm_dev *d, uint32_t handle,
		 struct drm_mvgpu_gem_info *info)
{
	int ret;

	memset(info, 0, sizeof(*info));
	info->handle = handle;
	ret = xioctl(d->fd, DRM_IOCTL_MVGPU_GEM_INFO, info);
	return ret ? mdrm_fail(-ret, "GEM_INFO of handle %u", handle) : 0;
}

/* ---- submission --------------------------------------------------------- */

int mdrm_exec(struct mdrm_dev *d, const struct mdrm_exec *x,
	      uint64_t *seqno)
{
	struct drm_mvgpu_execbuffer eb = {
		.engine = x->engine,
		.batch_handle = x->batch->handle,
		.batch_offset = x->offset,
		.batch_len = x->len,
		.bo_count = x->nr_bos,
		.in_syncobj = x->in_syncobj,
		.out_syncobj = x->out_syncobj,
	};
	uint32_t handles[64];
	unsigned int i;
	int ret;

	if (x->nr_bos > sizeof(handles) / sizeof(handles[0]))
		return mdrm_fail(E2BIG, "EXECBUFFER with %u BOs", x->nr_bos);
	for (i = 0; i < x->nr_bos; i++)
		handles[i] = x->bos[i]->handle;
	eb.bo_handles = (uintptr_t)handles;
	ret = xioctl(d->fd, DRM_IOCTL_MVGPU_EXECBUFFER, &eb);
	if (ret)
		return mdrm_fail(-ret, "EXECBUFFER (engine %u, %u bytes at %u)",
				 x->engine, x->len, x->offset);
	*seqno = eb.seqno;
	return 0;
}

int mdrm_wait(struct mdrm_dev *d, uint64_t seqno, int64_t timeout_ns,
	      int *status)
{
	struct drm_mvgpu_wait w = { .seqno = seqno, .timeout_ns = timeout_ns };
	int ret;

	/* EINTR: the kernel updated timeout_ns, so a restart waits no longer. */
	do {
		ret = ioctl(d->fd, DRM_IOCTL_MVGPU_WAIT, &w) ? -errno : 0;
	} while (ret == -EINTR);
	if (ret == -ETIME)
		return mdrm_fail(ETIME, "WAIT for submission %llu",
				 (unsigned long long)seqno);
	if (ret)
		return mdrm_fail(-ret, "WAIT for submission %llu",
				 (unsigned long long)seqno);
	*status = w.error;
	return 0;
}

int mdrm_reset_stats(struct mdrm_dev *d, struct drm_mvgpu_reset_stats *s)
{
	int ret;

	memset(s, 0, sizeof(*s));
	ret = xioctl(d->fd, DRM_IOCTL_MVGPU_GET_RESET_STATS, s);
	return ret ? mdrm_fail(-ret, "GET_RESET_STATS") : 0;
}

/* ---- syncobjs ----------------------------------------------------------- */

int mdrm_syncobj_new(struct mdrm_dev *d, uint32_t *handle)
{
	/* libdrm's syncobj calls return -1 or -errno: errno tells. */
	if (drmSyncobjCreate(d->fd, 0, handle))
		return mdrm_fail(errno, "drmSyncobjCreate");
	return 0;
}

void mdrm_syncobj_free(struct mdrm_dev *d, uint32_t handle)
{
	if (handle)
		drmSyncobjDestroy(d->fd, handle);
}

int mdrm_syncobj_wait(struct mdrm_dev *d, uint32_t handle,
		      int64_t timeout_ns)
{
	/* drmSyncobjWait() takes an absolute CLOCK_MONOTONIC deadline. */
	int64_t deadline = (int64_t)mdrm_now_ns() + timeout_ns;

	if (drmSyncobjWait(d->fd, &handle, 1, deadline, 0, NULL))
		return mdrm_fail(errno, "drmSyncobjWait on %u", handle);
	return 0;
}

int mdrm_syncobj_status(struct mdrm_dev *d, uint32_t handle, int *status)
{
	struct sync_file_info info;
	int fd = -1, ret;

	if (drmSyncobjExportSyncFile(d->fd, handle, &fd))
		return mdrm_fail(errno, "drmSyncobjExportSyncFile of %u", handle);
	memset(&info, 0, sizeof(info));
	ret = ioctl(fd, SYNC_IOC_FILE_INFO, &info) ? -errno : 0;
	close(fd);
	if (ret)
		return mdrm_fail(-ret, "SYNC_IOC_FILE_INFO of syncobj %u", handle);
	*status = info.status;
	return 0;
}
