# SPDX-License-Identifier: GPL-2.0
#
# mvgpu: mediated vGPUs for KVM.
#
#   make [KDIR=...]      build mvgpu.ko for the running (or given) kernel
#   make install         install it (modules_install + depmod)
#   make dkms-install    register the source with DKMS and build/install it
#   make demo            boot the testbed VM and show vGPUs at work
#   make check           run every test (unit, builds, testbed VM suites)
#   make bench           print benchmark figures (vGPU vs direct engine)
#   make fuzz            fuzz the command scanner for 10 minutes (clang, tree)
#   make testbed         prepare the testbed only (Debian 13 tree, kernels)
#
# Kbuild (beside this file) lists the module's objects.

VERSION		:= 0.1.0
KDIR		?= /lib/modules/$(shell uname -r)/build
TB		:= tools/testbed

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates modules_install
	depmod -a $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null || uname -r)

dkms-install:
	rm -rf /usr/src/mvgpu-$(VERSION)
	mkdir -p /usr/src/mvgpu-$(VERSION)
	cp -a Kbuild Makefile dkms.conf kmod include uapi gvt /usr/src/mvgpu-$(VERSION)/
	dkms add -m mvgpu -v $(VERSION)
	dkms install -m mvgpu -v $(VERSION)

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	rm -rf build
	$(MAKE) -C selftests/unit clean 2>/dev/null || true
	$(MAKE) -C selftests/vfio clean 2>/dev/null || true

testbed:
	$(TB)/testbed

demo:
	$(TB)/demo

check:
	$(TB)/check

bench:
	$(TB)/bench

fuzz:
	$(TB)/in-tree $(MAKE) -C selftests/fuzz fuzz

.PHONY: all modules install dkms-install clean testbed demo check bench fuzz
