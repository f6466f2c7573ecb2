// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu: test-only entry points in debugfs.
 *
 * <debugfs>/mvgpu/direct runs a command stream on the reference engine's
 * executor directly from the writing thread: no vGPU, no VFIO, no pinning,
 * no scheduler, no interrupts.  The benchmark compares it with the same
 * stream submitted through a vGPU; uapi/mvgpu_debug.h has the format.
 *
 * <debugfs>/mvgpu/writes checks the command scanner's write prediction:
 * when armed, every workload's predicted write set is resolved to pages,
 * and each page the engine maps for writing while executing the workload
 * is looked up in it.  Off by default; no cost then beyond one test.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/bitmap.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>

#include "mvgpu.h"
#include "uapi/mvgpu_debug.h"

/* A direct run gives up on a stream after this long (it has no vGPU). */
#define MVGPU_DIRECT_HANG_NS	(10ull * NSEC_PER_SEC)
#define MVGPU_DIRECT_SLICE_NS	(10ull * NSEC_PER_MSEC)

static struct dentry *mvgpu_debugfs_root;

/**
 * struct mvgpu_direct_mem - the memory of one direct run
 * @base: graphics address of @pages[0]
 * @nr: pages: the run's memory, then one page of ring
 * @pages: the pages; "DMA address" i << 12 is @pages[i]
 */
struct mvgpu_direct_mem {
	u64 base;
	u64 nr;
	struct page **pages;
};

/**
 * struct mvgpu_direct - one open file of the direct entry
 * @lock: serialises runs and reads of @run
 * @run: the last request with its results
 * @have_run: @run holds a completed run
 */
struct mvgpu_direct {
	struct mutex lock;		/* see above */
	struct mvgpu_direct_run run;
	bool have_run;
};

static int mvgpu_direct_ggtt_pte(void *priv, u64 gaddr, u64 *pte)
{
	struct mvgpu_direct_mem *mem = priv;
	u64 idx;

	if (gaddr < mem->base)
		return -ERANGE;
	idx = (gaddr - mem->base) >> MVGPU_GTT_PAGE_SHIFT;
	if (idx >= mem->nr)
		return -ERANGE;
	*pte = idx << MVGPU_GTT_PAGE_SHIFT | MVGPU_PTE_PRESENT |
	       MVGPU_PTE_WRITABLE;
	return 0;
}

static void *mvgpu_direct_map_page(void *priv, u64 addr, bool local,
				   bool write, u32 *fault)
{
	struct mvgpu_direct_mem *mem = priv;
	u64 idx = addr >> MVGPU_GTT_PAGE_SHIFT;

	if (local || idx >= mem->nr) {
		*fault = local ? MVGPU_FAULT_LOCAL_RANGE : MVGPU_FAULT_DMA;
		return NULL;
	}
	return page_address(mem->pages[idx]);
}

static u64 mvgpu_direct_now_ns(void *priv)
{
	return ktime_get_ns();
}

static const struct mvgpu_exec_ops mvgpu_direct_ops = {
	.ggtt_pte	= mvgpu_direct_ggtt_pte,
	.map_page	= mvgpu_direct_map_page,
	.now_ns		= mvgpu_direct_now_ns,
};

static void mvgpu_direct_free(struct mvgpu_direct_mem *mem)
{
	u64 i;

	for (i = 0; i < mem->nr && mem->pages[i]; i++)
		__free_page(mem->pages[i]);
	kvfree(mem->pages);
}

static int mvgpu_direct_alloc(struct mvgpu_direct_mem *mem, u64 base,
			      u64 size)
{
	u64 i;

	mem->base = base;
	mem->nr = (size >> MVGPU_GTT_PAGE_SHIFT) + 1;
	mem->pages = kvcalloc(mem->nr, sizeof(*mem->pages), GFP_KERNEL);
	if (!mem->pages)
		return -ENOMEM;
	for (i = 0; i < mem->nr; i++) {
		mem->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!mem->pages[i]) {
			mvgpu_direct_free(mem);
			return -ENOMEM;
		}
		cond_resched();
	}
	return 0;
}

