/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The ogpu authors
 *
 * The few kernel types and macros the device model's core uses, for
 * building it on the host. Included before everything with -include.
 */
#ifndef OGPU_KCOMPAT_H
#define OGPU_KCOMPAT_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef unsigned __int128 u128;

#define BIT(n) (1ul << (n))
#define BIT_ULL(n) (1ull << (n))
#define hweight64(x) ((unsigned int)__builtin_popcountll(x))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define noinline __attribute__((__noinline__))
#ifndef __always_inline
#define __always_inline inline __attribute__((__always_inline__))
#endif

#endif
