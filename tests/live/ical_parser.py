"""A small, strict RFC 5545 reader for the calendar tests: it checks the physical rules (CRLF
everywhere, at most 75 octets a line, folds that keep UTF-8 characters whole), unfolds, and
splits content lines into components and properties."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Property:
    name: str
    params: dict[str, str]
    value: str


@dataclass
class Component:
    name: str
    properties: list[Property] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)

    def get(self, name: str) -> Property:
        [found] = [p for p in self.properties if p.name == name]
        return found

    def value(self, name: str) -> str:
        return self.get(name).value

    def all(self, name: str) -> list[Component]:
        return [child for child in self.children if child.name == name]


def physical_lines(text: str) -> list[str]:
    data = text.encode("utf-8")
    assert data.endswith(b"\r\n"), "the object ends with CRLF"
    lines = data[:-2].split(b"\r\n")
    for line in lines:
        assert b"\r" not in line, f"bare CR in {line!r}"
        assert b"\n" not in line, f"bare LF in {line!r}"
        assert len(line) <= 75, f"{len(line)} octets: {line!r}"
        line.decode("utf-8")  # a fold that split a character would not decode on its own
    return [line.decode("utf-8") for line in lines]


def unfold(text: str) -> list[str]:
    logical: list[str] = []
    for line in physical_lines(text):
        if line.startswith((" ", "\t")):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def split_property(line: str) -> Property:
    quoted = False
    for index, character in enumerate(line):
        if character == '"':
            quoted = not quoted
        elif character == ":" and not quoted:
            head, value = line[:index], line[index + 1 :]
            break
    else:
        raise AssertionError(f"no value in {line!r}")
    name, *raw_params = head.split(";")
    params = {}
    for raw in raw_params:
        key, _, param_value = raw.partition("=")
        params[key] = param_value
    return Property(name=name, params=params, value=value)


def parse(text: str) -> Component:
    stack: list[Component] = []
    root: Component | None = None
    for line in unfold(text):
        prop = split_property(line)
        if prop.name == "BEGIN":
            component = Component(prop.value)
            if stack:
                stack[-1].children.append(component)
            stack.append(component)
        elif prop.name == "END":
            done = stack.pop()
            assert done.name == prop.value
            if not stack:
                root = done
        else:
            stack[-1].properties.append(prop)
    assert not stack
    assert root is not None
    return root


def unescape(value: str) -> str:
    out, index = [], 0
    while index < len(value):
        character = value[index]
        if character == "\\":
            following = value[index + 1]
            out.append("\n" if following in "nN" else following)
            index += 2
        else:
            assert character not in ";,", f"unescaped {character!r} in {value!r}"
            out.append(character)
            index += 1
    return "".join(out)
