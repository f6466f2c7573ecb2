// SPDX-License-Identifier: GPL-2.0
/*
 * VFIO userspace helpers for the mvgpu selftests (see vfio_util.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>

#include "vfio_util.h"

static char mv_errbuf[512] = "no error";

const char *mv_err(void)
{
	return mv_errbuf;
}

/* Record what failed; returns -@err so callers can "return mv_fail(...)". */
static int __attribute__((format(printf, 2, 3)))
mv_fail(int err, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(mv_errbuf, sizeof(mv_errbuf), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(mv_errbuf))
		snprintf(mv_errbuf + n, sizeof(mv_errbuf) - n, ": %s",
			 strerror(err));
	errno = err;
	return -err;
}

const char *mv_open_mode_name(enum mv_open_mode mode)
{
	return mode == MV_OPEN_CDEV ? "cdev/iommufd" : "container/group";
}

void mv_sysfs_path(char *buf, size_t len, const char *uuid, const char *rel)
{
	if (rel)
		snprintf(buf, len, "%s/%s/%s", MV_MDEV_SYSFS, uuid, rel);
	else
		snprintf(buf, len, "%s/%s", MV_MDEV_SYSFS, uuid);
}

bool mv_sysfs_exists(const char *uuid, const char *rel)
{
	char path[PATH_MAX];

	mv_sysfs_path(path, sizeof(path), uuid, rel);
	return access(path, F_OK) == 0;
}

int mv_read_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	if (!len)
		return mv_fail(EINVAL, "read %s: empty buffer", path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mv_fail(errno, "open %s", path);
	n = read(fd, buf, len - 1);
	if (n < 0) {
		int err = errno;

		close(fd);
		return mv_fail(err, "read %s", path);
	}
	close(fd);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

int mv_write_file(const char *path, const char *str)
{
	size_t len = strlen(str);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return mv_fail(errno, "open %s", path);
	n = write(fd, str, len);
	if (n < 0) {
		int err = errno;

		close(fd);
		return mv_fail(err, "write '%s' to %s", str, path);
	}
	close(fd);
	if ((size_t)n != len)
		return mv_fail(EIO, "short write to %s", path);
	return 0;
}

int mv_sysfs_read(const char *uuid, const char *rel, char *buf, size_t len)
{
	char path[PATH_MAX];

	mv_sysfs_path(path, sizeof(path), uuid, rel);
	return mv_read_file(path, buf, len);
}

int mv_read_u64(const char *path, uint64_t *val)
{
	char buf[64], *end;
	int ret;

	ret = mv_read_file(path, buf, sizeof(buf));
	if (ret)
		return ret;
	errno = 0;
	*val = strtoull(buf, &end, 0);
	if (errno || end == buf || *end)
		return mv_fail(EINVAL, "%s: '%s' is not a number", path, buf);
	return 0;
}

int mv_sysfs_read_u64(const char *uuid, const char *rel, uint64_t *val)
{
	char path[PATH_MAX];

	mv_sysfs_path(path, sizeof(path), uuid, rel);
	return mv_read_u64(path, val);
}

int mv_mdev_type_name(const char *uuid, char *buf, size_t len)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *base;
	ssize_t n;

	mv_sysfs_path(path, sizeof(path), uuid, "mdev_type");
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return mv_fail(errno, "readlink %s", path);
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if ((size_t)snprintf(buf, len, "%s", base) >= len)
		return mv_fail(ENAMETOOLONG, "type name %s", base);
	return 0;
}

int mv_mdev_type_fraction(const char *uuid, unsigned int *frac)
{
	char name[NAME_MAX + 1], *end;
	const char *dash;
	unsigned long v;
	int ret;

	ret = mv_mdev_type_name(uuid, name, sizeof(name));
	if (ret)
		return ret;
	dash = strrchr(name, '-');
	if (!dash)
		return mv_fail(EINVAL, "type name '%s' is not mvgpu-N", name);
	v = strtoul(dash + 1, &end, 10);
	if (*end || end == dash + 1 || (v != 1 && v != 2 && v != 4 && v != 8))
		return mv_fail(EINVAL, "type name '%s' is not mvgpu-1/2/4/8",
			       name);
	*frac = v;
	return 0;
}