/* Copy the batch from userspace into the run's memory at @off. */
static int mvgpu_direct_load(struct mvgpu_direct_mem *mem, u64 off,
			     const char __user *src, size_t len)
{
	while (len) {
		size_t in = off & (MVGPU_GTT_PAGE_SIZE - 1);
		size_t n = min_t(size_t, len, MVGPU_GTT_PAGE_SIZE - in);
		void *dst = page_address(mem->pages[off >> MVGPU_GTT_PAGE_SHIFT]);

		if (copy_from_user(dst + in, src, n))
			return -EFAULT;
		off += n;
		src += n;
		len -= n;
	}
	return 0;
}

static int mvgpu_direct_check(const struct mvgpu_direct_run *r, size_t len)
{
	u64 batch_bytes = (u64)r->batch_dwords * 4;

	if (r->magic != MVGPU_DIRECT_MAGIC || r->engine >= MVGPU_NUM_ENGINES)
		return -EINVAL;
	if (len != sizeof(*r) + batch_bytes)
		return -EINVAL;
	if (!IS_ALIGNED(r->gaddr_base, MVGPU_GTT_PAGE_SIZE) ||
	    !IS_ALIGNED(r->mem_size, MVGPU_GTT_PAGE_SIZE) || !r->mem_size ||
	    r->mem_size > MVGPU_DIRECT_MAX_MEM)
		return -EINVAL;
	/* The ring page follows the memory. */
	if (r->gaddr_base >= MVGPU_GGTT_TOTAL ||
	    MVGPU_GGTT_TOTAL - r->gaddr_base < r->mem_size + MVGPU_GTT_PAGE_SIZE)
		return -EINVAL;
	if (!IS_ALIGNED(r->batch_offset, 8) || r->batch_offset > r->mem_size ||
	    batch_bytes > r->mem_size - r->batch_offset)
		return -EINVAL;
	if (!r->repeat || r->repeat > MVGPU_DIRECT_MAX_REPEAT)
		return -EINVAL;
	return 0;
}

/* Run the loaded batch r->repeat times; fills the result fields. */
static int mvgpu_direct_execute(struct mvgpu_direct_run *r,
				struct mvgpu_direct_mem *mem)
{
	u64 batch = r->gaddr_base + r->batch_offset;
	struct mvgpu_exec_state *st;
	struct mvgpu_exec_ring ring = {
		.start = r->gaddr_base + r->mem_size,
		.size = MVGPU_GTT_PAGE_SIZE,
		.tail = 16,
	};
	u32 *rp = page_address(mem->pages[mem->nr - 1]);
	struct mvgpu_exec *ex;
	u32 i;
	int ret = 0;

	rp[0] = MVGPU_MI_BATCH_BUFFER_START;
	rp[1] = lower_32_bits(batch);
	rp[2] = upper_32_bits(batch);
	rp[3] = MVGPU_MI_NOOP;

	ex = kzalloc(sizeof(*ex), GFP_KERNEL);
	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!ex || !st) {
		ret = -ENOMEM;
		goto out;
	}
	ex->ops = &mvgpu_direct_ops;
	ex->priv = mem;
	ex->hang_ns = MVGPU_DIRECT_HANG_NS;

	r->result = 0;
	r->fault_addr = 0;
	r->ns = 0;
	r->cmds = 0;
	r->bytes = 0;
	for (i = 0; i < r->repeat && !r->result; i++) {
		enum mvgpu_exec_result res;

		mvgpu_exec_state_reset(st, r->engine);
		do {
			struct mvgpu_exec_events ev;
			u64 t0 = ktime_get_ns();

			res = mvgpu_exec_run(ex, st, &ring,
					     MVGPU_DIRECT_SLICE_NS, &ev);
			r->ns += ktime_get_ns() - t0;
			r->cmds += ev.cmds;
			r->bytes += ev.bytes;
			if (res == MVGPU_EXEC_FAULT) {
				r->result = st->fault.status &
					    MVGPU_FAULT_TYPE_MASK;
				r->fault_addr = st->fault.addr;
			}
			if (fatal_signal_pending(current)) {
				ret = -EINTR;
				goto out;
			}
			cond_resched();
		} while (res == MVGPU_EXEC_YIELD || res == MVGPU_EXEC_WAIT);
	}
