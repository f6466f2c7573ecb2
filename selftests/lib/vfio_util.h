/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VFIO userspace helpers for the mvgpu selftests: open an mdev vGPU through
 * the legacy container/group interface or the iommufd cdev interface, and
 * access its regions, interrupts and DMA space the way a VMM does.
 *
 * Functions returning int return 0 on success or a negative errno; errno is
 * set as well and mv_err() describes the step that failed.
 */
#ifndef MVGPU_SELFTEST_VFIO_UTIL_H
#define MVGPU_SELFTEST_VFIO_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/vfio.h>

#define MV_MDEV_SYSFS		"/sys/bus/mdev/devices"
#define MV_MAX_REGIONS		16

enum mv_open_mode {
	MV_OPEN_CONTAINER,	/* /dev/vfio/vfio + /dev/vfio/<group> */
	MV_OPEN_CDEV,		/* /dev/vfio/devices/vfioN + /dev/iommu */
};

struct mv_dev {
	enum mv_open_mode mode;
	char uuid[64];
	int fd;			/* the VFIO device fd */
	/* legacy path */
	int container_fd;
	int group_fd;
	int group_id;
	/* cdev path */
	int iommufd;
	uint32_t devid;
	uint32_t ioas_id;

	struct vfio_device_info info;
	unsigned int nr_regions;	/* region[] entries fetched */
	struct vfio_region_info region[MV_MAX_REGIONS];
	int region_ret[MV_MAX_REGIONS];	/* GET_REGION_INFO result */
};

/* A closed handle: safe to pass to mv_dev_close(). */
void mv_dev_init(struct mv_dev *d);

/* Description of the last failure of a helper (never NULL). */
const char *mv_err(void);

const char *mv_open_mode_name(enum mv_open_mode mode);

/*
 * Open the vGPU @uuid: bind it to a fresh container (VFIO_TYPE1v2_IOMMU, as
 * QEMU does: type1 v1 cannot pin pages for an emulated device) or a fresh
 * iommufd IOAS, fetch VFIO_DEVICE_GET_INFO and the region infos.
 */
int mv_dev_open(struct mv_dev *d, const char *uuid, enum mv_open_mode mode);
/* Close the device and everything mv_dev_open() created; idempotent. */
void mv_dev_close(struct mv_dev *d);
int mv_dev_reset(struct mv_dev *d);

/* Raw VFIO_DEVICE_GET_REGION_INFO with a caller-chosen argsz. */
int mv_region_info_raw(int fd, uint32_t index, uint32_t argsz,
		       struct vfio_region_info *info);

/*
 * Access @len bytes at @off inside region @index with one pread/pwrite.
 * A short transfer is -EIO.
 */
int mv_region_read(struct mv_dev *d, uint32_t index, uint64_t off,
		   void *buf, size_t len);
int mv_region_write(struct mv_dev *d, uint32_t index, uint64_t off,
		    const void *buf, size_t len);
/* Single pread/pwrite returning the raw syscall result (errno on -1). */
ssize_t mv_region_pread(struct mv_dev *d, uint32_t index, uint64_t off,
			void *buf, size_t len);
ssize_t mv_region_pwrite(struct mv_dev *d, uint32_t index, uint64_t off,
			 const void *buf, size_t len);

int mv_cfg_read(struct mv_dev *d, uint32_t off, unsigned int size,
		uint32_t *val);
int mv_cfg_write(struct mv_dev *d, uint32_t off, unsigned int size,
		 uint32_t val);
int mv_bar0_read(struct mv_dev *d, uint32_t off, uint32_t *val);
int mv_bar0_write(struct mv_dev *d, uint32_t off, uint32_t val);

/* mmap @len bytes at @off of region @index; MAP_FAILED (errno set) on error. */
void *mv_region_mmap(struct mv_dev *d, uint32_t index, uint64_t off,
		     size_t len, int prot);

int mv_irq_info(struct mv_dev *d, uint32_t index, struct vfio_irq_info *info);
/* Raw VFIO_DEVICE_SET_IRQS; @data (@len bytes) follows the header. */
int mv_irq_set(struct mv_dev *d, uint32_t index, uint32_t flags,
	       uint32_t start, uint32_t count, const void *data, size_t len);
/* Set (@efd >= 0) or clear (@efd == -1) the trigger eventfd of vector 0. */
int mv_irq_set_eventfd(struct mv_dev *d, uint32_t index, int efd);
/* Tear down all triggers of @index (DATA_NONE, count 0). */
int mv_irq_disable(struct mv_dev *d, uint32_t index);
int mv_irq_mask(struct mv_dev *d, uint32_t index);
int mv_irq_unmask(struct mv_dev *d, uint32_t index);

/* A non-blocking eventfd, or a negative errno. */
int mv_eventfd(void);
/*
 * Wait up to @timeout_ms for @efd to become readable.  Returns 1 and the
 * counter in *@count (the counter is consumed), 0 on timeout, or -errno.
 */
int mv_eventfd_wait(int efd, int timeout_ms, uint64_t *count);

/* Anonymous memory suitable for DMA mapping; MAP_FAILED on error. */
void *mv_dma_alloc(size_t size);
/* Map @size bytes at @vaddr for device DMA at @iova, read/write. */
int mv_dma_map(struct mv_dev *d, void *vaddr, uint64_t iova, uint64_t size);
int mv_dma_unmap(struct mv_dev *d, uint64_t iova, uint64_t size);

/* Path of the vGPU's sysfs entry @rel (NULL: the entry itself). */
void mv_sysfs_path(char *buf, size_t len, const char *uuid, const char *rel);
bool mv_sysfs_exists(const char *uuid, const char *rel);
/* Read a sysfs file (trailing newline removed). */
int mv_read_file(const char *path, char *buf, size_t len);
int mv_write_file(const char *path, const char *str);
int mv_sysfs_read(const char *uuid, const char *rel, char *buf, size_t len);
/* Read a number (decimal or 0x-hex) from a sysfs file. */
int mv_sysfs_read_u64(const char *uuid, const char *rel, uint64_t *val);
int mv_read_u64(const char *path, uint64_t *val);
/* The mdev type directory name of the vGPU, e.g. "mvgpu-8". */
int mv_mdev_type_name(const char *uuid, char *buf, size_t len);
/* The type fraction N of an "mvgpu-N" vGPU. */
int mv_mdev_type_fraction(const char *uuid, unsigned int *frac);

/*
 * Write "1" to the vGPU's remove attribute from a child process, which
 * exits with 0 on success or the errno of the failed step; reap it with
 * waitpid().  The removal blocks while the device is open.
 */
pid_t mv_start_remover(const char *uuid);

#endif /* MVGPU_SELFTEST_VFIO_UTIL_H */