/* The IOMMU group number of the vGPU, from its iommu_group link. */
static int mv_group_id(const char *uuid, int *group)
{
	char path[PATH_MAX], target[PATH_MAX], *end;
	const char *base;
	ssize_t n;
	long v;

	mv_sysfs_path(path, sizeof(path), uuid, "iommu_group");
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return mv_fail(errno, "readlink %s", path);
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	v = strtol(base, &end, 10);
	if (*end || end == base || v < 0)
		return mv_fail(EINVAL, "%s -> '%s' is not a group", path,
			       target);
	*group = (int)v;
	return 0;
}

static int mv_open_container(struct mv_dev *d)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[64];
	int ret;

	ret = mv_group_id(d->uuid, &d->group_id);
	if (ret)
		return ret;

	d->container_fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (d->container_fd < 0)
		return mv_fail(errno, "open /dev/vfio/vfio");
	ret = ioctl(d->container_fd, VFIO_GET_API_VERSION);
	if (ret != VFIO_API_VERSION)
		return mv_fail(ret < 0 ? errno : EPROTO,
			       "VFIO_GET_API_VERSION returned %d", ret);
	ret = ioctl(d->container_fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU);
	if (ret <= 0)
		return mv_fail(ret < 0 ? errno : ENODEV,
			       "VFIO_CHECK_EXTENSION(TYPE1v2) returned %d", ret);

	snprintf(path, sizeof(path), "/dev/vfio/%d", d->group_id);
	d->group_fd = open(path, O_RDWR | O_CLOEXEC);
	if (d->group_fd < 0)
		return mv_fail(errno, "open %s", path);
	if (ioctl(d->group_fd, VFIO_GROUP_GET_STATUS, &status))
		return mv_fail(errno, "VFIO_GROUP_GET_STATUS %s", path);
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		return mv_fail(EBUSY, "group %s not viable (flags 0x%x)", path,
			       status.flags);
	if (ioctl(d->group_fd, VFIO_GROUP_SET_CONTAINER, &d->container_fd))
		return mv_fail(errno, "VFIO_GROUP_SET_CONTAINER %s", path);
	if (ioctl(d->container_fd, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return mv_fail(errno, "VFIO_SET_IOMMU(TYPE1v2)");

	d->fd = ioctl(d->group_fd, VFIO_GROUP_GET_DEVICE_FD, d->uuid);
	if (d->fd < 0)
		return mv_fail(errno, "VFIO_GROUP_GET_DEVICE_FD(%s)", d->uuid);
	return 0;
}

/* Find vfio-dev/vfioN of the vGPU and return "/dev/vfio/devices/vfioN". */
static int mv_cdev_path(const char *uuid, char *buf, size_t len)
{
	char dir[PATH_MAX];
	struct dirent *de;
	int ret = -ENOENT;
	DIR *dh;

	mv_sysfs_path(dir, sizeof(dir), uuid, "vfio-dev");
	dh = opendir(dir);
	if (!dh)
		return mv_fail(errno, "opendir %s", dir);
	while ((de = readdir(dh))) {
		if (!strncmp(de->d_name, "vfio", 4) &&
		    de->d_name[4] >= '0' && de->d_name[4] <= '9') {
			snprintf(buf, len, "/dev/vfio/devices/%s", de->d_name);
			ret = 0;
			break;
		}
	}
	closedir(dh);
	if (ret)
		return mv_fail(-ret, "no vfioN in %s", dir);
	return 0;
}

static int mv_open_cdev(struct mv_dev *d)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	struct vfio_device_attach_iommufd_pt attach = {
		.argsz = sizeof(attach),
	};
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	char path[PATH_MAX];
	int ret;

	ret = mv_cdev_path(d->uuid, path, sizeof(path));
	if (ret)
		return ret;
	d->fd = open(path, O_RDWR | O_CLOEXEC);
	if (d->fd < 0)
		return mv_fail(errno, "open %s", path);
	d->iommufd = open("/dev/iommu", O_RDWR | O_CLOEXEC);
	if (d->iommufd < 0)
		return mv_fail(errno, "open /dev/iommu");

	bind.iommufd = d->iommufd;
	if (ioctl(d->fd, VFIO_DEVICE_BIND_IOMMUFD, &bind))
		return mv_fail(errno, "VFIO_DEVICE_BIND_IOMMUFD %s", path);
	d->devid = bind.out_devid;
	if (ioctl(d->iommufd, IOMMU_IOAS_ALLOC, &alloc))
		return mv_fail(errno, "IOMMU_IOAS_ALLOC");
	d->ioas_id = alloc.out_ioas_id;
	attach.pt_id = d->ioas_id;
	if (ioctl(d->fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach))
		return mv_fail(errno, "VFIO_DEVICE_ATTACH_IOMMUFD_PT(ioas %u)",
			       d->ioas_id);
	return 0;
}

