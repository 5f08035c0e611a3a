/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The ogpu authors
 *
 * What the compute examples share: stop on an error with its message,
 * and find a kernel module beside the program (or in $OGPU_KERNEL_DIR).
 */
#ifndef OGPU_EXAMPLE_H
#define OGPU_EXAMPLE_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ogpu.h>

#define CHECK(call) do {						\
	int __ret = (call);						\
									\
	if (__ret) {							\
		fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__,	\
			#call, ogpu_strerror(__ret));			\
		exit(1);						\
	}								\
} while (0)

static inline const char *kernel_path(const char *name)
{
	static char path[PATH_MAX];
	const char *dir = getenv("OGPU_KERNEL_DIR");
	char exe[PATH_MAX / 2];
	ssize_t n;

	if (dir) {
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		return path;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return name;
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	snprintf(path, sizeof(path), "%s/%s", exe, name);
	return path;
}

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

#endif /* OGPU_EXAMPLE_H */
