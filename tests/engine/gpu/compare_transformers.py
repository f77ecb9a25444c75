#!/usr/bin/env python3
"""CudaBackend against Hugging Face transformers on random-weight models of real shapes.

For each shape in tests/data/golden/real-shapes it builds the model from transformers' own
config class with random weights (seeded), writes it with save_pretrained (bf16 safetensors),
computes transformers' logits for a 16-token prompt and its 64 greedy tokens on the GPU, then
runs `firedeck-engine eval-logits --backend cuda` on the same folder and compares:
  - logits at every prompt position: max |diff| relative to the reference range (max - min),
    and the normalised MSE;
  - greedy tokens: the agreeing prefix, and at the first divergence transformers' own top-2
    margin there (a divergence inside a near-tie is reported as such, not hidden).
Writes a JSON summary and prints one line per shape. Run by scripts/gpu-check.sh.
"""
import argparse
import gc
import json
import os
import subprocess
import sys
import time

import numpy as np
import torch
import transformers

# bf16 tolerance (the engine keeps K/V in bf16 and feeds bf16 activations to the prefill
# GEMMs; transformers computes in bf16 throughout): 2e-2 of the reference logits' range.
REL_TOL = 2e-2


def build_model(config_dir, out_dir, seed):
    config = transformers.AutoConfig.from_pretrained(config_dir)
    torch.manual_seed(seed)
    with torch.device("cuda"):
        try:
            model = transformers.AutoModelForCausalLM.from_config(config, dtype=torch.bfloat16)
        except TypeError:  # transformers 4 spelling
            model = transformers.AutoModelForCausalLM.from_config(config, torch_dtype=torch.bfloat16)
    model.eval()
    if not os.path.exists(os.path.join(out_dir, "config.json")):
        model.save_pretrained(out_dir, safe_serialization=True)
    return model, config


def reference(model, prompt, steps):
    ids = torch.tensor([prompt], device="cuda")
    with torch.no_grad():
        logits = model(ids).logits[0].float().cpu().numpy()
        out = model.generate(ids, max_new_tokens=steps, min_new_tokens=steps, do_sample=False,
                             output_scores=True,
                             return_dict_in_generate=True, pad_token_id=0,
                             eos_token_id=None)
    greedy = out.sequences[0, len(prompt):].tolist()
    margins = []
    for score in out.scores:
        top2 = torch.topk(score[0].float(), 2).values.tolist()
        margins.append(top2[0] - top2[1])
    return logits, greedy, margins


def run_engine(engine, model_dir, prompt, steps, backend, out_file):
    cmd = [engine, "eval-logits", model_dir, "--tokens", ",".join(map(str, prompt)),
           "--greedy", str(steps), "--backend", backend, "--out", out_file]
    t0 = time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.strip()}")
    info = json.loads(proc.stdout)
    logits = np.fromfile(out_file, dtype=np.float32).reshape(info["positions"], info["vocab"])
    return logits, info, time.time() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", required=True)
    ap.add_argument("--shapes", default="qwen2.5-0.5b,qwen3-0.6b,llama-3.2-1b,llama-3.1-8b")
    ap.add_argument("--workdir", default="/tmp/fd-real-shapes")
    ap.add_argument("--steps", type=int, default=64)
    ap.add_argument("--summary", required=True)
    ap.add_argument("--backend", default="cuda")
    args = ap.parse_args()
    root = os.path.join(os.path.dirname(__file__), "..", "..", "data", "golden", "real-shapes")
    print(f"transformers {transformers.__version__}, torch {torch.__version__}, "
          f"{torch.cuda.get_device_name(0)}", flush=True)
    results, failed = [], False
    for i, shape in enumerate(args.shapes.split(",")):
        t0 = time.time()
        model_dir = os.path.join(args.workdir, shape)
        model, config = build_model(os.path.join(root, shape), model_dir, seed=1234 + i)
        rng = np.random.default_rng(i)
        prompt = rng.integers(0, config.vocab_size, 16).tolist()
        ref_logits, ref_greedy, margins = reference(model, prompt, args.steps)
        del model
        gc.collect()
        torch.cuda.empty_cache()
        build_s = time.time() - t0
        try:
            logits, info, engine_s = run_engine(args.engine, model_dir, prompt, args.steps,
                                                args.backend, model_dir + ".logits.f32")
        except RuntimeError as e:
            print(f"{shape}: ENGINE FAILED: {e}", flush=True)
            results.append({"shape": shape, "error": str(e)})
            failed = True
            continue
        rng_ref = float(ref_logits.max() - ref_logits.min())
        max_abs = float(np.abs(logits - ref_logits).max())
        nmse = float(((logits - ref_logits) ** 2).mean() / (ref_logits ** 2).mean())
        agree = 0
        while agree < len(ref_greedy) and agree < len(info["greedy"]) and \
                info["greedy"][agree] == ref_greedy[agree]:
            agree += 1
        divergence = None
        if agree < len(ref_greedy):
            divergence = {"step": agree, "transformers": ref_greedy[agree],
                          "engine": info["greedy"][agree],
                          "transformers_top2_margin": margins[agree],
                          "near_tie": margins[agree] < REL_TOL * rng_ref}
        ok = max_abs <= REL_TOL * rng_ref and (divergence is None or divergence["near_tie"])
        failed = failed or not ok
        r = {"shape": shape, "backend": info["backend"], "reason": info["reason"],
             "logits_max_abs_diff": max_abs, "reference_range": rng_ref,
             "relative": max_abs / rng_ref, "nmse": nmse, "greedy_agree": agree,
             "greedy_steps": len(ref_greedy), "divergence": divergence, "ok": ok,
             "build_and_reference_s": round(build_s, 1), "engine_s": round(engine_s, 1)}
        results.append(r)
        print(f"{shape}: {'OK' if ok else 'FAIL'} backend={info['backend']} "
              f"logits max|diff|={max_abs:.4g} ({max_abs / rng_ref:.2e} of range {rng_ref:.3g}), "
              f"nmse={nmse:.2e}, greedy {agree}/{len(ref_greedy)} agree"
              + (f", first divergence at {agree} (transformers margin {margins[agree]:.3g})"
                 if divergence else "")
              + f" [{build_s:.0f}s build+ref, {engine_s:.0f}s engine]", flush=True)
    with open(args.summary, "w") as f:
        json.dump(results, f, indent=2)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