int mv_region_info_raw(int fd, uint32_t index, uint32_t argsz,
		       struct vfio_region_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = argsz;
	info->index = index;
	if (ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, info))
		return mv_fail(errno, "VFIO_DEVICE_GET_REGION_INFO(%u)", index);
	return 0;
}

void mv_dev_init(struct mv_dev *d)
{
	memset(d, 0, sizeof(*d));
	d->fd = -1;
	d->container_fd = -1;
	d->group_fd = -1;
	d->iommufd = -1;
}

int mv_dev_open(struct mv_dev *d, const char *uuid, enum mv_open_mode mode)
{
	unsigned int i;
	int ret;

	mv_dev_init(d);
	d->mode = mode;
	if ((size_t)snprintf(d->uuid, sizeof(d->uuid), "%s", uuid) >=
	    sizeof(d->uuid))
		return mv_fail(EINVAL, "uuid '%s' too long", uuid);

	ret = mode == MV_OPEN_CDEV ? mv_open_cdev(d) : mv_open_container(d);
	if (ret)
		goto err_close;

	d->info.argsz = sizeof(d->info);
	if (ioctl(d->fd, VFIO_DEVICE_GET_INFO, &d->info)) {
		ret = mv_fail(errno, "VFIO_DEVICE_GET_INFO");
		goto err_close;
	}
	d->nr_regions = d->info.num_regions < MV_MAX_REGIONS ?
			d->info.num_regions : MV_MAX_REGIONS;
	for (i = 0; i < d->nr_regions; i++)
		d->region_ret[i] = mv_region_info_raw(d->fd, i,
						      sizeof(d->region[i]),
						      &d->region[i]);
	return 0;

err_close:
	{
		/* Keep the first failure's description across the cleanup. */
		char saved[sizeof(mv_errbuf)];

		memcpy(saved, mv_errbuf, sizeof(saved));
		mv_dev_close(d);
		memcpy(mv_errbuf, saved, sizeof(saved));
		errno = -ret;
	}
	return ret;
}

void mv_dev_close(struct mv_dev *d)
{
	/* Reverse of mv_dev_open(): device first, then its IOMMU context. */
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	if (d->iommufd >= 0)
		close(d->iommufd);
	d->iommufd = -1;
	if (d->group_fd >= 0)
		close(d->group_fd);
	d->group_fd = -1;
	if (d->container_fd >= 0)
		close(d->container_fd);
	d->container_fd = -1;
}

int mv_dev_reset(struct mv_dev *d)
{
	if (ioctl(d->fd, VFIO_DEVICE_RESET))
		return mv_fail(errno, "VFIO_DEVICE_RESET");
	return 0;
}

/* File offset of region @index, or a negative errno. */
static int mv_region_offset(struct mv_dev *d, uint32_t index, uint64_t *off)
{
	if (index >= d->nr_regions)
		return mv_fail(EINVAL, "region %u not reported by the device",
			       index);
	if (d->region_ret[index])
		return mv_fail(-d->region_ret[index],
			       "GET_REGION_INFO(%u) failed at open", index);
	*off = d->region[index].offset;
	return 0;
}

ssize_t mv_region_pread(struct mv_dev *d, uint32_t index, uint64_t off,
			void *buf, size_t len)
{
	uint64_t base = 0;
	ssize_t n;

	if (mv_region_offset(d, index, &base))
		return -1;
	n = pread(d->fd, buf, len, base + off);
	if (n < 0)
		mv_fail(errno, "pread region %u offset 0x%llx len %zu", index,
			(unsigned long long)off, len);
	return n;
}

ssize_t mv_region_pwrite(struct mv_dev *d, uint32_t index, uint64_t off,
			 const void *buf, size_t len)
{
	uint64_t base = 0;
	ssize_t n;

	if (mv_region_offset(d, index, &base))
		return -1;
	n = pwrite(d->fd, buf, len, base + off);
	if (n < 0)
		mv_fail(errno, "pwrite region %u offset 0x%llx len %zu", index,
			(unsigned long long)off, len);
	return n;
}

int mv_region_read(struct mv_dev *d, uint32_t index, uint64_t off,
		   void *buf, size_t len)
{
	ssize_t n = mv_region_pread(d, index, off, buf, len);

	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return mv_fail(EIO, "pread region %u offset 0x%llx: %zd of %zu bytes",
			       index, (unsigned long long)off, n, len);
	return 0;
}

