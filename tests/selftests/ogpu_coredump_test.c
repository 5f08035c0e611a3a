// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * devcoredump: after each kind of failure (a timeout, a fault, a bad
 * packet, a write to the driver's privileged pages) the device's dump in
 * /sys/class/devcoredump says why, who, and where, with the failing packet
 * marked and decoded and the command buffer shown. One dump per device at
 * a time; writing to it frees it; a process that exits at once still gets
 * its dump.
 */
#include <limits.h>
#include <sys/wait.h>

#include "ogpu_packets.h"
#include "ogpu_test.h"

#include "kselftest_harness.h"

#define CD_ID		250
#define CD_DEV		"ogpu.250"
#define DEVCD_DIR	"/sys/class/devcoredump"
#define NEVER		(1ull << 62)
#define UNMAPPED	0x7000000ull
/* The first queue of a fresh device: its fence word, privileged. */
#define FENCE_VA	((1ull << 47) + 0x10000)
#define DUMP_MAX	(1 << 20)

/* The data file of the dump whose failing device is @dev; 0 or -ENOENT. */
static int dump_path(const char *dev, char *path, size_t len)
{
	char link[PATH_MAX], target[PATH_MAX];
	struct dirent *de;
	int ret = -ENOENT;
	DIR *d;

	d = opendir(DEVCD_DIR);
	if (!d)
		return -ENOENT;
	while ((de = readdir(d))) {
		const char *base;
		ssize_t n;

		if (strncmp(de->d_name, "devcd", 5))
			continue;
		snprintf(link, sizeof(link), DEVCD_DIR "/%s/failing_device",
			 de->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		base = strrchr(target, '/');
		if (strcmp(base ? base + 1 : target, dev))
			continue;
		snprintf(path, len, DEVCD_DIR "/%s/data", de->d_name);
		ret = 0;
		break;
	}
	closedir(d);
	return ret;
}

/*
 * Free @dev's dump, if there is one, and wait up to 10 s until it is gone
 * (devcoredump frees it from a work item). 0 or -ETIMEDOUT.
 */
static int dump_clear(const char *dev)
{
	char path[PATH_MAX];
	int i;

	for (i = 0; i < 1000; i++) {
		if (dump_path(dev, path, sizeof(path)))
			return 0;
		if (!(i % 100))
			ogpu_sysfs_write(path, "1");
		usleep(10000);
	}
	return -ETIMEDOUT;
}

/*
 * Wait up to 10 s for @dev's dump (a work item captures it after the
 * failure) and read it into a malloc'd string; NULL if none came.
 */
static char *dump_read(const char *dev)
{
	char path[PATH_MAX], *buf;
	size_t len = 0;
	ssize_t n;
	int fd, i;

	for (i = 0; i < 1000 && dump_path(dev, path, sizeof(path)); i++)
		usleep(10000);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = calloc(1, DUMP_MAX + 1);
	while (buf && (n = read(fd, buf + len, DUMP_MAX - len)) > 0)
		len += n;
	close(fd);
	return buf;
}

/* The line of @dump that starts with @key, or contains it if @key starts
 * with a space; copied into @line. 0 or -ENOENT. */
static int dump_line(const char *dump, const char *key, char *line,
		     size_t len)
{
	const char *p = dump;
	size_t n = strlen(key);

	while (p && *p) {
		const char *end = strchrnul(p, '\n');

		if ((key[0] == ' ' ? memmem(p, end - p, key, n) != NULL :
		     !strncmp(p, key, n))) {
			snprintf(line, len, "%.*s", (int)(end - p), p);
			return 0;
		}
		p = *end ? end + 1 : NULL;
	}
	line[0] = '\0';
	return -ENOENT;
}

/* The dump's value of "key: value" at the start of a line, or "". */
static const char *dump_value(const char *dump, const char *key, char *buf,
			      size_t len)
{
	char line[512];

	size_t n;

	if (dump_line(dump, key, line, sizeof(line)))
		return "";
	n = strnlen(line + strlen(key), len - 1);
	memcpy(buf, line + strlen(key), n);
	buf[n] = '\0';
	return buf;
}

FIXTURE(dump) {
	struct ogpu_device *dev;
	struct ogpu_vm *vm;
	struct ogpu_queue *q;
	struct buf data;
	char comm[32];
	char node[64];
	char *text;
};

FIXTURE_SETUP(dump)
{
	FILE *f;

	self->text = NULL;
	self->dev = NULL;
	if (access(DEVCD_DIR, F_OK))
		SKIP(return, "no " DEVCD_DIR ": the kernel lacks CONFIG_DEV_COREDUMP");
	ogpu_sim_del(CD_ID);
	/* A dump of a device that is gone is gone with it; to be sure: */
	ASSERT_EQ(0, dump_clear(CD_DEV));
	ASSERT_EQ(0, ogpu_sim_new("250 64"));
	ASSERT_EQ(0, ogpu_wait_node(CD_ID, self->node, sizeof(self->node)));
	ASSERT_EQ(0, ogpu_device_open_path(self->node, &self->dev));
	ASSERT_EQ(0, ogpu_vm_create(self->dev, &self->vm));
	ASSERT_EQ(0, ogpu_queue_create(self->vm, OGPU_ENGINE_COMPUTE,
				       OGPU_PRIORITY_NORMAL, 300, &self->q));
	ASSERT_EQ(0, buf_new(self->vm, 65536, OGPU_MEM_DEVICE, &self->data));
	memset(self->data.map, 0, 65536);
	f = fopen("/proc/self/comm", "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(self->comm, sizeof(self->comm), f));
	self->comm[strcspn(self->comm, "\n")] = '\0';
	fclose(f);
}

FIXTURE_TEARDOWN(dump)
{
	free(self->text);
	if (!self->dev)
		return;
	dump_clear(CD_DEV);
	ogpu_device_close(self->dev);
	ogpu_sim_del(CD_ID);
}

/* Submit @cb, wait for it to fail with @err, and read the dump. */
static void fail_and_dump(struct __test_metadata *_metadata,
			  FIXTURE_DATA(dump) *self, struct ogpu_queue *q,
			  struct ogpu_cmdbuf *cb, int err)
{
	uint32_t s;

	ASSERT_EQ(0, submit_sync(q, self->dev, cb, &s));
	ASSERT_EQ(0, wait_ms(self->dev, s, 10000));
	ASSERT_EQ(err, ogpu_syncobj_error(self->dev, s));
	self->text = dump_read(CD_DEV);
	ASSERT_NE(NULL, self->text);
}

/*
 * What every dump says: the header, the process, the queue, and a command
 * buffer whose failing packet is @op, decoded as @fields (a substring).
 */
static void check_common(struct __test_metadata *_metadata,
			 FIXTURE_DATA(dump) *self, const char *reason,
			 const char *op, const char *fields)
{
	char line[512], want[256], v[256];
	const char *cb, *mark;

	EXPECT_EQ(0, strncmp(self->text, "ogpu devcoredump\n", 17));
	EXPECT_STREQ(reason, dump_value(self->text, "reason: ", v, sizeof(v)));
	snprintf(want, sizeof(want), CD_DEV " instance %u hw 1.1", CD_ID);
	EXPECT_STREQ(want, dump_value(self->text, "device: ", v, sizeof(v)));
	snprintf(want, sizeof(want), "pid %d comm %s", getpid(), self->comm);
	EXPECT_STREQ(want, dump_value(self->text, "process: ", v, sizeof(v)));
	ASSERT_EQ(0, dump_line(self->text, "queue: slot 0 engine compute priority normal",
			       line, sizeof(line)));
	EXPECT_EQ(0, dump_line(self->text, "time: ", line, sizeof(line)));

	/* The ring: the job's INDIRECT, then its FENCE at RPTR. */
	ASSERT_EQ(0, dump_line(self->text, "ring: ", line, sizeof(line)));
	ASSERT_EQ(0, dump_line(self->text, " INDIRECT va ", line, sizeof(line)));
	ASSERT_EQ(0, dump_line(self->text, " <-- RPTR", line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, " FENCE va 0x800000010000 seqno ")) {
		TH_LOG("RPTR line: %s", line);
	}

	/* The command buffer, with its failing packet marked and decoded. */
	cb = strstr(self->text, "\ncmdbuf 0: va ");
	ASSERT_NE(NULL, cb);
	mark = strstr(self->text, "  <== failing packet");
	ASSERT_NE(NULL, mark);
	EXPECT_LT(cb, mark);
	ASSERT_EQ(0, dump_line(self->text, "  <== failing packet", line,
			       sizeof(line)));
	snprintf(want, sizeof(want), "  %s", op);
	EXPECT_NE(NULL, strstr(line, want)) {
		TH_LOG("failing packet: %s", line);
	}
	EXPECT_NE(NULL, strstr(line, fields)) {
		TH_LOG("failing packet: %s, want %s", line, fields);
	}
	EXPECT_EQ(0, dump_line(self->text, "mappings: ", line, sizeof(line)));
	EXPECT_NE(NULL, strstr(self->text, "\nend\n"));
}

TEST_F_TIMEOUT(dump, timeout, 60)
{
	char line[512], want[128];
	struct ogpu_cmdbuf *cb;

	ASSERT_EQ(0, ogpu_cmdbuf_create(self->vm, 4096, &cb));
	ASSERT_EQ(0, ogpu_cmd_nop(cb));
	ASSERT_EQ(0, ogpu_cmd_sem_wait(cb, self->data.va, NEVER));
	fail_and_dump(_metadata, self, self->q, cb, -ETIMEDOUT);
	snprintf(want, sizeof(want), "va %#llx value %#llx",
		 (unsigned long long)self->data.va, NEVER);
	check_common(_metadata, self, "timeout", "SEM_WAIT", want);
	ASSERT_EQ(0, dump_line(self->text, "registers: ", line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, " status waiting error none ")) {
		TH_LOG("%s", line);
	}
	/* No fault, so no fault line. */
	EXPECT_EQ(-ENOENT, dump_line(self->text, "fault: ", line, sizeof(line)));
	/* The NOP before ran: it is there, unmarked. */
	ASSERT_EQ(0, dump_line(self->text, " NOP dwords 1", line, sizeof(line)));
	EXPECT_EQ(NULL, strstr(line, "<=="));
	/* The mappings near the packet: the data buffer. */
	snprintf(want, sizeof(want), "  %#014llx-%#014llx  bo-size 65536 ",
		 (unsigned long long)self->data.va,
		 (unsigned long long)self->data.va + 65536);
	EXPECT_EQ(0, dump_line(self->text, want, line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, "read|write")) {
		TH_LOG("%s", line);
	}
}

TEST_F(dump, fault)
{
	char line[512], want[128];
	struct ogpu_cmdbuf *cb;

	ASSERT_EQ(0, ogpu_cmdbuf_create(self->vm, 4096, &cb));
	ASSERT_EQ(0, ogpu_cmd_copy(cb, UNMAPPED, self->data.va, 64));
	fail_and_dump(_metadata, self, self->q, cb, -EIO);
	/* One dump in the log, for people to see what one looks like. */
	TH_LOG("the dump:\n%s", self->text);
	snprintf(want, sizeof(want), "src %#llx dst %#llx size 64",
		 (unsigned long long)self->data.va, UNMAPPED);
	check_common(_metadata, self, "fault", "COPY", want);
	ASSERT_EQ(0, dump_line(self->text, "fault: ", line, sizeof(line)));
	EXPECT_EQ(0, strncmp(line, "fault: address 0x7000000 access write reason not-present user ",
			     62)) {
		TH_LOG("%s", line);
	}
	ASSERT_EQ(0, dump_line(self->text, "registers: ", line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, " status error error fault error-address 0x7000000 ")) {
		TH_LOG("%s", line);
	}
}

TEST_F(dump, bad_packet)
{
	static const uint32_t unknown = 0x7e | 1 << 16;
	char line[512], addr[64], want[96];
	struct ogpu_cmdbuf *cb;

	ASSERT_EQ(0, ogpu_cmdbuf_create(self->vm, 4096, &cb));
	ASSERT_EQ(0, ogpu_cmd_write32(cb, self->data.va, 1));
	ASSERT_EQ(0, ogpu_cmd_raw(cb, &unknown, 1));
	fail_and_dump(_metadata, self, self->q, cb, -EIO);
	check_common(_metadata, self, "bad-packet", "UNKNOWN",
		     "UNKNOWN opcode 0x7e dwords 1 header 0x0001007e");
	/* The marked packet is at the error address the queue reported. */
	ASSERT_EQ(0, dump_line(self->text, "registers: ", line, sizeof(line)));
	ASSERT_EQ(1, sscanf(strstr(line, "error-address ") ?: "", "error-address %63s",
			    addr));
	snprintf(want, sizeof(want), "  %#014llx  UNKNOWN",
		 strtoull(addr, NULL, 16));
	EXPECT_EQ(0, dump_line(self->text, want, line, sizeof(line))) {
		TH_LOG("no line with %s", want);
	}
	EXPECT_NE(NULL, strstr(line, "<== failing packet"));
	/* The WRITE_DATA before it ran and is decoded. */
	snprintf(want, sizeof(want), " WRITE_DATA va %#llx value32 0x1",
		 (unsigned long long)self->data.va);
	EXPECT_EQ(0, dump_line(self->text, want, line, sizeof(line)));
	EXPECT_EQ(-ENOENT, dump_line(self->text, "fault: ", line, sizeof(line)));
}

TEST_F(dump, privileged_page_fault)
{
	char line[512], want[128];
	struct ogpu_cmdbuf *cb;

	ASSERT_EQ(0, ogpu_cmdbuf_create(self->vm, 4096, &cb));
	ASSERT_EQ(0, ogpu_cmd_write32(cb, FENCE_VA, 1000));
	fail_and_dump(_metadata, self, self->q, cb, -EIO);
	snprintf(want, sizeof(want), "va %#llx value32 0x3e8", FENCE_VA);
	check_common(_metadata, self, "fault", "WRITE_DATA", want);
	ASSERT_EQ(0, dump_line(self->text, "fault: ", line, sizeof(line)));
	EXPECT_EQ(0, strncmp(line, "fault: address 0x800000010000 access write reason permission user ",
			     66)) {
		TH_LOG("%s", line);
	}
	/* Near the fault: the queue's fence word, the driver's. */
	EXPECT_EQ(0, dump_line(self->text, " this queue's fence word (driver, privileged)",
			       line, sizeof(line)));
}

/* Devcoredump keeps the first dump until it is read and freed. */
TEST_F(dump, one_dump_per_device_until_cleared)
{
	static const uint32_t unknown = 0x7e | 1 << 16;
	struct ogpu_cmdbuf *cb, *bad;
	struct ogpu_queue *q2;
	char path[PATH_MAX], v[64];
	uint32_t s;

	ASSERT_EQ(0, ogpu_cmdbuf_create(self->vm, 4096, &cb));
	ASSERT_EQ(0, ogpu_cmd_copy(cb, UNMAPPED, self->data.va, 64));
	fail_and_dump(_metadata, self, self->q, cb, -EIO);
	EXPECT_STREQ("fault", dump_value(self->text, "reason: ", v, sizeof(v)));
	free(self->text);
	self->text = NULL;

	/* A second failure while the first dump is unread: dropped. */
	ASSERT_EQ(0, ogpu_queue_create(self->vm, OGPU_ENGINE_COMPUTE,
				       OGPU_PRIORITY_NORMAL, 300, &q2));
	ASSERT_EQ(0, ogpu_cmdbuf_create(self->vm, 4096, &bad));
	ASSERT_EQ(0, ogpu_cmd_raw(bad, &unknown, 1));
	ASSERT_EQ(0, submit_sync(q2, self->dev, bad, &s));
	ASSERT_EQ(0, wait_ms(self->dev, s, 10000));
	usleep(200000);
	self->text = dump_read(CD_DEV);
	ASSERT_NE(NULL, self->text);
	EXPECT_STREQ("fault", dump_value(self->text, "reason: ", v, sizeof(v)));

	/* Writing to it frees it. */
	EXPECT_EQ(0, dump_clear(CD_DEV));
	EXPECT_EQ(-ENOENT, dump_path(CD_DEV, path, sizeof(path)));
}

/*
 * A process that exits as soon as its job fails still leaves its dump: the
 * queue's teardown waits for the capture.
 */
TEST_F(dump, process_that_exits_at_once_leaves_its_dump)
{
	char want[64], v[256];
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		struct ogpu_device *dev;
		struct ogpu_cmdbuf *cb;
		struct ogpu_queue *q;
		struct ogpu_vm *vm;
		uint32_t s;

		if (ogpu_device_open_path(self->node, &dev) ||
		    ogpu_vm_create(dev, &vm) ||
		    ogpu_queue_create(vm, OGPU_ENGINE_COMPUTE,
				      OGPU_PRIORITY_NORMAL, 0, &q) ||
		    ogpu_cmdbuf_create(vm, 4096, &cb) ||
		    ogpu_cmd_copy(cb, UNMAPPED, UNMAPPED + 4096, 64) ||
		    submit_sync(q, dev, cb, &s) || wait_ms(dev, s, 10000))
			_exit(1);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	self->text = dump_read(CD_DEV);
	ASSERT_NE(NULL, self->text);
	EXPECT_STREQ("fault", dump_value(self->text, "reason: ", v, sizeof(v)));
	snprintf(want, sizeof(want), "pid %d comm ", pid);
	EXPECT_EQ(0, strncmp(want, dump_value(self->text, "process: ", v,
					      sizeof(v)), strlen(want)));
	/* The source is unmapped too: the COPY faults on it first. */
	EXPECT_NE(NULL, strstr(self->text, "fault: address 0x7001000 access read reason not-present user "));
}

/* Run ogpu-smi with @args; its output in @out, its exit status returned. */
static int run_smi(const char *args, char *out, size_t len)
{
	const char *smi = getenv("OGPU_SMI") ?: "/ogpu/bin/ogpu-smi";
	char cmd[256];
	size_t n = 0;
	FILE *f;
	int status;

	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", smi, args);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (n + 1 < len && fgets(out + n, len - n, f))
		n += strlen(out + n);
	out[n] = '\0';
	status = pclose(f);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ogpu-smi coredump prints the dump after a summary, and --clear frees it. */
TEST_F(dump, ogpu_smi_prints_and_clears_it)
{
	static const uint32_t unknown = 0x7e | 1 << 16;
	char want[128], path[PATH_MAX], *out;
	struct ogpu_cmdbuf *cb;

	if (access(getenv("OGPU_SMI") ?: "/ogpu/bin/ogpu-smi", X_OK))
		SKIP(return, "no ogpu-smi here; set OGPU_SMI");
	ASSERT_EQ(0, ogpu_cmdbuf_create(self->vm, 4096, &cb));
	ASSERT_EQ(0, ogpu_cmd_raw(cb, &unknown, 1));
	fail_and_dump(_metadata, self, self->q, cb, -EIO);

	out = calloc(1, DUMP_MAX);
	ASSERT_NE(NULL, out);
	EXPECT_EQ(0, run_smi("coredump --clear", out, DUMP_MAX));
	snprintf(want, sizeof(want),
		 CD_DEV ": a queue failed: bad-packet, pid %d comm %s (",
		 getpid(), self->comm);
	EXPECT_NE(NULL, strstr(out, want)) {
		TH_LOG("ogpu-smi said: %.400s", out);
	}
	/* The dump itself follows, whole. */
	EXPECT_NE(NULL, strstr(out, "\nogpu devcoredump\n"));
	EXPECT_NE(NULL, strstr(out, "UNKNOWN opcode 0x7e"));
	EXPECT_NE(NULL, strstr(out, "\nend\n"));
	EXPECT_EQ(-ENOENT, dump_path(CD_DEV, path, sizeof(path)));
	/* Nothing left for this device: exit status 3. */
	EXPECT_EQ(3, run_smi("coredump", out, DUMP_MAX));
	free(out);
}

TEST_HARNESS_MAIN
