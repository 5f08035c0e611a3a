// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * PRIME: buffers shared through dma-buf with another driver (vgem) and
 * between two OGPUs. A vgem buffer imported, bound and read and written by
 * the copy engine; an OGPU buffer (in VRAM or host memory) exported to
 * vgem and read through the dma-buf after the GPU wrote it; self-import;
 * an exporter that moves its buffer under a dynamic importer; every close
 * order, a handle closed by another thread, a freed import that leaves no
 * mapping; and each rejected input as a subtest of its own. Every byte is
 * checked on both sides.
 */
#include <pthread.h>
#include <stdint.h>

#include <linux/dma-buf.h>

#include "ogpu_test.h"

#include "kselftest_harness.h"

#define MiB		(1ull << 20)
#define A_ID		236
#define B_ID		237
/* Small, so that a few buffers evict each other. */
#define A_VRAM_MB	16
#define VGEM_DIR	"/sys/bus/platform/devices/vgem/drm"

/* vgem's primary node (dumb buffers are not allowed on render nodes). */
static int vgem_open(void)
{
	char path[128];
	struct dirent *de;
	int fd = -ENOENT;
	DIR *d;

	d = opendir(VGEM_DIR);
	if (!d)
		return -errno;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "card", 4)) {
			snprintf(path, sizeof(path), "/dev/dri/%.32s",
				 de->d_name);
			fd = open(path, O_RDWR | O_CLOEXEC);
			if (fd < 0)
				fd = -errno;
			break;
		}
	closedir(d);
	return fd;
}

/* A vgem dumb buffer of @size bytes, mapped; 0 or -errno. */
static int vgem_bo_new(int fd, uint64_t size, uint32_t *handle, void **map)
{
	struct drm_mode_create_dumb c = {
		.width = 1024, .height = size / 4096, .bpp = 32,
	};
	struct drm_mode_map_dumb m = {};
	void *p;

	if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c))
		return -errno;
	*handle = c.handle;
	m.handle = c.handle;
	if (drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &m))
		return -errno;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset);
	if (p == MAP_FAILED)
		return -errno;
	*map = p;
	return 0;
}

/* Map a dma-buf for the CPU; NULL on failure. */
static void *dmabuf_mmap(int fd, size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	return p == MAP_FAILED ? NULL : p;
}

static int dmabuf_sync(int fd, uint64_t flags)
{
	struct dma_buf_sync s = { .flags = flags };

	return ioctl(fd, DMA_BUF_IOCTL_SYNC, &s) ? -errno : 0;
}

/* Raw PRIME ioctls, for the rejected inputs; 0 or -errno. */
static int _test_handle_to_fd(int fd, uint32_t handle, uint32_t flags,
			      int *out)
{
	struct drm_prime_handle a = { .handle = handle, .flags = flags,
				      .fd = -1 };

	*out = -1;
	if (ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &a))
		return -errno;
	*out = a.fd;
	return 0;
}

static int _test_fd_to_handle(int fd, int buf_fd, uint32_t *handle)
{
	struct drm_prime_handle a = { .fd = buf_fd };

	*handle = 0;
	if (ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &a))
		return -errno;
	*handle = a.handle;
	return 0;
}

/*
 * First byte from @from on that differs from fill()'s pattern @seed, or
 * SIZE_MAX.
 */
static size_t check_from(const void *p, size_t from, size_t size,
			 uint64_t seed)
{
	const uint64_t *w = p;
	size_t i;

	for (i = from / 8; i < size / 8; i++)
		if (w[i] != (seed * 0x9e3779b97f4a7c15ull ^ i))
			return i * 8;
	return SIZE_MAX;
}

/*
 * Page tables come and go with the helpers' command buffers: a region's
 * use is compared to within this much.
 */
#define SLACK		(256 * 1024)

static uint64_t region_used(struct ogpu_device *dev, enum ogpu_mem kind)
{
	struct ogpu_mem_region r[4];
	int i, n = ogpu_device_get_mem_regions(dev, r, 4);

	for (i = 0; i < n && i < 4; i++)
		if (r[i].kind == kind)
			return r[i].used;
	return 0;
}