int mv_region_write(struct mv_dev *d, uint32_t index, uint64_t off,
		    const void *buf, size_t len)
{
	ssize_t n = mv_region_pwrite(d, index, off, buf, len);

	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return mv_fail(EIO, "pwrite region %u offset 0x%llx: %zd of %zu bytes",
			       index, (unsigned long long)off, n, len);
	return 0;
}

int mv_cfg_read(struct mv_dev *d, uint32_t off, unsigned int size,
		uint32_t *val)
{
	uint8_t b[4] = { 0 };
	int ret;

	if (size != 1 && size != 2 && size != 4)
		return mv_fail(EINVAL, "config read size %u", size);
	ret = mv_region_read(d, VFIO_PCI_CONFIG_REGION_INDEX, off, b, size);
	if (ret)
		return ret;
	/* PCI config space is little endian. */
	*val = b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
	return 0;
}

int mv_cfg_write(struct mv_dev *d, uint32_t off, unsigned int size,
		 uint32_t val)
{
	uint8_t b[4] = { val, val >> 8, val >> 16, val >> 24 };

	if (size != 1 && size != 2 && size != 4)
		return mv_fail(EINVAL, "config write size %u", size);
	return mv_region_write(d, VFIO_PCI_CONFIG_REGION_INDEX, off, b, size);
}

int mv_bar0_read(struct mv_dev *d, uint32_t off, uint32_t *val)
{
	uint8_t b[4];
	int ret;

	ret = mv_region_read(d, VFIO_PCI_BAR0_REGION_INDEX, off, b, 4);
	if (ret)
		return ret;
	*val = b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
	return 0;
}

int mv_bar0_write(struct mv_dev *d, uint32_t off, uint32_t val)
{
	uint8_t b[4] = { val, val >> 8, val >> 16, val >> 24 };

	return mv_region_write(d, VFIO_PCI_BAR0_REGION_INDEX, off, b, 4);
}

void *mv_region_mmap(struct mv_dev *d, uint32_t index, uint64_t off,
		     size_t len, int prot)
{
	uint64_t base = 0;
	void *p;

	if (mv_region_offset(d, index, &base))
		return MAP_FAILED;
	p = mmap(NULL, len, prot, MAP_SHARED, d->fd, base + off);
	if (p == MAP_FAILED)
		mv_fail(errno, "mmap region %u offset 0x%llx len 0x%zx", index,
			(unsigned long long)off, len);
	return p;
}

int mv_irq_info(struct mv_dev *d, uint32_t index, struct vfio_irq_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	if (ioctl(d->fd, VFIO_DEVICE_GET_IRQ_INFO, info))
		return mv_fail(errno, "VFIO_DEVICE_GET_IRQ_INFO(%u)", index);
	return 0;
}

int mv_irq_set(struct mv_dev *d, uint32_t index, uint32_t flags,
	       uint32_t start, uint32_t count, const void *data, size_t len)
{
	union {
		struct vfio_irq_set set;
		uint8_t raw[sizeof(struct vfio_irq_set) + 64];
	} u;

	if (len > sizeof(u.raw) - sizeof(u.set))
		return mv_fail(EINVAL, "SET_IRQS payload of %zu bytes", len);
	memset(&u, 0, sizeof(u));
	u.set.argsz = sizeof(u.set) + len;
	u.set.flags = flags;
	u.set.index = index;
	u.set.start = start;
	u.set.count = count;
	if (len)
		memcpy(u.set.data, data, len);
	if (ioctl(d->fd, VFIO_DEVICE_SET_IRQS, &u.set))
		return mv_fail(errno,
			       "VFIO_DEVICE_SET_IRQS(index %u flags 0x%x start %u count %u)",
			       index, flags, start, count);
	return 0;
}

int mv_irq_set_eventfd(struct mv_dev *d, uint32_t index, int efd)
{
	int32_t fd = efd;

	return mv_irq_set(d, index,
			  VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
			  0, 1, &fd, sizeof(fd));
}

int mv_irq_disable(struct mv_dev *d, uint32_t index)
{
	return mv_irq_set(d, index,
			  VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
			  0, 0, NULL, 0);
}

int mv_irq_mask(struct mv_dev *d, uint32_t index)
{
	return mv_irq_set(d, index,
			  VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK,
			  0, 1, NULL, 0);
}

int mv_irq_unmask(struct mv_dev *d, uint32_t index)
{
	return mv_irq_set(d, index,
			  VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
			  0, 1, NULL, 0);
}

