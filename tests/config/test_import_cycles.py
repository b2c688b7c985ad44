"""No module of the project imports one that imports it back, directly or not (the room hub,
its wire and its sweep once did; so did the outbox's actions and tasks). A cycle hides which
of two modules is the lower one and breaks as soon as one of them is imported first."""

from __future__ import annotations

import grimp


def test_no_module_imports_one_that_imports_it_back() -> None:
    graph = grimp.build_graph("cadenza", cache_dir=None)  # no cache: always this tree
    cycles = sorted(
        {
            tuple(sorted((module, imported)))
            for module in graph.modules
            for imported in graph.find_modules_directly_imported_by(module)
            if graph.find_shortest_chain(importer=imported, imported=module) is not None
        }
    )
    assert cycles == []