/* Wait up to 2 s for @kind's use on @dev to drop to @max bytes. */
static int wait_used_at_most(struct ogpu_device *dev, enum ogpu_mem kind,
			     uint64_t max)
{
	int i;

	for (i = 0; i < 200; i++) {
		if (region_used(dev, kind) <= max)
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

static int open_sim(unsigned int id, const char *spec, char *node,
		    size_t len, struct ogpu_device **dev)
{
	int ret;

	ogpu_sim_del(id);
	ret = ogpu_sim_new(spec);
	if (!ret)
		ret = ogpu_wait_node(id, node, len);
	if (!ret)
		ret = ogpu_device_open_path(node, dev);
	return ret;
}

FIXTURE(prime) {
	struct ogpu_device *dev;
	struct ogpu_vm *vm;
	struct ogpu_queue *q;
	int vgem;
	char node[64];
};

FIXTURE_SETUP(prime)
{
	char spec[32];

	snprintf(spec, sizeof(spec), "%u %u", A_ID, A_VRAM_MB);
	ASSERT_EQ(0, open_sim(A_ID, spec, self->node, sizeof(self->node),
			      &self->dev));
	ASSERT_EQ(0, ogpu_vm_create(self->dev, &self->vm));
	ASSERT_EQ(0, ogpu_queue_create(self->vm, OGPU_ENGINE_COPY,
				       OGPU_PRIORITY_NORMAL, 0, &self->q));
	/* vgem is in the guest's initramfs (module) or built in. */
	self->vgem = vgem_open();
	ASSERT_LE(0, self->vgem) {
		TH_LOG("no vgem device: %s", strerror(-self->vgem));
	}
}

FIXTURE_TEARDOWN(prime)
{
	if (self->vgem >= 0)
		close(self->vgem);
	/* Closing the device releases what a test left. */
	ogpu_device_close(self->dev);
	ogpu_sim_del(A_ID);
}

/* Import a vgem buffer of @size bytes filled with pattern @seed, bound. */
static void import_vgem(struct __test_metadata *_metadata,
			FIXTURE_DATA(prime) *self, uint64_t size,
			uint64_t seed, uint32_t *vh, void **vmap, int *fd,
			struct ogpu_bo **bo, uint64_t *va)
{
	ASSERT_EQ(0, vgem_bo_new(self->vgem, size, vh, vmap));
	fill(*vmap, size, seed);
	ASSERT_EQ(0, drmPrimeHandleToFD(self->vgem, *vh, DRM_CLOEXEC | DRM_RDWR,
					fd));
	ASSERT_EQ(0, ogpu_bo_import_fd(self->dev, *fd, bo));
	ASSERT_EQ(size, ogpu_bo_size(*bo));
	*va = ogpu_vm_alloc_va(self->vm, size);
	ASSERT_NE(0, *va);
	ASSERT_EQ(0, ogpu_vm_bind(self->vm, *bo, 0, *va, size,
				  OGPU_ACCESS_RW));
}

/*
 * vgem -> OGPU: the copy engine reads the vgem buffer into an OGPU
 * buffer, then fills the vgem buffer; the CPU checks both through their
 * own drivers' mappings.
 */
TEST_F(prime, vgem_buffer_read_and_written_by_copy_engine)
{
	const uint64_t size = 1 * MiB;
	struct ogpu_bo *imp;
	struct buf dst;
	uint32_t vh, *words;
	uint64_t va, i;
	void *vmap;
	int fd;

	import_vgem(_metadata, self, size, 11, &vh, &vmap, &fd, &imp, &va);
	ASSERT_EQ(0, buf_new(self->vm, size, OGPU_MEM_DEVICE, &dst));
	memset(dst.map, 0, size);

	ASSERT_EQ(0, ogpu_copy(self->q, dst.va, va, size));
	EXPECT_EQ(SIZE_MAX, check(dst.map, size, 11));

	ASSERT_EQ(0, ogpu_fill(self->q, va + 4096, size - 8192, 0x5a5aa5a5));
	words = vmap;
	for (i = 0; i < size / 4; i++) {
		uint32_t want = i < 1024 || i >= (size - 4096) / 4 ?
				((uint32_t *)dst.map)[i] : 0x5a5aa5a5;

		ASSERT_EQ(want, words[i]) {
			TH_LOG("word %llu", (unsigned long long)i);
		}
	}
	ogpu_bo_free(imp);
	close(fd);
	ogpu_bo_free(dst.bo);
}

/*
 * The same import written by one job and read back by the next: the
 * pages stay mapped across submissions, and the OGPU's own mmap of the
 * import (forwarded to vgem's) sees them.
 */
TEST_F(prime, import_cpu_map_through_ogpu)
{
	const uint64_t size = 256 * 1024;
	struct ogpu_bo *imp;
	uint32_t vh;
	uint64_t va;
	void *vmap, *omap;
	int fd;

	import_vgem(_metadata, self, size, 12, &vh, &vmap, &fd, &imp, &va);
	ASSERT_EQ(0, ogpu_bo_map(imp, &omap));
	EXPECT_EQ(SIZE_MAX, check(omap, size, 12));
	ASSERT_EQ(0, ogpu_copy(self->q, va, va + size / 2, size / 2));
	EXPECT_EQ(0, memcmp(omap, (char *)vmap + size / 2, size / 2));
	EXPECT_EQ(0, memcmp(vmap, omap, size));
	ogpu_bo_free(imp);
	close(fd);
}

/* The arguments of ogpu_compute_kernels.c's kernels. */
struct kargs {
	uint64_t out;
	uint64_t addr;
	uint32_t n;
	uint32_t pad;
};

/*
 * Compute kernels write a vgem buffer (every thread its word) and then
 * read and write it (atomic adds on words the CPU set through vgem).
 */
TEST_F_TIMEOUT(prime, vgem_buffer_read_and_written_by_compute_kernels, 120)
{
	const uint64_t size = 64 * 1024;
	struct ogpu_launch l = { OGPU_DIM3(16, 1, 1), OGPU_DIM3(64, 1, 1), 0 };
	const struct ogpu_kernel *ids, *atomics;
	struct ogpu_module *mod;
	struct ogpu_queue *cq;
	struct ogpu_bo *imp;
	struct kargs a = { 0 };
	uint32_t vh, *w, i;
	uint64_t va;
	void *vmap;
	int fd;

	import_vgem(_metadata, self, size, 61, &vh, &vmap, &fd, &imp, &va);
	w = vmap;
	ASSERT_EQ(0, ogpu_queue_create(self->vm, OGPU_ENGINE_COMPUTE,
				       OGPU_PRIORITY_NORMAL, 0, &cq));
	ASSERT_EQ(0, ogpu_module_load_file(self->vm,
					   beside_me("ogpu_compute_kernels.elf"),
					   &mod));
	ASSERT_EQ(0, ogpu_module_get_kernel(mod, "ids", &ids));
	ASSERT_EQ(0, ogpu_module_get_kernel(mod, "atomics", &atomics));

	a.out = va;
	a.n = 1024;
	ASSERT_EQ(0, ogpu_launch_kernel(cq, ids, &l, &a, sizeof(a), NULL, 0,
					NULL, 0));
	ASSERT_EQ(0, ogpu_queue_wait_idle(cq));
	for (i = 0; i < 1024; i++)
		ASSERT_EQ(i + 1, w[i]);
	/* Past the grid: vgem's bytes, untouched. */
	EXPECT_EQ(SIZE_MAX, check_from(vmap, 4096, size, 61));

	w[0] = 1000;
	w[1] = 5;
	a.n = 256;
	ASSERT_EQ(0, ogpu_launch_kernel(cq, atomics, &l, &a, sizeof(a), NULL,
					0, NULL, 0));
	ASSERT_EQ(0, ogpu_queue_wait_idle(cq));
	EXPECT_EQ(1000 + 256, w[0]);
	EXPECT_EQ(5 + 255 * 256 / 2, w[1]);

	ogpu_queue_destroy(cq);
	ogpu_module_unload(mod);
	ogpu_bo_free(imp);
	close(fd);
}

/*
 * OGPU -> vgem, for a buffer in VRAM and one in host memory: the GPU
 * writes, vgem imports (a non-dynamic importer: the buffer is pinned in
 * host memory), the CPU reads through the dma-buf; the GPU writes again
 * through its unchanged binding and the dma-buf sees it.
 */
static void export_to_vgem(struct __test_metadata *_metadata,
			   FIXTURE_DATA(prime) *self, enum ogpu_mem mem)
{
	const uint64_t size = 8 * MiB;
	uint64_t vram_before, vram_pinned = 0;
	struct buf b;
	uint32_t vh;
	uint8_t *p;
	int fd;

	ASSERT_EQ(0, buf_new(self->vm, size, mem, &b));
	fill(b.map, size, 21);
	ASSERT_EQ(0, ogpu_fill(self->q, b.va, 4096, 0x01020304));
	vram_before = region_used(self->dev, OGPU_MEM_DEVICE);

	ASSERT_EQ(0, ogpu_bo_export_fd(b.bo, &fd));
	ASSERT_EQ(0, drmPrimeFDToHandle(self->vgem, fd, &vh));
	ASSERT_NE(0, vh);
	if (mem == OGPU_MEM_DEVICE) {
		/* Pinned for vgem: moved out of VRAM, to host memory. */
		vram_pinned = region_used(self->dev, OGPU_MEM_DEVICE);
		EXPECT_GE(vram_before + SLACK, vram_pinned + size);
	}

	p = dmabuf_mmap(fd, size);
	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, dmabuf_sync(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ));
	EXPECT_EQ(0x01020304, *(uint32_t *)p);
	EXPECT_EQ(SIZE_MAX, check_from(p, 4096, size, 21));
	ASSERT_EQ(0, dmabuf_sync(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ));

	/* The binding follows the move; validation keeps the pin. */
	ASSERT_EQ(0, ogpu_fill(self->q, b.va, size, 0xcafef00d));
	ASSERT_EQ(0, dmabuf_sync(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ));
	EXPECT_EQ(0xcafef00d, ((uint32_t *)p)[0]);
	EXPECT_EQ(0xcafef00d, ((uint32_t *)p)[size / 4 - 1]);
	EXPECT_EQ(0, memcmp(p, b.map, size));
	ASSERT_EQ(0, dmabuf_sync(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ));
	if (mem == OGPU_MEM_DEVICE)
		EXPECT_GE(vram_pinned + SLACK,
			  region_used(self->dev, OGPU_MEM_DEVICE));

	/* The CPU writes through the dma-buf, the GPU copies it out. */
	fill(p, size, 22);
	ASSERT_EQ(0, ogpu_copy(self->q, b.va, b.va + size / 2, size / 2));
	EXPECT_EQ(0, memcmp(b.map, p + size / 2, size / 2));
	munmap(p, size);

	EXPECT_EQ(0, drmCloseBufferHandle(self->vgem, vh));
	close(fd);
	ogpu_bo_free(b.bo);
}

TEST_F(prime, export_vram_buffer_to_vgem)
{
	export_to_vgem(_metadata, self, OGPU_MEM_DEVICE);
}

TEST_F(prime, export_host_buffer_to_vgem)
{
	export_to_vgem(_metadata, self, OGPU_MEM_HOST);
}

/* Once vgem lets go, the buffer goes back to VRAM with the next job. */
TEST_F(prime, vram_buffer_returns_to_vram_after_unpin)
{
	const uint64_t size = 4 * MiB;
	uint64_t before;
	struct buf b;
	uint32_t vh;
	int fd;

	ASSERT_EQ(0, buf_new(self->vm, size, OGPU_MEM_DEVICE, &b));
	fill(b.map, size, 31);
	ASSERT_EQ(0, ogpu_bo_export_fd(b.bo, &fd));
	ASSERT_EQ(0, drmPrimeFDToHandle(self->vgem, fd, &vh));
	before = region_used(self->dev, OGPU_MEM_DEVICE);
	EXPECT_EQ(0, drmCloseBufferHandle(self->vgem, vh));
	close(fd);
	ASSERT_EQ(0, ogpu_fill(self->q, b.va, 4096, 0));
	EXPECT_LE(before + size - SLACK,
		  region_used(self->dev, OGPU_MEM_DEVICE));
	EXPECT_EQ(SIZE_MAX, check_from(b.map, 4096, size, 31));
	ogpu_bo_free(b.bo);
}

/* Importing one's own dma-buf gives the same handle and buffer. */
/* No link reaches another driver's buffer: a link-only import fails. */
TEST_F(prime, link_only_import_of_vgem_buffer_fails)
{
	enum ogpu_p2p_path path;
	struct ogpu_bo *bo = NULL;
	uint32_t vh;
	void *vmap;
	int fd;

	ASSERT_EQ(0, vgem_bo_new(self->vgem, 64 * 1024, &vh, &vmap));
	ASSERT_EQ(0, drmPrimeHandleToFD(self->vgem, vh, DRM_CLOEXEC | DRM_RDWR,
					&fd));
	EXPECT_EQ(-ENOLINK, ogpu_bo_import_fd_flags(self->dev, fd,
						    OGPU_IMPORT_LINK_ONLY,
						    &bo, &path));
	EXPECT_EQ(NULL, bo);
	/* Without the flag: through host memory. */
	ASSERT_EQ(0, ogpu_bo_import_fd_flags(self->dev, fd, 0, &bo, &path));
	EXPECT_EQ(OGPU_P2P_PATH_NONE, path);
	ogpu_bo_free(bo);
	close(fd);
	munmap(vmap, 64 * 1024);
	EXPECT_EQ(0, drmCloseBufferHandle(self->vgem, vh));
}

TEST_F(prime, self_import_gives_same_handle)
{
	struct ogpu_bo *bo, *again;
	uint32_t h;
	int fd;

	ASSERT_EQ(0, ogpu_bo_create(self->dev, 64 * 1024,
				    OGPU_MEM_DEVICE_OR_HOST, &bo));
	ASSERT_EQ(0, ogpu_bo_export_fd(bo, &fd));
	ASSERT_EQ(0, drmPrimeFDToHandle(ogpu_device_fd(self->dev), fd, &h));
	EXPECT_EQ(ogpu_bo_handle(bo), h);
	ASSERT_EQ(0, ogpu_bo_import_fd(self->dev, fd, &again));
	EXPECT_EQ(bo, again);
	/* Two references: the handle outlives the first free. */
	ogpu_bo_free(again);
	EXPECT_EQ(0, ogpu_bo_map(bo, (void **)&again));
	ogpu_bo_free(bo);
	close(fd);
}

/* A dma-buf imported twice gives one handle, as the DRM core promises. */
TEST_F(prime, import_twice_gives_same_handle)
{
	uint32_t vh, h1, h2;
	void *vmap;
	int fd, ofd = ogpu_device_fd(self->dev);

	ASSERT_EQ(0, vgem_bo_new(self->vgem, 64 * 1024, &vh, &vmap));
	ASSERT_EQ(0, drmPrimeHandleToFD(self->vgem, vh, DRM_CLOEXEC, &fd));
	ASSERT_EQ(0, drmPrimeFDToHandle(ofd, fd, &h1));
	ASSERT_EQ(0, drmPrimeFDToHandle(ofd, fd, &h2));
	EXPECT_EQ(h1, h2);
	EXPECT_EQ(0, drmCloseBufferHandle(ofd, h1));
	close(fd);
}

/* Re-exporting an import gives back the exporter's dma-buf. */
TEST_F(prime, reexport_of_import_is_the_original)
{
	uint32_t vh, h, vh2;
	void *vmap;
	int fd, fd2, ofd = ogpu_device_fd(self->dev);

	ASSERT_EQ(0, vgem_bo_new(self->vgem, 64 * 1024, &vh, &vmap));
	ASSERT_EQ(0, drmPrimeHandleToFD(self->vgem, vh, DRM_CLOEXEC, &fd));
	ASSERT_EQ(0, drmPrimeFDToHandle(ofd, fd, &h));
	ASSERT_EQ(0, drmPrimeHandleToFD(ofd, h, DRM_CLOEXEC, &fd2));
	/* vgem finds its own buffer again. */
	ASSERT_EQ(0, drmPrimeFDToHandle(self->vgem, fd2, &vh2));
	EXPECT_EQ(vh, vh2);
	close(fd2);
	close(fd);
}

TEST_F(prime, handle_to_fd_rejects_unknown_flags)
{
	struct ogpu_bo *bo;
	int fd;

	ASSERT_EQ(0, ogpu_bo_create(self->dev, 4096, OGPU_MEM_HOST, &bo));
	EXPECT_EQ(-EINVAL, _test_handle_to_fd(ogpu_device_fd(self->dev),
					      ogpu_bo_handle(bo),
					      DRM_CLOEXEC | (1u << 20), &fd));
	ogpu_bo_free(bo);
}

TEST_F(prime, handle_to_fd_rejects_unknown_handle)
{
	int fd;

	EXPECT_EQ(-ENOENT, _test_handle_to_fd(ogpu_device_fd(self->dev),
					      0xdead, DRM_CLOEXEC, &fd));
}

TEST_F(prime, fd_to_handle_rejects_closed_fd)
{
	uint32_t h;

	EXPECT_EQ(-EBADF, _test_fd_to_handle(ogpu_device_fd(self->dev), 999,
					     &h));
}

TEST_F(prime, fd_to_handle_rejects_non_dmabuf)
{
	uint32_t h;
	int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, _test_fd_to_handle(ogpu_device_fd(self->dev), fd,
					      &h));
	close(fd);
}

