#!/usr/bin/python3
"""Minimal HF(LlamaForCausalLM, bf16 safetensors) -> GGUF converter using llama.cpp's gguf-py,
for speed comparisons on random-weight models (the Llama-3.2-1B shape in engine/README.md).

A copy of ../shared/peers/llamacpp/hf2gguf_qwen2.py changed for Llama: no q/k/v biases, the
Qwen tokenizer's first vocab_size tokens (merges that name other tokens dropped), bos/eos
128000/128001. Not for real checkpoints: q/k are not permuted to GGML's rope layout and the
llama3 rope scaling is not written, which changes the outputs but not the work per token.
Usage: PYTHONPATH=$LLAMA/gguf-py /usr/bin/python3 hf2gguf_llama.py HF_DIR OUT.gguf
(HF_DIR needs a tokenizer.json/tokenizer_config.json; any Qwen tokenizer will do.)
"""
import json
import struct
import sys

import numpy as np

import gguf
from gguf import GGMLQuantizationType, TokenType

src, dst = sys.argv[1], sys.argv[2]
cfg = json.load(open(f"{src}/config.json"))
assert cfg["architectures"] == ["LlamaForCausalLM"], cfg["architectures"]

# ---- safetensors header ----
f = open(f"{src}/model.safetensors", "rb")
hlen = struct.unpack("<Q", f.read(8))[0]
header = json.loads(f.read(hlen))
base = 8 + hlen
header.pop("__metadata__", None)

arch = gguf.MODEL_ARCH.LLAMA
arch_name = gguf.MODEL_ARCH_NAMES[arch]
n_layer = cfg["num_hidden_layers"]
tmap = gguf.get_tensor_name_map(arch, n_layer)

w = gguf.GGUFWriter(dst, arch_name)
w.add_type(gguf.GGUFType.MODEL)
w.add_name("l1b-random")
w.add_rope_dimension_count(cfg["hidden_size"] // cfg["num_attention_heads"])
w.add_file_type(gguf.LlamaFileType.MOSTLY_BF16)
w.add_context_length(cfg["max_position_embeddings"])
w.add_embedding_length(cfg["hidden_size"])
w.add_block_count(n_layer)
w.add_feed_forward_length(cfg["intermediate_size"])
w.add_head_count(cfg["num_attention_heads"])
w.add_head_count_kv(cfg["num_key_value_heads"])
rope_theta = cfg.get("rope_theta") or cfg.get("rope_parameters", {}).get("rope_theta")
w.add_rope_freq_base(float(rope_theta))
w.add_layer_norm_rms_eps(float(cfg["rms_norm_eps"]))

# ---- tokenizer (gpt2-style BPE, qwen2 pre-tokenizer) ----
tok = json.load(open(f"{src}/tokenizer.json"))
vocab_size = cfg["vocab_size"]
reverse = {i: t for t, i in tok["model"]["vocab"].items()}
added = {a["id"]: a for a in tok["added_tokens"]}
tokens, toktypes = [], []
for i in range(vocab_size):
    if i in added:
        tokens.append(added[i]["content"])
        toktypes.append(TokenType.CONTROL if added[i]["special"] else TokenType.USER_DEFINED)
    elif i in reverse:
        tokens.append(reverse[i])
        toktypes.append(TokenType.NORMAL)
    else:
        tokens.append(f"[PAD{i}]")
        toktypes.append(TokenType.UNUSED)
merges = [" ".join(m) if isinstance(m, list) else m for m in tok["model"]["merges"]]
ok = set(tokens)
merges = [m for m in merges if all(p in ok for p in m.split(" ")) and m.replace(" ", "") in ok]
w.add_tokenizer_model("gpt2")
w.add_tokenizer_pre("qwen2")
w.add_token_list(tokens)
w.add_token_types(toktypes)
w.add_token_merges(merges)
tc = json.load(open(f"{src}/tokenizer_config.json"))
name2id = {a["content"]: a["id"] for a in tok["added_tokens"]}
w.add_eos_token_id(128001)
w.add_bos_token_id(128000)

w.add_add_bos_token(bool(tc.get("add_bos_token", False)))

# ---- tensors ----
def load(name):
    m = header[name]
    assert m["dtype"] == "BF16", (name, m["dtype"])
    s, e = m["data_offsets"]
    f.seek(base + s)
    return np.frombuffer(f.read(e - s), dtype=np.uint16).reshape(m["shape"])

order = ["model.embed_tokens.weight"]
for b in range(n_layer):
    for s in ["input_layernorm.weight",
              "self_attn.q_proj.weight",
              "self_attn.k_proj.weight",
              "self_attn.v_proj.weight",
              "self_attn.o_proj.weight", "post_attention_layernorm.weight",
              "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight"]:
        order.append(f"model.layers.{b}.{s}")
order.append("model.norm.weight")
if "lm_head.weight" in header and not cfg.get("tie_word_embeddings", False):
    order.append("lm_head.weight")
assert set(order) == set(header) or (set(header) - set(order)) <= {"lm_head.weight"}, set(header) ^ set(order)

for hf in order:
    new = tmap.get_name(hf, try_suffixes=(".weight", ".bias"))
    assert new is not None, hf
    raw = load(hf)
    if raw.ndim == 1:
        data = (raw.astype(np.uint32) << 16).view(np.float32)  # bf16 -> f32, exact
        w.add_tensor(new, data)
    else:
        # raw_shape is in numpy (row-major) order; gguf-py reverses it for ggml ne[]
        w.add_tensor(new, raw, raw_shape=raw.shape, raw_dtype=GGMLQuantizationType.BF16)
    print(f"{hf:50s} -> {new:30s} {raw.shape} {'F32' if raw.ndim == 1 else 'BF16'}")

w.write_header_to_file()
w.write_kv_data_to_file()
w.write_tensors_to_file(progress=False)
w.close()
print("wrote", dst)
