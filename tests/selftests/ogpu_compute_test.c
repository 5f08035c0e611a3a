// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Compute units end to end: kernels built by ogpu-cc, loaded by libogpu,
 * launched on compute queues. The examples; thread identity, divergence
 * and atomics; each way a kernel can fail, ending as an error on its own
 * queue while another process's kernels keep running; launch validation;
 * module loading errors; two compute queues and the copy engine at once.
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "ogpu_packets.h"
#include "ogpu_test.h"

#include "kselftest_harness.h"

#define UNMAPPED	0x7000000ull
#define OUT_BYTES	(256u << 10)

struct kargs {
	uint64_t out;
	uint64_t addr;
	uint32_t n;
	uint32_t pad;
};

/* A program of /ogpu/bin (or $OGPU_EXAMPLES), with its arguments. */
static int run_example(const char *cmd)
{
	const char *dir = getenv("OGPU_EXAMPLES") ?: "/ogpu/bin";
	char line[PATH_MAX];
	int status;

	snprintf(line, sizeof(line), "%s/%s > /tmp/example.out 2>&1", dir, cmd);
	status = system(line);
	if (status) {
		system("cat /tmp/example.out");
		return -1;
	}
	return 0;
}

/* The examples, each a program that checks its own results. */
FIXTURE(example) {
};

FIXTURE_SETUP(example)
{
}

FIXTURE_TEARDOWN(example)
{
}

TEST_F_TIMEOUT(example, vecadd, 120) { ASSERT_EQ(0, run_example("vecadd")); }
TEST_F_TIMEOUT(example, saxpy, 120) { ASSERT_EQ(0, run_example("saxpy")); }
TEST_F_TIMEOUT(example, reduce, 120) { ASSERT_EQ(0, run_example("reduce 100003")); }
TEST_F_TIMEOUT(example, histogram, 120) { ASSERT_EQ(0, run_example("histogram 200000")); }
TEST_F_TIMEOUT(example, sgemm_on_every_device, 120) { ASSERT_EQ(0, run_example("sgemm 32")); }
TEST_F_TIMEOUT(example, mandelbrot, 120) { ASSERT_EQ(0, run_example("mandelbrot")); }

/*
 * Another process that launches kernels and checks their results until it
 * is told to stop: what a failing kernel must not disturb.
 */
struct bystander {
	pid_t pid;
	int *rounds;	/* shared: rounds done, or -1 on a wrong result */
};

static void bystander_run(volatile int *rounds)
{
	const struct ogpu_kernel *k;
	struct ogpu_module *mod;
	struct ogpu_ctx *ctx;
	struct kargs a = { .n = 1024 };
	static uint32_t out[1024];

	if (ogpu_ctx_create(0, &ctx) ||
	    ogpu_ctx_load_module(ctx, beside_me("ogpu_compute_kernels.elf"),
				 &mod) ||
	    ogpu_module_get_kernel(mod, "ids", &k) ||
	    ogpu_malloc(ctx, sizeof(out), &a.out))
		_exit(1);
	for (;;) {
		memset(out, 0, sizeof(out));
		if (ogpu_memcpy_htod(ctx, a.out, out, sizeof(out)) ||
		    ogpu_launch(ctx, NULL, k, OGPU_DIM3(8, 1, 1),
				OGPU_DIM3(128, 1, 1), 0, &a, sizeof(a)) ||
		    ogpu_memcpy_dtoh(ctx, out, a.out, sizeof(out)))
			_exit(2);
		for (int i = 0; i < 1024; i++)
			if (out[i] != (uint32_t)i + 1) {
				*rounds = -1;
				_exit(3);
			}
		(*rounds)++;
	}
}

static void bystander_start(struct __test_metadata *_metadata,
			    struct bystander *b)
{
	b->rounds = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, b->rounds);
	*b->rounds = 0;
	b->pid = fork();
	ASSERT_GE(b->pid, 0);
	if (!b->pid)
		bystander_run(b->rounds);
	/* Let it finish a round first: it is up and running. */
	for (int i = 0; i < 3000 && !*b->rounds; i++)
		usleep(10000);
	ASSERT_LT(0, *b->rounds);
}

/* Stop it after it did @more rounds since now; check it never failed. */
static void bystander_stop(struct __test_metadata *_metadata,
			   struct bystander *b, int more)
{
	int start = *b->rounds, status;

	for (int i = 0; i < 3000 && *b->rounds >= 0 &&
	     *b->rounds < start + more; i++)
		usleep(10000);
	kill(b->pid, SIGKILL);
	ASSERT_EQ(b->pid, waitpid(b->pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status)) {
		TH_LOG("bystander exited with %d", WEXITSTATUS(status));
	}
	EXPECT_LE(start + more, *b->rounds);
	munmap(b->rounds, 4096);
}

