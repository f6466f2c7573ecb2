// SPDX-License-Identifier: GPL-2.0
/*
 * mvgpu: test-only entry points in debugfs.
 *
 * <debugfs>/mvgpu/direct runs a command stream on the reference engine's
 * executor directly from the writing thread: no vGPU, no VFIO, no pinning,
 * no scheduler, no interrupts.  The benchmark compares it with the same
 * stream submitted through a vGPU; uapi/mvgpu_debug.h has the format.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
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
}

/**
 * mvgpu_debugfs_fini() - remove <debugfs>/mvgpu; waits for running calls
 */
void mvgpu_debugfs_fini(void)
{
	debugfs_remove_recursive(mvgpu_debugfs_root);
}
