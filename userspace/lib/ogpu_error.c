// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Messages for libogpu's return values, in the terms of a GPU stack rather
 * than of the C library.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "ogpu_priv.h"

OGPU_EXPORT const char *ogpu_strerror(int err)
{
	switch (err) {
	case 0:
		return "success";
	case -ENODEV:
		return "no such OGPU, or the device has been removed";
	case -ENOENT:
		return "no such object";
	case -EINVAL:
		return "invalid argument";
	case -EFAULT:
		return "bad address";
	case -ENOMEM:
		return "out of memory";
	case -ENOSPC:
		return "out of device memory";
	case -EIO:
		return "device error";
	case -ETIMEDOUT:
		return "timed out";
	case -EACCES:
	case -EPERM:
		return "permission denied opening the render node";
	case -ENOEXEC:
		return "not an OGPU compute module (a RISC-V RV64 ELF that ogpu-cc built)";
	case -ENOLINK:
		return "no usable link to that device (ogpu_p2p_query() says why)";
	case -ENOTTY:
		return "the kernel driver does not know this request";
	default:
		if (err < 0) {
			/* Unlike strerror(), thread-safe and never a buffer. */
			const char *s = strerrordesc_np(-err);

			if (s)
				return s;
		}
		return "unknown error";
	}
}
