// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * A second module, to load beside the first in one VM: its kernel and
 * its data (with an absolute pointer the loader relocates) live at other
 * VAs.
 */
#include <ogpu_kernel.h>

static const unsigned int table[4] = { 10, 20, 30, 40 };
static const unsigned int *const table_ptr = table;

struct args {
	unsigned int *out;
	unsigned long addr;
	unsigned int n;
	unsigned int pad;
};

OGPU_KERNEL void from_table(const struct args *p)
{
	unsigned int i = ogpu_global_id_x();

	if (i < p->n)
		p->out[i] = table_ptr[i % 4] + i;
}