TEST_F(prime, import_fd_rejects_bad_fd)
{
	struct ogpu_bo *bo;

	EXPECT_EQ(-EBADF, ogpu_bo_import_fd(self->dev, 999, &bo));
}

/*
 * Close orders, each ending with nothing held: host memory back to where
 * it was once the fd, the handle and vgem's import are all gone.
 */
enum order { FD_FIRST, HANDLE_FIRST, IMPORTER_FIRST };

static void close_order(struct __test_metadata *_metadata,
			FIXTURE_DATA(prime) *self, enum order order)
{
	const uint64_t size = 4 * MiB;
	uint64_t base = region_used(self->dev, OGPU_MEM_HOST);
	struct ogpu_bo *bo;
	uint32_t vh;
	void *bmap;
	uint8_t *p;
	int fd;

	ASSERT_EQ(0, ogpu_bo_create(self->dev, size, OGPU_MEM_HOST, &bo));
	ASSERT_EQ(0, ogpu_bo_map(bo, &bmap));
	fill(bmap, size, 41);
	ASSERT_EQ(0, ogpu_bo_export_fd(bo, &fd));
	ASSERT_EQ(0, drmPrimeFDToHandle(self->vgem, fd, &vh));
	p = dmabuf_mmap(fd, size);
	ASSERT_NE(NULL, p);

	switch (order) {
	case FD_FIRST:
		close(fd);
		ogpu_bo_free(bo);
		break;
	case HANDLE_FIRST:
		ogpu_bo_free(bo);
		close(fd);
		break;
	case IMPORTER_FIRST:
		EXPECT_EQ(0, drmCloseBufferHandle(self->vgem, vh));
		ogpu_bo_free(bo);
		close(fd);
		vh = 0;
		break;
	}
	/* The mapping and vgem still hold the buffer; the bytes are there. */
	EXPECT_EQ(SIZE_MAX, check(p, size, 41));
	munmap(p, size);
	if (vh)
		EXPECT_EQ(0, drmCloseBufferHandle(self->vgem, vh));
	EXPECT_EQ(0, wait_used_at_most(self->dev, OGPU_MEM_HOST, base));
}

