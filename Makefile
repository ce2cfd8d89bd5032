# Urna build. `make` builds build/urna; `make test` installs what is missing
# and runs every test; `make demo` runs the two-round demo; `make bench` the
# benchmarks; `make asan` the unit and integration tests under ASan+UBSan.
CC      ?= cc
BUILD   ?= build
PKGS    := libsodium libmicrohttpd jansson sqlite3 libpq libcurl
OPT     ?= -O2 -g
SAN     ?=
CFLAGS  := $(OPT) $(SAN) -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -pthread \
           -Isrc -I/usr/include/decaf $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  := $(SAN) -pthread -ldecaf $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm

# liburna.a: the layers (docs/architecture.md), what the unit tests link.
# urna: the commands (src/cli), the demo and the benchmarks on top of it.
LIB_SRC := $(sort $(wildcard src/base/*.c src/crypto/*.c src/record/*.c src/store/*.c src/server/*.c src/client/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
APP_SRC := $(sort $(wildcard src/cli/*.c src/demo/*.c src/bench/*.c))
APP_OBJ := $(APP_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%) $(BUILD)/tests/test_demo_plan

.PHONY: all deps site site-deps test unit demo bench bench-web asan clean
all: $(BUILD)/urna

deps:
	@scripts/deps.sh

# build/urna and the site's npm packages (web/node_modules), which the pages
# that urna serve serves need: the README's by-hand steps start here.
site: deps
	@scripts/deps.sh site
	@$(MAKE) --no-print-directory all

# The site's packages first: the README's steps (readme_by_hand) fetch the
# booth's libsodium from a server, under ASan too.
site-deps: deps
	@scripts/deps.sh site

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# urna serve's default site is the web/ of the checkout it was built from.
$(BUILD)/src/cli/serve.o: CFLAGS += -DURNA_WEB_DIR='"$(CURDIR)/web"'

$(BUILD)/liburna.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/urna: $(APP_OBJ) $(BUILD)/liburna.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# The unit tests link liburna.a: neither the demo nor the benchmarks. Two
# link one object of theirs besides: test_cli the commands' shared parsing
# (cli.o, over its own table of commands), test_demo_plan the demo's
# arithmetic (plan.o) and nothing else.
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/liburna.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -o $@ $< $(filter %.o,$^) $(BUILD)/liburna.a $(LDLIBS) -lcmocka

$(BUILD)/tests/test_cli: $(BUILD)/src/cli/cli.o

$(BUILD)/tests/test_demo_plan: tests/demo/test_demo_plan.c $(BUILD)/src/demo/plan.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ -lcmocka

unit: $(UNIT_BIN)

# Every test: unit (cmocka), integration (real server on 127.0.0.1), web
# (playwright-core driving Debian's chromium). tests/run.sh says what ran.
test: site-deps
	@$(MAKE) --no-print-directory all unit
	@tests/run.sh $(BUILD)

demo: site
	$(BUILD)/urna demo $(DEMO_ARGS)

# The verify figure of issue 3 is at 1M ballots: make bench BENCH_BALLOTS=1000000
# (the first run generates the record, cached under build/bench-records/).
BENCH_BALLOTS ?= 100000
bench: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/urna bench crypto
	$(BUILD)/urna bench verify --ballots $(BENCH_BALLOTS)
	$(BUILD)/urna bench intake --clients 32 --seconds 10

bench-web: deps
	@scripts/deps.sh web
	@$(MAKE) --no-print-directory all
	node web/tests/bench.mjs $(BUILD)

asan: site-deps
	@$(MAKE) --no-print-directory BUILD=build/asan \
	  OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" all unit
	@URNA_NO_WEB=1 tests/run.sh build/asan

clean:
	rm -rf $(BUILD)

-include $(LIB_OBJ:.o=.d) $(APP_OBJ:.o=.d)
