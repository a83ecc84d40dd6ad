#!/usr/bin/env python3
"""Finds co_await expressions that contain a brace-initialised temporary or a lambda:
g++ 12 miscompiles those (see docs/design.md). Exits 1 when it finds one."""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
brace_temp = re.compile(r'[A-Za-z_>]\s*\{[^}]')
lambda_expr = re.compile(r'\[[^\]]*\]\s*(\([^)]*\))?\s*(mutable\s*)?(->[^{]*)?\{')
strings = re.compile(r'"(?:\\.|[^"\\])*"')
found = []
for path in root.glob('**/*.[ch]pp'):
    if any(part.startswith('build') or part == 'node_modules' for part in path.parts):
        continue
    text = path.read_text(errors='replace')
    code = '\n'.join(line.split('//')[0] for line in text.splitlines())
    code = strings.sub('""', code)
    for m in re.finditer(r'\bco_await\b', code):
        stmt = code[m.start():code.find(';', m.start())]
        if brace_temp.search(stmt) or lambda_expr.search(stmt):
            line = code.count('\n', 0, m.start()) + 1
            found.append(f'{path.relative_to(root)}:{line}: {stmt[:100]!r}')
for f in found:
    print(f)
sys.exit(1 if found else 0)