TEST_F(prime, close_fd_then_handle)
{
	close_order(_metadata, self, FD_FIRST);
}

TEST_F(prime, close_handle_then_fd)
{
	close_order(_metadata, self, HANDLE_FIRST);
}

TEST_F(prime, close_importer_then_exporter)
{
	close_order(_metadata, self, IMPORTER_FIRST);
}

/*
 * Import side, the other order: vgem's handle, its mapping and the
 * dma-buf fd all go before the import is even bound; the import keeps
 * vgem's pages, and the GPU reads them.
 */
TEST_F(prime, import_outlives_fd_and_exporter_handle)
{
	const uint64_t size = 128 * 1024;
	struct ogpu_bo *imp;
	struct buf dst;
	uint32_t vh;
	uint64_t va;
	void *vmap;
	int fd;

	ASSERT_EQ(0, vgem_bo_new(self->vgem, size, &vh, &vmap));
	fill(vmap, size, 81);
	ASSERT_EQ(0, drmPrimeHandleToFD(self->vgem, vh, DRM_CLOEXEC, &fd));
	ASSERT_EQ(0, ogpu_bo_import_fd(self->dev, fd, &imp));
	close(fd);
	munmap(vmap, size);
	EXPECT_EQ(0, drmCloseBufferHandle(self->vgem, vh));

	va = ogpu_vm_alloc_va(self->vm, size);
	ASSERT_EQ(0, ogpu_vm_bind(self->vm, imp, 0, va, size, OGPU_ACCESS_RW));
	ASSERT_EQ(0, buf_new(self->vm, size, OGPU_MEM_HOST, &dst));
	ASSERT_EQ(0, ogpu_copy(self->q, dst.va, va, size));
	EXPECT_EQ(SIZE_MAX, check(dst.map, size, 81));
	ASSERT_EQ(0, ogpu_vm_unbind(self->vm, va, size));
	ogpu_bo_free(imp);
	ogpu_bo_free(dst.bo);
}

