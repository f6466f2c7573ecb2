// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu_probe: runs inside the nested guest (static binary in the initramfs).
 * Finds the vGPU by vendor/device ID in /sys/bus/pci/devices, enables it,
 * maps BAR0 through sysfs and checks the identity, IRQ and scratch registers
 * and the GGTT window, maps BAR2 and checks that VRAM reads back what was
 * written (and reads 0 where nothing was).  Prints one "PROBE: " line per
 * check and, last, one machine-parsable verdict line:
 *
 *   MVGPU-GUEST-RESULT: ok|fail vendor=6d76 device=0001 ... [failed=a,b]
 *
 * Exit status 0 iff every check passed.
 *
 * Usage: vgpu_probe [VENDOR:DEVICE]	(hex, default 6d76:0001)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mvgpu_hw.h"

#define PCI_DEVICES		"/sys/bus/pci/devices"
/* include/linux/ioport.h resource flags, as /sys/.../resource shows them. */
#define IORESOURCE_MEM		0x00000200
#define IORESOURCE_PREFETCH	0x00002000
#define IORESOURCE_MEM_64	0x00100000
#define NR_RESOURCES		7	/* BAR0..5 and the expansion ROM */

struct bar {
	uint64_t start;
	uint64_t size;
	uint64_t flags;
};

static char failed[512];
static unsigned int nr_failed;

static void say(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	/* One write per line: keeps lines whole on the serial console. */
	if (write(STDOUT_FILENO, line, n) < 0)
		exit(2);
}

/* Record the result of check @name; the message says what was seen. */
static bool check(bool ok, const char *name, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	say("PROBE: %s %s: %s", ok ? "ok" : "FAIL", name, msg);
	if (!ok) {
		nr_failed++;
		if (strlen(failed) + strlen(name) + 2 < sizeof(failed)) {
			if (failed[0])
				strcat(failed, ",");
			strcat(failed, name);
		}
	}
	return ok;
}

static int read_sysfs(const char *dev, const char *attr, char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s/%s", PCI_DEVICES, dev, attr);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static long sysfs_hex(const char *dev, const char *attr)
{
	char buf[64];

	if (read_sysfs(dev, attr, buf, sizeof(buf)))
		return -1;
	return strtol(buf, NULL, 16);
}

/* Find the first PCI function with @vendor:@device; its name goes to @dev. */
static bool find_device(unsigned int vendor, unsigned int device, char *dev,
			size_t len)
{
	struct dirent *de;
	bool found = false;
	DIR *d;

	d = opendir(PCI_DEVICES);
	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (sysfs_hex(de->d_name, "vendor") == vendor &&
		    sysfs_hex(de->d_name, "device") == device) {
			snprintf(dev, len, "%s", de->d_name);
			found = true;
		}
	}
	closedir(d);
	return found;
}

static int read_bars(const char *dev, struct bar *bars)
{
	char path[PATH_MAX];
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "%s/%s/resource", PCI_DEVICES, dev);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	for (i = 0; i < NR_RESOURCES; i++) {
		uint64_t end;

		if (fscanf(f, "%" SCNx64 " %" SCNx64 " %" SCNx64, &bars[i].start,
			   &end, &bars[i].flags) != 3)
			break;
		bars[i].size = end > bars[i].start ? end - bars[i].start + 1 : 0;
	}
	fclose(f);
	return i == NR_RESOURCES ? 0 : -EINVAL;
}

static const char *size_str(uint64_t size, char *buf, size_t len)
{
	if (size >= (1ull << 30) && !(size & ((1ull << 30) - 1)))
		snprintf(buf, len, "%" PRIu64 "G", size >> 30);
	else if (size >= (1ull << 20) && !(size & ((1ull << 20) - 1)))
		snprintf(buf, len, "%" PRIu64 "M", size >> 20);
	else
		snprintf(buf, len, "%" PRIu64, size);
	return buf;
}

static void *map_bar(const char *dev, int bar, size_t size)
{
	char path[PATH_MAX];
	void *p;
	int fd;

	snprintf(path, sizeof(path), "%s/%s/resource%d", PCI_DEVICES, dev, bar);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0)
		return MAP_FAILED;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return p;
}

