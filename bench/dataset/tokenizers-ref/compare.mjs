// Hugging Face's Rust tokenizers (the @anush008/tokenizers napi binding) on the texts that
// bench_dataset rendered, for the same-machine comparison. Usage:
//   node compare.mjs TOKENIZER_JSON TEXTS_JSON
import { createRequire } from "node:module";
import fs from "node:fs";

const require = createRequire(import.meta.url);
const { Tokenizer } = require("@anush008/tokenizers");
const [tokenizerPath, textsPath] = process.argv.slice(2);
const texts = JSON.parse(fs.readFileSync(textsPath, "utf8"));
const tok = Tokenizer.fromFile(tokenizerPath);
const opts = { addSpecialTokens: false };
await tok.encodeBatch(texts.slice(0, 64), opts); // warm-up

let t = process.hrtime.bigint();
let tokens = 0;
for (const text of texts) tokens += (await tok.encode(text, null, opts)).getLength();
let s = Number(process.hrtime.bigint() - t) / 1e9;
console.log(`hf tokenizers encode() one at a time: ${tokens} tokens in ${s.toFixed(2)} s = ${(tokens / s / 1e6).toFixed(2)} M tokens/s`);

t = process.hrtime.bigint();
const batch = await tok.encodeBatch(texts, opts);
s = Number(process.hrtime.bigint() - t) / 1e9;
tokens = batch.reduce((n, e) => n + e.getLength(), 0);
console.log(`hf tokenizers encodeBatch() (Rust threads, all cores): ${tokens} tokens in ${s.toFixed(2)} s = ${(tokens / s / 1e6).toFixed(2)} M tokens/s`);