out:
	kfree(st);
	kfree(ex);
	return ret;
}

static ssize_t mvgpu_direct_write(struct file *file, const char __user *buf,
				  size_t len, loff_t *ppos)
{
	struct mvgpu_direct *d = file->private_data;
	struct mvgpu_direct_mem mem;
	struct mvgpu_direct_run r;
	int ret;

	if (len < sizeof(r))
		return -EINVAL;
	if (copy_from_user(&r, buf, sizeof(r)))
		return -EFAULT;
	ret = mvgpu_direct_check(&r, len);
	if (ret)
		return ret;

	mutex_lock(&d->lock);
	d->have_run = false;
	ret = mvgpu_direct_alloc(&mem, r.gaddr_base, r.mem_size);
	if (ret)
		goto unlock;
	ret = mvgpu_direct_load(&mem, r.batch_offset, buf + sizeof(r),
				(size_t)r.batch_dwords * 4);
	if (!ret)
		ret = mvgpu_direct_execute(&r, &mem);
	mvgpu_direct_free(&mem);
	if (!ret) {
		d->run = r;
		d->have_run = true;
	}
unlock:
	mutex_unlock(&d->lock);
	return ret ? ret : len;
}

static ssize_t mvgpu_direct_read(struct file *file, char __user *buf,
				 size_t len, loff_t *ppos)
{
	struct mvgpu_direct *d = file->private_data;
	ssize_t ret;

	/* Each read returns the whole result: the file has no position. */
	if (len < sizeof(d->run))
		return -EINVAL;
	mutex_lock(&d->lock);
	if (!d->have_run)
		ret = -ENODATA;
	else if (copy_to_user(buf, &d->run, sizeof(d->run)))
		ret = -EFAULT;
	else
		ret = sizeof(d->run);
	mutex_unlock(&d->lock);
	return ret;
}

static int mvgpu_direct_open(struct inode *inode, struct file *file)
{
	struct mvgpu_direct *d;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	mutex_init(&d->lock);
	file->private_data = d;
	return nonseekable_open(inode, file);
}

static int mvgpu_direct_release(struct inode *inode, struct file *file)
{
	struct mvgpu_direct *d = file->private_data;

	mutex_destroy(&d->lock);
	kfree(d);
	return 0;
}

static const struct file_operations mvgpu_direct_fops = {
	.owner		= THIS_MODULE,
	.open		= mvgpu_direct_open,
	.release	= mvgpu_direct_release,
	.read		= mvgpu_direct_read,
	.write		= mvgpu_direct_write,
};

/* ------------------------------------------------------------------ */
/* Write prediction check                                               */

/**
 * struct mvgpu_wpred - the check's state and results (all vGPUs)
 * @lock: protects everything here
 * @armed: record workloads
 * @filter: only workloads of the vGPU with this name (UUID); "" for all
 * @workloads: workloads checked
 * @unchecked: workloads whose predicted set had more than
 *	MVGPU_WPRED_MAX_PAGES pages or could not be resolved
 * @predicted: pages predicted, summed over workloads
 * @written: distinct pages written per workload, summed
 * @misses: pages written but not predicted, summed
 * @miss: the first misses: DMA address or local offset | 1 if local
 * @nr_miss: entries of @miss
 * @last_dev: name of the last workload's vGPU
 * @last_engine: its engine
 * @last: its first predicted ranges
 * @nr_last: entries of @last
 * @last_total: ranges it had
 */
struct mvgpu_wpred {
	spinlock_t lock;		/* see above */
	bool armed;
	char filter[MVGPU_WPRED_NAME_LEN];
	/* the results, cleared when armed */
	struct_group(res,
		u64 workloads;
		u64 unchecked;
		u64 predicted;
		u64 written;
		u64 misses;
		u64 miss[MVGPU_WPRED_MISSES];
		u32 nr_miss;
		char last_dev[MVGPU_WPRED_NAME_LEN];
		u32 last_engine;
		struct mvgpu_scan_range last[MVGPU_WPRED_RANGES];
		u32 nr_last;
		u32 last_total;
	);
};

/* Unpredicted pages one slice may write before they count as misses. */
#define MVGPU_WTRACK_PENDING	64

