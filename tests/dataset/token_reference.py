#!/usr/bin/env python3
"""Reference token counts for dataset.tokens: every example of the token corpus rendered with
Python's jinja2 configured as transformers' apply_chat_template configures it (the environment
of tests/engine/jinja/render_reference.py) and encoded by the reference tokenizer
(@lenml/tokenizers, a transformers.js fork, from tests/engine/tokenizer-ref/node_modules) with
add_special_tokens=False, as apply_chat_template(tokenize=True) does: the template already
writes the BOS. Two model families: Llama 3.1 and Qwen 3.

What one example counts, per format (the same rule as dataset/tokencounter.cpp):
  SFT chat       messages, add_generation_prompt=False
  RFT            messages, add_generation_prompt=True (the prompt the model answers)
  DPO            max over preferred / non-preferred of input.messages + that output
  batch          body.messages, add_generation_prompt=True

Python's `tokenizers` package is not installed on the build machine, so the encoder is the
JS one the engine's tokenizer parity tests already trust.

Usage: token_reference.py [--out FILE]  (default tests/data/dataset/tokens/reference.json)
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
REF = os.path.join(REPO, "tests", "engine", "tokenizer-ref")
DATA = os.path.join(REPO, "tests", "data", "dataset")
sys.path.insert(0, os.path.join(REPO, "tests", "engine", "jinja"))
import render_reference  # noqa: E402  (the transformers-like jinja2 environment)

MODELS = ["llama3_1", "qwen3"]
# corpus file (relative to tests/data/dataset) -> format
FILES = {"tokens/sft.jsonl": "sft", "tokens/rft.jsonl": "rft", "good/dpo.jsonl": "dpo",
         "good/batch.jsonl": "batch"}

NODE = r"""
const fs = require("fs");
const path = require("path");
const ref = process.argv[1];
const { TokenizerLoader } = require(path.join(ref, "node_modules/@lenml/tokenizers"));
const job = JSON.parse(fs.readFileSync(0, "utf8"));
const out = {};
for (const [model, texts] of Object.entries(job)) {
  const dir = path.join(ref, "node_modules/@lenml/tokenizer-" + model, "models");
  const tok = TokenizerLoader.fromPreTrained({
    tokenizerJSON: JSON.parse(fs.readFileSync(path.join(dir, "tokenizer.json"), "utf8")),
    tokenizerConfig: JSON.parse(fs.readFileSync(path.join(dir, "tokenizer_config.json"), "utf8")),
  });
  out[model] = texts.map((t) => tok.encode(t, { add_special_tokens: false }).length);
}
process.stdout.write(JSON.stringify(out));
"""


def conversations(row, fmt):
    """(messages, tools, add_generation_prompt) renderings of one row; the count is their max."""
    if fmt == "sft":
        return [(row["messages"], row.get("tools"), False)]
    if fmt == "rft":
        return [(row["messages"], row.get("tools"), True)]
    if fmt == "batch":
        return [(row["body"]["messages"], row["body"].get("tools"), True)]
    if fmt == "dpo":
        prompt = row["input"]["messages"]
        tools = row["input"].get("tools")
        return [(prompt + row[k], tools, False) for k in ("preferred_output", "non_preferred_output")]
    raise ValueError(fmt)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(DATA, "tokens", "reference.json"))
    args = ap.parse_args()
    env = render_reference.make_env()
    texts = {m: [] for m in MODELS}
    plan = {m: {} for m in MODELS}  # model -> file -> [(line, [text indexes])]
    for model in MODELS:
        cfg_path = os.path.join(REF, "node_modules", "@lenml", "tokenizer-" + model, "models",
                                "tokenizer_config.json")
        if not os.path.exists(cfg_path):
            sys.exit(f"{cfg_path} is missing: run scripts/setup (npm ci in tests/engine/tokenizer-ref)")
        with open(cfg_path, encoding="utf-8") as f:
            cfg = json.load(f)
        source = cfg["chat_template"]
        bos = render_reference.token_text(cfg.get("bos_token"))
        eos = render_reference.token_text(cfg.get("eos_token"))
        for name, fmt in FILES.items():
            entries = []
            with open(os.path.join(DATA, name), encoding="utf-8") as f:
                for line, raw in enumerate(f, 1):
                    if not raw.strip():
                        continue
                    idx = []
                    for messages, tools, gen in conversations(json.loads(raw), fmt):
                        conv = {"messages": messages}
                        if tools is not None:
                            conv["tools"] = tools
                        texts[model].append(render_reference.render(env, source, bos, eos, conv, gen))
                        idx.append(len(texts[model]) - 1)
                    entries.append((line, idx))
            plan[model][name] = (fmt, entries)
    counts = json.loads(subprocess.run(["node", "-e", NODE, REF], input=json.dumps(texts),
                                       capture_output=True, text=True, check=True).stdout)
    out = {"generator": "tests/dataset/token_reference.py (jinja2 %s, @lenml/tokenizers)"
                        % render_reference.jinja2.__version__,
           "addSpecialTokens": False, "models": {}}
    for model in MODELS:
        files = {}
        for name, (fmt, entries) in plan[model].items():
            per_line = [[line, max(counts[model][i] for i in idx)] for line, idx in entries]
            files[name] = {"format": fmt, "perLine": per_line,
                           "total": sum(n for _, n in per_line)}
        out["models"][model] = files
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
