#!/usr/bin/env python3
"""Writes pipedreamer's manual pages from the command tree the binary itself describes.

Usage: manual-from-help.py BINARY OUTDIR --version V --date YYYY-MM-DD

`BINARY --experimental-dump-help` prints swift-argument-parser's ToolInfo (serialization
version 0: commands, their abstracts and discussions, every argument with its names, value
name and default), the same source `--help` is made from, so the pages cannot disagree with
it. One page per command: pipedreamer(1), and pipedreamer-deploy(1) for `pipedreamer deploy`
(as git names git-commit(1)). Output is man(7) roff, byte-identical for the same binary.
"""
import argparse
import json
import os
import subprocess
import sys


def roff(text):
    """Escapes text for a roff line: backslashes, and a leading dot or quote."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    lines = []
    for line in text.split("\n"):
        if line.startswith((".", "'")):
            line = "\\&" + line
        lines.append(line)
    return "\n".join(lines)


def paragraphs(text):
    """Blank-line-separated paragraphs, each as a .PP block."""
    out = []
    for block in (text or "").strip().split("\n\n"):
        block = block.strip()
        if block:
            out.append(".PP\n" + roff(block))
    return out


def names(argument):
    shown = []
    for name in argument.get("names") or []:
        dash = "--" if name["kind"] == "long" else "-"
        shown.append(dash + name["name"])
    return shown


def synopsis_item(argument):
    value = argument.get("valueName") or "value"
    if argument["kind"] == "positional":
        item = "<" + value + ">"
    else:
        preferred = argument.get("preferredName") or (argument.get("names") or [{}])[0]
        dash = "--" if preferred.get("kind") == "long" else "-"
        item = dash + preferred.get("name", "")
        if argument["kind"] == "option":
            item += " <" + value + ">"
    if argument.get("isRepeating"):
        item += " ..."
    return "[" + item + "]" if argument.get("isOptional") else item


def page(command, path, version, date):
    full = " ".join(path)
    title = "-".join(path).upper()
    lines = ['.TH "%s" "1" "%s" "pipedreamer %s" "pipedreamer manual"' % (title, date, version)]
    lines.append(".SH NAME")
    lines.append(roff("%s - %s" % ("-".join(path), command.get("abstract") or full)))
    arguments = [a for a in command.get("arguments") or [] if a.get("shouldDisplay", True)]
    subcommands = [s for s in command.get("subcommands") or [] if s.get("shouldDisplay", True)]
    lines.append(".SH SYNOPSIS")
    synopsis = [full] + [synopsis_item(a) for a in arguments if a["kind"] == "positional"]
    if subcommands:
        synopsis.append("<subcommand>")
    if any(a["kind"] != "positional" for a in arguments):
        synopsis.append("[options]")
    lines.append(".B " + roff(synopsis[0]))
    if len(synopsis) > 1:
        lines.append(roff(" ".join(synopsis[1:])))
    description = paragraphs(command.get("abstract")) + paragraphs(command.get("discussion"))
    if description:
        lines.append(".SH DESCRIPTION")
        lines.extend(description)
    if subcommands:
        lines.append(".SH COMMANDS")
        for sub in subcommands:
            lines.append(".TP")
            lines.append(".B " + roff(sub["commandName"]))
            lines.append(roff((sub.get("abstract") or "") + " See %s-%s(1)." % ("-".join(path), sub["commandName"])))
    if arguments:
        lines.append(".SH OPTIONS")
        for argument in arguments:
            lines.append(".TP")
            if argument["kind"] == "positional":
                head = "<" + (argument.get("valueName") or "value") + ">"
            else:
                head = ", ".join(names(argument))
                if argument["kind"] == "option":
                    head += " <" + (argument.get("valueName") or "value") + ">"
            lines.append(".B " + roff(head))
            body = argument.get("abstract") or ""
            if argument.get("discussion"):
                body += "\n" + argument["discussion"]
            default = argument.get("defaultValue")
            if default not in (None, "") and "(default:" not in body:
                body += " (default: %s)" % default
            lines.append(roff(body.strip()))
    lines.append(".SH SEE ALSO")
    if len(path) > 1:
        lines.append(roff("pipedreamer(1), git(1), kubectl(1)"))
    else:
        lines.append(roff(", ".join("pipedreamer-%s(1)" % s["commandName"] for s in subcommands) + ", git(1), kubectl(1)"))
    return "\n".join(lines) + "\n"


def walk(command, path, out, version, date):
    name = "-".join(path) + ".1"
    with open(os.path.join(out, name), "w", encoding="utf-8") as handle:
        handle.write(page(command, path, version, date))
    written = [name]
    for sub in command.get("subcommands") or []:
        if sub.get("shouldDisplay", True) and sub["commandName"] != "help":
            written += walk(sub, path + [sub["commandName"]], out, version, date)
    return written


def main():
    parser = argparse.ArgumentParser(description="Write pipedreamer's manual pages from its --experimental-dump-help.")
    parser.add_argument("binary")
    parser.add_argument("outdir")
    parser.add_argument("--version", required=True)
    parser.add_argument("--date", required=True)
    options = parser.parse_args()
    dump = subprocess.run([options.binary, "--experimental-dump-help"], check=True, capture_output=True, text=True).stdout
    info = json.loads(dump)
    if info.get("serializationVersion") != 0:
        sys.exit("manual-from-help.py: unknown dump-help serialization version %r" % info.get("serializationVersion"))
    os.makedirs(options.outdir, exist_ok=True)
    walk(info["command"], [info["command"]["commandName"]], options.outdir, options.version, options.date)


if __name__ == "__main__":
    main()