/*
 * A freed import leaves no mapping behind: while bound, the VM keeps the
 * buffer (and vgem's pages) alive, whoever closed what; once unbound, the
 * range faults.
 */
TEST_F(prime, freed_import_leaves_no_mapping)
{
	const uint64_t size = 64 * 1024;
	struct ogpu_queue_error err;
	struct ogpu_queue *q2;
	struct ogpu_bo *imp;
	struct buf dst;
	uint32_t vh;
	uint64_t va;
	void *vmap;
	int fd;

	import_vgem(_metadata, self, size, 51, &vh, &vmap, &fd, &imp, &va);
	ASSERT_EQ(0, buf_new(self->vm, size, OGPU_MEM_HOST, &dst));
	ogpu_bo_free(imp);
	close(fd);
	munmap(vmap, size);
	EXPECT_EQ(0, drmCloseBufferHandle(self->vgem, vh));

	ASSERT_EQ(0, ogpu_copy(self->q, dst.va, va, size));
	EXPECT_EQ(SIZE_MAX, check(dst.map, size, 51));

	ASSERT_EQ(0, ogpu_vm_unbind(self->vm, va, size));
	ASSERT_EQ(0, ogpu_queue_create(self->vm, OGPU_ENGINE_COPY,
				       OGPU_PRIORITY_NORMAL, 0, &q2));
	EXPECT_EQ(-EIO, ogpu_copy(q2, dst.va, va, size));
	ASSERT_EQ(0, ogpu_queue_get_error(q2, &err));
	ogpu_queue_destroy(q2);
	ogpu_bo_free(dst.bo);
}