/*
 * MMIO from userspace: volatile keeps every access a single 32-bit load or
 * store in program order, which is what the device decodes.
 */
static uint32_t rd(uint8_t *base, uint64_t off)
{
	return *(volatile uint32_t *)(base + off);
}

static void wr(uint8_t *base, uint64_t off, uint32_t val)
{
	*(volatile uint32_t *)(base + off) = val;
}

static uint64_t rd64(uint8_t *base, uint32_t lo)
{
	return rd(base, lo) | (uint64_t)rd(base, lo + 4) << 32;
}

/* A value that differs for every offset, so misplaced data shows. */
static uint32_t pattern(uint64_t off)
{
	return 0x9e3779b9u * (uint32_t)(off >> 2) ^ 0xa5c3u ^ (uint32_t)(off >> 32);
}

struct ids {
	uint32_t id, version, caps, type, instance;
	uint64_t vram_size, ggtt_base, ggtt_size;
};

static void probe_bar0(uint8_t *r, long subsys, uint64_t bar2_size,
		       struct ids *ids)
{
	uint32_t v;
	int i;

	ids->id = rd(r, MVGPU_REG_ID);
	check(ids->id == MVGPU_ID_MAGIC, "id", "0x%08x", ids->id);
	ids->version = rd(r, MVGPU_REG_VERSION);
	check(ids->version == (MVGPU_HW_VERSION_MAJOR << 16 | MVGPU_HW_VERSION_MINOR),
	      "version", "0x%08x", ids->version);
	ids->caps = rd(r, MVGPU_REG_CAPS);
	check((ids->caps & (MVGPU_CAP_MSI | MVGPU_CAP_VRAM)) ==
	      (MVGPU_CAP_MSI | MVGPU_CAP_VRAM), "caps", "0x%08x", ids->caps);
	ids->type = rd(r, MVGPU_REG_VGPU_TYPE);
	check(ids->type == (uint32_t)subsys, "vgpu_type",
	      "%u, subsystem device %ld", ids->type, subsys);
	ids->vram_size = rd64(r, MVGPU_REG_VRAM_SIZE_LO);
	check(ids->vram_size == bar2_size, "vram_size",
	      "0x%" PRIx64 ", BAR2 0x%" PRIx64, ids->vram_size, bar2_size);
	ids->ggtt_base = rd64(r, MVGPU_REG_GGTT_BASE_LO);
	ids->ggtt_size = rd64(r, MVGPU_REG_GGTT_SIZE_LO);
	check(ids->ggtt_size && !(ids->ggtt_base % ids->ggtt_size), "ggtt_range",
	      "base 0x%" PRIx64 " size 0x%" PRIx64, ids->ggtt_base, ids->ggtt_size);
	/* The host compares it with the vGPU's sysfs instance attribute. */
	ids->instance = rd(r, MVGPU_REG_INSTANCE);

	/* Identity registers are read-only. */
	wr(r, MVGPU_REG_ID, 0);
	wr(r, MVGPU_REG_VGPU_TYPE, 0x55);
	check(rd(r, MVGPU_REG_ID) == MVGPU_ID_MAGIC &&
	      rd(r, MVGPU_REG_VGPU_TYPE) == ids->type, "id_readonly",
	      "id 0x%08x type %u after writes", rd(r, MVGPU_REG_ID),
	      rd(r, MVGPU_REG_VGPU_TYPE));

	for (i = 0; i < MVGPU_REG_SCRATCH_COUNT; i++) {
		uint32_t off = MVGPU_REG_SCRATCH0 + 4 * i;

		v = rd(r, off);
		check(v == 0, "scratch_reset", "scratch%d 0x%08x", i, v);
		wr(r, off, 0xc0de0000u | i);
	}
	for (i = 0; i < MVGPU_REG_SCRATCH_COUNT; i++) {
		v = rd(r, MVGPU_REG_SCRATCH0 + 4 * i);
		check(v == (0xc0de0000u | i), "scratch_rw", "scratch%d 0x%08x", i, v);
	}