int mv_eventfd(void)
{
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

	if (fd < 0)
		return mv_fail(errno, "eventfd");
	return fd;
}

int mv_eventfd_wait(int efd, int timeout_ms, uint64_t *count)
{
	struct pollfd pfd = { .fd = efd, .events = POLLIN };
	int ret;

	do {
		ret = poll(&pfd, 1, timeout_ms);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return mv_fail(errno, "poll eventfd");
	if (ret == 0)
		return 0;
	if (read(efd, count, sizeof(*count)) != sizeof(*count))
		return mv_fail(errno ? errno : EIO, "read eventfd");
	return 1;
}

void *mv_dma_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		mv_fail(errno, "mmap %zu anonymous bytes", size);
	return p;
}

int mv_dma_map(struct mv_dev *d, void *vaddr, uint64_t iova, uint64_t size)
{
	if (d->mode == MV_OPEN_CDEV) {
		struct iommu_ioas_map map = {
			.size = sizeof(map),
			.flags = IOMMU_IOAS_MAP_FIXED_IOVA |
				 IOMMU_IOAS_MAP_READABLE |
				 IOMMU_IOAS_MAP_WRITEABLE,
			.ioas_id = d->ioas_id,
			.user_va = (uintptr_t)vaddr,
			.length = size,
			.iova = iova,
		};

		if (ioctl(d->iommufd, IOMMU_IOAS_MAP, &map))
			return mv_fail(errno, "IOMMU_IOAS_MAP iova 0x%llx size 0x%llx",
				       (unsigned long long)iova,
				       (unsigned long long)size);
	} else {
		struct vfio_iommu_type1_dma_map map = {
			.argsz = sizeof(map),
			.flags = VFIO_DMA_MAP_FLAG_READ |
				 VFIO_DMA_MAP_FLAG_WRITE,
			.vaddr = (uintptr_t)vaddr,
			.iova = iova,
			.size = size,
		};

		if (ioctl(d->container_fd, VFIO_IOMMU_MAP_DMA, &map))
			return mv_fail(errno, "VFIO_IOMMU_MAP_DMA iova 0x%llx size 0x%llx",
				       (unsigned long long)iova,
				       (unsigned long long)size);
	}
	return 0;
}

int mv_dma_unmap(struct mv_dev *d, uint64_t iova, uint64_t size)
{
	if (d->mode == MV_OPEN_CDEV) {
		struct iommu_ioas_unmap unmap = {
			.size = sizeof(unmap),
			.ioas_id = d->ioas_id,
			.iova = iova,
			.length = size,
		};

		if (ioctl(d->iommufd, IOMMU_IOAS_UNMAP, &unmap))
			return mv_fail(errno, "IOMMU_IOAS_UNMAP iova 0x%llx",
				       (unsigned long long)iova);
		if (unmap.length != size)
			return mv_fail(EIO, "IOMMU_IOAS_UNMAP unmapped 0x%llx of 0x%llx",
				       (unsigned long long)unmap.length,
				       (unsigned long long)size);
	} else {
		struct vfio_iommu_type1_dma_unmap unmap = {
			.argsz = sizeof(unmap),
			.iova = iova,
			.size = size,
		};

		if (ioctl(d->container_fd, VFIO_IOMMU_UNMAP_DMA, &unmap))
			return mv_fail(errno, "VFIO_IOMMU_UNMAP_DMA iova 0x%llx",
				       (unsigned long long)iova);
		if (unmap.size != size)
			return mv_fail(EIO, "VFIO_IOMMU_UNMAP_DMA unmapped 0x%llx of 0x%llx",
				       (unsigned long long)unmap.size,
				       (unsigned long long)size);
	}
	return 0;
}

/*
 * Write "1" to the vGPU's remove attribute from a child process, which
 * exits with 0 on success or the errno of the failed step.  The child must
 * not keep the device fd alive: it would wait for its own close.
 */
pid_t mv_start_remover(const char *uuid)
{
	char path[PATH_MAX];
	pid_t pid;

	mv_sysfs_path(path, sizeof(path), uuid, "remove");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int fd;

		close_range(3, ~0u, 0);
		fd = open(path, O_WRONLY);
		if (fd < 0)
			_exit(errno & 0xff ? errno & 0xff : 255);
		if (write(fd, "1", 1) != 1)
			_exit(errno & 0xff ? errno & 0xff : 255);
		_exit(0);
	}
	return pid;
}