FIXTURE(cu) {
	struct ogpu_ctx *ctx;
	struct ogpu_stream *s;
	struct ogpu_module *mod;
	struct ogpu_compute_props cp;
	struct kargs a;
	uint32_t *out;
};

FIXTURE_SETUP(cu)
{
	ASSERT_EQ(0, ogpu_ctx_create(0, &self->ctx));
	ASSERT_EQ(0, ogpu_device_get_compute_props(ogpu_ctx_device(self->ctx),
						   &self->cp));
	ASSERT_EQ(0, ogpu_stream_create(self->ctx, &self->s));
	ASSERT_EQ(0, ogpu_ctx_load_module(self->ctx,
					  beside_me("ogpu_compute_kernels.elf"),
					  &self->mod));
	ASSERT_EQ(0, ogpu_malloc(self->ctx, OUT_BYTES, &self->a.out));
	ASSERT_EQ(0, ogpu_memset_d32(self->ctx, self->a.out, 0,
				     OUT_BYTES / 4));
	self->out = calloc(1, OUT_BYTES);
	ASSERT_NE(NULL, self->out);
}

FIXTURE_TEARDOWN(cu)
{
	free(self->out);
	ogpu_stream_destroy(self->s);
	ogpu_ctx_destroy(self->ctx);
}

static const struct ogpu_kernel *kernel(struct __test_metadata *_metadata,
					FIXTURE_DATA(cu) *self,
					const char *name)
{
	const struct ogpu_kernel *k = NULL;

	EXPECT_EQ(0, ogpu_module_get_kernel(self->mod, name, &k)) {
		TH_LOG("no kernel %s", name);
	}
	return k;
}

/* Launch @name on the fixture's stream and wait: how it ended. */
static int launch(struct __test_metadata *_metadata, FIXTURE_DATA(cu) *self,
		  const char *name, struct ogpu_dim3 grid,
		  struct ogpu_dim3 block, uint32_t shared)
{
	const struct ogpu_kernel *k = kernel(_metadata, self, name);
	int ret;

	if (!k)
		return -ENOENT;
	ret = ogpu_launch(self->ctx, self->s, k, grid, block, shared,
			  &self->a, sizeof(self->a));
	return ret ? ret : ogpu_stream_synchronize(self->s);
}

static void read_out(struct __test_metadata *_metadata,
		     FIXTURE_DATA(cu) *self)
{
	ASSERT_EQ(0, ogpu_memcpy_dtoh(self->ctx, self->out, self->a.out,
				      OUT_BYTES));
}

TEST_F(cu, props_name_the_isa_and_limits)
{
	EXPECT_STREQ("rv64imafd_zicsr_zifencei", self->cp.isa);
	EXPECT_EQ(1024, self->cp.max_block);
	EXPECT_EQ(65536, self->cp.shared_max);
	EXPECT_EQ(1024, self->cp.private_bytes);
	EXPECT_EQ(1, self->cp.csr_version);
	EXPECT_LT(0, self->cp.num_cus);
	EXPECT_LT(0, self->cp.warp_size);
}

TEST_F(cu, every_thread_of_a_3d_grid_knows_its_place)
{
	uint32_t n = 3 * 2 * 2 * 4 * 3 * 2;

	self->a.n = n;
	ASSERT_EQ(0, launch(_metadata, self, "ids", OGPU_DIM3(3, 2, 2),
			    OGPU_DIM3(4, 3, 2), 0));
	read_out(_metadata, self);
	for (uint32_t i = 0; i < n; i++) {
		ASSERT_EQ(i + 1, self->out[i]) {
			TH_LOG("thread %u", i);
		}
	}
	EXPECT_EQ(0, self->out[n]);
}

TEST_F(cu, the_thread_instruction_counter_counts_every_thread)
{
	struct ogpu_device *dev = ogpu_ctx_device(self->ctx);
	uint64_t before, after;

	ASSERT_EQ(0, ogpu_device_get_cu_insns(dev, &before));
	self->a.n = 4096;
	ASSERT_EQ(0, launch(_metadata, self, "ids", OGPU_DIM3(16, 1, 1),
			    OGPU_DIM3(256, 1, 1), 0));
	ASSERT_EQ(0, ogpu_device_get_cu_insns(dev, &after));
	/* ids runs at least 10 instructions in each of 4096 threads. */
	EXPECT_LE(before + 4096 * 10, after);
	/* and not 1000 (other processes' kernels may add some). */
	EXPECT_GT(before + 4096 * 1000ull, after);
}

