# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# ogpu: an open GPU compute stack.
#
#   make              build the modules (against Debian's 6.12 headers),
#                     libogpu, the tools and the tests
#   make demo         boot QEMU with four OGPUs and run ogpu-smi
#   make check        run every test in QEMU; KERNEL=debug for the debug kernel
#   make bench        run ogpu-bench in QEMU, printing JSON
#   make fuzz         run the ioctl fuzzer in QEMU; KERNEL=debug, FUZZ_SECONDS
#   make lint         checkpatch --strict and sparse on the kernel code
#   make install      install libogpu, its header, pkg-config file and tools
#
# Variables: KDIR (kernel build tree), KERNEL (debian or debug), BUILD.

BUILD ?= $(CURDIR)/build
KERNEL ?= debian
KVER ?= $(shell scripts/kver.sh)
KDIR ?= /usr/src/linux-headers-$(KVER)
KSRC_TAR ?= /usr/src/linux-source-6.12.tar.xz
KSFT := $(BUILD)/ksft

all: modules userspace tests

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

userspace:
	$(MAKE) -C userspace O=$(BUILD)/userspace

# The kernel's own selftest harness, from Debian's linux-source-6.12.
$(KSFT)/kselftest_harness.h: $(KSRC_TAR)
	mkdir -p $(KSFT)
	tar -xJf $(KSRC_TAR) -C $(KSFT) --strip-components=4 \
		linux-source-6.12/tools/testing/selftests/kselftest_harness.h \
		linux-source-6.12/tools/testing/selftests/kselftest.h
	touch $@

tests: userspace $(KSFT)/kselftest_harness.h
	$(MAKE) -C tests O=$(BUILD)/tests LIBDIR=$(BUILD)/userspace KSFT=$(KSFT)

deps:
	scripts/install-deps.sh

check:
	scripts/check.sh $(KERNEL)

demo:
	scripts/demo.sh

bench:
	scripts/bench.sh

fuzz:
	scripts/fuzz.sh $(KERNEL)

lint:
	scripts/lint.sh

install:
	$(MAKE) -C userspace O=$(BUILD)/userspace install

modules_install:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	rm -rf $(BUILD)

.PHONY: all modules userspace tests deps check demo bench fuzz lint install \
	modules_install clean
