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

LIB_SRC := $(sort $(wildcard src/crypto/*.c src/record/*.c src/store/*.c src/server/*.c src/cli/*.c))
LIB_SRC := $(filter-out src/cli/main.c,$(LIB_SRC))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

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

$(BUILD)/urna: $(BUILD)/src/cli/main.o $(BUILD)/liburna.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/liburna.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -o $@ $< $(BUILD)/liburna.a $(LDLIBS) -lcmocka

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

-include $(LIB_OBJ:.o=.d) $(BUILD)/src/cli/main.d
