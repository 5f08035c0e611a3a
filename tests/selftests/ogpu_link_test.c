// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * The interconnect's topology as users see it: links made and removed at
 * run time through the device model's fabric, seen in DEV_QUERY, sysfs,
 * uevent-style notification and the P2P query with its every reason.
 */
#include <poll.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "ogpu_test.h"

#include "kselftest_harness.h"

/* Ids far from the ones made at load time and by other tests. */
#define ID0	300
#define ID1	301
#define ID2	302
#define NDEV	3
#define MAX_PORTS	8

#define FABRIC_LINK	OGPU_SIM_CTL "/link_device"
#define FABRIC_UNLINK	OGPU_SIM_CTL "/unlink_device"

static int fabric(const char *file, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fabric(const char *file, const char *fmt, ...)
{
	char buf[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return ogpu_sysfs_write(file, buf);
}

/* The driver's sysfs file links/@name of device @id, as a string. */
static int link_sysfs_read(unsigned int id, const char *name, char *buf,
			   size_t len)
{
	char path[160];
	size_t n;
	int ret;

	snprintf(path, sizeof(path), OGPU_PDEV_DIR "/ogpu.%u/links/%s", id,
		 name);
	ret = ogpu_read_file(path, buf, len);
	n = ret ? 0 : strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return ret;
}

static int link_sysfs_write(unsigned int id, const char *name,
			    const char *val)
{
	char path[160];

	snprintf(path, sizeof(path), OGPU_PDEV_DIR "/ogpu.%u/links/%s", id,
		 name);
	return ogpu_sysfs_write(path, val);
}

static int get_links(int fd, struct drm_ogpu_link_info *li, __u32 max)
{
	__u32 size = max * sizeof(*li);
	int ret = _test_dev_query(fd, DRM_OGPU_DEV_QUERY_LINKS, li, &size, 0,
				  0);

	return ret ? ret : (int)(size / sizeof(*li));
}

static __u64 generation(int fd)
{
	struct drm_ogpu_device_info info;
	__u32 size = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (_test_dev_query(fd, DRM_OGPU_DEV_QUERY_DEVICE_INFO, &info, &size,
			    0, 0))
		return 0;
	return info.link_generation;
}

/* Wait up to 5 s for port @port of @fd to reach @state; 0 or -ETIMEDOUT. */
static int wait_state(int fd, unsigned int port, __u32 state)
{
	struct drm_ogpu_link_info li[MAX_PORTS];
	int i;

	for (i = 0; i < 500; i++) {
		if (get_links(fd, li, MAX_PORTS) > (int)port &&
		    li[port].state == state)
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

/* Wait up to 5 s for the driver's generation to pass @gen. */
static int wait_generation(int fd, __u64 gen)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (generation(fd) > gen)
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

static int _p2p(int fd, __u32 instance, struct drm_ogpu_p2p_query *q,
		__u32 flags, __u64 pad)
{
	memset(q, 0, sizeof(*q));
	q->peer_instance = instance;
	q->flags = flags;
	q->pad = pad;
	return ioctl(fd, DRM_IOCTL_OGPU_P2P_QUERY, q) ? -errno : 0;
}

FIXTURE(link) {
	int fd[NDEV];
	char node[NDEV][64];
};

static void cleanup(void)
{
	ogpu_sim_del(ID0);
	ogpu_sim_del(ID1);
	ogpu_sim_del(ID2);
}

FIXTURE_SETUP(link)
{
	char spec[32];
	int i;

	cleanup();
	for (i = 0; i < NDEV; i++) {
		snprintf(spec, sizeof(spec), "%d 16 2 4", ID0 + i);
		ASSERT_EQ(0, ogpu_sim_new(spec));
		ASSERT_EQ(0, ogpu_wait_node(ID0 + i, self->node[i],
					    sizeof(self->node[i])));
		self->fd[i] = open(self->node[i], O_RDWR | O_CLOEXEC);
		ASSERT_GE(self->fd[i], 0);
	}
}

FIXTURE_TEARDOWN(link)
{
	int i;

	for (i = 0; i < NDEV; i++)
		if (self->fd[i] >= 0)
			close(self->fd[i]);
	cleanup();
}

/* Join port 0 of ID0 to port 1 of ID1 and wait until it is up. */
#define LINK01(mbps, ns) do {						\
	ASSERT_EQ(0, fabric(FABRIC_LINK, "%d:0 %d:1 %d %d", ID0, ID1,	\
			    mbps, ns));					\
	ASSERT_EQ(0, wait_state(self->fd[0], 0, DRM_OGPU_LINK_UP));	\
} while (0)

TEST_F(link, ports_start_down_without_peer)
{
	struct drm_ogpu_link_info li[MAX_PORTS];
	struct drm_ogpu_device_info info;
	__u32 size = sizeof(info);
	int n, i;

	test_dev_query(self->fd[0], DRM_OGPU_DEV_QUERY_DEVICE_INFO, &info,
		       &size);
	EXPECT_TRUE(info.caps & DRM_OGPU_CAP_LINK);
	EXPECT_NE(0, info.link_generation);
	n = get_links(self->fd[0], li, MAX_PORTS);
	ASSERT_EQ(4, n);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(i, li[i].port);
		EXPECT_EQ(DRM_OGPU_LINK_DOWN, li[i].state);
		EXPECT_EQ(0, li[i].flags & DRM_OGPU_LINK_HAS_PEER);
		EXPECT_EQ(0, li[i].hops);
		EXPECT_EQ(0, li[i].tx_bytes);
	}
}

TEST_F(link, links_query_size_is_all_or_nothing)
{
	struct drm_ogpu_link_info li[MAX_PORTS];
	__u32 size = 0;

	ASSERT_EQ(0, _test_dev_query(self->fd[0], DRM_OGPU_DEV_QUERY_LINKS,
				     NULL, &size, 0, 0));
	EXPECT_EQ(4 * sizeof(li[0]), size);
	size = 3 * sizeof(li[0]);
	EXPECT_EQ(-EINVAL, _test_dev_query(self->fd[0],
					   DRM_OGPU_DEV_QUERY_LINKS, li,
					   &size, 0, 0));
}

TEST_F(link, link_and_unlink_seen_in_query)
{
	struct drm_ogpu_link_info a[MAX_PORTS];
	struct drm_ogpu_link_info b[MAX_PORTS];
	struct stat st;
	__u64 gen0 = generation(self->fd[0]), gen1;

	LINK01(20000, 500);
	ASSERT_EQ(0, wait_state(self->fd[1], 1, DRM_OGPU_LINK_UP));
	ASSERT_EQ(0, wait_generation(self->fd[0], gen0));
	ASSERT_EQ(4, get_links(self->fd[0], a, MAX_PORTS));
	ASSERT_EQ(4, get_links(self->fd[1], b, MAX_PORTS));

	EXPECT_TRUE(a[0].flags & DRM_OGPU_LINK_HAS_PEER);
	EXPECT_TRUE(a[0].flags & DRM_OGPU_LINK_PEER_PRESENT);
	EXPECT_EQ(ID1, a[0].peer_instance);
	EXPECT_EQ(1, a[0].peer_port);
	EXPECT_EQ(20000, a[0].bandwidth_mbps);
	EXPECT_EQ(20000, a[0].nominal_bandwidth_mbps);
	EXPECT_EQ(500, a[0].latency_ns);
	EXPECT_EQ(1, a[0].hops);
	/* The peer's render node, by its minor. */
	ASSERT_EQ(0, stat(self->node[1], &st));
	EXPECT_EQ(minor(st.st_rdev), a[0].peer_render_minor);

	EXPECT_EQ(DRM_OGPU_LINK_UP, b[1].state);
	EXPECT_EQ(ID0, b[1].peer_instance);
	EXPECT_EQ(0, b[1].peer_port);
	EXPECT_EQ(DRM_OGPU_LINK_DOWN, b[0].state);
	EXPECT_EQ(0, b[0].flags & DRM_OGPU_LINK_HAS_PEER);

	gen1 = generation(self->fd[0]);
	ASSERT_EQ(0, fabric(FABRIC_UNLINK, "%d:0", ID0));
	ASSERT_EQ(0, wait_state(self->fd[0], 0, DRM_OGPU_LINK_DOWN));
	ASSERT_EQ(0, wait_generation(self->fd[0], gen1));
	ASSERT_EQ(4, get_links(self->fd[0], a, MAX_PORTS));
	EXPECT_EQ(0, a[0].flags & DRM_OGPU_LINK_HAS_PEER);
	ASSERT_EQ(4, get_links(self->fd[1], b, MAX_PORTS));
	EXPECT_EQ(DRM_OGPU_LINK_DOWN, b[1].state);
	EXPECT_EQ(0, b[1].flags & DRM_OGPU_LINK_HAS_PEER);
}

TEST_F(link, sysfs_shows_each_port)
{
	char buf[64];

	LINK01(12000, 800);
	ASSERT_EQ(0, link_sysfs_read(ID0, "port0/state", buf, sizeof(buf)));
	EXPECT_STREQ("up", buf);
	ASSERT_EQ(0, link_sysfs_read(ID0, "port0/peer", buf, sizeof(buf)));
	EXPECT_STREQ("301:1", buf);
	ASSERT_EQ(0, link_sysfs_read(ID0, "port0/bandwidth_mbps", buf,
				     sizeof(buf)));
	EXPECT_STREQ("12000", buf);
	ASSERT_EQ(0, link_sysfs_read(ID0, "port0/latency_ns", buf,
				     sizeof(buf)));
	EXPECT_STREQ("800", buf);
	ASSERT_EQ(0, link_sysfs_read(ID0, "port0/hops", buf, sizeof(buf)));
	EXPECT_STREQ("1", buf);
	ASSERT_EQ(0, link_sysfs_read(ID0, "port0/p2p_enabled", buf,
				     sizeof(buf)));
	EXPECT_STREQ("1", buf);
	ASSERT_EQ(0, link_sysfs_read(ID0, "port2/peer", buf, sizeof(buf)));
	EXPECT_STREQ("none", buf);
	ASSERT_EQ(0, link_sysfs_read(ID1, "port1/peer", buf, sizeof(buf)));
	EXPECT_STREQ("300:0", buf);
	ASSERT_EQ(0, link_sysfs_read(ID0, "generation", buf, sizeof(buf)));
	EXPECT_NE(0, strtoull(buf, NULL, 0));
}

TEST_F(link, sysfs_generation_wakes_poll)
{
	char path[128], buf[32];
	struct pollfd pfd;
	int fd, ret;

	snprintf(path, sizeof(path), OGPU_PDEV_DIR "/ogpu.%d/links/generation",
		 ID0);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	/* sysfs_notify() wakes pollers once the file has been read. */
	ASSERT_GT(read(fd, buf, sizeof(buf)), 0);

	ASSERT_EQ(0, fabric(FABRIC_LINK, "%d:0 %d:1", ID0, ID1));
	pfd.fd = fd;
	pfd.events = POLLPRI | POLLERR;
	ret = poll(&pfd, 1, 5000);
	EXPECT_EQ(1, ret);
	EXPECT_TRUE(pfd.revents & (POLLPRI | POLLERR));
	close(fd);
}

TEST_F(link, reject_unknown_device)
{
	EXPECT_EQ(-ENODEV, fabric(FABRIC_LINK, "%d:0 %d:0", ID0, 399));
}

TEST_F(link, reject_port_out_of_range)
{
	EXPECT_EQ(-EINVAL, fabric(FABRIC_LINK, "%d:4 %d:0", ID0, ID1));
}

TEST_F(link, reject_link_to_itself)
{
	EXPECT_EQ(-EINVAL, fabric(FABRIC_LINK, "%d:0 %d:1", ID0, ID0));
}

TEST_F(link, reject_zero_bandwidth)
{
	EXPECT_EQ(-EINVAL, fabric(FABRIC_LINK, "%d:0 %d:0 0", ID0, ID1));
}

TEST_F(link, reject_busy_port)
{
	ASSERT_EQ(0, fabric(FABRIC_LINK, "%d:0 %d:0", ID0, ID1));
	EXPECT_EQ(-EBUSY, fabric(FABRIC_LINK, "%d:0 %d:0", ID0, ID2));
}

TEST_F(link, reject_garbage)
{
	EXPECT_EQ(-EINVAL, fabric(FABRIC_LINK, "to the moon"));
}

TEST_F(link, unlink_without_link_is_enoent)
{
	EXPECT_EQ(-ENOENT, fabric(FABRIC_UNLINK, "%d:2", ID0));
}

TEST_F(link, deleting_a_device_takes_its_links_down)
{
	struct drm_ogpu_link_info a[MAX_PORTS];
	struct drm_ogpu_p2p_query q;

	LINK01(25000, 1000);
	close(self->fd[1]);
	self->fd[1] = -1;
	ASSERT_EQ(0, ogpu_sim_del(ID1));
	ASSERT_EQ(0, wait_state(self->fd[0], 0, DRM_OGPU_LINK_DOWN));
	ASSERT_EQ(4, get_links(self->fd[0], a, MAX_PORTS));
	EXPECT_EQ(0, a[0].flags & DRM_OGPU_LINK_HAS_PEER);
	ASSERT_EQ(0, _p2p(self->fd[0], ID1, &q, 0, 0));
	EXPECT_EQ(DRM_OGPU_P2P_PEER_ABSENT, q.reason);
}

TEST_F(link, p2p_ok_over_a_link)
{
	struct drm_ogpu_p2p_query q;

	LINK01(20000, 700);
	ASSERT_EQ(0, _p2p(self->fd[0], ID1, &q, 0, 0));
	EXPECT_EQ(DRM_OGPU_P2P_OK, q.reason);
	EXPECT_EQ(DRM_OGPU_P2P_PATH_LINK, q.path);
	EXPECT_EQ(DRM_OGPU_P2P_READ | DRM_OGPU_P2P_WRITE | DRM_OGPU_P2P_ATOMIC,
		  q.access);
	EXPECT_EQ(0, q.port);
	EXPECT_EQ(1, q.hops);
	EXPECT_EQ(20000, q.bandwidth_mbps);
	EXPECT_EQ(700, q.latency_ns);
	EXPECT_NE(0, q.link_generation);
	/* And the other way, over ID1's port 1. */
	ASSERT_EQ(0, _p2p(self->fd[1], ID0, &q, 0, 0));
	EXPECT_EQ(DRM_OGPU_P2P_OK, q.reason);
	EXPECT_EQ(1, q.port);
}

TEST_F(link, p2p_self)
{
	struct drm_ogpu_p2p_query q;

	ASSERT_EQ(0, _p2p(self->fd[0], ID0, &q, 0, 0));
	EXPECT_EQ(DRM_OGPU_P2P_OK, q.reason);
	EXPECT_EQ(DRM_OGPU_P2P_PATH_SELF, q.path);
}

TEST_F(link, p2p_no_link)
{
	struct drm_ogpu_p2p_query q;

	ASSERT_EQ(0, _p2p(self->fd[0], ID1, &q, 0, 0));
	EXPECT_EQ(DRM_OGPU_P2P_NO_LINK, q.reason);
	EXPECT_EQ(DRM_OGPU_P2P_PATH_NONE, q.path);
	EXPECT_EQ(0, q.access);
	EXPECT_EQ(0, q.hops);
}

TEST_F(link, p2p_no_link_reports_route_through_others)
{
	struct drm_ogpu_p2p_query q;
	__u64 gen = generation(self->fd[0]);

	/* ID0 - ID1 - ID2: ID0 reaches ID2 only in two hops. */
	LINK01(25000, 1000);
	ASSERT_EQ(0, fabric(FABRIC_LINK, "%d:0 %d:1", ID1, ID2));
	ASSERT_EQ(0, wait_state(self->fd[2], 1, DRM_OGPU_LINK_UP));
	/* The route comes from the snapshots the link interrupts refresh. */
	ASSERT_EQ(0, wait_generation(self->fd[0], gen));
	usleep(100000);
	ASSERT_EQ(0, _p2p(self->fd[0], ID2, &q, 0, 0));
	EXPECT_EQ(DRM_OGPU_P2P_NO_LINK, q.reason);
	EXPECT_EQ(2, q.hops);
}

TEST_F(link, p2p_link_down)
{
	struct drm_ogpu_p2p_query q;

	LINK01(25000, 1000);
	ASSERT_EQ(0, ogpu_link_debugfs(ID0, 0, "state", "down"));
	ASSERT_EQ(0, _p2p(self->fd[0], ID1, &q, 0, 0));
	EXPECT_EQ(DRM_OGPU_P2P_LINK_DOWN, q.reason);
	EXPECT_EQ(0, q.port);
	EXPECT_EQ(0, q.access);
	/* Both ends see it. */
	ASSERT_EQ(0, _p2p(self->fd[1], ID0, &q, 0, 0));
	EXPECT_EQ(DRM_OGPU_P2P_LINK_DOWN, q.reason);
	/* And it comes back. */
	ASSERT_EQ(0, ogpu_link_debugfs(ID0, 0, "state", "up"));
	ASSERT_EQ(0, wait_state(self->fd[0], 0, DRM_OGPU_LINK_UP));
	ASSERT_EQ(0, _p2p(self->fd[0], ID1, &q, 0, 0));
	EXPECT_EQ(DRM_OGPU_P2P_OK, q.reason);
}

TEST_F(link, p2p_link_failed)
{
	struct drm_ogpu_p2p_query q;

	LINK01(25000, 1000);
	ASSERT_EQ(0, ogpu_link_debugfs(ID1, 1, "state", "fail"));
	ASSERT_EQ(0, _p2p(self->fd[0], ID1, &q, 0, 0));
	EXPECT_EQ(DRM_OGPU_P2P_LINK_FAILED, q.reason);
}

TEST_F(link, p2p_link_degraded_below_threshold)
{
	struct drm_ogpu_p2p_query q;
	char buf[32];

	LINK01(25000, 1000);
	ASSERT_EQ(0, ogpu_link_debugfs(ID0, 0, "bandwidth", "5000"));
	ASSERT_EQ(0, wait_state(self->fd[0], 0, DRM_OGPU_LINK_DEGRADED));
	/* Degraded but above the threshold (0 by default): still usable. */
	ASSERT_EQ(0, _p2p(self->fd[0], ID1, &q, 0, 0));
	EXPECT_EQ(DRM_OGPU_P2P_OK, q.reason);
	EXPECT_EQ(5000, q.bandwidth_mbps);

	ASSERT_EQ(0, link_sysfs_write(ID0, "p2p_min_bandwidth_mbps", "10000"));
	ASSERT_EQ(0, link_sysfs_read(ID0, "p2p_min_bandwidth_mbps", buf,
				     sizeof(buf)));
	EXPECT_STREQ("10000", buf);
	ASSERT_EQ(0, _p2p(self->fd[0], ID1, &q, 0, 0));
	EXPECT_EQ(DRM_OGPU_P2P_LINK_DEGRADED, q.reason);
	EXPECT_EQ(10000, q.min_bandwidth_mbps);
	EXPECT_EQ(5000, q.bandwidth_mbps);
	/* The threshold is this device's: the peer still says yes. */
	ASSERT_EQ(0, _p2p(self->fd[1], ID0, &q, 0, 0));
	EXPECT_EQ(DRM_OGPU_P2P_OK, q.reason);
	ASSERT_EQ(0, link_sysfs_write(ID0, "p2p_min_bandwidth_mbps", "0"));
}

TEST_F(link, p2p_disabled_by_administrator)
{
	struct drm_ogpu_p2p_query q;
	struct drm_ogpu_link_info a[MAX_PORTS];

	LINK01(25000, 1000);
	ASSERT_EQ(0, link_sysfs_write(ID1, "port1/p2p_enabled", "0"));
	/* Either end's setting refuses the link. */
	ASSERT_EQ(0, _p2p(self->fd[0], ID1, &q, 0, 0));
	EXPECT_EQ(DRM_OGPU_P2P_DISABLED, q.reason);
	ASSERT_EQ(0, _p2p(self->fd[1], ID0, &q, 0, 0));
	EXPECT_EQ(DRM_OGPU_P2P_DISABLED, q.reason);
	ASSERT_EQ(4, get_links(self->fd[1], a, MAX_PORTS));
	EXPECT_TRUE(a[1].flags & DRM_OGPU_LINK_P2P_DISABLED);
	ASSERT_EQ(0, link_sysfs_write(ID1, "port1/p2p_enabled", "1"));
	ASSERT_EQ(0, _p2p(self->fd[0], ID1, &q, 0, 0));
	EXPECT_EQ(DRM_OGPU_P2P_OK, q.reason);
}

TEST_F(link, p2p_peer_absent)
{
	struct drm_ogpu_p2p_query q;

	ASSERT_EQ(0, _p2p(self->fd[0], 398, &q, 0, 0));
	EXPECT_EQ(DRM_OGPU_P2P_PEER_ABSENT, q.reason);
	EXPECT_EQ(0, q.access);
}

TEST_F(link, p2p_best_of_two_links)
{
	struct drm_ogpu_p2p_query q;

	LINK01(25000, 1000);
	ASSERT_EQ(0, fabric(FABRIC_LINK, "%d:2 %d:3 50000 1000", ID0, ID1));
	ASSERT_EQ(0, wait_state(self->fd[0], 2, DRM_OGPU_LINK_UP));
	ASSERT_EQ(0, _p2p(self->fd[0], ID1, &q, 0, 0));
	EXPECT_EQ(DRM_OGPU_P2P_OK, q.reason);
	EXPECT_EQ(2, q.port);
	/* The faster one goes down: the other still serves. */
	ASSERT_EQ(0, ogpu_link_debugfs(ID0, 2, "state", "down"));
	ASSERT_EQ(0, _p2p(self->fd[0], ID1, &q, 0, 0));
	EXPECT_EQ(DRM_OGPU_P2P_OK, q.reason);
	EXPECT_EQ(0, q.port);
}

TEST_F(link, p2p_reject_flags)
{
	struct drm_ogpu_p2p_query q;

	EXPECT_EQ(-EINVAL, _p2p(self->fd[0], ID1, &q, 1, 0));
}

TEST_F(link, p2p_reject_pad)
{
	struct drm_ogpu_p2p_query q;

	EXPECT_EQ(-EINVAL, _p2p(self->fd[0], ID1, &q, 0, 1));
}

TEST_F(link, libogpu_links_and_p2p_words)
{
	struct ogpu_device *a, *b;
	struct ogpu_link links[8];
	struct ogpu_p2p p;
	uint64_t gen;
	int n;

	LINK01(25000, 1000);
	ASSERT_EQ(0, ogpu_device_open_path(self->node[0], &a));
	ASSERT_EQ(0, ogpu_device_open_path(self->node[1], &b));
	n = ogpu_device_get_links(a, links, 8, &gen);
	ASSERT_EQ(4, n);
	EXPECT_NE(0, gen);
	EXPECT_EQ(OGPU_LINK_UP, links[0].state);
	EXPECT_EQ(ID1, links[0].peer_instance);
	EXPECT_STREQ("up", ogpu_link_state_str(links[0].state));

	ASSERT_EQ(0, ogpu_p2p_query(a, b, &p));
	EXPECT_EQ(OGPU_P2P_OK, p.reason);
	EXPECT_NE(NULL, strstr(p.why, "over link port 0"));

	ASSERT_EQ(0, ogpu_link_debugfs(ID0, 0, "state", "down"));
	ASSERT_EQ(0, ogpu_p2p_query(a, b, &p));
	EXPECT_EQ(OGPU_P2P_LINK_DOWN, p.reason);
	EXPECT_STREQ("link-down", ogpu_p2p_reason_str(p.reason));
	EXPECT_NE(NULL, strstr(p.why, "is down"));
	ogpu_device_close(a);
	ogpu_device_close(b);
}

TEST_HARNESS_MAIN
