// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Copyright 2026 The ogpu authors
 */
#define CREATE_TRACE_POINTS
#include "ogpu_trace.h"