struct closer {
	int fd;
	uint32_t handle;
};

static void *close_handle_main(void *arg)
{
	struct closer *c = arg;

	drmCloseBufferHandle(c->fd, c->handle);
	return NULL;
}

/*
 * Another thread closes the handle while this one exports it: the export
 * either wins (a working dma-buf that keeps the buffer) or fails with
 * -ENOENT; nothing leaks either way.
 */
TEST_F_TIMEOUT(prime, handle_closed_by_another_thread, 120)
{
	int ofd = ogpu_device_fd(self->dev), i, won = 0;
	uint64_t base = region_used(self->dev, OGPU_MEM_HOST);

	for (i = 0; i < 200; i++) {
		struct drm_ogpu_bo_create c = {
			.size = 64 * 1024, .flags = DRM_OGPU_BO_SYSTEM,
		};
		struct closer cl = { .fd = ofd };
		pthread_t t;
		uint32_t vh;
		int fd, ret;

		ASSERT_EQ(0, drmIoctl(ofd, DRM_IOCTL_OGPU_BO_CREATE, &c));
		cl.handle = c.handle;
		ASSERT_EQ(0, pthread_create(&t, NULL, close_handle_main, &cl));
		ret = _test_handle_to_fd(ofd, c.handle, DRM_CLOEXEC, &fd);
		ASSERT_EQ(0, pthread_join(t, NULL));
		if (ret) {
			ASSERT_EQ(-ENOENT, ret);
			continue;
		}
		won++;
		/* The dma-buf works without the handle. */
		ASSERT_EQ(0, drmPrimeFDToHandle(self->vgem, fd, &vh));
		EXPECT_EQ(0, drmCloseBufferHandle(self->vgem, vh));
		close(fd);
	}
	TH_LOG("%d of 200 exports won the race", won);
	EXPECT_EQ(0, wait_used_at_most(self->dev, OGPU_MEM_HOST, base));
}

/* A second OGPU, with a VM, a copy queue and a host buffer. */
struct peer {
	struct ogpu_device *dev;
	struct ogpu_vm *vm;
	struct ogpu_queue *q;
	struct buf dst;
	char node[64];
};

static int peer_open(struct peer *b, uint64_t size)
{
	int ret = open_sim(B_ID, "237 32", b->node, sizeof(b->node), &b->dev);

	if (!ret)
		ret = ogpu_vm_create(b->dev, &b->vm);
	if (!ret)
		ret = ogpu_queue_create(b->vm, OGPU_ENGINE_COPY,
					OGPU_PRIORITY_NORMAL, 0, &b->q);
	if (!ret)
		ret = buf_new(b->vm, size, OGPU_MEM_HOST, &b->dst);
	return ret;
}

static void peer_close(struct peer *b)
{
	/* A CPU mapping would keep the file, and all it holds, open. */
	ogpu_bo_free(b->dst.bo);
	ogpu_device_close(b->dev);
	ogpu_sim_del(B_ID);
}

/* B imports @fd and binds it; 0 or -errno. */
static int peer_import(struct peer *b, int fd, uint64_t size,
		       struct ogpu_bo **imp, uint64_t *va)
{
	int ret = ogpu_bo_import_fd(b->dev, fd, imp);

	*va = ogpu_vm_alloc_va(b->vm, size);
	if (!ret)
		ret = ogpu_vm_bind(b->vm, *imp, 0, *va, size, OGPU_ACCESS_RW);
	return ret;
}

/*
 * A's buffer is in VRAM again within 2 s of A's next jobs: nothing pins
 * it any more (an import is freed by TTM's delayed delete).
 */
static int back_in_vram(struct ogpu_device *dev, struct ogpu_queue *q,
			struct buf *a)
{
	int i;