	/* Software interrupt source, IRQ_ENABLE left 0: nothing is asserted. */
	v = rd(r, MVGPU_REG_IRQ_STATUS);
	check(v == 0 && rd(r, MVGPU_REG_IRQ_ENABLE) == 0, "irq_idle",
	      "status 0x%08x enable 0x%08x", v, rd(r, MVGPU_REG_IRQ_ENABLE));
	wr(r, MVGPU_REG_IRQ_RAISE, MVGPU_IRQ_SOFTWARE);
	v = rd(r, MVGPU_REG_IRQ_STATUS);
	check(v == MVGPU_IRQ_SOFTWARE, "irq_raise", "status 0x%08x", v);
	wr(r, MVGPU_REG_IRQ_STATUS, MVGPU_IRQ_SOFTWARE);
	v = rd(r, MVGPU_REG_IRQ_STATUS);
	check(v == 0, "irq_clear", "status 0x%08x after write-1-to-clear", v);

	/* GGTT window: reads 0, writes ignored (GGTT comes later). */
	v = rd(r, MVGPU_GGTT_WINDOW_OFFSET);
	wr(r, MVGPU_GGTT_WINDOW_OFFSET + 8, 0xdeadbeef);
	check(v == 0 && rd(r, MVGPU_GGTT_WINDOW_OFFSET + 8) == 0, "ggtt_window",
	      "first PTE 0x%08x, written PTE reads 0x%08x", v,
	      rd(r, MVGPU_GGTT_WINDOW_OFFSET + 8));
}

static void probe_bar2(uint8_t *vram, uint64_t size)
{
	const uint64_t offs[] = { 0, 4096, 4100, size / 2, size / 2 + 8192,
				  size - 4096, size - 4 };
	const unsigned int n = sizeof(offs) / sizeof(offs[0]);
	uint64_t block = size / 4, bad = 0, off;
	unsigned int i, zero_bad = 0;
	uint32_t v;

	/* Nothing was written yet: VRAM must read 0, never stale memory. */
	for (i = 0; i < n; i++)
		zero_bad += rd(vram, offs[i]) != 0;
	check(!zero_bad, "vram_zero", "%u of %u untouched words non-zero", zero_bad, n);

	for (i = 0; i < n; i++)
		wr(vram, offs[i], pattern(offs[i]));
	for (i = 0; i < n; i++) {
		v = rd(vram, offs[i]);
		if (!check(v == pattern(offs[i]), "vram_rw", "offset 0x%" PRIx64
			   ": 0x%08x, wrote 0x%08x", offs[i], v, pattern(offs[i])))
			break;
	}

	/* A 64 KiB run in the second quarter, word by word. */
	for (off = block; off < block + 65536; off += 4)
		wr(vram, off, pattern(off));
	for (off = block; off < block + 65536; off += 4)
		bad += rd(vram, off) != pattern(off);
	check(!bad, "vram_block", "%" PRIu64 " of 16384 words differ at 0x%" PRIx64,
	      bad, block);
}