TEST_F(cu, divergent_loops_and_early_returns_reconverge)
{
	self->a.n = 1000;
	ASSERT_EQ(0, launch(_metadata, self, "divergent", OGPU_DIM3(16, 1, 1),
			    OGPU_DIM3(64, 1, 1), 0));
	read_out(_metadata, self);
	for (uint32_t i = 0; i < 1000; i++) {
		uint32_t want = 0;

		if (i % 5 == 0) {
			want = 0xdead;
		} else {
			for (uint32_t k = 0; k < i % 37; k++)
				want += k * (i & 3 ? 1 : 3);
		}
		ASSERT_EQ(want, self->out[i]) {
			TH_LOG("thread %u", i);
		}
	}
	EXPECT_EQ(0, self->out[1000]);
}

TEST_F(cu, atomics_from_every_thread_count_exactly)
{
	self->a.n = 16 * 256;
	ASSERT_EQ(0, launch(_metadata, self, "atomics", OGPU_DIM3(16, 1, 1),
			    OGPU_DIM3(256, 1, 1), 0));
	read_out(_metadata, self);
	EXPECT_EQ(4096, self->out[0]);
	EXPECT_EQ(4096u * 4095 / 2, self->out[1]);
}

TEST_F(cu, the_argument_size_is_in_a1)
{
	ASSERT_EQ(0, launch(_metadata, self, "args_size", OGPU_DIM3(1, 1, 1),
			    OGPU_DIM3(1, 1, 1), 0));
	read_out(_metadata, self);
	EXPECT_EQ(sizeof(struct kargs), self->out[0]);
}

TEST_F(cu, two_modules_in_one_vm)
{
	const struct ogpu_kernel *k, *ids;
	struct ogpu_module *other;

	ASSERT_EQ(0, ogpu_ctx_load_module(self->ctx,
					  beside_me("ogpu_compute_other.elf"),
					  &other));
	ASSERT_EQ(0, ogpu_module_get_kernel(other, "from_table", &k));
	ids = kernel(_metadata, self, "ids");
	ASSERT_NE(NULL, ids);
	EXPECT_NE(ogpu_kernel_va(k), ogpu_kernel_va(ids));
	self->a.n = 100;
	ASSERT_EQ(0, ogpu_launch(self->ctx, self->s, k, OGPU_DIM3(1, 1, 1),
				 OGPU_DIM3(128, 1, 1), 0, &self->a,
				 sizeof(self->a)));
	ASSERT_EQ(0, ogpu_stream_synchronize(self->s));
	read_out(_metadata, self);
	for (uint32_t i = 0; i < 100; i++)
		ASSERT_EQ(10 * (i % 4 + 1) + i, self->out[i]);
	/* The first module still works beside it. */
	self->a.n = 64;
	ASSERT_EQ(0, launch(_metadata, self, "ids", OGPU_DIM3(1, 1, 1),
			    OGPU_DIM3(64, 1, 1), 0));
	ogpu_module_unload(other);
}

/* What the fixture's stream says after its kernel failed. */
static void expect_error(struct __test_metadata *_metadata,
			 FIXTURE_DATA(cu) *self, unsigned int error,
			 unsigned int cu_error, struct ogpu_queue_error *e)
{
	ASSERT_EQ(0, ogpu_queue_get_error(ogpu_stream_queue(self->s), e));
	EXPECT_EQ(error, e->error);
	EXPECT_EQ(cu_error, e->cu_error) {
		TH_LOG("cu_error %u (%s) pc %#llx tval %#llx", e->cu_error,
		       ogpu_kernel_error_str(e->cu_error),
		       (unsigned long long)e->cu_pc,
		       (unsigned long long)e->cu_tval);
	}
	EXPECT_LT(e->cu, self->cp.num_cus);
}

/* The kernel's instruction at @pc is in @name's code. */
static void expect_pc_in(struct __test_metadata *_metadata,
			 FIXTURE_DATA(cu) *self, const char *name, uint64_t pc)
{
	const struct ogpu_kernel *k = kernel(_metadata, self, name);

	ASSERT_NE(NULL, k);
	EXPECT_LE(ogpu_kernel_va(k), pc);
	EXPECT_GT(ogpu_kernel_va(k) + 256, pc);
}