	for (i = 0; i < 200; i++) {
		if (ogpu_fill(q, a->va + a->size - 4096, 4, 0))
			return -EIO;
		if (region_used(dev, OGPU_MEM_DEVICE) >= a->size)
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

/*
 * Two OGPUs: B imports A's buffer as any foreign dma-buf (a dynamic
 * attachment, through host memory), and both write and read it in turn.
 * With CONFIG_DMABUF_MOVE_NOTIFY, A's own jobs take the buffer back to
 * VRAM and B, told by move_notify, maps the new pages at its next job;
 * without it (Debian's kernel) B's mapping pins the buffer in host memory.
 * Either way every byte is right, and once B frees its import A's buffer
 * goes back to VRAM.
 */
TEST_F_TIMEOUT(prime, exporter_moves_buffer_importer_follows, 120)
{
	const uint64_t size = 2 * MiB;
	struct ogpu_bo *imp;
	struct peer b;
	struct buf a;
	uint64_t bva;
	int fd, round, moved = 0;

	ASSERT_EQ(0, peer_open(&b, size));
	ASSERT_EQ(0, buf_new(self->vm, size, OGPU_MEM_DEVICE, &a));
	ASSERT_EQ(0, ogpu_bo_export_fd(a.bo, &fd));
	ASSERT_EQ(0, peer_import(&b, fd, size, &imp, &bva));

	for (round = 0; round < 4; round++) {
		uint32_t value = 0x11111111u * (round + 1);
		uint32_t *w = (uint32_t *)b.dst.map;
		uint64_t i;

		ASSERT_EQ(0, ogpu_fill(self->q, a.va, size, value));
		if (region_used(self->dev, OGPU_MEM_DEVICE) >= size)
			moved++;
		memset(b.dst.map, 0, size);
		ASSERT_EQ(0, ogpu_copy(b.q, b.dst.va, bva, size));
		for (i = 0; i < size / 4; i++)
			ASSERT_EQ(value, w[i]) {
				TH_LOG("round %d word %llu", round,
				       (unsigned long long)i);
			}
		/* B writes, A reads in its next job. */
		ASSERT_EQ(0, ogpu_fill(b.q, bva, 4096, ~value));
		ASSERT_EQ(0, ogpu_copy(self->q, a.va + 4096, a.va, 4096));
		EXPECT_EQ(~value, ((uint32_t *)a.map)[1024]);
		EXPECT_EQ(~value, ((uint32_t *)a.map)[2047]);
	}
	TH_LOG("A's jobs found the buffer in VRAM %d times of 4 (%s)", moved,
	       moved ? "move_notify" : "pinned while mapped");

	ASSERT_EQ(0, ogpu_vm_unbind(b.vm, bva, size));
	ogpu_bo_free(imp);
	EXPECT_EQ(0, back_in_vram(self->dev, self->q, &a));
	close(fd);
	ogpu_bo_free(a.bo);
	peer_close(&b);
}

/*
 * B imports and maps A's host buffer while A's job that fills it waits on
 * a semaphore: neither the import nor the bind waits for A's work (the
 * buffer stays where it is, and an import's reservation is A's, full of
 * A's fences), so that devices waiting on each other, as a collective's
 * ranks in separate processes do, never deadlock until a timeout. Then
 * A's job runs and B reads what it wrote.
 */
TEST_F_TIMEOUT(prime, import_does_not_wait_for_exporters_work, 60)
{
	const uint64_t size = 64 * 1024;
	struct ogpu_cmdbuf *cb;
	struct ogpu_bo *imp;
	struct ogpu_sync s = { 0, 0 };
	struct buf a, sem;
	struct peer b;
	uint64_t bva, i, bad;
	int fd;

	ASSERT_EQ(0, peer_open(&b, size));
	ASSERT_EQ(0, buf_new(self->vm, size, OGPU_MEM_HOST, &a));
	ASSERT_EQ(0, buf_new(self->vm, 4096, OGPU_MEM_HOST, &sem));
	memset(sem.map, 0, 8);
	ASSERT_EQ(0, ogpu_cmdbuf_create(self->vm, 4096, &cb));
	ASSERT_EQ(0, ogpu_cmd_sem_wait(cb, sem.va, 1));
	ASSERT_EQ(0, ogpu_cmd_fill(cb, a.va, size, 0x5a5a5a5au));
	ASSERT_EQ(0, submit_sync(self->q, self->dev, cb, &s.syncobj));

	ASSERT_EQ(0, ogpu_bo_export_fd(a.bo, &fd));
	ASSERT_EQ(0, peer_import(&b, fd, size, &imp, &bva));
	/* A's job is still waiting: B did not wait for it. */
	EXPECT_EQ(-ETIME, ogpu_syncobj_wait(self->dev, &s, 1, 0));

	__atomic_store_n((uint64_t *)sem.map, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(0, wait_ms(self->dev, s.syncobj, 10000));
	EXPECT_EQ(0, ogpu_syncobj_error(self->dev, s.syncobj));
	ASSERT_EQ(0, ogpu_copy(b.q, b.dst.va, bva, size));
	for (i = 0, bad = 0; i < size / 4; i++)
		bad += ((uint32_t *)b.dst.map)[i] != 0x5a5a5a5au;
	EXPECT_EQ(0, bad);

	ogpu_syncobj_destroy(self->dev, s.syncobj);
	ogpu_cmdbuf_destroy(cb);
	ASSERT_EQ(0, ogpu_vm_unbind(b.vm, bva, size));
	ogpu_bo_free(imp);
	close(fd);
	ogpu_bo_free(sem.bo);
	ogpu_bo_free(a.bo);
	peer_close(&b);
}

/*
 * A's buffer moves while B holds it, then while B let go of it: A's own
 * job takes it back to VRAM, and new buffers (twice A's VRAM) evict it to
 * new host pages. B reads every byte through its import, and through a
 * new import of the same dma-buf.
 */
TEST_F_TIMEOUT(prime, exporter_evicted_under_pressure, 180)
{
	const uint64_t size = 4 * MiB;
	enum { N = 2 * A_VRAM_MB / 4 };
	struct ogpu_bo *imp, *other[N];
	struct peer b;
	struct buf a;
	uint64_t bva;
	uint32_t *w;
	int fd, i, pass;
	void *p;

	ASSERT_EQ(0, peer_open(&b, size));
	w = (uint32_t *)b.dst.map;
	ASSERT_EQ(0, buf_new(self->vm, size, OGPU_MEM_DEVICE, &a));
	ASSERT_EQ(0, ogpu_fill(self->q, a.va, size, 0x600df00d));
	ASSERT_EQ(0, ogpu_bo_export_fd(a.bo, &fd));
	ASSERT_EQ(0, peer_import(&b, fd, size, &imp, &bva));
	ASSERT_EQ(0, ogpu_copy(b.q, b.dst.va, bva, size));
	EXPECT_EQ(0x600df00d, w[size / 4 - 1]);

	for (pass = 0; pass < 2; pass++) {
		uint32_t mark = 0x0badcafe + pass;

		if (pass == 1) {
			/* B lets go: nothing pins A's buffer now. */
			ASSERT_EQ(0, ogpu_vm_unbind(b.vm, bva, size));
			ogpu_bo_free(imp);
			ASSERT_EQ(0, back_in_vram(self->dev, self->q, &a));
		}
		/* Back to VRAM with A's next job, then evicted. */
		ASSERT_EQ(0, ogpu_fill(self->q, a.va, 4096, mark));
		for (i = 0; i < N; i++) {
			ASSERT_EQ(0, ogpu_bo_create(self->dev, size,
						    OGPU_MEM_DEVICE,
						    &other[i]));
			ASSERT_EQ(0, ogpu_bo_map(other[i], &p));
			memset(p, i, size);
		}
		if (pass == 1)
			ASSERT_EQ(0, peer_import(&b, fd, size, &imp, &bva));

		memset(b.dst.map, 0, size);
		ASSERT_EQ(0, ogpu_copy(b.q, b.dst.va, bva, size));
		EXPECT_EQ(mark, w[0]);
		EXPECT_EQ(mark, w[1023]);
		/* The last page was zeroed by back_in_vram(). */
		for (i = 1024; i < (int)(size / 4) - 1024; i++)
			ASSERT_EQ(0x600df00d, w[i]) {
				TH_LOG("pass %d word %d", pass, i);
			}
		for (i = 0; i < N; i++)
			ogpu_bo_free(other[i]);
	}

	ogpu_bo_free(imp);
	close(fd);
	ogpu_bo_free(a.bo);
	peer_close(&b);
}

/*
 * An importing device goes right after its import was freed (TTM deletes
 * an import in the background, after the GPU is done with it), removed
 * before or after its file is closed: the teardown waits for the delete,
 * leaks nothing and warns of nothing (the harness checks the kernel log).
 * Twenty times, to meet the race.
 */
TEST_F_TIMEOUT(prime, importer_device_removed_right_after_free, 120)
{
	const uint64_t size = 256 * 1024;
	uint64_t base = region_used(self->dev, OGPU_MEM_HOST);
	struct ogpu_bo *imp;
	struct peer b;
	struct buf a;
	uint64_t bva;
	int fd, i;

	ASSERT_EQ(0, buf_new(self->vm, size, OGPU_MEM_HOST, &a));
	fill(a.map, size, 71);
	ASSERT_EQ(0, ogpu_bo_export_fd(a.bo, &fd));
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, peer_open(&b, size));
		ASSERT_EQ(0, peer_import(&b, fd, size, &imp, &bva));
		ASSERT_EQ(0, ogpu_copy(b.q, b.dst.va, bva, size));
		ASSERT_EQ(SIZE_MAX, check(b.dst.map, size, 71));
		ogpu_bo_free(imp);
		if (!(i & 1)) {
			peer_close(&b);
			continue;
		}
		/*
		 * Unplugged with the import still bound: closing the file
		 * frees the import and then, at once, the device.
		 */
		ASSERT_EQ(0, ogpu_sim_del(B_ID));
		ogpu_bo_free(b.dst.bo);
		ogpu_device_close(b.dev);
	}
	/* A's buffer is A's alone again: it goes with its last holder. */
	EXPECT_EQ(SIZE_MAX, check(a.map, size, 71));
	close(fd);
	ASSERT_EQ(0, ogpu_vm_unbind(self->vm, a.va, size));
	ogpu_bo_free(a.bo);
	EXPECT_EQ(0, wait_used_at_most(self->dev, OGPU_MEM_HOST, base));
}

TEST_HARNESS_MAIN