int main(int argc, char **argv)
{
	unsigned int vendor = MVGPU_PCI_VENDOR_ID, device = MVGPU_PCI_DEVICE_ID;
	char dev[256], b0[16], b2[16], buf[PATH_MAX];
	struct ids ids = { 0 };
	struct bar bars[NR_RESOURCES];
	long class, subsys, subsys_vendor, rev;
	uint8_t *r, *vram;
	bool bars_ok;
	int i;

	if (argc > 1 && sscanf(argv[1], "%x:%x", &vendor, &device) != 2) {
		fprintf(stderr, "usage: %s [VENDOR:DEVICE]\n", argv[0]);
		return 2;
	}
	if (!find_device(vendor, device, dev, sizeof(dev))) {
		say("PROBE: FAIL find: no PCI device %04x:%04x", vendor, device);
		say("MVGPU-GUEST-RESULT: fail vendor=%04x device=%04x failed=find",
		    vendor, device);
		return 1;
	}
	say("PROBE: ok find: %04x:%04x at %s", vendor, device, dev);

	class = sysfs_hex(dev, "class");
	subsys_vendor = sysfs_hex(dev, "subsystem_vendor");
	subsys = sysfs_hex(dev, "subsystem_device");
	rev = sysfs_hex(dev, "revision");
	check(class == MVGPU_PCI_CLASS, "class", "0x%06lx", class);
	check(rev == MVGPU_PCI_REVISION, "revision", "0x%02lx", rev);
	check(subsys_vendor == MVGPU_PCI_SUBSYS_VENDOR_ID &&
	      (subsys == 1 || subsys == 2 || subsys == 4 || subsys == 8),
	      "subsystem", "%04lx:%04lx", subsys_vendor, subsys);

	bars_ok = !read_bars(dev, bars);
	check(bars_ok, "resources", "%s", bars_ok ? "read" : "unreadable");
	if (!bars_ok)
		memset(bars, 0, sizeof(bars));
	check(bars[0].size == MVGPU_BAR0_SIZE &&
	      (bars[0].flags & (IORESOURCE_MEM | IORESOURCE_MEM_64 | IORESOURCE_PREFETCH)) ==
	      (IORESOURCE_MEM | IORESOURCE_MEM_64), "bar0",
	      "size 0x%" PRIx64 " flags 0x%" PRIx64, bars[0].size, bars[0].flags);
	check(bars[2].size && !(bars[2].size & (bars[2].size - 1)) &&
	      (bars[2].flags & (IORESOURCE_MEM | IORESOURCE_MEM_64 | IORESOURCE_PREFETCH)) ==
	      (IORESOURCE_MEM | IORESOURCE_MEM_64 | IORESOURCE_PREFETCH), "bar2",
	      "size 0x%" PRIx64 " flags 0x%" PRIx64, bars[2].size, bars[2].flags);
	for (i = 0; i < NR_RESOURCES; i++) {
		/* BAR1 and BAR3 are the upper halves of the 64-bit BARs. */
		if (i == 0 || i == 2)
			continue;
		check(!bars[i].size, "unused_bar", "resource %d size 0x%" PRIx64,
		      i, bars[i].size);
	}

	/* Memory decoding on, as a driver's pci_enable_device() would do. */
	snprintf(buf, sizeof(buf), "%s/%s/enable", PCI_DEVICES, dev);
	i = open(buf, O_WRONLY);
	check(i >= 0 && write(i, "1", 1) == 1, "enable", "%s", i >= 0 ? "done" : strerror(errno));
	if (i >= 0)
		close(i);

	r = bars[0].size ? map_bar(dev, 0, bars[0].size) : MAP_FAILED;
	if (check(r != MAP_FAILED, "map_bar0", "%s",
		  r != MAP_FAILED ? "mapped" : strerror(errno)))
		probe_bar0(r, subsys, bars[2].size, &ids);
	vram = bars[2].size ? map_bar(dev, 2, bars[2].size) : MAP_FAILED;
	if (check(vram != MAP_FAILED, "map_bar2", "%s",
		  vram != MAP_FAILED ? "mapped" : strerror(errno)))
		probe_bar2(vram, bars[2].size);

	say("MVGPU-GUEST-RESULT: %s vendor=%04x device=%04x class=%06lx rev=%02lx"
	    " subsys=%04lx:%04lx bar0=%s bar2=%s id=0x%08x version=0x%08x"
	    " caps=0x%x type=%u instance=%u vram_size=0x%" PRIx64
	    " ggtt_base=0x%" PRIx64 " ggtt_size=0x%" PRIx64 "%s%s",
	    nr_failed ? "fail" : "ok", vendor, device, class, rev, subsys_vendor,
	    subsys, size_str(bars[0].size, b0, sizeof(b0)),
	    size_str(bars[2].size, b2, sizeof(b2)), ids.id, ids.version,
	    ids.caps, ids.type, ids.instance, ids.vram_size, ids.ggtt_base,
	    ids.ggtt_size, nr_failed ? " failed=" : "", failed);
	return nr_failed ? 1 : 0;
}