TEST_F_TIMEOUT(cu, bad_address_faults_its_queue_only, 120)
{
	struct ogpu_queue_error e;
	struct bystander b;

	bystander_start(_metadata, &b);
	self->a.addr = UNMAPPED;
	EXPECT_EQ(-EIO, launch(_metadata, self, "load_from",
			       OGPU_DIM3(2, 1, 1), OGPU_DIM3(32, 1, 1), 0));
	expect_error(_metadata, self, 2, OGPU_KERNEL_ERR_FAULT, &e);
	EXPECT_EQ(UNMAPPED, e.fault_addr);
	EXPECT_EQ(DRM_OGPU_FAULT_ACCESS_READ, e.fault_access);
	EXPECT_EQ(DRM_OGPU_FAULT_NOT_PRESENT, e.fault_reason);
	EXPECT_EQ(UNMAPPED, e.cu_tval);
	expect_pc_in(_metadata, self, "load_from", e.cu_pc);
	bystander_stop(_metadata, &b, 2);
}

TEST_F(cu, store_to_read_only_memory_faults)
{
	struct ogpu_queue_error e;
	struct ogpu_bo *bo;
	uint64_t va;

	ASSERT_EQ(0, ogpu_bo_create(ogpu_ctx_device(self->ctx), 4096,
				    OGPU_MEM_DEVICE, &bo));
	va = ogpu_vm_alloc_va(ogpu_ctx_vm(self->ctx), 4096);
	ASSERT_EQ(0, ogpu_vm_bind(ogpu_ctx_vm(self->ctx), bo, 0, va, 4096,
				  OGPU_ACCESS_READ));
	self->a.addr = va;
	EXPECT_EQ(-EIO, launch(_metadata, self, "store_to",
			       OGPU_DIM3(1, 1, 1), OGPU_DIM3(8, 1, 1), 0));
	expect_error(_metadata, self, 2, OGPU_KERNEL_ERR_FAULT, &e);
	EXPECT_EQ(va, e.fault_addr);
	EXPECT_EQ(DRM_OGPU_FAULT_ACCESS_WRITE, e.fault_access);
	EXPECT_EQ(DRM_OGPU_FAULT_PERMISSION, e.fault_reason);
	ogpu_vm_unbind(ogpu_ctx_vm(self->ctx), va, 4096);
	ogpu_bo_free(bo);
}

TEST_F_TIMEOUT(cu, illegal_instruction_names_the_lane_and_the_word, 120)
{
	struct ogpu_queue_error e;
	struct bystander b;

	bystander_start(_metadata, &b);
	EXPECT_EQ(-EIO, launch(_metadata, self, "illegal", OGPU_DIM3(1, 1, 1),
			       OGPU_DIM3(8, 1, 1), 0));
	expect_error(_metadata, self, 4, OGPU_KERNEL_ERR_ILLEGAL, &e);
	EXPECT_EQ(0, e.cu_tval);
	EXPECT_EQ(3, e.lane);
	EXPECT_EQ(0, e.warp);
	expect_pc_in(_metadata, self, "illegal", e.cu_pc);
	bystander_stop(_metadata, &b, 2);
}

TEST_F(cu, ebreak_stops_the_kernel)
{
	struct ogpu_queue_error e;

	EXPECT_EQ(-EIO, launch(_metadata, self, "breakpoint",
			       OGPU_DIM3(1, 1, 1), OGPU_DIM3(4, 1, 1), 0));
	expect_error(_metadata, self, 4, OGPU_KERNEL_ERR_EBREAK, &e);
	expect_pc_in(_metadata, self, "breakpoint", e.cu_pc);
}

TEST_F(cu, ecall_stops_the_kernel)
{
	struct ogpu_queue_error e;

	EXPECT_EQ(-EIO, launch(_metadata, self, "syscall", OGPU_DIM3(1, 1, 1),
			       OGPU_DIM3(4, 1, 1), 0));
	expect_error(_metadata, self, 4, OGPU_KERNEL_ERR_ECALL, &e);
}

TEST_F(cu, misaligned_store_stops_the_kernel)
{
	struct ogpu_queue_error e;

	self->a.addr = self->a.out;
	EXPECT_EQ(-EIO, launch(_metadata, self, "misaligned",
			       OGPU_DIM3(1, 1, 1), OGPU_DIM3(4, 1, 1), 0));
	expect_error(_metadata, self, 4, OGPU_KERNEL_ERR_MISALIGNED, &e);
	EXPECT_EQ(self->a.out + 2, e.cu_tval);
}

TEST_F_TIMEOUT(cu, partial_barrier_is_an_error_not_a_hang, 120)
{
	struct ogpu_queue_error e;
	struct bystander b;

	bystander_start(_metadata, &b);
	EXPECT_EQ(-EIO, launch(_metadata, self, "partial_barrier",
			       OGPU_DIM3(2, 1, 1), OGPU_DIM3(64, 1, 1), 0));
	expect_error(_metadata, self, 4, OGPU_KERNEL_ERR_BARRIER, &e);
	bystander_stop(_metadata, &b, 2);
}