static struct mvgpu_wpred mvgpu_wpred = {
	.lock = __SPIN_LOCK_UNLOCKED(mvgpu_wpred.lock),
};

/**
 * struct mvgpu_wtrack - the check of one workload
 * @pages: predicted pages (address | 1 if local), sorted, distinct
 * @nr: entries of @pages
 * @hit: per entry of @pages: written
 * @unchecked: the prediction could not be held; nothing is recorded
 * @pending: written pages not in @pages, until mvgpu_wtrack_settle()
 *	looks them up in the prediction resolved again
 * @nr_pending: entries of @pending
 * @late_hits: pending pages the second resolution found
 * @miss: written pages not predicted, the first MVGPU_WPRED_MISSES
 * @nr_miss: entries of @miss
 * @misses: misses (distinct as far as @pending and @miss tell)
 */
struct mvgpu_wtrack {
	u64 *pages;
	u32 nr;
	unsigned long *hit;
	bool unchecked;
	u64 pending[MVGPU_WTRACK_PENDING];
	u32 nr_pending;
	u64 late_hits;
	u64 miss[MVGPU_WPRED_MISSES];
	u32 nr_miss;
	u64 misses;
};

static int mvgpu_wtrack_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static int mvgpu_wtrack_page(void *priv, u64 addr, bool local)
{
	struct mvgpu_wtrack *wt = priv;

	if (wt->nr >= MVGPU_WPRED_MAX_PAGES)
		return -E2BIG;
	wt->pages[wt->nr++] = addr | local;
	return 0;
}

/**
 * mvgpu_wtrack_begin() - start checking a workload's writes, if armed
 * @ve: its vGPU engine; caller holds @ve->lock
 * @sc: the scanner that checked it (translation, allocator)
 * @wl: the workload, accepted or rejected (a rejected one keeps the
 *	write set of what runs)
 *
 * Return: the check, to pass to mvgpu_wtrack_write() and
 * mvgpu_wtrack_end(); NULL when the check is off (or out of memory).
 */
struct mvgpu_wtrack *mvgpu_wtrack_begin(struct mvgpu_vgpu_engine *ve,
					struct mvgpu_scan *sc,
					const struct mvgpu_scan_workload *wl)
{
	const char *name = dev_name(ve->vgpu->vdev.dev);
	struct mvgpu_wpred *w = &mvgpu_wpred;
	struct mvgpu_wtrack *wt;
	u64 pages = 0;
	u32 i, j;
	bool want;

	if (!READ_ONCE(w->armed))
		return NULL;
	spin_lock(&w->lock);
	want = w->armed && (!w->filter[0] || !strcmp(w->filter, name));
	if (want) {
		strscpy(w->last_dev, name, sizeof(w->last_dev));
		w->last_engine = ve->id;
		w->nr_last = min_t(u32, wl->nr_ranges, MVGPU_WPRED_RANGES);
		w->last_total = wl->nr_ranges;
		for (i = 0; i < w->nr_last; i++)
			w->last[i] = wl->ranges[i];
	}
	spin_unlock(&w->lock);
	if (!want)
		return NULL;

	wt = kzalloc(sizeof(*wt), GFP_KERNEL);
	if (!wt)
		return NULL;
	for (i = 0; i < wl->nr_ranges; i++)
		pages += wl->ranges[i].len >> MVGPU_GTT_PAGE_SHIFT;
	if (pages > MVGPU_WPRED_MAX_PAGES) {
		wt->unchecked = true;
		return wt;
	}
	wt->pages = kvmalloc_array(max_t(u64, pages, 1), sizeof(u64),
				   GFP_KERNEL);
	if (!wt->pages ||
	    mvgpu_scan_resolve_writes(sc, wl, mvgpu_wtrack_page, wt) < 0) {
		kvfree(wt->pages);
		wt->pages = NULL;
		wt->nr = 0;
		wt->unchecked = true;
		return wt;
	}
	sort(wt->pages, wt->nr, sizeof(u64), mvgpu_wtrack_cmp, NULL);
	for (i = 0, j = 0; i < wt->nr; i++)
		if (!j || wt->pages[j - 1] != wt->pages[i])
			wt->pages[j++] = wt->pages[i];
	wt->nr = j;
	wt->hit = bitmap_zalloc(max_t(u32, wt->nr, 1), GFP_KERNEL);
	if (!wt->hit) {
		kvfree(wt->pages);
		wt->pages = NULL;
		wt->nr = 0;
		wt->unchecked = true;
	}
	return wt;
}

