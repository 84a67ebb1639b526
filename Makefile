# The two commands a new machine needs: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
JOBS ?= $(shell nproc)
DEBUG_DIR := build/debug
RELEASE_DIR := build/release
DB ?= sqlite:./shian.db
PORT ?= 8080

.PHONY: demo test deps-build deps-test build-debug build-release web web-check fuzz clean

deps-build:
	@scripts/install-deps.sh build

deps-test:
	@scripts/install-deps.sh test

build-debug:
	cmake -S . -B $(DEBUG_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSHIAN_SANITIZE=ON > /dev/null
	cmake --build $(DEBUG_DIR) -j $(JOBS)

build-release:
	cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
	cmake --build $(RELEASE_DIR) -j $(JOBS)

web:
	@if [ -f web/package.json ]; then \
	  cd web && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; } && npm run build; \
	fi

# Builds (release), creates ./shian.db with the demo county once, serves it on :8080.
demo:
	@scripts/install-deps.sh demo
	$(MAKE) build-release web
	@if [ ! -f shian.db ]; then $(RELEASE_DIR)/shian demo --db $(DB); fi
	$(RELEASE_DIR)/shian serve --db $(DB) --port $(PORT) --web web/dist

# Builds (debug + ASan/UBSan) and runs every test, PostgreSQL included.
test: deps-test
	$(MAKE) build-debug web
	scripts/run-tests.sh $(DEBUG_DIR)

fuzz:
	scripts/run-fuzz.sh 60

clean:
	rm -rf build