TEST_F(cu, store_past_shared_memory_is_an_error)
{
	struct ogpu_queue_error e;

	EXPECT_EQ(-EIO, launch(_metadata, self, "past_shared",
			       OGPU_DIM3(1, 1, 1), OGPU_DIM3(4, 1, 1), 64));
	expect_error(_metadata, self, 4, OGPU_KERNEL_ERR_WINDOW, &e);
}

TEST_F_TIMEOUT(cu, endless_kernel_times_out_and_frees_the_units, 120)
{
	const struct ogpu_kernel *spin = kernel(_metadata, self, "spin");
	struct ogpu_launch l = { OGPU_DIM3(64, 1, 1), OGPU_DIM3(64, 1, 1), 0 };
	struct ogpu_queue_error e;
	struct ogpu_queue *q;
	struct bystander b;

	ASSERT_NE(NULL, spin);
	bystander_start(_metadata, &b);
	ASSERT_EQ(0, ogpu_queue_create(ogpu_ctx_vm(self->ctx),
				       OGPU_ENGINE_COMPUTE,
				       OGPU_PRIORITY_NORMAL, 1000, &q));
	/* A word that stays 0: the kernel waits on it forever. */
	self->a.addr = self->a.out + 4096;
	ASSERT_EQ(0, ogpu_launch_kernel(q, spin, &l, &self->a,
					sizeof(self->a), NULL, 0, NULL, 0));
	EXPECT_EQ(-ETIMEDOUT, ogpu_queue_wait_idle(q));
	ASSERT_EQ(0, ogpu_queue_get_error(q, &e));
	EXPECT_EQ(1, e.error);
	ogpu_queue_destroy(q);
	bystander_stop(_metadata, &b, 2);
	/* Every unit is free again: a full grid runs on another queue. */
	self->a.n = 64 * 64;
	ASSERT_EQ(0, launch(_metadata, self, "ids", OGPU_DIM3(64, 1, 1),
			    OGPU_DIM3(64, 1, 1), 0));
	read_out(_metadata, self);
	EXPECT_EQ(64 * 64, self->out[64 * 64 - 1]);
}

/*
 * A queue whose blocks wait for units that another queue's endless kernel
 * holds is not charged for the wait: its short timeout does not fire, the
 * spinning queue is the one banned, and the waiting kernel then runs.
 */
TEST_F_TIMEOUT(cu, waiting_for_units_held_by_an_endless_kernel_is_no_fault,
	       120)
{
	const struct ogpu_kernel *spin = kernel(_metadata, self, "spin");
	const struct ogpu_kernel *ids = kernel(_metadata, self, "ids");
	struct ogpu_launch l = { OGPU_DIM3(64, 1, 1), OGPU_DIM3(64, 1, 1), 0 };
	struct ogpu_launch small = { OGPU_DIM3(4, 1, 1), OGPU_DIM3(64, 1, 1),
				     0 };
	struct kargs a2 = { .n = 256 };
	struct ogpu_queue_error e;
	struct ogpu_queue *hog, *q;
	uint64_t insns, now;
	uint32_t wrong = 0;

	ASSERT_NE(NULL, spin);
	ASSERT_NE(NULL, ids);
	ASSERT_EQ(0, ogpu_queue_create(ogpu_ctx_vm(self->ctx),
				       OGPU_ENGINE_COMPUTE,
				       OGPU_PRIORITY_NORMAL, 3000, &hog));
	ASSERT_EQ(0, ogpu_queue_create(ogpu_ctx_vm(self->ctx),
				       OGPU_ENGINE_COMPUTE,
				       OGPU_PRIORITY_NORMAL, 300, &q));
	ASSERT_EQ(0, ogpu_malloc(self->ctx, 4096, &a2.out));
	ASSERT_EQ(0, ogpu_memset_d32(self->ctx, a2.out, 0, 1024));
	self->a.addr = self->a.out + 4096;
	ASSERT_EQ(0, ogpu_device_get_cu_insns(ogpu_ctx_device(self->ctx),
					      &insns));
	ASSERT_EQ(0, ogpu_launch_kernel(hog, spin, &l, &self->a,
					sizeof(self->a), NULL, 0, NULL, 0));
	/* The spinning blocks hold every unit (64 blocks, fewer units). */
	ASSERT_LT(self->cp.num_cus, 64u);
	for (int i = 0; i < 1000; i++) {
		ASSERT_EQ(0, ogpu_device_get_cu_insns(
				ogpu_ctx_device(self->ctx), &now));
		if (now - insns > 100000)
			break;
		usleep(1000);
	}
	ASSERT_LT(100000, now - insns);
	ASSERT_EQ(0, ogpu_launch_kernel(q, ids, &small, &a2, sizeof(a2),
					NULL, 0, NULL, 0));
	EXPECT_EQ(0, ogpu_queue_wait_idle(q));
	ASSERT_EQ(0, ogpu_queue_get_error(q, &e));
	EXPECT_EQ(0, e.error);
	EXPECT_EQ(-ETIMEDOUT, ogpu_queue_wait_idle(hog));
	ASSERT_EQ(0, ogpu_queue_get_error(hog, &e));
	EXPECT_EQ(1, e.error);
	ASSERT_EQ(0, ogpu_memcpy_dtoh(self->ctx, self->out, a2.out, 1024));
	for (uint32_t i = 0; i < 256; i++)
		wrong += self->out[i] != i + 1;
	EXPECT_EQ(0, wrong);
	ogpu_queue_destroy(q);
	ogpu_queue_destroy(hog);
	ogpu_free(self->ctx, a2.out);
}

