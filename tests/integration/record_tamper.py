"""record_tamper.py RECORD_DIR OUT_DIR SELECTOR OPS EXPECT: a changed copy of
a record folder (urna export) for `urna verify`, with the hash chain made
right again (every later line's seq and prev), so that only the checks of
the entries themselves can catch the change. Prints "SEQ KIND": the entry
on the changed board that urna verify must name.

SELECTOR names a line of the record's board: seq:N, or
KIND[:REGION][/TYPE][@BY][#I], the I-th (from 0, negative from the end,
default 0) line of that kind (and region, body "type", author).
OPS, separated by ';', are applied in order to that line:
  set PATH JSON      its body's PATH (dots: questions.0.text) is JSON
  copy PATH SEL      its body's PATH is line SEL's (of the record's board)
  append PATH JSON   JSON appended to the list at PATH (@other: a credential
                     of OUT_DIR/other.json, {"credentials":[...]}, not yet used)
  by AUTHOR          its "by" is AUTHOR
  region R           its "region" is R
  resign KEYFILE     signed again, as its "by" and its author's entry number
                     on the changed board, with KEYFILE (urna keygen's) or,
                     for "fresh", a new key
  drop               the line is left out
  fix-electorate     (an electorate line) its "lists" and "electorate" made
                     those of its region's credentials lines on the board
EXPECT: here (the line changed), or a SELECTOR resolved on the changed
board. The record's results.json and results.csv are copied as they are.
Signing from urnasign.py (libsodium through ctypes)."""
import json, os, shutil, sys
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from urnasign import Key, b64, canon, hash32, join, read_board, rechain, sign_line, split  # noqa: E402


def select(lines, sel):
    if sel.startswith('seq:'):
        return int(sel[4:])
    nth = 0
    if '#' in sel:
        sel, nth = sel.split('#')
        nth = int(nth)
    by = None
    if '@' in sel:
        sel, by = sel.split('@')
    typ = None
    if '/' in sel:
        sel, typ = sel.split('/')
    kind, _, region = sel.partition(':')
    hits = []
    for i, l in enumerate(lines):
        head, body = split(l)
        if head['kind'] != kind or (region and head.get('region') != region) or (by and head.get('by') != by):
            continue
        if typ and json.loads(body).get('type') != typ:
            continue
        hits.append(i)
    if not -len(hits) <= nth < len(hits):
        sys.exit('no line %s#%d (%d such lines)' % (sel, nth, len(hits)))
    return hits[nth]


def walk(obj, path):
    keys = [int(k) if k.isdigit() else k for k in path.split('.')]
    for k in keys[:-1]:
        obj = obj[k]
    return obj, keys[-1]


def main(record, out, sel, ops, expect):
    lines = read_board(os.path.join(record, 'board.jsonl'))
    i = select(lines, sel)
    kind = split(lines[i])[0]['kind']
    others = iter(json.load(open(os.path.join(out, 'other.json')))['credentials']) if '@other' in ops else None
    dropped = False
    for op in [o.strip() for o in ops.split(';')]:
        verb, _, arg = op.partition(' ')
        head, body = split(lines[i])
        b = json.loads(body)
        if verb in ('set', 'copy', 'append'):
            path, _, val = arg.partition(' ')
            o, k = walk(b, path)
            if verb == 'copy':
                src = json.loads(split(lines[select(lines, val)])[1])
                so, sk = walk(src, path)
                o[k] = so[sk]
            elif verb == 'set':
                o[k] = json.loads(val)
            else:
                o[k].append(next(others) if val == '@other' else json.loads(val))
            lines[i] = join(head, canon(b).encode())
        elif verb in ('by', 'region'):
            head[verb] = arg
            lines[i] = join(head, body)
        elif verb == 'resign':
            lines[i] = sign_line(lines, i, Key() if arg == 'fresh' else Key(arg))
        elif verb == 'fix-electorate':
            creds = [split(l)[1] for l in lines if split(l)[0]['kind'] == 'credentials' and split(l)[0].get('region') == head['region']]
            b['lists'] = [b64(hash32(c)) for c in creds]
            b['electorate'] = sum(len(json.loads(c)['credentials']) for c in creds)
            lines[i] = join(head, canon(b).encode())
        elif verb == 'drop':
            del lines[i]
            dropped = True
        else:
            sys.exit('unknown operation: ' + op)
    lines = rechain(lines)
    os.makedirs(out, exist_ok=True)
    open(os.path.join(out, 'board.jsonl'), 'wb').write(b''.join(l + b'\n' for l in lines))
    for f in ('results.json', 'results.csv'):
        if os.path.exists(os.path.join(record, f)):
            shutil.copy(os.path.join(record, f), os.path.join(out, f))
    if expect == 'here':
        if dropped:
            sys.exit('"here" names no line when the line is dropped')
        at = i
    else:
        at = select(lines, expect)
    print(at, split(lines[at])[0]['kind'] if at < len(lines) else '?')


if __name__ == '__main__':
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    main(*sys.argv[1:6])
