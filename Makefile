# nvjrun build entry points. Everything goes through Maven; this file only picks the JDK,
# installs the system packages the build and tests need, and lays out build/bin.
SHELL := /bin/bash
JAVA_HOME := $(shell scripts/find-jdk)
export JAVA_HOME
MVN := mvn -B -ntp
DEMO_DIR ?= /tmp/nvjrun-demo

.PHONY: all deps build test deb demo clean

all: build

# System packages: gcc for the mock NVML and the native helper, ldconfig (libc-bin) for the
# simulated driver root, the real peers the integration tests run against.
deps:
	@scripts/install-deps

# packaging's package phase lays out build/bin and build/lib (scripts/assemble-dist).
build: deps
	$(MVN) -q install -DskipTests

test: deps
	$(MVN) install
	@echo "make test: all modules passed"

# The Debian package build/nvjrun_<version>_amd64.deb, from the tree `build` assembled
# (scripts/build-deb; InstallableDistributionTest checks it when it exists).
deb: build
	scripts/build-deb

demo: build
	@# a bridge outliving its state root would hold its subnet: take down an earlier demo's first
	@[ ! -d $(DEMO_DIR)/state ] || build/bin/nvjrun --root $(DEMO_DIR)/state network reset >/dev/null
	@rm -rf $(DEMO_DIR)
	build/bin/nvjrun-fakegpu create $(DEMO_DIR) --gpus 4
	. $(DEMO_DIR)/nvjrun.env && build/bin/nvjrun gpu info
	@# a real container: an image of Debian's busybox-static, imported and run on a fresh state root
	mkdir -p $(DEMO_DIR)/busybox/bin $(DEMO_DIR)/busybox/etc
	cp /bin/busybox $(DEMO_DIR)/busybox/bin/
	for a in $$(/bin/busybox --list); do [ $$a = busybox ] || ln -s busybox $(DEMO_DIR)/busybox/bin/$$a; done
	echo 'root:x:0:0:root:/root:/bin/sh' > $(DEMO_DIR)/busybox/etc/passwd
	tar -C $(DEMO_DIR)/busybox -cf $(DEMO_DIR)/busybox.tar .
	build/bin/nvjrun --root $(DEMO_DIR)/state import $(DEMO_DIR)/busybox.tar demo/busybox
	build/bin/nvjrun --root $(DEMO_DIR)/state run --rm -h nvjrun-demo --memory 64m demo/busybox \
	  sh -c 'echo "hello from $$(hostname), PID $$$$ of its own PID namespace"; ps'
	@# a GPU container on the simulated host: GPUs 0 and 2 only, with the driver's files under /usr/local/nvidia
	. $(DEMO_DIR)/nvjrun.env && build/bin/nvjrun --root $(DEMO_DIR)/state run --rm --network none --gpus '"device=0,2"' demo/busybox \
	  sh -c 'echo "NVIDIA_VISIBLE_DEVICES=$$NVIDIA_VISIBLE_DEVICES"; ls -l /dev/nvidia*; ls /usr/local/nvidia/bin /usr/local/nvidia/lib64'
	@build/bin/nvjrun --root $(DEMO_DIR)/state network reset >/dev/null # the demo's bridge and firewall chains

clean:
	$(MVN) -q clean
	rm -rf build