TEST_F_TIMEOUT(cu, two_compute_queues_and_the_copy_engine_at_once, 120)
{
	const struct ogpu_kernel *div = kernel(_metadata, self, "divergent");
	const struct ogpu_kernel *ids = kernel(_metadata, self, "ids");
	struct ogpu_launch l = { OGPU_DIM3(16, 1, 1), OGPU_DIM3(64, 1, 1), 0 };
	struct kargs a2 = { .n = 1000 };
	struct ogpu_queue *copyq;
	struct ogpu_stream *s2;
	uint64_t src, dst;
	uint32_t *host;
	size_t size = 4u << 20;

	ASSERT_NE(NULL, div);
	ASSERT_NE(NULL, ids);
	host = malloc(size);
	ASSERT_NE(NULL, host);
	fill(host, size, 7);
	ASSERT_EQ(0, ogpu_stream_create(self->ctx, &s2));
	ASSERT_EQ(0, ogpu_queue_create(ogpu_ctx_vm(self->ctx), OGPU_ENGINE_COPY,
				       OGPU_PRIORITY_NORMAL, 0, &copyq));
	ASSERT_EQ(0, ogpu_malloc(self->ctx, size, &src));
	ASSERT_EQ(0, ogpu_malloc(self->ctx, size, &dst));
	ASSERT_EQ(0, ogpu_malloc(self->ctx, 4096, &a2.out));
	ASSERT_EQ(0, ogpu_memcpy_htod(self->ctx, src, host, size));

	self->a.n = 1000;
	for (int i = 0; i < 4; i++) {
		ASSERT_EQ(0, ogpu_launch_kernel(ogpu_stream_queue(self->s), div,
						&l, &self->a, sizeof(self->a),
						NULL, 0, NULL, 0));
		ASSERT_EQ(0, ogpu_launch_kernel(ogpu_stream_queue(s2), ids, &l,
						&a2, sizeof(a2), NULL, 0, NULL,
						0));
	}
	ASSERT_EQ(0, ogpu_copy(copyq, dst, src, size));
	ASSERT_EQ(0, ogpu_stream_synchronize(self->s));
	ASSERT_EQ(0, ogpu_stream_synchronize(s2));

	memset(host, 0, size);
	ASSERT_EQ(0, ogpu_memcpy_dtoh(self->ctx, host, dst, size));
	EXPECT_EQ(SIZE_MAX, check(host, size, 7));
	read_out(_metadata, self);
	EXPECT_EQ(0xdead, self->out[0]);
	EXPECT_EQ((0 + 1 + 2 + 3) * 3, self->out[4]);
	EXPECT_EQ(0 + 1 + 2 + 3 + 4 + 5, self->out[6]);
	ASSERT_EQ(0, ogpu_memcpy_dtoh(self->ctx, host, a2.out, 4000));
	for (uint32_t i = 0; i < 1000; i++)
		ASSERT_EQ(i + 1, host[i]);
	ogpu_queue_destroy(copyq);
	ogpu_stream_destroy(s2);
	free(host);
}

/* Launch validation: each rejected field on its own. */
static int try_launch(struct __test_metadata *_metadata,
		      FIXTURE_DATA(cu) *self, struct ogpu_dim3 grid,
		      struct ogpu_dim3 block, uint32_t shared)
{
	return ogpu_launch(self->ctx, self->s, kernel(_metadata, self, "ids"),
			   grid, block, shared, &self->a, sizeof(self->a));
}