static void mvgpu_wtrack_miss(struct mvgpu_wtrack *wt, u64 key)
{
	u32 i;

	for (i = 0; i < wt->nr_miss; i++)
		if (wt->miss[i] == key)
			return;
	if (wt->nr_miss < MVGPU_WPRED_MISSES)
		wt->miss[wt->nr_miss++] = key;
	wt->misses++;
}

/**
 * mvgpu_wtrack_write() - the engine maps a page for writing
 * @wt: the running workload's check
 * @addr: DMA address or local offset of the page
 * @local: @addr is a local memory offset
 *
 * Return: true if the page is not in the prediction as resolved at the
 * start: the caller settles it (mvgpu_wtrack_settle()) at once, while
 * the tables are the ones this write was translated with.
 */
bool mvgpu_wtrack_write(struct mvgpu_wtrack *wt, u64 addr, bool local)
{
	u64 key = (addr & ~(u64)(MVGPU_GTT_PAGE_SIZE - 1)) | local;
	u32 lo = 0, hi = wt->nr, i;

	if (wt->unchecked)
		return false;
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (wt->pages[mid] == key) {
			__set_bit(mid, wt->hit);
			return false;
		}
		if (wt->pages[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = 0; i < wt->nr_pending; i++)
		if (wt->pending[i] == key)
			return true;
	if (wt->nr_pending < MVGPU_WTRACK_PENDING) {
		wt->pending[wt->nr_pending++] = key;
		return true;
	}
	mvgpu_wtrack_miss(wt, key);
	return false;
}

static int mvgpu_wtrack_late(void *priv, u64 addr, bool local)
{
	struct mvgpu_wtrack *wt = priv;
	u64 key = addr | local;
	u32 i;

	for (i = 0; i < wt->nr_pending; i++) {
		if (wt->pending[i] == key) {
			wt->pending[i] = wt->pending[--wt->nr_pending];
			wt->late_hits++;
			break;
		}
	}
	return 0;
}

/**
 * mvgpu_wtrack_settle() - decide on the pages written but not predicted
 * @wt: the running workload's check (NULL is fine)
 * @sc: the scanner that checked the workload
 * @wl: the workload
 *
 * Called when mvgpu_wtrack_write() asks for it and after each slice.  The
 * prediction is a set of graphics pages; a command of the workload may
 * have changed the PPGTT that maps them (then invalidated the TLB), so the
 * pages are resolved again through the tables as they are now.  Written
 * pages in neither resolution are misses.  Settling at the write, not
 * only at the end of the slice, matters: the driver may change the tables
 * as soon as it sees the workload's breadcrumb, before the slice ends.
 */
void mvgpu_wtrack_settle(struct mvgpu_wtrack *wt, struct mvgpu_scan *sc,
			 const struct mvgpu_scan_workload *wl)
{
	if (!wt || !wt->nr_pending)
		return;
	mvgpu_scan_resolve_writes(sc, wl, mvgpu_wtrack_late, wt);
	while (wt->nr_pending)
		mvgpu_wtrack_miss(wt, wt->pending[--wt->nr_pending]);
}

/**
 * mvgpu_wtrack_end() - the workload is over: add up and free its check
 * @wt: the check (NULL is fine)
 */
void mvgpu_wtrack_end(struct mvgpu_wtrack *wt)
{
	struct mvgpu_wpred *w = &mvgpu_wpred;
	u32 i;

	if (!wt)
		return;
	/* not settled (cannot happen after a slice): count as misses */
	while (wt->nr_pending)
		mvgpu_wtrack_miss(wt, wt->pending[--wt->nr_pending]);
	spin_lock(&w->lock);
	if (w->armed) {
		w->workloads++;
		if (wt->unchecked) {
			w->unchecked++;
		} else {
			w->predicted += wt->nr;
			w->written += bitmap_weight(wt->hit, wt->nr) +
				      wt->late_hits + wt->misses;
			w->misses += wt->misses;
			for (i = 0; i < wt->nr_miss &&
			     w->nr_miss < MVGPU_WPRED_MISSES; i++)
				w->miss[w->nr_miss++] = wt->miss[i];
		}
	}
	spin_unlock(&w->lock);
	bitmap_free(wt->hit);
	kvfree(wt->pages);
	kfree(wt);
}

static int mvgpu_wpred_show(struct seq_file *m, void *v)
{
	struct mvgpu_wpred *w = &mvgpu_wpred, *c;
	u32 i;

	/* a copy: seq_printf() must not run under the spinlock for long */
	c = kmalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	spin_lock(&w->lock);
	memcpy(c, w, sizeof(*c));
	spin_unlock(&w->lock);

	seq_printf(m, "armed %u\nvgpu %s\n", c->armed,
		   c->filter[0] ? c->filter : "all");
	seq_printf(m, "workloads %llu\nunchecked %llu\n", c->workloads,
		   c->unchecked);
	seq_printf(m, "pages_predicted %llu\npages_written %llu\nmisses %llu\n",
		   c->predicted, c->written, c->misses);
	for (i = 0; i < c->nr_miss; i++)
		seq_printf(m, "miss %s 0x%llx\n", c->miss[i] & 1 ? "local" : "dma",
			   c->miss[i] & ~1ull);
	seq_printf(m, "last %s engine %u ranges %u\n",
		   c->last_dev[0] ? c->last_dev : "none", c->last_engine,
		   c->last_total);
	for (i = 0; i < c->nr_last; i++)
		seq_printf(m, "range %s 0x%llx 0x%llx\n",
			   c->last[i].space == MVGPU_XLATE_PPGTT ? "ppgtt" : "ggtt",
			   c->last[i].gaddr, c->last[i].len);
	kfree(c);
	return 0;
}

static int mvgpu_wpred_open(struct inode *inode, struct file *file)
{
	return single_open(file, mvgpu_wpred_show, NULL);
}

/* "on [NAME]" arms (results cleared), "off" disarms (results kept). */
static ssize_t mvgpu_wpred_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	struct mvgpu_wpred *w = &mvgpu_wpred;
	char buf[8 + MVGPU_WPRED_NAME_LEN];
	char *cmd, *arg;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = 0;
	arg = strim(buf);
	cmd = strsep(&arg, " ");
	arg = arg ? strim(arg) : NULL;
	if (!strcmp(cmd, "on")) {
		if (arg && strlen(arg) >= MVGPU_WPRED_NAME_LEN)
			return -EINVAL;
		spin_lock(&w->lock);
		memset(&w->res, 0, sizeof(w->res));
		strscpy(w->filter, arg ? arg : "", sizeof(w->filter));
		WRITE_ONCE(w->armed, true);
		spin_unlock(&w->lock);
	} else if (!strcmp(cmd, "off") && !arg) {
		spin_lock(&w->lock);
		WRITE_ONCE(w->armed, false);
		spin_unlock(&w->lock);
	} else {
		return -EINVAL;
	}
	return len;
}

static const struct file_operations mvgpu_wpred_fops = {
	.owner		= THIS_MODULE,
	.open		= mvgpu_wpred_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
	.write		= mvgpu_wpred_write,
};

/**
 * mvgpu_debugfs_init() - create <debugfs>/mvgpu
 *
 * debugfs is optional: failures leave the module working without it.
 */
void mvgpu_debugfs_init(void)
{
	mvgpu_debugfs_root = debugfs_create_dir(MVGPU_NAME, NULL);
	debugfs_create_file("direct", 0600, mvgpu_debugfs_root, NULL,
			    &mvgpu_direct_fops);
	debugfs_create_file("writes", 0600, mvgpu_debugfs_root, NULL,
			    &mvgpu_wpred_fops);
}

/**
 * mvgpu_debugfs_fini() - remove <debugfs>/mvgpu; waits for running calls
 */
void mvgpu_debugfs_fini(void)
{
	debugfs_remove_recursive(mvgpu_debugfs_root);
}
