/* tzcode.c: builds the IANA tzcode's localtime.c (vendor/tzcode/, unmodified; its
 * README says which release) for tzcode.h. The Makefile compiles every file
 * of src/record alike, so the settings are here, not there:
 * - every public name becomes tz_* (tz_localtime, tz_mktime, ...): libc's
 *   own localtime and the rest stay libc's for the rest of the program;
 * - thread-safe, as the server converts in many threads;
 * - no leap seconds: the board's utc is Unix seconds (docs/protocol.md s.10),
 *   so a zone that counts them (right/...) fails to load. */
#define RESERVE_STD_EXT_IDS 1
#define THREAD_SAFE 1
#define TZ_RUNTIME_LEAPS 0
#include "vendor/tzcode/localtime.c"
/* Last, so the compiler checks these declarations against the definitions. */
#include "record/tzcode.h"