TEST_F(cu, launch_rejects_an_empty_grid)
{
	EXPECT_EQ(-EINVAL, try_launch(_metadata, self, OGPU_DIM3(0, 1, 1),
				      OGPU_DIM3(32, 1, 1), 0));
	EXPECT_EQ(-EINVAL, try_launch(_metadata, self, OGPU_DIM3(1, 1, 0),
				      OGPU_DIM3(32, 1, 1), 0));
}

TEST_F(cu, launch_rejects_an_empty_block)
{
	EXPECT_EQ(-EINVAL, try_launch(_metadata, self, OGPU_DIM3(1, 1, 1),
				      OGPU_DIM3(32, 0, 1), 0));
}

TEST_F(cu, launch_rejects_a_block_above_the_maximum)
{
	EXPECT_EQ(-EINVAL, try_launch(_metadata, self, OGPU_DIM3(1, 1, 1),
				      OGPU_DIM3(self->cp.max_block + 1, 1, 1),
				      0));
	EXPECT_EQ(-EINVAL, try_launch(_metadata, self, OGPU_DIM3(1, 1, 1),
				      OGPU_DIM3(64, 64, 1), 0));
	/* The maximum itself is fine. */
	self->a.n = 0;
	EXPECT_EQ(0, try_launch(_metadata, self, OGPU_DIM3(1, 1, 1),
				OGPU_DIM3(self->cp.max_block, 1, 1), 0));
	EXPECT_EQ(0, ogpu_stream_synchronize(self->s));
}

TEST_F(cu, launch_rejects_shared_memory_above_the_limit)
{
	EXPECT_EQ(-EINVAL, try_launch(_metadata, self, OGPU_DIM3(1, 1, 1),
				      OGPU_DIM3(32, 1, 1),
				      self->cp.shared_max + 4));
}

TEST_F(cu, dispatch_rejects_misaligned_arguments)
{
	const struct ogpu_kernel *k = kernel(_metadata, self, "ids");
	struct ogpu_launch l = { OGPU_DIM3(1, 1, 1), OGPU_DIM3(32, 1, 1), 0 };
	struct ogpu_cmdbuf *cb;

	ASSERT_EQ(0, ogpu_cmdbuf_create(ogpu_ctx_vm(self->ctx), 4096, &cb));
	EXPECT_EQ(-EINVAL, ogpu_cmd_dispatch(cb, k, self->a.out + 4, 8, &l));
	ogpu_cmdbuf_destroy(cb);
}

TEST_F(cu, unmapped_arguments_fault_at_their_address)
{
	const struct ogpu_kernel *k = kernel(_metadata, self, "ids");
	struct ogpu_launch l = { OGPU_DIM3(1, 1, 1), OGPU_DIM3(32, 1, 1), 0 };
	struct ogpu_queue *q = ogpu_stream_queue(self->s);
	struct ogpu_device *dev = ogpu_ctx_device(self->ctx);
	struct ogpu_queue_error e;
	struct ogpu_cmdbuf *cb;
	uint32_t s;

	ASSERT_EQ(0, ogpu_cmdbuf_create(ogpu_ctx_vm(self->ctx), 4096, &cb));
	ASSERT_EQ(0, ogpu_cmd_dispatch(cb, k, UNMAPPED, 24, &l));
	ASSERT_EQ(0, submit_sync(q, dev, cb, &s));
	ASSERT_EQ(0, wait_ms(dev, s, 20000));
	EXPECT_EQ(-EIO, ogpu_syncobj_error(dev, s));
	ASSERT_EQ(0, ogpu_queue_get_error(q, &e));
	EXPECT_EQ(2, e.error);
	EXPECT_EQ(OGPU_KERNEL_ERR_FAULT, e.cu_error);
	EXPECT_LE(UNMAPPED, e.cu_tval);
	EXPECT_GT(UNMAPPED + 24, e.cu_tval);
	EXPECT_LE(UNMAPPED, e.fault_addr);
	EXPECT_GT(UNMAPPED + 24, e.fault_addr);
	ogpu_syncobj_destroy(dev, s);
	ogpu_cmdbuf_destroy(cb);
}

