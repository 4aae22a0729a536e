# strata: `make run` serves on 127.0.0.1:4566, `make test` builds and runs every test.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 20
JOBS       ?= $(shell nproc)
ARGS       ?=

# Debian packages the build, the tests and the benchmarks need. `make deps` installs only the
# missing ones (apt-get update once, only when something is missing; sudo only when not root).
APT_PACKAGES := g++ cmake make pkg-config libboost-dev liburing-dev libxxhash-dev \
  libsimdjson-dev zlib1g-dev libgtest-dev libgmock-dev libbenchmark-dev libssl-dev \
  python3 clang-format clang libclang-rt-14-dev

.PHONY: all deps build run test test-unit test-asan test-fuzz bench format clean

all: build

deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if ! command -v aws >/dev/null 2>&1; then missing="$$missing awscli"; fi; \
	if ! python3 -c 'import boto3' >/dev/null 2>&1; then missing="$$missing python3-boto3"; fi; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/strata $(ARGS)

# Release build with every test (unit + end-to-end), then the engine layers under ASan+UBSan,
# then the fuzz targets for FUZZ_SECONDS each (longer: `make test-fuzz FUZZ_SECONDS=600`).
test: build test-unit test-asan test-fuzz

test-unit:
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSTRATA_SANITIZE=ON \
	  -DSTRATA_ENGINE_ONLY=ON -DSTRATA_BUILD_BENCH=OFF
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS)

test-fuzz: deps
	CXX=clang++ CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DSTRATA_FUZZ=ON -DSTRATA_ENGINE_ONLY=ON -DSTRATA_BUILD_BENCH=OFF -DFUZZ_SECONDS=$(FUZZ_SECONDS)
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target expression_fuzz
	cd $(FUZZ_BUILD) && ctest --output-on-failure

bench: build
	@for b in $(BUILD)/bench/*_bench; do echo "== $$b"; $$b --benchmark_min_time=0.2; done

format:
	clang-format -i $$(git ls-files '*.h' '*.cc')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
