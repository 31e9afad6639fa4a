"""The layers only look down, and no file imports itself round a circle (issue 15).

Every project .py file (tests, migrations and bench aside) is read with `ast`; every import counts, a
function-local one too (an import moved into a function to dodge a circle is still a circle). An
import names a module of the project: `import a.b` is a.b; `from a import b` is a.b when that is a
module, else a (its package's __init__); relative imports are resolved against the file's package.
Importing a.b runs a's __init__ first, but that edge is left out: a package's modules import their
siblings through their full names all the time, and its __init__ gathering them is no circle of theirs.
"""
import ast
from collections import defaultdict, deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {"tests", "migrations", "bench", "node_modules", "static", "templates", "docs", "instance"}

# (importer's top package, imported top package): an import the layers forbid
FORBIDDEN = {("models", "services"), ("models", "blueprints"), ("models", "docgen"),
             ("services", "blueprints"), ("docgen", "blueprints")}


def project_files():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in SKIP or any(p.startswith(".") for p in parts):
            continue
        yield path


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules():
    return {module_name(p): p for p in project_files()}


def _resolve(name, known):
    """The project module an import of `name` runs last: itself or its longest known prefix, else None."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module, path, known):
    """[(imported module, line)] for every import in the file that names a project module."""
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [_resolve(alias.name, known) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
                base = ".".join(base + ([node.module] if node.module else []))
            else:
                base = node.module
            targets = []
            for alias in node.names:
                full = f"{base}.{alias.name}" if base else alias.name
                targets.append(full if full in known else _resolve(base, known))
        else:
            continue
        out.extend((t, node.lineno) for t in targets if t and t != module)
    return out


def graph():
    known = modules()
    edges = defaultdict(dict)  # module -> {imported: line}
    for module, path in known.items():
        for target, line in imports_of(module, path, known):
            edges[module].setdefault(target, line)
    return known, edges


def strongly_connected(nodes, edges):
    """Tarjan's components (iterative), those of more than one module."""
    index, low, on_stack, stack, out = {}, {}, set(), [], []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, ()))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        out.append(component)
    return out


def shortest_cycle(component, edges, known):
    """One shortest circle through the component's first module, as 'a.py:3 -> b.py:7 -> a'."""
    start = min(component)
    parents, queue = {start: None}, deque([start])
    while queue:
        node = queue.popleft()
        for child in edges.get(node, ()):
            if child not in component:
                continue
            if child == start:
                path = [node]
                while parents[path[-1]] is not None:
                    path.append(parents[path[-1]])
                path.reverse()
                hops = [f"{known[a].relative_to(ROOT)}:{edges[a][b]}" for a, b in zip(path, path[1:] + [start])]
                return " -> ".join(hops) + f" -> {start}"
            if child not in parents:
                parents[child] = node
                queue.append(child)
    return start


def test_no_import_circle_between_files():
    known, edges = graph()
    circles = strongly_connected(sorted(known), edges)
    report = [f"{len(c)} modules: {sorted(c)}\n  e.g. {shortest_cycle(c, edges, known)}" for c in circles]
    assert not circles, "import circles:\n" + "\n".join(report)


def test_layers_only_look_down():
    known, edges = graph()
    wrong = [f"{known[a].relative_to(ROOT)}:{line} imports {b}"
             for a, targets in sorted(edges.items()) for b, line in sorted(targets.items())
             if (a.split(".")[0], b.split(".")[0]) in FORBIDDEN]
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_the_walk_sees_local_and_relative_imports(tmp_path):
    """The reader itself: a function-local import and a relative one are edges; a name is not a module."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from .a import thing\n")
    (pkg / "a.py").write_text("thing = 1\n\ndef f():\n    from pkg import b\n    return b\n")
    (pkg / "b.py").write_text("from . import a\nfrom pkg.a import thing\nimport os\n")
    known = {"pkg": pkg / "__init__.py", "pkg.a": pkg / "a.py", "pkg.b": pkg / "b.py"}
    assert imports_of("pkg", known["pkg"], known) == [("pkg.a", 1)]
    assert imports_of("pkg.a", known["pkg.a"], known) == [("pkg.b", 4)]
    assert imports_of("pkg.b", known["pkg.b"], known) == [("pkg.a", 1), ("pkg.a", 2)]
    edges = {m: dict(imports_of(m, p, known)) for m, p in known.items()}
    assert strongly_connected(sorted(known), edges) == [{"pkg.a", "pkg.b"}]