/* DISPATCH packets the hardware rejects: one bad field each. */
static void bad_dispatch(struct __test_metadata *_metadata,
			 FIXTURE_DATA(cu) *self, unsigned int word,
			 uint32_t value)
{
	const struct ogpu_kernel *k = kernel(_metadata, self, "ids");
	struct ogpu_queue *q = ogpu_stream_queue(self->s);
	struct ogpu_device *dev = ogpu_ctx_device(self->ctx);
	static const uint32_t grid[3] = { 1, 1, 1 }, block[3] = { 32, 1, 1 };
	uint32_t w[OGPU_PKT_DISPATCH_NDW];
	struct ogpu_queue_error e;
	struct ogpu_cmdbuf *cb;
	uint32_t s;

	ogpu_pkt_dispatch(w, ogpu_kernel_va(k), self->a.out, 24, grid, block,
			  0);
	w[word] = value;
	ASSERT_EQ(0, ogpu_cmdbuf_create(ogpu_ctx_vm(self->ctx), 4096, &cb));
	ASSERT_EQ(0, ogpu_cmd_raw(cb, w, OGPU_PKT_DISPATCH_NDW));
	ASSERT_EQ(0, submit_sync(q, dev, cb, &s));
	ASSERT_EQ(0, wait_ms(dev, s, 20000));
	EXPECT_EQ(-EIO, ogpu_syncobj_error(dev, s));
	ASSERT_EQ(0, ogpu_queue_get_error(q, &e));
	EXPECT_EQ(3, e.error);
	ogpu_syncobj_destroy(dev, s);
	ogpu_cmdbuf_destroy(cb);
}

TEST_F(cu, dispatch_packet_with_flags_is_bad) { bad_dispatch(_metadata, self, 13, 1); }
TEST_F(cu, dispatch_packet_with_empty_grid_is_bad) { bad_dispatch(_metadata, self, 7, 0); }
TEST_F(cu, dispatch_packet_with_huge_block_is_bad) { bad_dispatch(_metadata, self, 9, 2048); }
TEST_F(cu, dispatch_packet_with_huge_shared_is_bad) { bad_dispatch(_metadata, self, 12, 1 << 20); }
TEST_F(cu, dispatch_packet_with_misaligned_entry_is_bad) { bad_dispatch(_metadata, self, 1, 2); }

/* Module loading errors. */
FIXTURE(mod) {
	struct ogpu_device *dev;
	struct ogpu_vm *vm;
};

FIXTURE_SETUP(mod)
{
	ASSERT_EQ(0, ogpu_device_open(0, &self->dev));
	ASSERT_EQ(0, ogpu_vm_create(self->dev, &self->vm));
}

FIXTURE_TEARDOWN(mod)
{
	ogpu_vm_destroy(self->vm);
	ogpu_device_close(self->dev);
}

TEST_F(mod, not_an_elf_is_enoexec)
{
	static const char text[] = "#!/bin/sh\necho not a kernel\n";
	struct ogpu_module *m;

	EXPECT_EQ(-ENOEXEC, ogpu_module_load_data(self->vm, text,
						  sizeof(text), &m));
	EXPECT_EQ(-ENOEXEC, ogpu_module_load_data(self->vm, text, 0, &m));
}

TEST_F(mod, wrong_machine_is_enoexec)
{
	struct ogpu_module *m;

	/* This very program: an x86-64 ELF. */
	EXPECT_EQ(-ENOEXEC, ogpu_module_load_file(self->vm, "/proc/self/exe",
						  &m));
	EXPECT_NE(NULL, strstr(ogpu_strerror(-ENOEXEC), "not an OGPU"));
}

TEST_F(mod, truncated_module_is_enoexec)
{
	struct ogpu_module *m;
	FILE *f = fopen(beside_me("ogpu_compute_kernels.elf"), "r");
	char *buf = malloc(1 << 20);
	size_t n;

	ASSERT_NE(NULL, f);
	n = fread(buf, 1, 1 << 20, f);
	fclose(f);
	ASSERT_LT(512, n);
	EXPECT_EQ(-ENOEXEC, ogpu_module_load_data(self->vm, buf, 200, &m));
	/* Whole, it loads. */
	ASSERT_EQ(0, ogpu_module_load_data(self->vm, buf, n, &m));
	ogpu_module_unload(m);
	free(buf);
}

TEST_F(mod, missing_kernel_is_enoent)
{
	const struct ogpu_kernel *k;
	struct ogpu_module *m;

	ASSERT_EQ(0, ogpu_module_load_file(self->vm,
					   beside_me("ogpu_compute_kernels.elf"),
					   &m));
	EXPECT_EQ(-ENOENT, ogpu_module_get_kernel(m, "no_such_kernel", &k));
	/* A static helper is not a kernel either. */
	EXPECT_EQ(-ENOENT, ogpu_module_get_kernel(m, "ogpu_thread_x", &k));
	EXPECT_EQ(0, ogpu_module_get_kernel(m, "ids", &k));
	ogpu_module_unload(m);
}

TEST_F(mod, missing_file_is_enoent)
{
	struct ogpu_module *m;

	EXPECT_EQ(-ENOENT, ogpu_module_load_file(self->vm, "/no/such.elf", &m));
}

TEST_HARNESS_MAIN
