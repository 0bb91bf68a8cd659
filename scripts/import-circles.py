#!/usr/bin/env python3
"""Finds import circles between the web app's modules (issue 22): module A uses module B
and B, through any path, uses A. Reads `crate::`, `super::` and `self::` paths in code
(comments and test modules left out) and prints every circle; exits 1 when there is one.

Usage: scripts/import-circles.py [SRC_DIR]   (default: src)
"""
import os
import re
import sys


def modules(root):
    """Module path ('stores::cache') -> file, test modules left out."""
    found = {}
    for folder, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(folder, name)
            parts = os.path.relpath(path, root)[:-3].split(os.sep)
            if "tests" in parts:
                continue
            if parts[-1] in ("mod", "lib", "main"):
                parts = parts[:-1]
            found["::".join(parts)] = path
    return found


def resolve(known, current, path):
    """The module a path names, or None for another crate's."""
    segments = path.split("::")
    if segments[0] == "crate":
        base, segments = [], segments[1:]
    elif segments[0] in ("super", "self"):
        base = current.split("::") if current else []
        while segments and segments[0] == "super":
            base, segments = base[:-1], segments[1:]
        if segments and segments[0] == "self":
            segments = segments[1:]
    else:
        return None
    full = base + segments
    for end in range(len(full), 0, -1):
        name = "::".join(full[:end])
        if name in known:
            return name
    return None


def graph(root):
    known = modules(root)
    edges = {name: set() for name in known}
    for name, path in known.items():
        with open(path, encoding="utf-8") as file:
            code = file.read()
        code = re.sub(r"//[^\n]*", "", code)
        code = re.sub(r"#\[cfg\(test\)\]\s*mod tests\s*\{.*", "", code, flags=re.S)
        for used in re.findall(r"\b((?:crate|super|self)(?:::[A-Za-z_][A-Za-z0-9_]*)+)", code):
            target = resolve(known, name, used)
            # A module and its own parent or children are one unit, not a circle.
            if target and target != name and not name.startswith(target + "::") and not target.startswith(name + "::"):
                edges[name].add(target)
    return edges


def circles(edges):
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "src"
    found = circles(graph(root))
    for component in found:
        print("import circle: " + " <-> ".join(component))
    print(f"{len(found)} import circles among {len(modules(root))} modules of {root}/")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
