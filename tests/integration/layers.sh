#!/usr/bin/env bash
# layers.sh: each folder of src includes only the folders docs/architecture.md
# allows it (its table "may include"); an include of any other folder of src
# fails the test, naming the file and the line.
set -uo pipefail
cd "$(dirname "$0")/../.."
declare -A allowed=(
	[base]=""
	[crypto]="base"
	[record]="base crypto"
	[store]="base record"
	[server]="base crypto record store"
	[client]="base crypto record store"
	[demo]="base client crypto record"
	[bench]="base client crypto record"
	[cli]="base bench client crypto demo record server store"
)
bad=0
for dir in src/*/; do
	d=$(basename "$dir")
	[ -n "${allowed[$d]+x}" ] || { echo "src/$d: a folder docs/architecture.md does not place"; bad=1; continue; }
	while IFS=: read -r file line inc; do
		to=$(echo "$inc" | sed -n 's/.*#include "\([a-z_]*\)\/.*/\1/p')
		{ [ -z "$to" ] || [ "$to" = "$d" ] || [ ! -d "src/$to" ]; } && continue # not a layer: a file of this folder's own
		case " ${allowed[$d]} " in *" $to "*) ;; *) echo "$file:$line: src/$d may not include src/$to"; bad=1 ;; esac
	done < <(grep -n '#include "' "$dir"*.[ch] /dev/null)
done
# the store sees only record/error.h of the record layer
if grep -n '#include "record/' src/store/*.[ch] | grep -v 'record/error.h'; then
	echo "src/store may include record/error.h only"; bad=1
fi
[ "$bad" = 0 ] && echo "layers: every include goes down"
exit "$bad"
